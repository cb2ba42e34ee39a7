"""The Excel template: :func:`write_template` writes the example case, dropdowns and ``uitleg``.

The example case and the description of every column are data, in
:mod:`cases.excel_voorbeeld`; this module writes them as a workbook (through
:mod:`cases.excel_schrijven` and the layout in :mod:`cases.excel_indeling`) and adds the
data validation: dropdowns and ranges (:func:`valideer`).
"""

from __future__ import annotations

import os
import typing
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.datavalidation import DataValidation
from plafond.cases.excel_indeling import KEY_SHEETS, TABLES
from plafond.cases.excel_schrijven import _build, _sheet
from plafond.cases.excel_voorbeeld import HINT_FRACTIE, uitleg, voorbeeld
from plafond.cases.files import atomic_write
from plafond.cases.verdeling import VerdelingNaam
from plafond.cases.werkblad import pagina_opmaak


def write_template(path: str | os.PathLike[str]) -> Path:
    """Write an Excel case to fill in: an example row per sheet and a first sheet ``uitleg``.

    Every sheet gets data validation (:func:`valideer`) and a page setup for printing.
    """
    wb = _build(voorbeeld())
    valideer(wb)
    ws = _sheet(wb, "uitleg", ["blad", "kolom", "eenheid", "standaard", "betekenis"], uitleg())
    ws.column_dimensions["E"].width = 100
    for cell in ws["E"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    pagina_opmaak(ws, "sjabloon")
    wb.move_sheet("uitleg", offset=-(len(wb.sheetnames) - 1))
    wb.active = 0
    return atomic_write(path, wb.save)


# --- data validation: dropdowns and ranges -------------------------------------------------

#: Rows a validation covers (the header is row 1).
RIJEN = 1000
#: Code columns that refer to an id on another sheet: column → that sheet.
VERWIJZING = {"product": "producten", "gebied": "gebieden", "aanbieder": "aanbieders"}
#: Columns (table sheets) and keys (key/value sheets) that take a fraction: → (min, max).
FRACTIES: dict[str, tuple[float, float]] = {
    **dict.fromkeys(["aandeel_75plus", "aandeel_85plus", "aandeel_laag_inkomen"], (0, 1)),
    **dict.fromkeys(
        ["toeslagen", "werkgeverslasten", "productiviteit", "overhead", "risico_opslag"], (0, 1)
    ),
    **dict.fromkeys(["indexatie", "taakstelling", "transitie_band"], (0, 1)),
    **{f"risicodeling.{k}": (0, 1) for k in ("aandeel_partners", "drempel", "maximum")},
    "risicodeling.onderschrijding": (0, 1),
    **{f"correlatie.{k}": (-1, 1) for k in ("binnen_gemeente", "tussen_gemeenten")},
    **dict.fromkeys(["cv", "clienten_cv", "volume_per_client_cv"], (0, 10)),
}


def keuzelijsten() -> dict[str, list[str]]:
    """Columns or keys with a fixed list of allowed values (the schema's Literals)."""
    verdelingen = list(typing.get_args(VerdelingNaam))
    schok = [v for v in verdelingen if v not in ("poisson", "negbin")]
    return {
        "rol": ["partner", "overig"],
        "verdeling": verdelingen,
        "clienten_verdeling": verdelingen,
        "volume_per_client_verdeling": verdelingen,
        "prijsschok.verdeling": schok,
        "risicodeling.verdeelsleutel": ["lumpsum", "sleutel", "gemeente"],
        "risicodeling.drempel_soort": ["franchise", "eigen_risico"],
        "overige_dekken": ["true", "false"],
    }


def _lijst(formule: str, titel: str, tekst: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=formule,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=titel,
        error=tekst,
        showInputMessage=True,
        promptTitle=titel,
        prompt=tekst,
    )


def _bereik(laag: float, hoog: float) -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="between",
        formula1=f"{laag:g}",
        formula2=f"{hoog:g}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="fractie",
        error=f"een getal van {laag:g} tot {hoog:g}; {HINT_FRACTIE}",
        showInputMessage=True,
        promptTitle="fractie",
        prompt=HINT_FRACTIE,
    )


def _validatie(naam: str) -> DataValidation | None:
    """The validation for a column or key ``naam``, or None."""
    lijst = keuzelijsten().get(naam)
    if lijst is not None:
        return _lijst('"' + ",".join(lijst) + '"', naam, "kies uit: " + ", ".join(lijst))
    if naam in VERWIJZING:
        blad = VERWIJZING[naam]
        return _lijst(f"={blad}!$A$2:$A${RIJEN}", naam, f"een id uit blad {blad}")
    if naam in FRACTIES:
        return _bereik(*FRACTIES[naam])
    return None


def valideer(wb: Workbook) -> None:
    """Add dropdowns and ranges to the case sheets of ``wb`` (rows 2 to :data:`RIJEN`).

    Lists for rol, verdeling, verdeelsleutel and drempel_soort; product, gebied and
    aanbieder pick an id from their own sheet; fractions must lie in their range, with the
    hint "schrijf 0,075 voor 7,5 %". On key/value sheets the value cell of a key is checked.
    """
    for ws in wb.worksheets:
        if ws.title in KEY_SHEETS:
            for rij in ws.iter_rows(min_row=2, max_col=1):
                dv = _validatie(str(rij[0].value))
                if dv is not None:
                    dv.add(f"B{rij[0].row}")
                    ws.add_data_validation(dv)
            continue
        if ws.title not in TABLES:
            continue
        for kop in ws[1]:
            naam = str(kop.value)
            dv = None if ws.title in VERWIJZING.values() and naam == "id" else _validatie(naam)
            if dv is not None:
                dv.add(f"{kop.column_letter}2:{kop.column_letter}{RIJEN}")
                ws.add_data_validation(dv)
