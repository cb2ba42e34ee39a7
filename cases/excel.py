"""Reading a case workbook: its sheets into the plain data of a case, errors at Excel rows.

:func:`read_workbook` turns a workbook into exactly the plain data the YAML reader gives, so
:func:`cases.load.case_from_dict` builds an identical Case; errors name the sheet, column
and Excel row (``historie[Excel-rij 4].omzet``). :func:`tekst_getallen` lists the text cells
that are read as numbers. The layout (sheets, columns, keys) and the reading of single cells
and rows within the limits are :mod:`cases.excel_indeling`'s; the writer is
:mod:`cases.excel_schrijven`, the template :mod:`cases.excel_template`.

Cells are read as stored values (``data_only``): formulas are never evaluated, and a formula
without a cached value (a file never opened in Excel) reads as empty.
"""

from __future__ import annotations

import os
import re
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from plafond.cases.errors import CaseError
from plafond.cases.excel_indeling import (
    _EMPTY,
    _LID,
    _MATRIX,
    _NESTED,
    _PADEN,
    _PARAMS,
    _SLEUTEL,
    KEY_SHEETS,
    OPTIONAL,
    REQUIRED_SHEETS,
    SHEETS,
    TABLES,
    UITLEG,
    _capaciteit,
    _lid_kolom,
    _rijen,
    _value,
    controleer_zip,
    required_columns,
)
from plafond.cases.levering import Gewichten


def _header(ws: Worksheet, sheet: str, bron: str, allowed: list[str]) -> tuple[list, Any]:
    """The column names of row 1 (None for an empty header) and the remaining rows."""
    rows = _rijen(ws, sheet, bron)
    names = [str(h).strip() or None if h is not None else None for h in next(rows, ())]
    for name in names:
        if name is not None and names.count(name) > 1:
            raise CaseError(bron, f"{sheet}.{name}", f"kolom staat meer dan eens op blad {sheet}")
        if name is not None and name not in allowed:
            if (sheet == "aanbieders" and _capaciteit(name)) or (
                sheet == "cooperaties" and _lid_kolom(name)
            ):
                continue
            extra = {"aanbieders": " en capaciteit_<PRODUCT>", "cooperaties": f" en {_LID}<lid>"}
            extra = extra.get(sheet, "")
            raise CaseError(
                bron,
                f"{sheet}.{name}",
                f"onbekende kolom op blad {sheet}; toegestaan: {', '.join(allowed)}{extra}",
            )
    return names, rows


def _read_rows(ws: Worksheet, sheet: str, bron: str) -> tuple[list[dict], list[int]]:
    """A table sheet as rows of plain data, and the Excel row number of each."""
    allowed = TABLES[sheet][2]
    names, rows = _header(ws, sheet, bron, allowed)
    required = required_columns(sheet)
    for column in required:
        if column not in names:
            raise CaseError(
                bron,
                f"{sheet}.{column}",
                f"kolom ontbreekt op blad {sheet}; verplichte kolommen: {', '.join(required)}; "
                f"toegestaan: {', '.join(allowed)}",
            )
    out, numbers = [], []
    for r, cells in enumerate(rows, start=2):
        row: dict[str, Any] = {}
        for i, cell in enumerate(cells):
            name = names[i] if i < len(names) else None
            try:
                value = _value(cell, name or "")
            except ValueError as exc:
                raise CaseError(bron, f"{sheet}[Excel-rij {r}].{name}", str(exc)) from None
            if value is not _EMPTY and name is None:
                raise CaseError(
                    bron, f"{sheet}[Excel-rij {r}]", "waarde in een kolom zonder kop in rij 1"
                )
            if value is not _EMPTY:
                row[name] = value
        if sheet == "cooperaties" and "sleutel" in row and any(map(_lid_kolom, row)):
            raise CaseError(
                bron, f"{sheet}[Excel-rij {r}].sleutel",
                f"geef sleutel lumpsum óf een aandeel per lid in de kolommen {_LID}<lid>, "
                "niet allebei",
            )  # fmt: skip
        if row:
            out.append(_nest(sheet, row))
            numbers.append(r)
    return out, numbers


def _nest(sheet: str, row: dict[str, Any]) -> dict[str, Any]:
    """Flat spreadsheet columns back into the nested form of the schema."""
    if sheet == "aanbieders":
        cap = {k.removeprefix("capaciteit_"): row.pop(k) for k in list(row) if _capaciteit(k)}
        if cap:
            row["capaciteit"] = cap
    if sheet == "cooperaties":
        aandelen = {k.removeprefix(_LID): row.pop(k) for k in list(row) if _lid_kolom(k)}
        if aandelen:
            row["sleutel"] = aandelen
    if sheet == "vraag":
        for n in _NESTED:
            spec = {p: row.pop(f"{n}_{p}") for p in _PARAMS if f"{n}_{p}" in row}
            if spec:
                row[n] = spec
    if sheet == "levering":
        spec = {p: row.pop(f"aandeel_{p}") for p in _PARAMS if f"aandeel_{p}" in row}
        if spec:
            row["aandeel"] = spec
    if sheet == "varianten":
        gewichten = {g: row.pop(f"gewichten_{g}") for g in Gewichten.model_fields
                     if f"gewichten_{g}" in row}  # fmt: skip
        if gewichten:
            row["gewichten"] = gewichten
    return row


def _read_keys(ws: Worksheet, sheet: str, bron: str) -> dict[str, Any]:
    """A key/value sheet as a (nested) mapping."""
    allowed = KEY_SHEETS[sheet][1]
    names, rows = _header(ws, sheet, bron, ["sleutel", "waarde"])
    for column in ("sleutel", "waarde"):
        if column not in names:
            raise CaseError(
                bron,
                f"{sheet}.{column}",
                f"kolom ontbreekt op blad {sheet}; verplicht: sleutel, waarde",
            )
    ki, vi = names.index("sleutel"), names.index("waarde")
    out: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for r, cells in enumerate(rows, start=2):
        cells = (*cells, None, None)
        key = str(cells[ki]).strip() if cells[ki] is not None else ""
        if not key:
            if _value(cells[vi], "") is not _EMPTY:
                raise CaseError(bron, f"{sheet}[Excel-rij {r}]", "waarde zonder sleutel")
            continue
        if key not in allowed and not (sheet == "kader" and _sleutel_key(key)):
            extra = f" en {_SLEUTEL}<aanbieder>" if sheet == "kader" else ""
            raise CaseError(
                bron,
                f"{sheet}.{key}",
                f"onbekende sleutel; toegestaan: {', '.join(allowed)}{extra}",
            )
        if key in seen:
            raise CaseError(bron, f"{sheet}.{key}", f"staat twee keer op blad {sheet}")
        seen[key] = r
        value = _value(cells[vi], key)
        if value is _EMPTY:
            continue
        if key.startswith(_SLEUTEL):
            out.setdefault("risicodeling", {}).setdefault("sleutel", {})[key[len(_SLEUTEL) :]] = (
                value
            )
        elif "." in key:
            *groups, field = key.split(".")
            node = out
            for group in groups:
                node = node.setdefault(group, {})
            if key in _PADEN and isinstance(value, list) and len(value) == 1:
                value = value[0]
            node[field] = value
        else:
            out[key] = value
    return out


def _sleutel_key(key: str) -> bool:
    return key.startswith(_SLEUTEL) and len(key) > len(_SLEUTEL)


def _read_matrix(ws: Worksheet, bron: str) -> dict[str, dict[str, Any]]:
    """The optional correlation matrix: gebied (rows) × gebied (columns)."""
    rows = _rijen(ws, _MATRIX, bron)
    header = [_value(h, "gebied") for h in next(rows, ())]
    if not header or header[0] != "gebied":
        raise CaseError(
            bron,
            f"{_MATRIX}.gebied",
            "de eerste kolom van blad correlatie heet gebied; daarna een kolom per gebied",
        )
    matrix: dict[str, dict[str, Any]] = {}
    for cells in rows:
        key = _value(cells[0], "gebied") if cells else _EMPTY
        if key is not _EMPTY:
            pairs = zip(header[1:], cells[1:], strict=False)
            matrix[key] = {c: v for c, v in pairs if c is not _EMPTY and v is not None}
    return matrix


def _bladen(wb: Any, bron: str) -> dict[str, Worksheet]:
    """The sheets by their lower-case name; unknown or doubled names are refused."""
    toegestaan = [*SHEETS, _MATRIX, *UITLEG]
    sheets: dict[str, Worksheet] = {}
    for name in wb.sheetnames:
        key = name.strip().lower()
        if key not in toegestaan:
            raise CaseError(
                bron,
                name,
                f"onbekend blad; toegestaan: {', '.join(toegestaan)}",
            )
        if key in sheets:
            raise CaseError(bron, name, "blad staat twee keer in de werkmap")
        sheets[key] = wb[name]
    return sheets


def _lees_bladen(wb: Any, bron: str) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The plain data of an open workbook, and the Excel row numbers of each table's rows."""
    sheets = _bladen(wb, bron)
    for sheet in REQUIRED_SHEETS:
        if sheet not in sheets:
            raise CaseError(
                bron,
                sheet,
                f"blad ontbreekt; verplichte bladen: {', '.join(REQUIRED_SHEETS)} "
                f"(optioneel: {', '.join(OPTIONAL)})",
            )
    data: dict[str, Any] = _read_keys(sheets["case"], "case", bron)
    for key in ("naam", "jaar"):
        if key not in data:
            raise CaseError(bron, f"case.{key}", "ontbreekt; vul op blad case een waarde in")
    data["kader"] = _read_keys(sheets["kader"], "kader", bron)
    data["marktordening"] = _read_keys(sheets["marktordening"], "marktordening", bron)
    rijen: dict[str, list[int]] = {}
    for sheet, (place, _, _) in TABLES.items():
        if sheet in sheets:
            rows, rijen[sheet] = _read_rows(sheets[sheet], sheet, bron)
            group, _, table = place.rpartition(".")
            if sheet == "varianten":
                rows = {r.pop("naam", f"rij {i + 1}"): r for i, r in enumerate(rows)}
            (data.setdefault(group, {}) if group else data)[table] = rows
    if _MATRIX in sheets:
        matrix = _read_matrix(sheets[_MATRIX], bron)
        data["kader"].setdefault("correlatie", {})["matrix"] = matrix
    return data, rijen


def read_workbook(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a case workbook into the plain data the YAML reader gives (list-of-rows form).

    The data is also validated here, so that errors name the sheet and the Excel row.

    Raises
    ------
    CaseError
        Not an .xlsx workbook, a missing sheet or column, an unknown column or key, or any
        error in the case itself (``file: sheet[Excel-rij n].column: ...``).
    """
    from plafond.cases.load import case_from_dict

    bron = str(path)
    controleer_zip(path, bron)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any failure to open means: not a usable workbook
        raise CaseError(
            bron, "", f"geen geldig Excel-bestand ({type(exc).__name__}); sla op als .xlsx-werkmap"
        ) from None
    try:
        data, rijen = _lees_bladen(wb, bron)
    except CaseError:
        raise
    except Exception as exc:  # a broken sheet: truncated XML, bad reference, bad cell
        raise CaseError(
            bron,
            "",
            f"een blad kan niet gelezen worden ({type(exc).__name__}); het bestand is "
            "beschadigd: open het in Excel en sla het opnieuw op als .xlsx",
        ) from None
    finally:
        wb.close()
    try:
        case_from_dict(data, bron)
    except CaseError as exc:
        raise CaseError(bron, *_excel_plaats(exc.plaats, exc.melding, rijen)) from None
    return data


def tekst_getallen(path: str | os.PathLike[str]) -> list[tuple[str, str, float]]:
    """The text cells that :func:`read_workbook` reads as numbers (``7,5%`` → 0.075).

    Returns (place ``sheet[Excel-rij n].column`` or ``sheet.key``, the text, the number),
    so ``plafond validate`` can show the user what was understood.
    """
    wb = load_workbook(path, read_only=True, data_only=True)
    uit: list[tuple[str, str, float]] = []
    try:
        for name in wb.sheetnames:
            sheet = name.strip().lower()
            rows = list(wb[name].iter_rows(values_only=True))
            if not rows or (sheet not in TABLES and sheet not in KEY_SHEETS):
                continue
            names = [str(h).strip() if h is not None else "" for h in rows[0]]
            for r, cells in enumerate(rows[1:], start=2):
                for j, cell in enumerate(cells[: len(names)]):
                    column = names[j]
                    if sheet in KEY_SHEETS:
                        if column != "waarde" or "sleutel" not in names:
                            continue
                        column = str(cells[names.index("sleutel")] or "").strip()
                        plaats = f"{sheet}.{column}"
                    else:
                        plaats = f"{sheet}[Excel-rij {r}].{column}"
                    if isinstance(cell, str) and column:
                        waarde = _value(cell, column)
                        if isinstance(waarde, float):
                            uit.append((plaats, cell, waarde))
    finally:
        wb.close()
    return uit


_RENAME = {
    "kader.opslagen": "opslagen",
    "kader.overige_uitgaven": "overige_uitgaven",
    "marktordening.minimum_bedrag": "minimum_bedrag",
    "kader.uitsluitingen": "uitsluitingen",
    "kader.reeds_betaald": "reeds_betaald",
    "kader.plafonds": "plafonds",
    "kader.correlatie.matrix": _MATRIX,
    "levering.overige": "levering",
}


def _excel_plaats(plaats: str, melding: str, rijen: dict[str, list[int]]) -> tuple[str, str]:
    """Rename a schema location to sheet, Excel row and column: ``historie[Excel-rij 4].omzet``."""
    for old, new in _RENAME.items():
        if plaats == old or plaats.startswith((old + "[", old + ".")):
            plaats = new + plaats[len(old) :]
            break
    else:
        if re.split(r"[.\[]", plaats)[0] in KEY_SHEETS["case"][1]:
            plaats = "case." + plaats
    numbers = rijen.get(re.split(r"[.\[]", plaats)[0], [])

    def excel(match: re.Match) -> str:
        n = int(match[2])
        return f"{match[1]}Excel-rij {numbers[n - 1]}" if 0 < n <= len(numbers) else match[0]

    plaats = re.sub(r"(\[)rij (\d+)", excel, plaats)
    melding = re.sub(r"(\b)rij (\d+)", excel, melding)
    for nested in (*_NESTED, "capaciteit"):
        plaats = plaats.replace(f".{nested}.", f".{nested}_")
    return plaats, melding
