"""All tables of a report, partner pack applied: what the Excel and HTML writers show."""

from __future__ import annotations

import pandas as pd

from plafond.report import inhoud
from plafond.report.aannames import aannames
from plafond.report.maak import Rapport
from plafond.xlsx import Tabel

#: Sheet names, in order, with the title the HTML report gives them.
TITELS = {
    "samenvatting": "Samenvatting",
    "allocatie": "Verdeling",
    "risico": "Risico: uitgaven en overschrijdingskans",
    "partners": "Partners: terugvordering en exploitatie",
    "tarieven": "Opbouw reële tarieven",
    "gevoeligheid": "Gevoeligheid",
    "bekostiging": "Bekostigingsvergelijking (zelfde scenario's)",
    "aannames": "Aannames en herhaalbaarheid",
}


def bladen(r: Rapport) -> dict[str, list[Tabel]]:
    """Sheet name → its tables (side by side in Excel, one after another in HTML)."""
    uit: dict[str, list[Tabel]] = {
        "samenvatting": [inhoud.samenvatting(r)],
        "allocatie": [inhoud.allocatie(r)],
        "risico": inhoud.risico(r),
        "partners": [inhoud.partners(r)],
        "tarieven": [inhoud.tarieven(r)],
        "gevoeligheid": [inhoud.gevoeligheid(r)],
        "aannames": [aannames(r)],
    }
    coop = inhoud.cooperaties(r)
    if coop is not None:
        uit["partners"].append(coop)
    if r.vergelijking is not None and (r.partner is None or inhoud.groep_zichtbaar(r)):
        geld = {k: "euro" for k in ("verwacht", "se", "sd", "p95", "cvar95", "sd_gemeente",
                                    "sd_aanbieders")}  # fmt: skip
        uit["bekostiging"] = [Tabel(r.vergelijking.reset_index(), geld | {
            "kans_boven_plafond": "procent2", "aandeel_gemeente": "procent"})]  # fmt: skip
    return uit


#: What the tornado plot draws: no input values, only their effect.
TORNADO_KOLOMMEN = ["invoer", "overschrijding_laag", "overschrijding_hoog", "basis"]


def figuurdata(r: Rapport) -> dict[str, pd.DataFrame]:
    """The tables behind the heatmap, terugvordering and tornado plots (partner pack applied)."""
    return {
        "heatmap": inhoud.heatmap(r),
        "terugvordering": inhoud.terugvordering_plot(r),
        "tornado": r.gevoeligheid[TORNADO_KOLOMMEN],
    }
