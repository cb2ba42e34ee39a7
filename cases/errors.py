"""CaseError and the translation of schema errors into one human line.

Every problem with a case file becomes ``file: table[row or id].field: what is wrong;
what is allowed`` — in Dutch, because the reader is the inkoopadviseur.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from plafond.cases.getallen import lees_getal
from pydantic import BaseModel, ValidationError


class CaseError(ValueError):
    """A case file is wrong; ``str(err)`` is one line naming file, field and the fix."""

    def __init__(self, bron: str, plaats: str, melding: str) -> None:
        self.bron, self.plaats, self.melding = bron, plaats, melding
        super().__init__(f"{bron}: {plaats}: {melding}" if plaats else f"{bron}: {melding}")


def plaats(loc: Sequence[Any], data: Mapping[str, Any] | None = None) -> str:
    """Render a location such as ``('gebieden', 2, 'inwoners')`` as ``gebieden[wijk-3].inwoners``.

    Rows of id-tables are named by their id; rows of other tables by their 1-based number.
    """
    text, node = "", data
    for part in loc:
        if isinstance(part, int):
            row = node[part] if isinstance(node, Sequence) and part < len(node) else None
            name = row.get("id") if isinstance(row, Mapping) else None
            text += f"[{name}]" if name is not None else f"[rij {part + 1}]"
            node = row
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return text


def _fields_at(model: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """Names of the fields allowed at ``loc`` (the parent of an unknown key)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """The BaseModel inside ``X``, ``X | None`` or ``tuple[X, ...]``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, list):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _melding(err: Mapping[str, Any], model: type[BaseModel]) -> str:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    if kind == "missing":
        return "ontbreekt; dit veld is verplicht"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, err["loc"][:-1])
        return "onbekend veld" + (f"; toegestaan: {', '.join(allowed)}" if allowed else "")
    if kind in ("float_parsing", "float_type"):
        nl = lees_getal(value) if isinstance(value, str) else None
        if nl is not None:  # "0,0387" in YAML: say how to write it
            return (
                f"moet een getal zijn, niet de tekst {value!r}; schrijf {nl!r} "
                "(punt als decimaalteken, zonder aanhalingstekens)"
            )
        return f"moet een getal zijn (met een punt als decimaalteken), niet {value!r}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"moet een geheel getal zijn, niet {value!r}"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"moet true of false zijn, niet {value!r}"
    if kind == "literal_error":
        return f"{value!r} is niet toegestaan; toegestaan: {ctx.get('expected')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": ">=", "greater_than": ">"}.get(kind) or (
            "<=" if kind == "less_than_equal" else "<"
        )
        bound = next(iter(ctx.values()), "")
        return f"{value!r} is buiten bereik; toegestaan: {sign} {bound}"
    if kind == "too_short":
        return "mag niet leeg zijn"
    if kind in ("string_type", "string_too_long", "string_too_short"):
        return f"moet tekst van 1 tot 80 tekens zijn, niet {value!r}"
    if kind == "string_pattern_mismatch":
        return f"ongeldige id {value!r}; een id begint niet met een spatie en bevat geen '/'"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "moet een tabel met velden (naam: waarde) zijn"
    if kind in ("tuple_type", "list_type"):
        return "moet een lijst zijn"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def from_validation_error(
    exc: ValidationError, bron: str, data: Mapping[str, Any], model: type[BaseModel]
) -> CaseError:
    """Turn the first error of a pydantic ValidationError into a one-line CaseError."""
    err = exc.errors(include_url=False)[0]
    return CaseError(bron, plaats(err["loc"], data), _melding(err, model))
