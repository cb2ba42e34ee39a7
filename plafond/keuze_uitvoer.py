"""Writing the decision tools' results: .json, .csv, .xlsx (tables and the plot), .html.

One writer for the frontier, the rule's design and the sweep's small outputs. Files are
written atomically (:func:`cases.files.atomic_write`): a failed run leaves none.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plafond.cases.files import atomic_write, safe_cell
from plafond.xlsx import Tabel, schrijf_werkboek

if TYPE_CHECKING:
    from matplotlib.figure import Figure

UITVOER = (".json", ".csv", ".xlsx", ".html")


def _png(fig: Figure, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _xlsx(tmp: Path, bladen: Mapping[str, Tabel], fig: Figure | None) -> None:
    schrijf_werkboek(tmp, bladen)
    if fig is None:
        return
    from openpyxl import load_workbook
    from openpyxl.drawing.image import Image

    wb = load_workbook(tmp)
    ws = wb.create_sheet("grafiek")
    ws.add_image(Image(io.BytesIO(_png(fig))), "A1")
    wb.save(tmp)


def _html(titel: str, kop: str, bladen: Mapping[str, Tabel], fig: Figure | None) -> str:
    import base64

    from plafond.report.html import tabel_html

    delen = [
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(titel)}</title><style>body{{font-family:sans-serif;margin:1em}}"
        "table{border-collapse:collapse;font-size:.85em}td,th{padding:2px 6px;"
        "border-bottom:1px solid #ddd}td.g{text-align:right}.s{overflow-x:auto}"
        "img{max-width:100%}</style></head><body>",
        f"<h1>{html.escape(titel)}</h1><p>{html.escape(kop)}</p>",
    ]
    if fig is not None:
        src = "data:image/png;base64," + base64.b64encode(_png(fig)).decode("ascii")
        delen.append(f"<img alt='{html.escape(titel)}' src='{src}'>")
    for naam, t in bladen.items():
        d = tabel_html(t)
        kop_ = "".join(f"<th>{html.escape(k)}</th>" for k in d["kop"])
        rijen = "".join(
            "<tr>"
            + "".join(
                f"<td class='{'g' if d['getallen'][j] else ''}'>{html.escape(v)}</td>"
                for j, v in enumerate(r)
            )
            + "</tr>"
            for r in d["rijen"]
        )
        delen.append(
            f"<h2>{html.escape(naam)}</h2><div class='s'><table><thead><tr>{kop_}</tr>"
            f"</thead><tbody>{rijen}</tbody></table></div>"
        )
    delen.append("</body></html>")
    return "".join(delen)


def schrijf(
    pad: Path,
    *,
    document: Mapping[str, Any],
    bladen: Mapping[str, Tabel],
    figuur: Figure | None = None,
    titel: str = "",
    kop: str = "",
) -> Path:
    """Write ``pad`` by its suffix: the JSON ``document``, the first table as CSV, the tables
    (and the figure, on a sheet ``grafiek``) as a workbook, or one self-contained HTML page.
    """
    suffix = pad.suffix.lower()

    def schrijf_json(tmp: Path) -> None:
        tekst = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
        tmp.write_text(tekst, encoding="utf-8")

    def schrijf_csv(tmp: Path) -> None:
        frame = next(iter(bladen.values())).frame
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(frame.columns)
            for rij in frame.itertuples(index=False):
                w.writerow([safe_cell(v) for v in rij])

    schrijvers = {
        ".json": schrijf_json,
        ".csv": schrijf_csv,
        ".xlsx": lambda tmp: _xlsx(tmp, bladen, figuur),
        ".html": lambda tmp: tmp.write_text(_html(titel, kop, bladen, figuur), encoding="utf-8"),
    }
    return atomic_write(pad, schrijvers[suffix])
