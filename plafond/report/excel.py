"""The report as an Excel workbook: the sheets of :mod:`plafond.report.tabellen`."""

from __future__ import annotations

from pathlib import Path

from plafond.cases.files import atomic_write
from plafond.report.maak import Rapport
from plafond.report.tabellen import bladen
from plafond.xlsx import schrijf_werkboek


def schrijf_excel(r: Rapport, pad: str | Path) -> Path:
    """Write the report to ``pad`` (.xlsx) atomically: a failure leaves no file."""
    tabellen = bladen(r)
    return atomic_write(pad, lambda tmp: schrijf_werkboek(tmp, tabellen, case=r.case.naam))
