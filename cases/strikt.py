"""Strict types before the schema: a boolean is never a number.

pydantic's lax mode reads ``true`` as 1 for a float field, so ``omzet: true`` (or a TRUE
cell in Excel) would silently become one euro. :func:`geen_booleans` walks the plain data
along the schema and refuses a boolean wherever the field does not take one.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from plafond.cases.errors import CaseError, plaats
from plafond.cases.schema import Case
from pydantic import BaseModel


def _args(annotation: Any) -> tuple[Any, ...]:
    """The alternatives of ``X | Y``, unwrapping ``Annotated[X, ...]``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _args(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return tuple(a for arg in typing.get_args(annotation) for a in _args(arg))
    return (annotation,)


def _neemt_bool(annotation: Any) -> bool:
    return any(a is bool or a is Any for a in _args(annotation))


def _controleer(value: Any, annotation: Any, loc: tuple, data: Mapping, bron: str) -> None:
    if isinstance(value, bool):
        if not _neemt_bool(annotation):
            raise CaseError(
                bron,
                plaats(loc, data),
                f"moet een getal of tekst zijn, niet de ja/nee-waarde {str(value).lower()}",
            )
        return
    for alt in _args(annotation):
        origin = typing.get_origin(alt)
        if isinstance(alt, type) and issubclass(alt, BaseModel) and isinstance(value, Mapping):
            for key, sub in value.items():
                field = alt.model_fields.get(key) if isinstance(key, str) else None
                if field is not None:
                    _controleer(sub, field.annotation, (*loc, key), data, bron)
            return
        if origin in (tuple, list) and isinstance(value, Sequence) and not isinstance(value, str):
            inner = typing.get_args(alt)[0] if typing.get_args(alt) else Any
            for i, sub in enumerate(value):
                _controleer(sub, inner, (*loc, i), data, bron)
            return
        if origin is dict and isinstance(value, Mapping):
            inner = typing.get_args(alt)[1]
            for key, sub in value.items():
                _controleer(sub, inner, (*loc, str(key)), data, bron)
            return


def geen_booleans(data: Mapping[str, Any], bron: str, model: type[BaseModel] = Case) -> None:
    """Refuse a boolean in any field of ``model`` that does not take one (CaseError)."""
    _controleer(data, model, (), data, bron)
