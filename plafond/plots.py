"""The report's plots: each function takes results or tables and returns a Figure.

They draw and never compute: the figures come from the result objects' own data methods
(``SimulatieResultaat.histogram``, ``overschrijdingscurve``, ``plafond_voor_kans``) or from
tables computed elsewhere (:mod:`plafond.report.inhoud`, :mod:`montecarlo.gevoeligheid`).
Labels are Dutch, ticks too (``6,0 %``, ``€ 13,1 mln``); amounts on the axes in euro
(millions where that reads better); partners by name (the caller passes the labels).
Figures are made with :class:`matplotlib.figure.Figure` directly, never through pyplot,
so no GUI backend is touched: saving renders with Agg, and nothing is left open in a
global figure list (no memory growth in a long session).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

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
    ax.xaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(_miljoen if miljoen else _euro_as))


def procent_as(decimalen: int = 1) -> FuncFormatter:
    """Tick labels for fractions as Dutch percentages: 0.06 → ``6,0 %``."""
    return FuncFormatter(lambda x, _pos=None: procent(x, decimalen))


def bedrag_kort(x: float) -> str:
    """An amount for a small space: ``€ 1,5 mln`` from a million on, else ``€ 850 k``."""
    if abs(x) >= 1e6:
        return f"€ {getal(x / 1e6, 1)} mln"
    if abs(x) >= 1e3:
        return f"€ {getal(x / 1e3, 0)} k"
    return euro(x, 0)


def _omgeslagen(labels: Any, breedte: int = 16) -> list[str]:
    """Labels wrapped to lines of at most ``breedte`` characters."""
    return [textwrap.fill(str(t), breedte) for t in labels]


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
    ax.yaxis.set_major_formatter(procent_as(1))
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
    ax.yaxis.set_major_formatter(procent_as(0))
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
    ax.barh(y, tabel["verwacht"], color=KLEUR, height=0.6)
    p95 = tabel["p95"].to_numpy(dtype=float)
    heeft = np.isfinite(p95)
    ax.errorbar(
        np.zeros(heeft.sum()),
        y[heeft] - 0.22,  # below the bar's centre, so a small bar and its marker stay clear
        xerr=[np.zeros(heeft.sum()), p95[heeft]],
        fmt="none",
        ecolor="black",
        capsize=4,
        lw=1.2,
        label="95%-bereik (0 – p95)",
    )
    ax.plot(
        tabel["verwacht"],
        y,
        "D",
        color=ACCENT,
        ms=7,
        markeredgecolor="white",
        linestyle="none",
        zorder=5,
        clip_on=False,
        label="verwacht",
    )  # a marker, so a small expected amount (a bar a pixel wide) is still seen
    for yi, v, p in zip(y, tabel["verwacht"], p95, strict=True):
        tekst = euro(v, 0) + (f"  (p95 {euro(p, 0)})" if np.isfinite(p) else "")
        ax.text(max(v, 0), yi + 0.33, tekst, va="bottom", fontsize=8)
    ax.set_yticks(y, _omgeslagen(tabel.index, 24))
    _euro_as_x(ax, miljoen=False)
    ax.set_xlim(0, max(1.0, np.nanmax(np.concatenate([p95, tabel["verwacht"].to_numpy()])) * 1.3))
    ax.set_xlabel("terugvordering")
    ax.set_title("Terugvordering per partner")
    ax.set_ylim(-0.6, len(tabel) - 0.1)
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)
    return fig


def heatmap(tabel: pd.DataFrame) -> Figure:
    """Allocated bedrag (euro) per gebied (rows) and aanbieder (columns), in € mln or € k.

    Column labels (the caller's: names) wrap and turn; cells show ``€ 1,5 mln`` or
    ``€ 850 k``, readable with 11 or more aanbieders (the figure widens with them).
    """
    kolommen = tabel.shape[1]
    fig, ax = _figuur(max(6.0, 1.0 * kolommen + 3), max(3.0, 0.5 * tabel.shape[0] + 2.2))
    waarden = tabel.to_numpy(dtype=float)
    beeld = ax.imshow(waarden, cmap="Blues", aspect="auto")
    draai = 0 if kolommen <= 5 else 35
    ax.set_xticks(
        range(kolommen),
        _omgeslagen(tabel.columns, 14),
        rotation=draai,
        ha="right" if draai else "center",
        fontsize=9 if kolommen <= 8 else 8,
    )
    ax.set_yticks(range(tabel.shape[0]), _omgeslagen(tabel.index, 20))
    grens = np.nanmax(waarden) / 2 if waarden.size else 0
    if tabel.size <= 400:
        for (i, j), v in np.ndenumerate(waarden):
            if v > 0:
                ax.text(
                    j,
                    i,
                    bedrag_kort(v).replace("€ ", ""),
                    ha="center",
                    va="center",
                    fontsize=8 if kolommen <= 10 else 7,
                    color="white" if v > grens else "black",
                )
    fig.colorbar(beeld, ax=ax, format=FuncFormatter(lambda x, _p=None: bedrag_kort(x)))
    ax.set_title("Verdeling per gebied en aanbieder (euro; mln = miljoen, k = duizend)")
    return fig


def waterval(plafond: float, lumpsum: pd.Series) -> Figure:
    """From plafond A through the lumpsum of each partner (B) to the budget for C (A − B).

    Parameters
    ----------
    plafond
        Budgetplafond A (euro).
    lumpsum
        Lumpsum per partner (euro), indexed by the label to show (name, or a group).
    """
    labels = ["A  budgetplafond", *lumpsum.index, "C  overige uitgaven (A − B)"]
    fig, ax = _figuur(8.0, max(3.0, 0.42 * len(labels) + 1.6))
    y = np.arange(len(labels))[::-1]
    rest = plafond - np.concatenate([[0.0], np.cumsum(lumpsum.to_numpy(dtype=float))])
    links = np.concatenate([[0.0], rest[1:], [0.0]])
    breed = np.concatenate([[plafond], lumpsum.to_numpy(dtype=float), [rest[-1]]])
    kleuren = [GRIJS, *[KLEUR] * len(lumpsum), ACCENT]
    ax.barh(y, breed, left=links, color=kleuren, height=0.65)
    for yi, l_, b in zip(y, links, breed, strict=True):
        ax.text(l_ + b, yi, "  " + bedrag_kort(b), va="center", fontsize=8)
    ax.set_yticks(y, _omgeslagen(labels, 28))
    _euro_as_x(ax, miljoen=True)
    ax.set_xlim(0, plafond * 1.18)
    ax.set_xlabel("euro")
    ax.set_title("Plafond A → lumpsum per partner (B) → overige uitgaven C")
    return fig


def tornado(tabel: pd.DataFrame, basis_label: str | None = None) -> Figure:
    """The inputs that move the verwachte overschrijding most (``montecarlo.gevoeligheid``).

    Bars run from the basis to the verwachte overschrijding at the input's laag and hoog
    value; the largest effect on top. ``basis_label`` replaces the axis label (to say which
    scenarios the basis comes from, when they differ from the headline's).
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
    ax.set_yticks(y, _omgeslagen(tabel["invoer"], 30))
    _euro_as_x(ax, miljoen=False)
    ax.set_xlabel(basis_label or f"verwachte overschrijding (basis {euro(basis, 0)})")
    ax.set_title("Gevoeligheid: wat beweegt de verwachte overschrijding")
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)
    return fig
