"""The report as one self-contained HTML file: Jinja2 template, plots as PNG data URIs.

No external resources (no fonts, scripts or images from elsewhere), readable on a phone
(tables scroll sideways, images scale) and printable. Autoescape is on: case text is
untrusted.
"""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path
from typing import Any

import jinja2
import matplotlib
from matplotlib.figure import Figure

import plafond
from plafond import plots
from plafond.cases.files import atomic_write
from plafond.fmt import euro, getal, procent
from plafond.report.maak import Rapport
from plafond.report.partner import vervang_tekst, vervangingen
from plafond.report.tabellen import TITELS, bladen, figuurdata
from plafond.xlsx import Tabel

#: Figures, in order: (key, title, caption).
FIGUREN = (
    (
        "histogram",
        "Uitgaven",
        "Verdeling van de totale uitgaven over de scenario's; rood: plafond A.",
    ),
    (
        "curve",
        "Overschrijdingskans per plafond",
        "Bij elk plafond de kans dat de uitgaven het overschrijden, met 95%-interval; "
        "de punten geven het plafond voor 10% en 5% kans.",
    ),
    (
        "terugvordering",
        "Terugvordering",
        "Verwachte terugvordering per partner; de streep loopt van 0 tot het 95e percentiel.",
    ),
    ("heatmap", "Verdeling", "Bedrag per gebied en aanbieder, opgeteld over de producten."),
    (
        "tornado",
        "Gevoeligheid",
        "Verwachte overschrijding als één invoer laag (p10) of hoog (p90) is; "
        "dezelfde scenario's in elke run.",
    ),
)


def png_data(fig: Figure, dpi: int = 110) -> str:
    """A figure as a ``data:image/png;base64,...`` URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def figuren(r: Rapport) -> dict[str, Figure]:
    """The five plots of the report (partner pack applied to their labels)."""
    data = figuurdata(r)
    return {
        "histogram": plots.histogram(r.simulatie),
        "curve": plots.overschrijdingscurve(r.simulatie),
        "terugvordering": plots.terugvordering(data["terugvordering"]),
        "heatmap": plots.heatmap(data["heatmap"]),
        "tornado": plots.tornado(r.gevoeligheid),
    }


def cel(v: Any, soort: str | None) -> str:
    """A cell as Dutch text: euro, percent or number by ``soort``; empty for missing."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v)
    if soort in ("euro", "euro0"):
        return euro(float(v), 0 if soort == "euro0" else 2)
    if soort in ("procent", "procent2"):
        return procent(float(v), 2 if soort == "procent2" else 1)
    if soort == "getal":
        return getal(float(v), 0)
    if soort == "fractie":
        return getal(float(v), 3)
    if isinstance(v, int):
        return str(v)
    return getal(float(v), 2)


def tabel_html(t: Tabel) -> dict[str, Any]:
    """Header, rows of formatted text, and which columns hold numbers (right-aligned)."""
    frame = t.frame
    soorten = []
    for k in frame.columns:
        s = t.formaten.get(k)
        soorten.append([s] * len(frame) if s is None or isinstance(s, str) else list(s))
    rijen = [
        [cel(v, soorten[j][i]) for j, v in enumerate(rij)]
        for i, rij in enumerate(frame.itertuples(index=False))
    ]
    getallen = [
        bool(len(frame)) and all(isinstance(v, int | float) or v is None for v in frame[k])
        for k in frame.columns
    ]
    return {"kop": [str(k) for k in frame.columns], "rijen": rijen, "getallen": getallen}


def _omgeving() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("plafond", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render_html(r: Rapport) -> str:
    """The report as HTML text."""
    alle = bladen(r)
    secties = [
        {"id": naam, "titel": TITELS[naam], "tabellen": [tabel_html(t) for t in alle[naam]]}
        for naam in TITELS
    ]
    with matplotlib.rc_context({"text.parse_math": False}):  # case text: never mathtext
        figs = figuren(r)
        plaatjes = [
            {"id": k, "titel": titel, "uitleg": uitleg, "src": png_data(figs[k])}
            for k, titel, uitleg in FIGUREN
        ]
    tekst = {"bron": r.case.bron, "toelichting": r.case.toelichting}
    if r.partner is not None:
        vervanging = vervangingen(r.case, r.partner)
        tekst = {k: vervang_tekst(v, vervanging) for k, v in tekst.items()}
    return (
        _omgeving()
        .get_template("rapport.html.j2")
        .render(
            case=r.case,
            tekst=tekst,
            partner=r.partner,
            res=r.simulatie,
            secties=secties,
            figuren=plaatjes,
            versie=plafond.__version__,
            euro=euro,
            procent=procent,
            getal=getal,
        )
    )


def schrijf_html(r: Rapport, pad: str | Path) -> Path:
    """Write the report to ``pad`` (.html) atomically: a failure leaves no file."""
    tekst = render_html(r)
    return atomic_write(pad, lambda tmp: tmp.write_text(tekst, encoding="utf-8"))
