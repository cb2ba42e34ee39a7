"""Many plafonds and many rules on one set of scenarios: the machinery of the frontier.

Spending does not depend on the plafond or on the risk-sharing rule, so one run of the
engine serves every candidate (:mod:`montecarlo.kandidaten`): :func:`trek` keeps the run's
spending (total and per pot, in whole cents) as :class:`Scenarios`, and :func:`evalueer`
applies one :class:`~montecarlo.risicodeling.Regel` to those arrays with the same rule
function the engine uses. Each evaluated point therefore equals ``simulate`` of the case with that
plafond or rule (same seed and n) to the cent: counts are exact, sums are taken over whole
cents (exact integers in float64 up to 2^53 cents), the engine sums the same cents per
stroom.

Only the scenarios that can have a claw-back are passed through the rule: with one pot and
no shared onderschrijding that is the tail above the plafond of the sorted spending; with
more pots (or an onderschrijding) every scenario. With more pots the overschrijding is the
one the rule acts on, the sum of each pot's own overrun, as ``simulate`` reports it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from plafond.montecarlo import schatters
from plafond.montecarlo.motor import Model, draai
from plafond.montecarlo.risicodeling import (
    PAREN_TOT,
    Regel,
    centen,
    pot_overschrijding,
    terugvordering_compact,
)
from plafond.montecarlo.werkruimte import Werkruimte

if TYPE_CHECKING:
    from plafond.cases import Case

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Scenarios:
    """A run's spending, kept for evaluating any plafond or rule on it.

    Attributes
    ----------
    case, seed, methode
        The run.
    model
        The engine's arrays of the case (lumpsum per partner, the case's own rule).
    uitgaven
        Total spending per scenario, sorted ascending (euro, read-only).
    uitgaven_c
        The same in whole cents, as the rule sees it.
    per_pot_c
        Spending per pot in whole cents, columns in the order of ``uitgaven``, shape
        ``(K, n)``; None with one pot.
    """

    case: str
    seed: int
    methode: str
    model: Model
    uitgaven: FloatArray = field(repr=False)
    uitgaven_c: FloatArray = field(repr=False)
    per_pot_c: FloatArray | None = field(repr=False, default=None)

    @property
    def scenarios(self) -> int:
        """Number of scenarios n."""
        return int(self.uitgaven.size)

    @property
    def partners(self) -> list[str]:
        """Partner ids (the rule's partner axis)."""
        return self.model.partner_ids


def uit_spending(
    model: Model,
    uitgaven: FloatArray,
    uitgaven_per_pot: FloatArray | None,
    *,
    case: str,
    seed: int,
    methode: str,
) -> Scenarios:
    """:class:`Scenarios` from a run's spending (euro; total ``(n,)``, per pot ``(K, n)``).

    The caller hands the arrays over: with one pot a writeable ``uitgaven`` is sorted in
    place (a sorted copy of 2^20 values cost as much again as the sort, in fresh memory).
    """
    per_pot = None
    if uitgaven_per_pot is not None and uitgaven_per_pot.shape[0] > 1:
        volgorde = np.argsort(uitgaven, kind="stable")
        totaal = np.asarray(uitgaven)[volgorde]
        per_pot = centen(np.asarray(uitgaven_per_pot)[:, volgorde])
    else:
        totaal = np.asarray(uitgaven)
        totaal = totaal if totaal.flags.writeable else totaal.copy()
        totaal.sort()
    t_c = centen(totaal, out=np.empty_like(totaal))
    for a in (totaal, t_c, per_pot):
        if a is not None:
            a.flags.writeable = False
    return Scenarios(case, seed, methode, model, totaal, t_c, per_pot)


def trek(
    case: Case,
    n: int,
    *,
    seed: int,
    methode: str = "mc",
    lumpsum_per_aanbieder: Mapping[str, float] | None = None,
    werkers: int | None = None,
    voortgang: Callable[[int, int], None] | None = None,
) -> Scenarios:
    """Run the engine once (as ``simulate`` does) and keep its spending (not its sums)."""
    from plafond.montecarlo.model import bouw_model

    model = bouw_model(case, lumpsum_per_aanbieder)
    ruw = draai(model, n, seed=seed, methode=methode, werkers=werkers, voortgang=voortgang,
                sommen=False)  # fmt: skip
    return uit_spending(
        model, ruw.uitgaven, ruw.uitgaven_per_pot, case=case.naam, seed=seed, methode=methode
    )


@dataclass(frozen=True)
class Evaluatie:
    """One rule on the scenarios: the sums behind every estimate (euro; counts as ints).

    Attributes
    ----------
    plafond
        Total plafond A of the rule (euro).
    n, o_kans, o_som, o_kwadraat, cvar95
        Scenarios; with an overschrijding; its sum and sum of squares; CVaR 95 %.
    t_som, t_kwadraat, t_kans, p95
        Per partner: sum, sum of squares, scenarios with a claw-back, 95th percentile.
    netto_kans
        Scenarios where the gemeente's net overrun (overschrijding minus the partners'
        terugvordering) exceeds the reserve.
    netto_som
        Sum over scenarios of the net overrun max(0, O - T) (euro).
    """

    plafond: float
    n: int
    o_kans: int
    o_som: float
    o_kwadraat: float
    cvar95: float
    t_som: FloatArray
    t_kwadraat: FloatArray
    t_kans: FloatArray
    p95: FloatArray
    netto_kans: float
    netto_som: float


def _p95_een_pot(sc: Scenarios, regel: Regel) -> FloatArray:
    """Each partner's 95th percentile of terugvordering (euro) with one pot.

    The terugvordering is a non-decreasing function of total spending, so it is the rule
    applied to the spending's own 95th percentile (``np.quantile``'s ``inverted_cdf``, as
    ``simulate`` computes it).
    """
    q = sc.uitgaven[max(math.ceil(0.95 * sc.scenarios) - 1, 0)]
    _, d = terugvordering_compact(centen(np.array([[q]])), regel)
    return d[:, 0] / 100.0 if d.size else np.zeros(regel.partners)


def _p95_potten(
    sc: Scenarios, regel: Regel, wie: NDArray[np.intp], deel_c: FloatArray
) -> FloatArray:
    """Each partner's 95th percentile of terugvordering (euro) with more pots, from the rule's
    cents ``deel_c`` in the scenarios ``wie`` (zero elsewhere)."""
    volledig = np.zeros((regel.partners, sc.scenarios))
    volledig[:, wie] = deel_c / 100.0
    return np.quantile(volledig, 0.95, axis=1, method="inverted_cdf")


#: Scenarios per piece in :func:`_over_een_pot`, times the number of partners: a piece's
#: work arrays (a few of ``(P, piece)`` floats) stay in a core's cache. Measured on the
#: reference case (5 partners, 50 plafonds at 2^20): the whole tail at once 0,9 s, pieces
#: of 32.768 scenarios 0,3 s; the figures are the same (sums of whole cents).
STUK_ELEMENTEN = 5 * 32_768


def _partner_sommen(deel_c: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per partner: sum (cents), sum of squares (cents²) and count of positive claw-backs.

    Sums of whole cents are exact in float64 (up to 2^53), so adding them up piece by piece
    gives the same numbers as one sum over all scenarios. With few partners the squares
    and counts are taken row by row (numpy's one-dimensional dot and count are several
    times faster than the two-dimensional forms); with many in one call.
    """
    positief = deel_c > 0
    if deel_c.shape[0] > PAREN_TOT:
        kwadraat = np.einsum("ij,ij->i", deel_c, deel_c)
        kans = np.count_nonzero(positief, axis=1).astype(np.float64)
    else:
        kwadraat = np.array([np.dot(rij, rij) for rij in deel_c])
        kans = np.array([np.count_nonzero(rij) for rij in positief], dtype=np.float64)
    return deel_c.sum(axis=1), kwadraat, kans


def evalueer(
    sc: Scenarios,
    regel: Regel,
    reserve: float = 0.0,
    *,
    netto: bool = True,
    ruimte: Werkruimte | None = None,
) -> Evaluatie:
    """Apply ``regel`` to the scenarios' spending (module docstring: why this equals simulate).

    Parameters
    ----------
    sc
        The run's spending.
    regel
        A rule with the same partners and pots as the run's model.
    reserve
        The gemeente's reserve (euro): ``netto_kans`` counts scenarios whose net overrun
        exceeds it.
    netto
        False: skip the net overrun (``netto_kans`` and ``netto_som`` are then NaN).
    ruimte
        Scratch arrays to reuse (:mod:`montecarlo.werkruimte`), or None for new ones. One
        for many rules saves touching fresh memory per rule: 50 plafonds at 2^20 in one
        process 0,36 -> 0,28 s.
    """
    if sc.per_pot_c is not None:
        wie, deel_c = terugvordering_compact(sc.per_pot_c, regel)
        over = _over_potten(sc, regel, wie, deel_c, reserve, netto=netto)
        t_som, t_kwadraat, t_kans = _partner_sommen(deel_c)
        p95 = _p95_potten(sc, regel, wie, deel_c)
    else:
        over, (t_som, t_kwadraat, t_kans) = _over_een_pot(
            sc, regel, reserve, netto=netto, ruimte=ruimte or Werkruimte()
        )
        p95 = _p95_een_pot(sc, regel)
    t_som, t_kwadraat = t_som / 100.0, t_kwadraat / 1e4
    return Evaluatie(
        plafond=float(regel.plafond.sum()),
        n=sc.scenarios,
        **over,
        t_som=t_som,
        t_kwadraat=t_kwadraat,
        t_kans=t_kans,
        p95=p95,
    )


def staart_begin(sc: Scenarios, regel: Regel) -> tuple[float, int]:
    """Plafond A in whole cents and the first scenario of the sorted spending above it."""
    a_c = float(centen(float(regel.plafond.sum())))
    return a_c, int(np.searchsorted(sc.uitgaven_c, a_c, side="right"))


def _over_een_pot(
    sc: Scenarios, regel: Regel, reserve: float, *, netto: bool, ruimte: Werkruimte
) -> tuple[dict[str, float], tuple[FloatArray, FloatArray, FloatArray]]:
    """One pot: the figures from the sorted spending's tail above A, in cache-sized pieces.

    Returns the Evaluatie fields o_kans, o_som, o_kwadraat, cvar95, netto_kans, netto_som,
    and the partners' sums (:func:`_partner_sommen`) over all scenarios.
    """
    n, p = sc.scenarios, regel.partners
    a_c, start = staart_begin(sc, regel)
    staart = sc.uitgaven_c[start:]
    over_c = staart - a_c
    # with a shared onderschrijding every scenario can move money; otherwise only the tail
    basis = sc.uitgaven_c if regel.onderschrijding > 0.0 else staart
    sommen = [np.zeros(p), np.zeros(p), np.zeros(p)]
    netto_kans, netto_c_som, r_c = 0, 0.0, float(centen(reserve))
    stuk = max(64, STUK_ELEMENTEN // max(p, 1))
    for b in range(0, basis.size, stuk):
        stukje = basis[None, b : b + stuk]
        wie, deel_c = terugvordering_compact(stukje, regel, ruimte)
        for som, deel in zip(sommen, _partner_sommen(deel_c), strict=True):
            som += deel
        if netto:  # the gemeente's net overrun max(0, O - T), counted in the tail only
            terug = np.zeros(stukje.shape[1])
            terug[wie] = deel_c.sum(axis=0)
            o_c = np.maximum(stukje[0] - a_c, 0.0)
            netto_c = np.where(o_c > 0.0, np.maximum(o_c - terug, 0.0), 0.0)
            netto_kans += int(np.count_nonzero(netto_c > r_c))
            netto_c_som += float(netto_c.sum())
    k = max(1, math.ceil(0.05 * n - 1e-9))
    staart95 = np.maximum(sc.uitgaven_c[n - k :] - a_c, 0.0)
    velden = {
        "o_kans": int(staart.size),
        "o_som": float(over_c.sum()) / 100.0,
        "o_kwadraat": float(np.dot(over_c, over_c)) / 1e4,
        "cvar95": float(staart95.mean()) / 100.0,
        "netto_kans": netto_kans if netto else math.nan,
        "netto_som": netto_c_som / 100.0 if netto else math.nan,
    }
    return velden, (sommen[0], sommen[1], sommen[2])


def _over_potten(
    sc: Scenarios,
    regel: Regel,
    wie: NDArray[np.intp],
    deel_c: FloatArray,
    reserve: float,
    *,
    netto: bool,
) -> dict[str, float]:
    """More than one pot: the overschrijding is the one the rule acts on.

    ``O = sum_k max(0, S_k - A_k)`` per scenario (:func:`risicodeling.pot_overschrijding`: an
    underspend in one pot does not offset an overrun in another), as ``simulate`` reports
    it; its CVaR is the mean of the worst 5 % of O. Returns the Evaluatie fields o_kans,
    o_som, o_kwadraat, cvar95, netto_kans and netto_som.
    """
    over = pot_overschrijding(sc.per_pot_c, regel.plafond)
    netto_kans, netto_som = math.nan, math.nan
    if netto:
        terug = np.zeros(sc.scenarios)
        terug[wie] = deel_c.sum(axis=0) / 100.0
        netto_e = np.maximum(over - terug, 0.0)
        netto_kans = int(np.count_nonzero(centen(netto_e) > centen(reserve)))
        netto_som = float(netto_e.sum())
    return {
        "o_kans": int(np.count_nonzero(over)),
        "o_som": float(over.sum()),
        "o_kwadraat": float(np.dot(over, over)),
        "cvar95": schatters.cvar(over),
        "netto_kans": netto_kans,
        "netto_som": netto_som,
    }


def tabellen(
    sc: Scenarios, evaluaties: Sequence[Evaluatie], index: pd.Index
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The estimates of many evaluations: one row per rule, and per rule and partner.

    Returns
    -------
    punten
        Indexed by ``index``: plafond, overschrijdingskans, ci_laag, ci_hoog (fractions),
        verwachte_overschrijding, verwachte_overschrijding_se, cvar95_overschrijding,
        terugvordering_totaal, netto_kosten (E[spending] - E[terugvordering]),
        netto_overschrijding (E[max(0, O - T)]), kans_netto (fraction).
    terugvordering
        Indexed by ``index`` × aanbieder: lumpsum, verwacht, se, kans, p95, aandeel_lumpsum.
    """
    n = sc.scenarios
    gemiddelde = float(sc.uitgaven.mean())
    rijen, partner_rijen = [], []
    lumpsum = sc.model.lumpsum
    for e in evaluaties:
        o, o_se = schatters.gemiddelde_se(e.o_som, e.o_kwadraat, n)
        lo, hi = schatters.wilson(e.o_kans, n)
        t = e.t_som / n
        rijen.append(
            {
                "plafond": e.plafond,
                "overschrijdingskans": e.o_kans / n,
                "ci_laag": lo,
                "ci_hoog": hi,
                "verwachte_overschrijding": o,
                "verwachte_overschrijding_se": o_se,
                "cvar95_overschrijding": e.cvar95,
                "terugvordering_totaal": float(t.sum()),
                "netto_kosten": gemiddelde - float(t.sum()),
                "netto_overschrijding": e.netto_som / n,
                "kans_netto": e.netto_kans / n,
            }
        )
        for i, a in enumerate(sc.partners):
            _, se = schatters.gemiddelde_se(float(e.t_som[i]), float(e.t_kwadraat[i]), n)
            partner_rijen.append(
                {
                    "aanbieder": a,
                    "lumpsum": float(lumpsum[i]),
                    "verwacht": float(t[i]),
                    "se": se,
                    "kans": float(e.t_kans[i]) / n,
                    "p95": float(e.p95[i]),
                    "aandeel_lumpsum": float(t[i] / lumpsum[i]) if lumpsum[i] > 0 else math.nan,
                }
            )
    punten = pd.DataFrame(rijen, index=index)
    p = len(sc.partners)
    terug_index = pd.MultiIndex.from_tuples(
        [(*(k if isinstance(k, tuple) else (k,)), r["aanbieder"]) for k in index
         for r in partner_rijen[:p]],
        names=[*index.names, "aanbieder"],
    )  # fmt: skip
    terug = pd.DataFrame(partner_rijen, index=terug_index).drop(columns="aanbieder")
    return punten, terug
