"""Writing a Case as the Excel workbook that :mod:`cases.excel` reads back.

The layout (sheets, columns, the key/value sheets) is :mod:`cases.excel_indeling`'s; this
module only turns a Case into rows and cells and saves the workbook atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from plafond.cases.excel_indeling import (
    _EURO,
    _LID,
    _MATRIX,
    _NESTED,
    _SLEUTEL,
    EURO_FORMAT,
    KEY_SHEETS,
    SHEETS,
    TABLES,
    _capaciteit,
    _number_text,
)
from plafond.cases.files import atomic_write, safe_cell
from plafond.cases.schema import Case
from plafond.cases.werkblad import pagina_opmaak, pas_breedtes_aan


def _table(case: Case, sheet: str) -> tuple[list[str], list[list[Any]]]:
    """Columns and rows of a table sheet for ``case``."""
    place, _, columns = TABLES[sheet]
    node: Any = case
    for part in place.split("."):
        node = getattr(node, part)
    rows = []
    if sheet == "varianten":
        node = [{"naam": k, **v.model_dump()} for k, v in node.items()]
    for item in node:
        row = item if isinstance(item, dict) else item.model_dump()
        if sheet == "levering":
            row.update({f"aandeel_{k}": v for k, v in (row.pop("aandeel") or {}).items()})
        if sheet == "varianten":
            row.update({f"gewichten_{k}": v for k, v in row.pop("gewichten").items()})
        if sheet == "aanbieders":
            row.update({f"capaciteit_{k}": v for k, v in row.pop("capaciteit").items()})
        if sheet == "cooperaties" and not isinstance(row["sleutel"], str):
            row.update({f"{_LID}{k}": v for k, v in row.pop("sleutel").items()})
        for n in _NESTED if sheet == "vraag" else ():
            row.update({f"{n}_{k}": v for k, v in row.pop(n).items()})
        rows.append(row)
    if sheet == "aanbieders":
        cap = [f"capaciteit_{p.id}" for p in case.producten]
        other = {k for r in rows for k in r if _capaciteit(k)} - set(cap)
        # the cooperatie column after the capacities: older workbooks keep their layout
        eigen = [c for c in columns if c != "cooperatie"]
        columns = [*eigen, *cap, *sorted(other), "cooperatie"]
    if sheet == "cooperaties":
        leden = [
            f"{_LID}{a.id}" for a in case.aanbieders if any(f"{_LID}{a.id}" in r for r in rows)
        ]
        columns = [*columns, *leden]
    return columns, [[r.get(c) for c in columns] for r in rows]


def _keys(case: Case, sheet: str) -> list[list[Any]]:
    """The rows (sleutel, waarde) of a key/value sheet for ``case``."""
    node = {"case": case, "kader": case.kader, "marktordening": case.marktordening}[sheet]
    out = []
    for key in KEY_SHEETS[sheet][1]:
        value = node
        for part in key.split("."):
            value = None if value is None else getattr(value, part)  # no prijsschok: empty
        out.append([key, value])
    if sheet == "kader":
        out += [[f"{_SLEUTEL}{a}", w] for a, w in (case.kader.risicodeling.sleutel or {}).items()]
    return out


def _cell(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return "; ".join(_number_text(v) for v in value)
    return safe_cell(value)


def _sheet(wb: Workbook, name: str, columns: list[str], rows: list[list[Any]]) -> Worksheet:
    """Add a sheet: bold frozen header, cells made safe, euro formats, fitting widths."""
    ws = wb.create_sheet(name)
    ws.append(columns)
    euro = _EURO.get(name, set())
    for row in rows:
        ws.append([_cell(v) for v in row])
        for i, column in enumerate(columns):
            if column in euro or (i == 1 and name in KEY_SHEETS and row[0] in euro):
                ws.cell(ws.max_row, i + 1).number_format = EURO_FORMAT
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    pas_breedtes_aan(ws, minimum=10)
    return ws


def _build(case: Case) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        if sheet in KEY_SHEETS:
            _sheet(wb, sheet, ["sleutel", "waarde"], _keys(case, sheet))
        else:
            _sheet(wb, sheet, *_table(case, sheet))
    matrix = case.kader.correlatie.matrix
    if matrix is not None:
        ids = [g.id for g in case.gebieden]
        cols = [g for g in ids if any(g in r for r in matrix.values())]
        cols += sorted({g for r in matrix.values() for g in r} - set(cols))
        rows = [[a, *(r.get(b) for b in cols)] for a, r in matrix.items()]
        _sheet(wb, _MATRIX, ["gebied", *cols], rows)
    for ws in wb.worksheets:
        pagina_opmaak(ws, case.naam)
    return wb


def write_workbook(case: Case, path: str | os.PathLike[str]) -> Path:
    """Write ``case`` as a case workbook, atomically; :func:`read_workbook` gives it back."""
    wb = _build(case)
    return atomic_write(path, wb.save)
