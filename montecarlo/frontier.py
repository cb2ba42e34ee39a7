"""The plafond frontier and the rule's design, from one set of scenarios.

``frontier(case, plafonds)``: for each plafond the overschrijdingskans (Wilson interval),
the verwachte overschrijding, each partner's expected terugvordering and the gemeente's
expected net cost. ``regelontwerp(case, aandelen, drempels, maxima, ...)``: the same for a
grid of risk-sharing rules at one plafond, with the user's limits, and which rules meet
them. Both run the engine once (:func:`montecarlo.evaluatie.trek`) and evaluate every
candidate on that run's spending; each point equals ``simulate`` of the case with that
plafond or rule set (same seed and n) to the cent.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from plafond.montecarlo.evaluatie import Scenarios, tabellen
from plafond.montecarlo.kandidaten import regel_bij_plafond, regel_met, standaard_plafonds
from plafond.montecarlo.werkverdeling import evalueer_alle

if TYPE_CHECKING:
    from plafond.cases import Case


def _partners_json(terug: pd.DataFrame, rij: int, p: int) -> dict[str, dict[str, Any]]:
    """Per partner of row ``rij`` (``p`` partners a row): verwacht, se, kans, p95, aandeel."""
    deel = terug.iloc[rij * p : (rij + 1) * p]
    deel.index = deel.index.get_level_values("aanbieder")
    return {
        str(a): {
            "verwacht": round(float(r.verwacht), 2),
            "se": round(float(r.se), 2),
            "kans": float(r.kans),
            "p95": round(float(r.p95), 2),
            "aandeel_lumpsum": None if math.isnan(r.aandeel_lumpsum) else float(r.aandeel_lumpsum),
        }
        for a, r in deel.iterrows()
    }


def _punt_json(rij: pd.Series) -> dict[str, Any]:
    return {
        "plafond": round(float(rij.plafond), 2),
        "overschrijdingskans": float(rij.overschrijdingskans),
        "interval": [float(rij.ci_laag), float(rij.ci_hoog)],
        "verwachte_overschrijding": round(float(rij.verwachte_overschrijding), 2),
        "verwachte_overschrijding_se": round(float(rij.verwachte_overschrijding_se), 2),
        "cvar95_overschrijding": round(float(rij.cvar95_overschrijding), 2),
        "terugvordering_totaal": round(float(rij.terugvordering_totaal), 2),
        "netto_kosten": round(float(rij.netto_kosten), 2),
    }


def _voet(punt: dict[str, Any], uitgaven: float) -> None:
    """Make a point's JSON foot: the total is the sum of the partners' rounded figures.

    ``terugvordering_totaal`` = Σ round(verwacht, 2) and ``netto_kosten`` = round(expected
    spending, 2) − that total (euro), so the figures a reader adds up agree to the cent.
    """
    centen = sum(round(t["verwacht"] * 100) for t in punt["terugvordering"].values())
    punt["terugvordering_totaal"] = centen / 100
    punt["netto_kosten"] = (round(uitgaven * 100) - centen) / 100


@dataclass(frozen=True)
class FrontierResultaat:
    """What :func:`frontier` returns.

    Attributes
    ----------
    case, scenarios, seed, methode
        The run.
    punten
        Indexed by punt (0, 1, ...): plafond (euro), overschrijdingskans, ci_laag, ci_hoog
        (fractions, Wilson 95 %), verwachte_overschrijding and its se, cvar95_overschrijding,
        terugvordering_totaal, netto_kosten (the gemeente's expected spending after
        terugvordering), netto_overschrijding, kans_netto — euro unless a fraction.
    terugvordering
        Indexed (punt, aanbieder): lumpsum, verwacht, se, kans, p95, aandeel_lumpsum.
    precisie
        With ``--precisie``: what was asked and reached (:mod:`montecarlo.precisie`).
    """

    case: str
    scenarios: int
    seed: int
    methode: str
    punten: pd.DataFrame
    terugvordering: pd.DataFrame
    precisie: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """The frontier JSON: case, scenarios, seed, methode, punten (and precisie)."""
        punten, p = [], len(self.terugvordering) // max(len(self.punten), 1)
        for i, (_, rij) in enumerate(self.punten.iterrows()):
            punt = _punt_json(rij)
            punt["terugvordering"] = _partners_json(self.terugvordering, i, p)
            _voet(punt, float(rij.netto_kosten + rij.terugvordering_totaal))
            punten.append(punt)
        uit: dict[str, Any] = {
            "case": self.case,
            "scenarios": self.scenarios,
            "seed": self.seed,
            "methode": self.methode,
            "punten": punten,
        }
        if self.precisie is not None:
            uit["precisie"] = self.precisie
        return uit


def frontier_uit(
    sc: Scenarios, plafonds: Sequence[float], case: Case | None = None
) -> FrontierResultaat:
    """The frontier on given scenarios (no simulation): one evaluation per plafond (euro)."""
    regels = [regel_bij_plafond(sc, p, case) for p in plafonds]
    evaluaties = evalueer_alle(sc, regels, netto=False)
    index = pd.RangeIndex(len(evaluaties), name="punt")
    punten, terug = tabellen(sc, evaluaties, index)
    punten = punten.drop(columns=["netto_overschrijding", "kans_netto"])
    return FrontierResultaat(sc.case, sc.scenarios, sc.seed, sc.methode, punten, terug)


def frontier(
    case: Case,
    plafonds: Sequence[float] | None = None,
    *,
    n: int = 2**17,
    seed: int,
    methode: str = "mc",
    van: float | None = None,
    tot: float | None = None,
    stappen: int = 21,
    lumpsum_per_aanbieder: dict[str, float] | None = None,
    werkers: int | None = None,
    voortgang: Callable[[int, int], None] | None = None,
) -> FrontierResultaat:
    """The plafond frontier of ``case`` from one simulation of ``n`` scenarios.

    Parameters
    ----------
    case
        A validated Case.
    plafonds
        Plafond values (euro); default ``stappen`` values from ``van`` to ``tot`` (default
        the spending's p50 and p99,5, rounded to EUR 10.000).
    n, seed, methode, lumpsum_per_aanbieder, werkers
        As for ``simulate``.
    """
    from plafond.montecarlo.evaluatie import trek

    sc = trek(case, n, seed=seed, methode=methode, lumpsum_per_aanbieder=lumpsum_per_aanbieder,
              werkers=werkers, voortgang=voortgang)  # fmt: skip
    if plafonds is None:
        plafonds = standaard_plafonds(sc, van, tot, stappen)
    return frontier_uit(sc, plafonds, case)


@dataclass(frozen=True)
class Grenzen:
    """The user's limits on a rule.

    Attributes
    ----------
    max_kans
        Largest allowed probability (fraction) that the gemeente's net overrun
        (overschrijding minus terugvordering) exceeds ``reserve``; None: no limit.
    max_terugvordering
        Largest allowed expected terugvordering of every partner, as a fraction of its
        lumpsum; None: no limit.
    reserve
        The gemeente's own reserve for this budget (euro, default 0).
    """

    max_kans: float | None = None
    max_terugvordering: float | None = None
    reserve: float = 0.0


@dataclass(frozen=True)
class RegelontwerpResultaat:
    """What :func:`regelontwerp` returns.

    Attributes
    ----------
    regels
        Indexed (aandeel_partners, drempel, maximum; NaN: no maximum): the columns of
        :attr:`FrontierResultaat.punten`, max_aandeel_lumpsum (the largest partner's
        expected terugvordering as a fraction of its lumpsum) and voldoet (bool).
    terugvordering
        Indexed (aandeel_partners, drempel, maximum, aanbieder), as in the frontier.
    """

    case: str
    scenarios: int
    seed: int
    methode: str
    plafond: float
    grenzen: Grenzen
    regels: pd.DataFrame
    terugvordering: pd.DataFrame

    @property
    def voldoen(self) -> pd.DataFrame:
        """The rules that meet the limits."""
        return self.regels[self.regels["voldoet"]]

    def to_dict(self) -> dict[str, Any]:
        """JSON: the run, the limits, every rule with its figures, and how many meet them."""
        regels, p = [], len(self.terugvordering) // max(len(self.regels), 1)
        for i, (k, rij) in enumerate(self.regels.iterrows()):
            a, d, m = k
            punt = {
                "aandeel_partners": float(a),
                "drempel": float(d),
                "maximum": None if math.isnan(m) else float(m),
            }
            punt |= _punt_json(rij)
            punt |= {
                "kans_netto": float(rij.kans_netto),
                "netto_overschrijding": round(float(rij.netto_overschrijding), 2),
                "max_aandeel_lumpsum": float(rij.max_aandeel_lumpsum),
                "terugvordering": _partners_json(self.terugvordering, i, p),
                "voldoet": bool(rij.voldoet),
            }
            _voet(punt, float(rij.netto_kosten + rij.terugvordering_totaal))
            del punt["plafond"]
            regels.append(punt)
        g = self.grenzen
        return {
            "case": self.case,
            "scenarios": self.scenarios,
            "seed": self.seed,
            "methode": self.methode,
            "plafond": round(self.plafond, 2),
            "grenzen": {
                "max_kans": g.max_kans,
                "max_terugvordering": g.max_terugvordering,
                "reserve": round(g.reserve, 2),
            },
            "regels": regels,
            "voldoen": int(self.regels["voldoet"].sum()),
        }


def regelontwerp_uit(
    sc: Scenarios,
    aandelen: Sequence[float],
    drempels: Sequence[float],
    maxima: Sequence[float | None],
    grenzen: Grenzen,
    plafond: float | None = None,
    case: Case | None = None,
) -> RegelontwerpResultaat:
    """The grid of rules on given scenarios (no simulation), at ``plafond`` (default the case's)."""
    basis = sc.model.regel if plafond is None else regel_bij_plafond(sc, plafond, case)
    rijen, regels = [], []
    for a, d, m in itertools.product(aandelen, drempels, maxima):
        regels.append(regel_met(sc, basis, aandeel_partners=a, drempel=d, maximum=m))
        rijen.append((float(a), float(d), math.nan if m is None else float(m)))
    evaluaties = evalueer_alle(sc, regels, grenzen.reserve)
    index = pd.MultiIndex.from_tuples(rijen, names=["aandeel_partners", "drempel", "maximum"])
    punten, terug = tabellen(sc, evaluaties, index)
    aandeel = terug["aandeel_lumpsum"].to_numpy().reshape(len(index), len(sc.partners))
    punten["max_aandeel_lumpsum"] = np.nanmax(aandeel, axis=1)
    voldoet = np.ones(len(punten), dtype=bool)
    if grenzen.max_kans is not None:
        voldoet &= punten["kans_netto"].to_numpy() <= grenzen.max_kans
    if grenzen.max_terugvordering is not None:
        voldoet &= punten["max_aandeel_lumpsum"].to_numpy() <= grenzen.max_terugvordering
    punten["voldoet"] = voldoet
    return RegelontwerpResultaat(
        sc.case, sc.scenarios, sc.seed, sc.methode, float(basis.plafond.sum()), grenzen,
        punten, terug,
    )  # fmt: skip


def regelontwerp(
    case: Case,
    aandelen: Sequence[float],
    drempels: Sequence[float],
    maxima: Sequence[float | None],
    grenzen: Grenzen = Grenzen(),
    *,
    plafond: float | None = None,
    n: int = 2**17,
    seed: int,
    methode: str = "mc",
    werkers: int | None = None,
    voortgang: Callable[[int, int], None] | None = None,
) -> RegelontwerpResultaat:
    """Every rule of the grid aandelen × drempels × maxima on one simulation of ``case``.

    Parameters
    ----------
    aandelen, drempels, maxima
        Values of ``risicodeling.aandeel_partners``, ``drempel`` (fraction of A) and
        ``maximum`` (fraction of each lumpsum, None for no cap). The verdeelsleutel, the
        drempel_soort and the onderschrijding stay those of the case.
    grenzen
        The limits a rule must meet (:class:`Grenzen`).
    plafond
        Plafond A (euro); default the case's.
    """
    from plafond.montecarlo.evaluatie import trek

    sc = trek(case, n, seed=seed, methode=methode, werkers=werkers, voortgang=voortgang)
    return regelontwerp_uit(sc, aandelen, drempels, maxima, grenzen, plafond, case)
