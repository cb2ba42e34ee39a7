"""Tables to an Excel workbook the way a Dutch user expects: one writer for every command.

Every sheet holds one or more tables side by side (a blank column between them), each with
a bold header in row 1; the header row is frozen, widths follow the text Excel shows
(:mod:`cases.werkblad`: no ``###``), euro and percent columns get a number format (Excel
shows it with the reader's own separators, so a Dutch Excel shows € 1.234,56 and 7,5%), and
every sheet prints: fit to one page wide, header row repeated, case, date and page below.
Every text cell passes through :func:`cases.files.safe_cell`, so case text beginning with
=, +, -, @ is stored as text and never run as a formula.

Writing is at the edge: :func:`schrijf_werkboek` fills a path; callers wrap it in
:func:`cases.files.atomic_write`. The same tables give the same bytes: the timestamps of
``docProps/core.xml`` and the dates of the zip entries are fixed (:data:`VASTE_TIJD`), so a
rerun with the same input and seed writes an identical file.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from plafond.cases.files import safe_cell
from plafond.cases.werkblad import pagina_opmaak, pas_breedtes_aan

#: Number formats by kind. ``[$€-413]`` is the euro sign of the nl-NL locale.
FORMATEN: dict[str, str] = {
    "euro": "[$€-413] #,##0.00;[$€-413] -#,##0.00",
    "euro0": "[$€-413] #,##0;[$€-413] -#,##0",
    "procent": "0.0%",
    "procent2": "0.00%",
    "getal": "#,##0",
    "decimaal": "#,##0.00",
    "fractie": "0.0000",
    "tekst": "@",
}

#: The time stamped into every workbook (docProps and zip entries): the zip epoch, so the
#: file depends on its content only.
VASTE_TIJD = (1980, 1, 1, 0, 0, 0)
_W3CDTF = "1980-01-01T00:00:00Z"
_MAKER = "plafond"


@dataclass(frozen=True)
class Tabel:
    """One table of a sheet.

    Attributes
    ----------
    frame
        The rows; the index is not written (``reset_index()`` first to keep it).
    formaten
        Column name → a kind of :data:`FORMATEN` for the whole column, or a sequence of
        kinds (or None) with one entry per row, for columns that mix units.
    titel
        A caption above the table (the HTML report shows it; Excel does not).
    """

    frame: pd.DataFrame
    formaten: Mapping[str, str | Sequence[str | None]] = field(default_factory=dict)
    titel: str | None = None


def _waarde(v: Any) -> Any:
    """A cell value openpyxl can store: numpy scalars to Python, NaN to empty, text safe."""
    if v is None:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, bool | int | float):
        return v
    return safe_cell(str(v))


def _schrijf_tabel(ws: Any, tabel: Tabel, kolom0: int) -> int:
    """Write ``tabel`` with its header in row 1 from column ``kolom0``; returns its width."""
    frame = tabel.frame
    vet = Font(bold=True)
    for j, naam in enumerate(frame.columns):
        cel = ws.cell(row=1, column=kolom0 + j, value=_waarde(str(naam)))
        cel.font = vet
    for i, rij in enumerate(frame.itertuples(index=False), start=2):
        for j, v in enumerate(rij):
            ws.cell(row=i, column=kolom0 + j, value=_waarde(v))
    for j, naam in enumerate(frame.columns):
        soort = tabel.formaten.get(naam)
        if soort is None:
            continue
        soorten = [soort] * len(frame) if isinstance(soort, str) else list(soort)
        for i, s in enumerate(soorten, start=2):
            cel = ws.cell(row=i, column=kolom0 + j)
            if s is not None and not isinstance(cel.value, str):
                cel.number_format = FORMATEN[s]
    return len(frame.columns)


def schrijf_werkboek(
    pad: Path, bladen: Mapping[str, Tabel | Sequence[Tabel]], *, case: str | None = None
) -> None:
    """Write sheets (name → table, or tables side by side) to ``pad`` as .xlsx.

    Parameters
    ----------
    pad
        The file to write (use :func:`cases.files.atomic_write` around this call).
    bladen
        Sheet name (at most 31 characters) → :class:`Tabel` or a sequence of them.
    case
        The case's name, for the printed footer (with the date and the page number).
    """
    wb = Workbook()
    wb.remove(wb.active)
    for naam, inhoud in bladen.items():
        ws = wb.create_sheet(title=naam[:31])
        tabellen = [inhoud] if isinstance(inhoud, Tabel) else list(inhoud)
        kolom = 1
        for tabel in tabellen:
            kolom += _schrijf_tabel(ws, tabel, kolom) + 1
        ws.freeze_panes = "A2"
        pas_breedtes_aan(ws)
        pagina_opmaak(ws, case)
    wb.properties.creator = _MAKER
    buf = io.BytesIO()
    wb.save(buf)
    pad.write_bytes(vaste_zip(buf.getvalue()))


def vaste_zip(data: bytes) -> bytes:
    """An .xlsx whose bytes depend on its content only.

    The created/modified stamps of ``docProps/core.xml`` become :data:`VASTE_TIJD` and every
    zip entry gets that date and fixed attributes; entry order and content stay as written.
    """
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as bron, zipfile.ZipFile(uit, "w") as doel:
        for info in bron.infolist():
            inhoud = bron.read(info.filename)
            if info.filename == "docProps/core.xml":
                tekst = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rf"\g<1>{_W3CDTF}\g<3>",
                    inhoud.decode("utf-8"),
                )
                inhoud = tekst.encode("utf-8")
            vast = zipfile.ZipInfo(info.filename, date_time=VASTE_TIJD)
            vast.compress_type = zipfile.ZIP_DEFLATED
            vast.external_attr = 0o600 << 16
            doel.writestr(vast, inhoud)
    return uit.getvalue()
