"""The report as one self-contained HTML file: Jinja2 template, plots as SVG data URIs.

No external resources (no fonts, scripts or images from elsewhere), readable on a phone
(tables scroll sideways; each plot also drawn narrow, so its text stays readable at 390
px) and printable (every detail opened, wide tables wrapped). Autoescape is on: case text
is untrusted.
"""

from __future__ import annotations

import base64
import io
import math
from pathlib import Path
from typing import Any

import jinja2
import matplotlib
import pandas as pd
from matplotlib.figure import Figure

import plafond
from plafond import plots
from plafond.cases.files import atomic_write
from plafond.fmt import euro, getal, procent
from plafond.report.inhoud import ANDEREN, PARTNER_KOLOMMEN, groep_zichtbaar
from plafond.report.maak import Rapport
from plafond.report.partner import vrije_tekst
from plafond.report.tabellen import TITELS, bladen, figuurdata
from plafond.xlsx import Tabel

#: Figures, in order: (key, title, caption).
FIGUREN = (
    (
        "waterval",
        "Van plafond naar lumpsum en overige uitgaven",
        "Het budgetplafond A, min de lumpsum van elke partner (samen B), laat het budget "
        "voor de overige aanbieders en PGB: C = A − B.",
    ),
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
        "Verwachte terugvordering per partner (ruit); de streep loopt van 0 tot het 95e "
        "percentiel.",
    ),
    ("heatmap", "Verdeling", "Bedrag per gebied en aanbieder, opgeteld over de producten."),
    (
        "tornado",
        "Gevoeligheid",
        "Verwachte overschrijding als één invoer laag (p10) of hoog (p90) is; "
        "dezelfde scenario's in elke run.",
    ),
)
#: Width (inches) of the narrow drawing of each plot, shown on screens up to 600 px.
SMAL = 4.6
#: SVG without a date and with fixed ids, so the same report gives the same bytes.
_SVG = {"svg.fonttype": "none", "svg.hashsalt": "plafond"}


def svg_data(fig: Figure) -> str:
    """A figure as a ``data:image/svg+xml;base64,...`` URI (text kept as text)."""
    buf = io.BytesIO()
    with matplotlib.rc_context(_SVG):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def png_data(fig: Figure, dpi: int = 110) -> str:
    """A figure as a ``data:image/png;base64,...`` URI."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def breed_en_smal(fig: Figure) -> tuple[str, str]:
    """The figure as SVG at its own size, and redrawn :data:`SMAL` inches wide for phones.

    Fonts keep their point size, so in the narrow drawing they are large relative to the
    width: 10 pt on 4,6 inch is about 12 px on a 390 px screen (5 px from an 8 inch one).
    """
    breed = svg_data(fig)
    b, h = fig.get_size_inches()
    smal = max(SMAL, 0.55 * b)  # a wide heatmap keeps room for its columns
    fig.set_size_inches(smal, max(h * 0.9, 3.2))
    return breed, svg_data(fig)


def _label(r: Rapport) -> dict[str, str]:
    """Aanbieder id → "naam (id)", or the id where there is no naam."""
    return {a.id: f"{a.naam} ({a.id})" if a.naam.strip() else a.id for a in r.case.aanbieders}


def waterval_data(r: Rapport) -> pd.Series:
    """Lumpsum per partner (euro) by label; a partner pack: the partner and the others."""
    lumpsum = r.simulatie.terugvordering["lumpsum"].astype(float)
    if r.partner is not None:
        eigen = lumpsum.loc[[r.partner]]
        lumpsum = pd.concat([eigen, pd.Series({ANDEREN: lumpsum.drop(r.partner).sum()})])
    return lumpsum.rename(index=_label(r))


def tornado_label(r: Rapport) -> str | None:
    """The tornado's axis label: its basis, and the headline's figure when they differ."""
    if r.gevoeligheid.empty:
        return None
    basis = float(r.gevoeligheid["basis"].iloc[0])
    s = r.simulatie
    if r.gevoeligheid_n == s.scenarios:
        return f"verwachte overschrijding (basis {euro(basis, 0)}, als de kerncijfers)"
    return (
        f"verwachte overschrijding; basis {euro(basis, 0)} uit {getal(r.gevoeligheid_n, 0)} "
        f"scenario's (kerncijfers: {euro(s.verwachte_overschrijding, 0)} uit "
        f"{getal(s.scenarios, 0)})"
    )


def figuren(r: Rapport) -> dict[str, Figure]:
    """The plots of the report (partner pack applied to their labels; partners by name).

    Without a sensitivity analysis (``gevoeligheid=False``) there is no tornado.
    """
    data = figuurdata(r)
    label = _label(r)
    uit = {
        "waterval": plots.waterval(r.simulatie.plafond, waterval_data(r)),
        "histogram": plots.histogram(r.simulatie),
        "curve": plots.overschrijdingscurve(r.simulatie),
        "terugvordering": plots.terugvordering(data["terugvordering"].rename(index=label)),
        "heatmap": plots.heatmap(data["heatmap"].rename(columns=label)),
    }
    if r.partner is not None and not groep_zichtbaar(r):
        del uit["waterval"]  # the group would be one partner: no split of B is shown
    if not r.gevoeligheid.empty:
        uit["tornado"] = plots.tornado(data["tornado"], tornado_label(r))
    return uit


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
    return {
        "kop": [str(k) for k in frame.columns],
        "rijen": rijen,
        "getallen": getallen,
        "titel": t.titel,
    }


def _omgeving() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("plafond", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def splits_partners(t: Tabel) -> list[Tabel]:
    """The partner table as two: terugvordering and exploitatie (each with aanbieder, naam).

    Twelve columns do not fit a 1.280 px screen or a portrait page; two tables of six to
    eight do.
    """
    sleutel = ["aanbieder", "naam"]
    if "aanbieder" not in t.frame.columns:  # the cooperaties table: small, kept whole
        return [t]
    delen = []
    for bron, titel in (("t.", "terugvordering"), ("e.", "exploitatie")):
        kolommen = [k for k, b, _ in PARTNER_KOLOMMEN if b.startswith(bron)]
        if bron == "e.":
            kolommen = ["lumpsum", *kolommen]
        frame = t.frame[[*sleutel, *kolommen]]
        formaten = {k: v for k, v in t.formaten.items() if k in kolommen}
        delen.append(Tabel(frame, formaten, titel=titel))
    return delen


def render_html(r: Rapport) -> str:
    """The report as HTML text."""
    alle = dict(bladen(r))
    alle["partners"] = [d for t in alle["partners"] for d in splits_partners(t)]
    secties = [
        {"id": naam, "titel": TITELS[naam], "tabellen": [tabel_html(t) for t in alle[naam]]}
        for naam in TITELS
        if naam in alle and (naam != "gevoeligheid" or not r.gevoeligheid.empty)
    ]
    with matplotlib.rc_context({"text.parse_math": False}):  # case text: never mathtext
        figs = figuren(r)
        plaatjes = []
        for k, titel, uitleg in FIGUREN:
            if k in figs:
                breed, smal = breed_en_smal(figs[k])
                plaatjes.append(
                    {"id": k, "titel": titel, "uitleg": uitleg, "src": breed, "smal": smal}
                )
    tekst = {"bron": r.case.bron, "toelichting": r.case.toelichting}
    if r.partner is not None:  # free text that names another partner is left out
        tekst = {k: vrije_tekst(v, r.case, r.partner) for k, v in tekst.items()}
    return (
        _omgeving()
        .get_template("rapport.html.j2")
        .render(
            case=r.case,
            tekst=tekst,
            partner=r.partner,
            groep=groep_zichtbaar(r),
            kern={"a": round(r.simulatie.plafond), "b": round(r.simulatie.lumpsum)},  # C = A − B
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
