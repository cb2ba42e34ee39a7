"""The case workbook's layout and its cells: which sheets and columns, and reading them safely.

Excel workbooks as case files: one sheet per table, key/value sheets for the scalars. The
layout is shared by the reader (:mod:`cases.excel`), the writer (:mod:`cases.excel_schrijven`)
and the template (:mod:`cases.excel_template`): the sheets in workbook order (:data:`SHEETS`),
each table sheet's place in the case data, row model and columns (:data:`TABLES`), the
key/value sheets and their keys (:data:`KEY_SHEETS`), and the kind of value a column holds
(code, text, yes/no, a list of numbers).

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

The cells, below the sheets and within the limits (a workbook is a zip of XML files):
:func:`controleer_zip` checks the zip's directory before any XML is parsed, :func:`_rijen`
gives a sheet's rows as values (at most :data:`MAX_RIJEN` rows, values in at most
:data:`MAX_KOLOMMEN` columns) and :func:`_value` turns one cell into plain data.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from typing import Any

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
