"""The negotiation report: allocation and risk as an Excel workbook or one HTML file.

::

    from plafond.report import maak_rapport, schrijf_excel, schrijf_html
    r = maak_rapport(case, n=2**16, seed=1, partner="levanto")
    schrijf_excel(r, "levanto.xlsx")

Computing (:mod:`.maak`), tables (:mod:`.inhoud`, :mod:`.aannames`, :mod:`.tabellen`),
the partner pack (:mod:`.partner`) and the writers (:mod:`.excel`, :mod:`.html`) are
separate modules; the plots are in :mod:`plafond.plots`.
"""

from plafond.report.excel import schrijf_excel
from plafond.report.html import render_html, schrijf_html
from plafond.report.maak import ALLOCATIES, Rapport, maak_rapport, sha256_bestand
from plafond.report.tabellen import bladen

__all__ = [
    "ALLOCATIES",
    "Rapport",
    "bladen",
    "maak_rapport",
    "render_html",
    "schrijf_excel",
    "schrijf_html",
    "sha256_bestand",
]
