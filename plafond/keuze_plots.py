"""Plots of the decision tools: the plafond frontier and the rule's design.

Like :mod:`plafond.plots`: functions take result tables and return a matplotlib
:class:`~matplotlib.figure.Figure` (never through pyplot); they draw and never compute.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from plafond.fmt import euro, getal, procent

KLEUR = "#1f5f8b"
ACCENT = "#c0392b"
GRIJS = "#7f8c8d"


def _miljoen(x: float, _pos: object = None) -> str:
    return f"€ {getal(x / 1e6, 1 if round(x / 1e5) == x / 1e5 else 2)} mln"


def _euro_as(as_: Any, miljoen: bool = True) -> None:
    as_.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    as_.set_major_formatter(FuncFormatter(_miljoen if miljoen else lambda x, _p: euro(x, 0)))


def frontier(punten: pd.DataFrame, plafond: float | None = None) -> Figure:
    """Plafond against the overschrijdingskans (with interval) and the expected terugvordering.

    Parameters
    ----------
    punten
        :attr:`montecarlo.frontier.FrontierResultaat.punten`.
    plafond
        The case's own plafond, marked when given (euro).
    """
    fig = Figure(figsize=(10.0, 4.5), layout="constrained")
    links, rechts = fig.subplots(1, 2, sharex=True)
    x = punten["plafond"].to_numpy()
    links.fill_between(x, punten["ci_laag"], punten["ci_hoog"], color=KLEUR, alpha=0.2,
                       label="95%-interval")  # fmt: skip
    links.plot(x, punten["overschrijdingskans"], color=KLEUR, lw=2, label="overschrijdingskans")
    links.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    links.set_ylim(0, max(0.05, float(punten["ci_hoog"].max()) * 1.05))
    links.set_ylabel("kans dat de uitgaven het plafond overschrijden")
    links.set_title("Overschrijdingskans per plafond")
    rechts.plot(x, punten["terugvordering_totaal"], color=KLEUR, lw=2,
                label="terugvordering partners (verwacht)")  # fmt: skip
    rechts.plot(x, punten["verwachte_overschrijding"], color=GRIJS, lw=1.5, ls="--",
                label="overschrijding (verwacht)")  # fmt: skip
    _euro_as(rechts.yaxis, miljoen=False)
    rechts.set_title("Verwachte terugvordering per plafond")
    for as_ in (links, rechts):
        _euro_as(as_.xaxis)
        as_.set_xlabel("plafond")
        as_.grid(alpha=0.3)
        if plafond is not None:
            as_.axvline(plafond, color=ACCENT, lw=1.2, label=f"plafond case {euro(plafond, 0)}")
        as_.legend(loc="upper right", fontsize=8)
    return fig


def regelontwerp(
    regels: pd.DataFrame, max_kans: float | None, max_terugvordering: float | None
) -> Figure:
    """Each rule as a point: the largest partner's expected terugvordering (share of its
    lumpsum) against the gemeente's kans of a net overrun above its reserve; the rules that
    meet the limits in colour, the limits as lines.
    """
    fig = Figure(figsize=(8.0, 5.0), layout="constrained")
    ax = fig.add_subplot()
    x = regels["max_aandeel_lumpsum"].to_numpy(dtype=float)
    y = regels["kans_netto"].to_numpy(dtype=float)
    ok = regels["voldoet"].to_numpy(dtype=bool)
    ax.scatter(x[~ok], y[~ok], color=GRIJS, s=30, label="voldoet niet")
    ax.scatter(x[ok], y[ok], color=KLEUR, s=45, label="voldoet")
    for (a, d, m), xi, yi in zip(regels.index, x, y, strict=True):
        maximum = "geen max" if np.isnan(m) else f"max {procent(m, 1)}"
        ax.annotate(f"{procent(a, 0)} / {procent(d, 1)} / {maximum}", (xi, yi), fontsize=6,
                    xytext=(3, 3), textcoords="offset points", color="#333333")  # fmt: skip
    if max_kans is not None:
        ax.axhline(max_kans, color=ACCENT, lw=1, ls="--", label=f"grens kans {procent(max_kans)}")
    if max_terugvordering is not None:
        ax.axvline(max_terugvordering, color=ACCENT, lw=1, ls=":",
                   label=f"grens terugvordering {procent(max_terugvordering)}")  # fmt: skip
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=2))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("grootste verwachte terugvordering van een partner (% van zijn lumpsum)")
    ax.set_ylabel("kans netto overschrijding gemeente boven reserve")
    ax.set_title("Risicoregels: aandeel partners / drempel / maximum")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    return fig
