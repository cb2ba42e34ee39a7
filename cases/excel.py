"""Excel workbooks as case files: one sheet per table, key/value sheets for the scalars.

:func:`read_workbook` turns a workbook into exactly the plain data the YAML reader gives, so
:func:`cases.load.case_from_dict` builds an identical Case; errors name the sheet, column
and Excel row (``historie[Excel-rij 4].omzet``). :func:`write_workbook` writes a Case back
(atomically; text through :func:`cases.files.safe_cell`, so nothing becomes a formula) and
:func:`write_template` writes a worked example plus a sheet ``uitleg`` describing each column.

Layout (headers in row 1; an empty cell means "not given", so the default applies):

- ``case``, ``kader``, ``marktordening``: columns ``sleutel`` and ``waarde``; nested keys are
  dotted (``risicodeling.drempel``); the weight per partner is ``risicodeling.sleutel.<id>``;
  the price shock, a distribution, is one key per parameter (``prijsschok.verdeling``,
  ``prijsschok.gemiddelde``, ``prijsschok.sd``, …; all empty: no shock).
- a sheet per table, headers = the schema's field names; ``aanbieders`` has a column
  ``capaciteit_<PRODUCT>`` per product; ``vraag`` flattens its distributions into
  ``clienten_<param>`` and ``volume_per_client_<param>``; ``waarden`` (empirisch) is text
  ``"1; 2; 3"``. Sheets ``werkgebied`` and ``minimum_bedrag`` are optional.
- optional sheet ``cooperaties``: columns ``id``, ``naam``, ``sleutel`` (``lumpsum``, or
  empty with one column ``sleutel_<lid>`` per lid holding its fraction); the leden name
  their cooperatie in the column ``cooperatie`` of ``aanbieders``.
- optional sheet ``correlatie``: the matrix, first column ``gebied``, a column per gebied.

Cells are read as stored values (``data_only``): formulas are never evaluated, and a formula
without a cached value (a file never opened in Excel) reads as empty.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from plafond.cases.errors import CaseError
from plafond.cases.files import _FORMULA_START
from plafond.cases.getallen import lees_getal
from plafond.cases.levering import Gewichten, OverigeLevering, Variant
from plafond.cases.schema import (
    Aanbieder,
    Case,
    Cooperatie,
    Correlatie,
    Gebied,
    Historie,
    Jaren,
    Kader,
    Marktordening,
    MinimumBedrag,
    Opslag,
    OverigeUitgave,
    PotPlafond,
    Product,
    ReedsBetaald,
    Risicodeling,
    Tarief,
    Uitsluiting,
    Vraag,
    Werkgebied,
)
from plafond.cases.verdeling import Verdeling
from pydantic import BaseModel

_PARAMS = list(Verdeling.model_fields)
#: The price shock's keys on sheet kader (``prijsschok.<param>``); a shock takes sd, not cv.
_SCHOK = "prijsschok."
_SCHOK_PARAMS = [p for p in _PARAMS if p != "cv"]
_NESTED = ("clienten", "volume_per_client")
_SLEUTEL = "risicodeling.sleutel."
_MATRIX = "correlatie"
EURO_FORMAT = '"€" #,##0.00'
REFERENTIE = "maastricht-heuvelland-2022"


def _fields(model: type[BaseModel], *skip: str) -> list[str]:
    return [f for f in model.model_fields if f not in skip]


#: Table sheets: sheet → (place in the case data, row model, columns in order).
TABLES: dict[str, tuple[str, type[BaseModel], list[str]]] = {
    "producten": ("producten", Product, _fields(Product)),
    "gebieden": ("gebieden", Gebied, _fields(Gebied)),
    "aanbieders": ("aanbieders", Aanbieder, _fields(Aanbieder, "capaciteit")),
    "cooperaties": ("cooperaties", Cooperatie, _fields(Cooperatie)),
    "tarieven": ("tarieven", Tarief, _fields(Tarief)),
    "historie": ("historie", Historie, _fields(Historie)),
    "vraag": (
        "vraag",
        Vraag,
        ["gebied", "product", *(f"{n}_{p}" for n in _NESTED for p in _PARAMS)],
    ),
    "werkgebied": ("werkgebied", Werkgebied, _fields(Werkgebied)),
    "opslagen": ("kader.opslagen", Opslag, _fields(Opslag)),
    "overige_uitgaven": ("kader.overige_uitgaven", OverigeUitgave, ["gebied", "product", *_PARAMS]),
    "minimum_bedrag": ("marktordening.minimum_bedrag", MinimumBedrag, _fields(MinimumBedrag)),
    "uitsluitingen": ("kader.uitsluitingen", Uitsluiting, _fields(Uitsluiting)),
    "reeds_betaald": ("kader.reeds_betaald", ReedsBetaald, _fields(ReedsBetaald)),
    "plafonds": ("kader.plafonds", PotPlafond, _fields(PotPlafond)),
    "levering": (
        "levering.overige",
        OverigeLevering,
        [
            "product",
            "gebied",
            *(f"aandeel_{p}" for p in _PARAMS),
            "tarief_zin",
            "tarief_pgb",
            "aandeel_pgb",
        ],
    ),  # fmt: skip
    "varianten": (
        "varianten",
        Variant,
        [
            "naam",
            *_fields(Variant, "gewichten"),
            *(f"gewichten_{g}" for g in Gewichten.model_fields),
        ],
    ),
}
#: Key/value sheets: sheet → (model, keys in order).
KEY_SHEETS: dict[str, tuple[type[BaseModel], list[str]]] = {
    "case": (Case, ["naam", "jaar", "bron", "toelichting", "levering.bij_capaciteit"]),
    "kader": (
        Kader,
        [
            *_fields(
                Kader,
                "prijsschok",
                "opslagen",
                "overige_uitgaven",
                "correlatie",
                "risicodeling",
                "uitsluitingen",
                "reeds_betaald",
                "plafonds",
                "jaren",
                "seizoen",
            ),
            *(f"{_SCHOK}{p}" for p in _SCHOK_PARAMS),
            *(f"correlatie.{f}" for f in _fields(Correlatie, "matrix")),
            *(f"risicodeling.{f}" for f in _fields(Risicodeling, "sleutel")),
            *(f"jaren.{f}" for f in _fields(Jaren, "groei")),
            *(f"jaren.groei.{p}" for p in _SCHOK_PARAMS),
        ],
    ),
    "marktordening": (Marktordening, _fields(Marktordening, "minimum_bedrag")),
}
#: Sheets in workbook order.
SHEETS = ["case", "producten", "gebieden", "aanbieders", "cooperaties", "tarieven", "historie",
          "vraag",
          "werkgebied", "kader", "opslagen", "overige_uitgaven", "marktordening",
          "minimum_bedrag", "uitsluitingen", "reeds_betaald", "plafonds", "levering",
          "varianten"]  # fmt: skip
OPTIONAL = ("werkgebied", "minimum_bedrag", _MATRIX, "uitsluitingen", "reeds_betaald",
            "plafonds", "levering", "varianten", "cooperaties")  # fmt: skip
REQUIRED_SHEETS = [s for s in SHEETS if s not in OPTIONAL]
#: Sheets that are read by nobody and allowed: the template's explanation.
UITLEG = ("uitleg",)
#: Limits checked before or while parsing (a workbook is a zip of XML files).
MAX_UITGEPAKT = 200_000_000  # bytes, all members of the zip together, uncompressed
MAX_LEDEN = 10_000  # members of the zip
MAX_RIJEN = 1_000_000  # rows of one sheet (Excel's own limit is 1.048.576)
MAX_KOLOMMEN = 1_000  # columns with a value in one row
_EURO = {
    "historie": {"omzet"},
    "opslagen": {"bedrag"},
    "minimum_bedrag": {"bedrag"},
    "reeds_betaald": {"bedrag"},
    "plafonds": {"plafond"},
    "tarieven": {"tarief", "cao_uurloon", "reiskosten"},
    "kader": {"plafond"},
    "overige_uitgaven": {"gemiddelde", "sd", "min", "modus", "max"},
    "levering": {"tarief_zin", "tarief_pgb"},
    "varianten": {"totaal"},
}
_CODES = {"id", "rol", "product", "aanbieder", "gebied", "verdeling", "verdeelsleutel",
          "drempel_soort", "cooperatie"}  # fmt: skip
#: Prefix of the columns with a lid's fraction on sheet cooperaties.
_LID = "sleutel_"
_TEXT = _CODES | {"naam", "eenheid", "gemeente", "bron", "toelichting", "omschrijving"}
_BOOL = {"ja": True, "nee": False, "waar": True, "onwaar": False, "true": True, "false": False}
_BOOL_LEAVES = {"overige_dekken", "indexeren", "taakstelling_toepassen", "evaluatie", "overloop"}
_EMPTY = object()


#: The yearly paths on sheet kader (a number, or values separated by ';').
_PADEN = ("jaren.indexatie", "jaren.nacalculatie", "jaren.taakstelling")


def _leaf(column: str) -> str:
    """The schema field behind a column or key: ``clienten_cv`` → ``cv``."""
    if column in _PADEN:
        return "waarden"  # a yearly path: a number or a list "0.02; 0.03"
    for prefix in (*(f"{n}_" for n in _NESTED), _SCHOK, "correlatie.", "risicodeling.",
                   "jaren.groei.", "jaren.", "aandeel_", "gewichten_"):  # fmt: skip
        if column.startswith(prefix):
            return column[len(prefix) :]
    return column


def _capaciteit(name: str) -> bool:
    return name.startswith("capaciteit_") and len(name) > len("capaciteit_")


def _lid_kolom(name: str) -> bool:
    return name.startswith(_LID) and len(name) > len(_LID)


def required_columns(sheet: str) -> list[str]:
    """Columns a table sheet must have: the schema's required fields."""
    _, model, columns = TABLES[sheet]
    if sheet == "vraag":
        return ["gebied", "product", *(f"{n}_verdeling" for n in _NESTED)]
    if sheet == "varianten":
        return ["naam", "soort"]
    if sheet == "levering":
        return ["product"]
    return [c for c in columns if model.model_fields[c].is_required()]


# --- reading -------------------------------------------------------------------------------


def _number_text(value: float) -> str:
    """A number as text that reads back exactly: 3.0 → '3', 0.1 → '0.1'."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def _value(value: Any, column: str) -> Any:
    """A cell as plain data (``_EMPTY`` for none); raises ValueError with a Dutch hint."""
    leaf = _leaf(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return _EMPTY
    if isinstance(value, str):
        if value[:1] == "'" and value[1:2] and value[1] in _FORMULA_START:
            value = value[1:]  # neutralised by safe_cell when written
        if leaf in _CODES:
            value = value.strip()
        if leaf in _BOOL_LEAVES and value.strip().lower() in _BOOL:
            return _BOOL[value.strip().lower()]
        lijst = leaf in ("waarden", "grenzen", "tarieven")
        if leaf not in _TEXT and not lijst and lees_getal(value) is not None:
            return lees_getal(value)  # a number typed as text: 7,5% or 0,0387
    elif leaf in _TEXT and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_text(value)
    if leaf in ("waarden", "grenzen", "tarieven"):
        parts = [p.strip() for p in value.split(";")] if isinstance(value, str) else [value]
        try:
            return [float(p) for p in parts if p != ""]
        except ValueError:
            raise ValueError(
                f"{value!r} is geen lijst van getallen; schrijf de waarnemingen met een punt "
                "als decimaalteken, gescheiden door ';' (bijv. 1.5; 2; 3)"
            ) from None
    return value


def _rijen(ws: Worksheet, sheet: str, bron: str) -> Iterator[tuple]:
    """The rows of a sheet as values, trailing empty cells dropped, within the limits.

    The sheet's declared dimension is ignored (a forged ``A1:XFD1048576`` would make every
    row sixteen thousand cells wide and a million rows long); a value past column
    :data:`MAX_KOLOMMEN` or a row past :data:`MAX_RIJEN` is refused.
    """
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows = ws.iter_rows(values_only=True)
    r = 0
    while True:
        try:
            cells = next(rows, None)
        except Exception as exc:  # truncated XML, a bad reference, a broken cell
            raise CaseError(
                bron,
                f"{sheet}[Excel-rij {r + 1}]" if r else sheet,
                f"blad kan niet gelezen worden ({type(exc).__name__}); het bestand is "
                "beschadigd: open het in Excel en sla het opnieuw op als .xlsx",
            ) from None
        if cells is None:
            return
        r += 1
        if r > MAX_RIJEN:
            raise CaseError(
                bron,
                sheet,
                f"meer dan {MAX_RIJEN:_} rijen; toegestaan: hoogstens {MAX_RIJEN:_}".replace(
                    "_", "."
                ),
            )
        cells = tuple(cells)
        if cells.count(None) == len(cells):  # an empty row (fast: gaps come as many of them)
            yield ()
            continue
        einde = len(cells)
        while einde and cells[einde - 1] is None:
            einde -= 1
        if einde > MAX_KOLOMMEN:
            raise CaseError(
                bron,
                f"{sheet}[Excel-rij {r}]",
                f"waarde voorbij kolom {MAX_KOLOMMEN}; toegestaan: hoogstens {MAX_KOLOMMEN} "
                "kolommen",
            )
        yield cells[:einde]


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


def controleer_zip(path: str | os.PathLike[str], bron: str) -> None:
    """Refuse a workbook that is no zip, has too many members or inflates too far.

    Checked on the zip's directory before any XML is parsed, so a 1 MB file that would
    inflate to gigabytes is refused without being inflated.
    """
    try:
        with zipfile.ZipFile(path) as z:
            leden = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CaseError(
            bron, "", f"geen geldig Excel-bestand ({type(exc).__name__}); sla op als .xlsx-werkmap"
        ) from None
    if len(leden) > MAX_LEDEN:
        raise CaseError(bron, "", f"meer dan {MAX_LEDEN} onderdelen in de werkmap")
    uitgepakt = sum(info.file_size for info in leden)
    if uitgepakt > MAX_UITGEPAKT:
        raise CaseError(
            bron,
            "",
            f"de werkmap pakt uit tot {uitgepakt / 1e6:.0f} MB; toegestaan: hoogstens "
            f"{MAX_UITGEPAKT // 1_000_000} MB",
        )


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
