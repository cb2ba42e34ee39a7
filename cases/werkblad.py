"""Sheet layout shared by every workbook plafond writes: column widths and page setup.

Both writers (:mod:`cases.excel_schrijven` for case workbooks, :mod:`plafond.xlsx` for results)
size each column to the text Excel will *show* — the number as its format renders it in a
Dutch Excel (``€ 2.075.515,25``, ``7,50%``), not ``str(value)`` — so no cell shows ``###``,
and give every sheet a page setup: A4, landscape when the sheet is wide, fit to one page
wide, the header row repeated on every page, a footer with the case, the date and the page.
"""

from __future__ import annotations

import math
import re
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

#: Narrowest and widest column, in characters.
MIN_BREEDTE, MAX_BREEDTE = 8, 60
#: Room beside the text (cell padding, bold headers, a filter arrow), in characters.
MARGE = 3
#: Sheets whose columns add up to more than this many characters print in landscape.
LIGGEND_VANAF = 95


def weergave(waarde: Any, formaat: str | None) -> str:
    """The text a Dutch Excel shows for ``waarde`` under number format ``formaat``.

    Handles the formats plafond writes: an optional euro prefix (``"€"`` or ``[$€-413]``),
    ``#,##0`` grouping, a fixed number of decimals, a trailing ``%``; text and General
    numbers as they are.
    """
    if waarde is None:
        return ""
    if isinstance(waarde, bool) or not isinstance(waarde, int | float):
        return str(waarde)
    if not formaat or formaat in ("General", "@") or not math.isfinite(waarde):
        return str(waarde).replace(".", ",")
    deel = formaat.split(";")[0]
    decimalen = len(m[1]) if (m := re.search(r"\.(0+)", deel)) else 0
    x = float(waarde) * (100 if "%" in deel else 1)
    tekst = f"{abs(x):,.{decimalen}f}" if "," in deel else f"{abs(x):.{decimalen}f}"
    tekst = tekst.replace(",", "_").replace(".", ",").replace("_", ".")
    if "%" in deel:
        tekst += "%"
    if "€" in deel:
        tekst = "€ " + tekst
    return ("-" if x < 0 and float(f"{abs(x):.{decimalen}f}") != 0 else "") + tekst


def cel_breedte(cel: Cell) -> int:
    """Characters needed to show ``cel`` (its value under its number format)."""
    tekst = weergave(cel.value, cel.number_format)
    return max((len(regel) for regel in tekst.splitlines()), default=0)


def pas_breedtes_aan(ws: Worksheet, *, minimum: int = MIN_BREEDTE) -> None:
    """Set every used column wide enough for its widest shown value (at most 60).

    A header of several words (row 1) wraps, so it needs only its longest word (or 14
    characters); its cells get ``wrap_text``.
    """
    for j, kolom in enumerate(ws.iter_cols(), start=1):
        kop, *rest = kolom
        nodig = max((cel_breedte(c) for c in rest), default=0)
        tekst = "" if kop.value is None else str(kop.value)
        if " " in tekst:
            kop.alignment = Alignment(wrap_text=True, vertical="top")
            nodig = max(nodig, min(len(tekst), max(14, *(len(w) for w in tekst.split()))))
        else:
            nodig = max(nodig, len(tekst))
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = min(MAX_BREEDTE, max(minimum, nodig + MARGE))


def pagina_opmaak(ws: Worksheet, case: str | None = None) -> None:
    """Page setup for printing: A4, fit to one page wide, header row on every page.

    Landscape when the columns together are wider than :data:`LIGGEND_VANAF` characters.
    The footer holds the case (left), the print date (centre) and "pagina n van m" (right).
    """
    breedte = sum(
        (ws.column_dimensions[get_column_letter(j)].width or 8.43)
        for j in range(1, (ws.max_column or 1) + 1)
    )
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if breedte > LIGGEND_VANAF else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.oddFooter.left.text = f"{case or ''} – {ws.title}".replace("&", "&&").strip(" –")
    ws.oddFooter.center.text = "&D"
    ws.oddFooter.right.text = "pagina &P van &N"
    for kant in ("left", "center", "right"):
        getattr(ws.oddFooter, kant).size = 8
