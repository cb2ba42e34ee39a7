"""The report's plots: each function takes results or tables and returns a Figure.

They draw and never compute: the figures come from the result objects' own data methods
(``SimulatieResultaat.histogram``, ``overschrijdingscurve``, ``plafond_voor_kans``) or from
tables computed elsewhere (:mod:`plafond.report.inhoud`, :mod:`montecarlo.gevoeligheid`).
Labels are Dutch; amounts on the axes in euro (millions where that reads better).
Figures are made with :class:`matplotlib.figure.Figure` directly, never through pyplot,
so no GUI backend is touched: saving renders with Agg, and nothing is left open in a
global figure list (no memory growth in a long session).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from plafond.fmt import euro, getal, procent
from plafond.montecarlo import SimulatieResultaat

KLEUR = "#1f5f8b"
ACCENT = "#c0392b"
GRIJS = "#7f8c8d"


def _miljoen(x: float, _pos: object = None) -> str:
    decimalen = 1 if round(x / 1e5) == x / 1e5 else 2
    return f"€ {getal(x / 1e6, decimalen)} mln"


def _euro_as(x: float, _pos: object = None) -> str:
    if abs(x) >= 1e6:
        return _miljoen(x)
    return euro(x, 0)


def _euro_as_x(ax: Any, miljoen: bool) -> None:
    """Euro ticks on the x axis: few, round, readable (millions with one decimal)."""
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(_miljoen if miljoen else _euro_as))


def _figuur(breed: float = 8.0, hoog: float = 4.5) -> tuple[Figure, Any]:
    fig = Figure(figsize=(breed, hoog), layout="constrained")
    return fig, fig.add_subplot()


def histogram(res: SimulatieResultaat, bakken: int = 60) -> Figure:
    """Histogram of total spending (euro) with the plafond A marked."""
    h = res.histogram(bakken)
    fig, ax = _figuur()
    ax.bar(
        h["van"],
        h["aantal"] / res.scenarios,
        width=h["tot"] - h["van"],
        align="edge",
        color=KLEUR,
        alpha=0.85,
        label="scenario's",
    )
    ax.axvline(res.plafond, color=ACCENT, lw=2, label=f"plafond A {euro(res.plafond, 0)}")
    ax.axvline(
        res.uitgaven["gemiddelde"],
        color=GRIJS,
        lw=1.5,
        ls="--",
        label=f"verwachte uitgaven {euro(res.uitgaven['gemiddelde'], 0)}",
    )
    _euro_as_x(ax, miljoen=True)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.set_xlabel("totale uitgaven (B + C)")
    ax.set_ylabel("aandeel scenario's")
    ax.set_title(f"Uitgaven: overschrijdingskans {procent(res.overschrijdingskans)}")
    ax.legend(loc="upper right", fontsize=9)
    return fig


def overschrijdingscurve(
    res: SimulatieResultaat, kansen: tuple[float, ...] = (0.10, 0.05)
) -> Figure:
    """Overschrijdingskans as a function of the plafond, with A and the plafonds for ``kansen``."""
    curve = res.overschrijdingscurve()
    fig, ax = _figuur()
    ax.fill_between(
        curve["plafond"],
        curve["ci_laag"],
        curve["ci_hoog"],
        color=KLEUR,
        alpha=0.2,
        label="95%-interval",
    )
    ax.plot(curve["plafond"], curve["kans"], color=KLEUR, lw=2, label="overschrijdingskans")
    ax.axvline(res.plafond, color=ACCENT, lw=1.5)
    ax.plot(
        [res.plafond],
        [res.overschrijdingskans],
        "o",
        color=ACCENT,
        label=f"huidig plafond: {procent(res.overschrijdingskans)}",
    )
    for kans, teken in zip(kansen, ("s", "D", "^", "v"), strict=False):
        plafond, _, _ = res.plafond_voor_kans(kans)
        ax.plot(
            [plafond],
            [kans],
            teken,
            color="black",
            ms=7,
            label=f"{procent(kans, 0)} kans: {euro(plafond, 0)}",
        )
        ax.hlines(kans, curve["plafond"].iloc[0], plafond, colors=GRIJS, lw=0.8, ls=":")
    _euro_as_x(ax, miljoen=True)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, 1)
    ax.set_xlabel("plafond")
    ax.set_ylabel("kans dat de uitgaven het plafond overschrijden")
    ax.set_title("Overschrijdingskans per plafond")
    ax.legend(loc="upper right", fontsize=9)
    ax.grid(alpha=0.3)
    return fig


def terugvordering(tabel: pd.DataFrame) -> Figure:
    """Expected terugvordering per partner (bars) with its 95 % range 0 – p95 (whiskers).

    Parameters
    ----------
    tabel
        Indexed by partner label; columns verwacht and p95 (euro). A NaN p95 draws no range.
    """
    fig, ax = _figuur(8.0, max(3.0, 0.6 * len(tabel) + 1.8))
    y = np.arange(len(tabel))[::-1]
    ax.barh(y, tabel["verwacht"], color=KLEUR, height=0.6, label="verwacht")
    p95 = tabel["p95"].to_numpy(dtype=float)
    heeft = np.isfinite(p95)
    ax.errorbar(
        np.zeros(heeft.sum()),
        y[heeft],
        xerr=[np.zeros(heeft.sum()), p95[heeft]],
        fmt="none",
        ecolor="black",
        capsize=4,
        lw=1.2,
        label="95%-bereik (0 – p95)",
    )
    for yi, v, p in zip(y, tabel["verwacht"], p95, strict=True):
        tekst = euro(v, 0) + (f"  (p95 {euro(p, 0)})" if np.isfinite(p) else "")
        ax.text(max(v, 0), yi + 0.33, tekst, va="bottom", fontsize=8)
    ax.set_yticks(y, [str(i) for i in tabel.index])
    _euro_as_x(ax, miljoen=False)
    ax.set_xlim(0, max(1.0, np.nanmax(np.concatenate([p95, tabel["verwacht"].to_numpy()])) * 1.3))
    ax.set_xlabel("terugvordering")
    ax.set_title("Terugvordering per partner")
    ax.set_ylim(-0.6, len(tabel) - 0.1)
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)
    return fig


def heatmap(tabel: pd.DataFrame) -> Figure:
    """Allocated bedrag (euro) per gebied (rows) and aanbieder (columns)."""
    fig, ax = _figuur(max(6.0, 1.1 * tabel.shape[1] + 3), max(3.0, 0.45 * tabel.shape[0] + 2))
    waarden = tabel.to_numpy(dtype=float)
    beeld = ax.imshow(waarden, cmap="Blues", aspect="auto")
    ax.set_xticks(range(tabel.shape[1]), [str(c) for c in tabel.columns], rotation=30, ha="right")
    ax.set_yticks(range(tabel.shape[0]), [str(i) for i in tabel.index])
    grens = np.nanmax(waarden) / 2 if waarden.size else 0
    if tabel.size <= 400:
        for (i, j), v in np.ndenumerate(waarden):
            if v > 0:
                ax.text(
                    j,
                    i,
                    _miljoen(v).replace(" mln", ""),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if v > grens else "black",
                )
    fig.colorbar(beeld, ax=ax, format=FuncFormatter(_miljoen), label="bedrag")
    ax.set_title("Verdeling per gebied en aanbieder (mln euro)")
    return fig


def tornado(tabel: pd.DataFrame) -> Figure:
    """The inputs that move the verwachte overschrijding most (``montecarlo.gevoeligheid``).

    Bars run from the basis to the verwachte overschrijding at the input's laag and hoog
    value; the largest effect on top.
    """
    tabel = tabel.head(12)
    fig, ax = _figuur(8.0, max(2.5, 0.5 * len(tabel) + 1.5))
    basis = float(tabel["basis"].iloc[0]) if len(tabel) else 0.0
    y = np.arange(len(tabel))[::-1]
    laag = tabel["overschrijding_laag"].to_numpy() - basis
    hoog = tabel["overschrijding_hoog"].to_numpy() - basis
    ax.barh(
        y, laag, left=basis, color="#5dade2", height=0.6, label="invoer laag (p10; correlatie 0)"
    )
    ax.barh(
        y,
        hoog,
        left=basis,
        color=ACCENT,
        height=0.6,
        label="invoer hoog (p90; correlatie halverwege naar 1)",
    )
    ax.axvline(basis, color="black", lw=1)
    ax.set_yticks(y, list(tabel["invoer"]))
    _euro_as_x(ax, miljoen=False)
    ax.set_xlabel(f"verwachte overschrijding (basis {euro(basis, 0)})")
    ax.set_title("Gevoeligheid: wat beweegt de verwachte overschrijding")
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)
    return fig
