"""Read a case: YAML (safe loading only) or an Excel workbook, into a validated Case.

Reading is at the edge: :func:`load_case` finds the file (or the bundled case by name),
parses it into plain data, and :func:`case_from_dict` normalises, validates and checks it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from plafond.cases.bundled import bundled_path
from plafond.cases.checks import check_case
from plafond.cases.errors import CaseError, from_validation_error
from plafond.cases.schema import ID_TABLES, REQUIRED, Case
from pydantic import ValidationError

MAX_BYTES = 20_000_000
SUFFIXES = (".yaml", ".yml", ".xlsx")


class _SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader that also refuses aliases (no 'billion laughs' expansion)."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML-verwijzingen (*alias) zijn niet toegestaan", event.start_mark
            )
        return super().compose_node(parent, index)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file safely; broken YAML and object tags become a CaseError with the line."""
    bron = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CaseError(bron, "", "geen leesbare tekst (verwacht UTF-8 YAML)") from None
    if not text.strip():
        raise CaseError(bron, "", "het bestand is leeg; verwacht een case (zie cases/README.md)")
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        raise CaseError(
            bron, where, "YAML-tag niet toegestaan (alleen gewone waarden, lijsten en tabellen)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CaseError(bron, where, f"ongeldige YAML: {problem}") from None


def _rows_from_mapping(table: str, value: Any) -> Any:
    """``{id: {fields}}`` → ``[{id: id, **fields}]``; lists pass unchanged."""
    if not isinstance(value, Mapping):
        return value
    rows = []
    for key, fields in value.items():
        fields = {} if fields is None else fields
        if not isinstance(fields, Mapping):
            return value  # let the schema report the type error
        rows.append({"id": str(key), **fields})
    return rows


def _tarieven_rows(value: Any) -> Any:
    """``{product: {..., per_aanbieder: {id: {...}}}}`` → rows with product and aanbieder."""
    if not isinstance(value, Mapping):
        return value
    rows = []
    for product, fields in value.items():
        if not isinstance(fields, Mapping):
            return value
        fields = dict(fields)
        specific = fields.pop("per_aanbieder", None) or {}
        rows.append({"product": str(product), **fields})
        if isinstance(specific, Mapping):
            rows.extend(
                {"product": str(product), "aanbieder": str(a), **(f or {})}
                for a, f in specific.items()
            )
    return rows


def normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plain-data form that both YAML and Excel readers produce, ready for the schema."""
    out = dict(data)
    for table in ID_TABLES:
        if table in out:
            out[table] = _rows_from_mapping(table, out[table])
    if "tarieven" in out:
        out["tarieven"] = _tarieven_rows(out["tarieven"])
    return out


def case_from_dict(data: Any, bron: str = "<case>") -> Case:
    """Validate plain data (as parsed from YAML or Excel) into a checked, immutable Case.

    Raises
    ------
    CaseError
        One line naming the source, the field and what is allowed.
    """
    if not isinstance(data, Mapping):
        raise CaseError(bron, "", "verwacht een tabel met de sleutels van een case bovenaan")
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise CaseError(
            bron, missing[0], f"verplichte tabel ontbreekt; verplicht zijn: {', '.join(REQUIRED)}"
        )
    plain = normalise(data)
    try:
        case = Case.model_validate(plain)
    except ValidationError as exc:
        raise from_validation_error(exc, bron, plain, Case) from None
    check_case(case, bron)
    return case


def load_case(source: str | os.PathLike[str]) -> Case:
    """Load a case from a .yaml/.yml/.xlsx path or by the name of a bundled case.

    Raises
    ------
    CaseError
        When the file is missing, of an unknown type, too large, or its content is wrong.
    """
    path = Path(source)
    if not path.exists():
        found = bundled_path(str(source))
        if found is None:
            raise CaseError(
                str(source),
                "",
                "bestand niet gevonden en geen meegeleverde case; "
                "toegestaan: een .yaml/.yml/.xlsx-bestand of een naam uit `plafond cases`",
            )
        path = found
    if path.suffix.lower() not in SUFFIXES:
        raise CaseError(str(path), "", f"onbekend bestandstype; toegestaan: {', '.join(SUFFIXES)}")
    if path.stat().st_size > MAX_BYTES:
        raise CaseError(str(path), "", f"bestand groter dan {MAX_BYTES // 1_000_000} MB")
    if path.suffix.lower() == ".xlsx":
        from plafond.cases.excel import read_workbook

        data = read_workbook(path)
    else:
        data = read_yaml(path)
    return case_from_dict(data, bron=str(path))
