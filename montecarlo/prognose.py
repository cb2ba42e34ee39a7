"""The year-end forecast from the declarations so far (``plafond prognose``).

After ``M`` months the share of the year realised for product ``p`` is
``q_p = sum_{k<=M} w_pk`` (``kader.seizoen``: 12 weights per product, flat by default).
Per vraag line ``j`` (gebied × product) the declared volume ``R_j`` gives the run-rate ratio
``r_j = R_j / (q E[V_j])`` (declared over expected so far; 1 when nothing is expected).
The volume still to come is simulated, conditional on that, as a log-normal persistence
(the clients in care continue; a credibility weight ``beta = q`` on what is seen)::

    rest_j = (1 - q) E[V_j] r_j^beta (V_j / E[V_j])^sqrt(1 - beta)

with ``V_j`` the line's simulated year volume of ``simulate`` (same scores). So with
nothing realised (``q = 0``) the rest is ``V_j`` itself and the forecast is ``simulate``;
with the whole year realised (``q = 1``) the rest is 0 and the result is certain; in
between, the spread of the rest shrinks with ``(1 - q) sqrt(1 - q)`` in log terms. The rest
is delivered as in ``simulate`` (shares, capaciteit, spill to the overige).

Spending at year end: the lumpsum B (under a lumpsum the partners' declarations measure
volume, not spending), plus what the overige declared (their bedrag) plus the overige's
share of the rest at their tarief. The partners' cost: declared bedrag plus their rest at
the reëel tarief (× prijsschok). The risk rule then acts on year-end spending as in
``simulate``. Direct C lines (``kader.overige_uitgaven``) are taken whole, not conditioned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import ceil
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from plafond.montecarlo.motor import draai
from plafond.montecarlo.resultaat import SimulatieResultaat
from plafond.montecarlo.simulatie import STANDAARD_N, nieuwe_seed, resultaat_uit

if TYPE_CHECKING:
    from plafond.cases import Case
    from plafond.cases.realisatie import Realisatie

FloatArray = NDArray[np.float64]

#: Scenarios of the reference run "bij de begroting" (the unconditional simulate).
BEGROTING_N = 2**16


def seizoen(case: Case, product: str) -> FloatArray:
    """The 12 monthly weights of a product (summing to 1): ``kader.seizoen`` or flat."""
    w = np.asarray((case.kader.seizoen or {}).get(product, [1.0] * 12), dtype=np.float64)
    return w / w.sum()


@dataclass
class _Rest:
    """The :class:`~montecarlo.stroom.Voorwaarde` of a forecast: rest volume per line."""

    q: FloatArray
    verwacht: FloatArray
    ratio: FloatArray
    kosten: FloatArray

    def volume(self, v: FloatArray) -> None:
        beta = self.q
        e = self.verwacht
        met = e > 0
        factor = np.where(met, (1.0 - self.q) * e * self.ratio**beta, 0.0)[:, None]
        rel = np.divide(v, e[:, None], out=np.zeros_like(v), where=met[:, None])
        np.power(rel, np.sqrt(1.0 - beta)[:, None], out=rel)
        zonder = ~met
        if zonder.any():  # a line without expected volume: its own rest, scaled by (1 - q)
            rel[zonder] = v[zonder] * (1.0 - self.q[zonder])[:, None]
            factor[zonder] = 1.0
        np.multiply(rel, factor, out=v)


@dataclass(frozen=True)
class PrognoseResultaat:
    """What :func:`prognose` returns.

    Attributes
    ----------
    simulatie
        The year-end result (as ``simulate``'s, on the conditional scenarios).
    maanden
        Months realised.
    tot
        The last day realised (``YYYY-MM-DD``).
    bedrag
        Total declared so far (euro).
    voorschotten
        DataFrame indexed by aanbieder: lumpsum, per_kwartaal (whole cents; the first
        quarters take the cents left over, so four quarters add up), betaald (quarters begun),
        verwachte_afrekening (lumpsum − expected terugvordering), saldo (afrekening −
        betaald) — euro.
    begroting_kans
        Overschrijdingskans of the unconditional ``simulate`` (fraction).
    """

    simulatie: SimulatieResultaat
    maanden: int
    tot: str
    bedrag: float
    voorschotten: pd.DataFrame
    begroting_kans: float

    @property
    def waarschuwing(self) -> str:
        """The early-warning line in Dutch."""
        from plafond.fmt import procent

        return (f"op basis van {self.maanden} maanden: overschrijdingskans "
                f"{procent(self.simulatie.overschrijdingskans)} (bij de begroting "
                f"{procent(self.begroting_kans)})")  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The simulate JSON at year end plus ``realisatie`` and ``voorschotten``."""
        uit = self.simulatie.to_dict()
        uit["realisatie"] = {"tot": self.tot, "maanden": self.maanden,
                             "bedrag": round(self.bedrag, 2)}  # fmt: skip
        uit["voorschotten"] = {
            a: {k: round(float(v), 2) for k, v in r.items()}
            for a, r in self.voorschotten.iterrows()
        }
        uit["begroting_overschrijdingskans"] = self.begroting_kans
        return uit


def voorwaarde(case: Case, realisatie: Realisatie, model: Any) -> tuple[_Rest, FloatArray]:
    """The condition of ``realisatie`` and the overige's declared bedrag per pot (euro)."""
    rol = {a.id: a.rol for a in case.aanbieders}
    partners = list(model.partners)
    rijen = realisatie.rijen
    lijn_van = {(v.gebied, v.product): j for j, v in enumerate(case.vraag)}
    lp = model.levering
    pot_van = {case.vraag[j].gebied: int(lp.lijn_pot[j]) for j in range(len(case.vraag))}
    n_lijn = len(case.vraag)
    q = np.array([seizoen(case, v.product)[: realisatie.maanden].sum() for v in case.vraag])
    q = np.clip(q, 0.0, 1.0)
    verwacht = np.array([lijn.gemiddelde for lijn in model.vraag])
    gerealiseerd = np.zeros(n_lijn)
    kosten = np.zeros(len(partners))
    c_pot = np.zeros(model.vaste_uitgaven.size)
    for r in rijen.itertuples():
        j = lijn_van.get((r.gebied, r.product))
        if j is not None:
            gerealiseerd[j] += r.volume
        if r.aanbieder in partners:
            kosten[partners.index(r.aanbieder)] += r.bedrag
        elif rol.get(r.aanbieder) != "partner":
            c_pot[pot_van.get(r.gebied, 0)] += r.bedrag
    noemer = q * verwacht
    ratio = np.divide(gerealiseerd, noemer, out=np.ones(n_lijn), where=noemer > 0)
    return _Rest(q, verwacht, ratio, kosten), c_pot


def prognose(case: Case, realisatie: Realisatie, n: int = STANDAARD_N, *, seed: int | None = None,
             methode: str = "mc", werkers: int | None = None) -> PrognoseResultaat:  # fmt: skip
    """Forecast the year end of ``case`` given ``realisatie`` (module docstring).

    Raises
    ------
    ValueError
        For a case without vraag lines and levering (nothing to condition), or a bad
        n, seed or methode (messages in Dutch).
    """
    from plafond.montecarlo.model import bouw_model
    from plafond.montecarlo.simulatie import simulate

    if seed is None:
        seed = nieuwe_seed()
    model = bouw_model(case)
    if model.levering is None or not case.vraag:
        raise ValueError("prognose vraagt vraag-regels (de rest van het jaar volgt de vraag)")
    rest, c_pot = voorwaarde(case, realisatie, model)
    voorwaardelijk = replace(model, vaste_uitgaven=model.vaste_uitgaven + c_pot)
    ruw = draai(voorwaardelijk, n, seed=int(seed), methode=methode, werkers=werkers,
                voorwaarde=rest)  # fmt: skip
    res = resultaat_uit(voorwaardelijk, ruw, case=case.naam, seed=int(seed), methode=methode,
                        partners=list(model.partners), overnemen=True)  # fmt: skip
    begroting = simulate(replace_looptijd(case), min(n, BEGROTING_N), seed=int(seed),
                         methode=methode, werkers=werkers)  # fmt: skip
    kwartalen = min(4, ceil(realisatie.maanden / 3)) if realisatie.maanden else 0
    lumpsum = model.lumpsum
    afrekening = lumpsum - res.terugvordering["verwacht"].to_numpy()
    # four quarters in whole cents that add up to the lumpsum (the first ones take the rest)
    l_c = np.floor(lumpsum * 100.0 + 0.5)
    kwartaal_c = np.floor(l_c / 4)
    rest_c = l_c - 4 * kwartaal_c
    betaald = (kwartaal_c * kwartalen + np.minimum(rest_c, kwartalen)) / 100.0
    voorschotten = pd.DataFrame(
        {"lumpsum": l_c / 100.0, "per_kwartaal": kwartaal_c / 100.0, "betaald": betaald,
         "verwachte_afrekening": afrekening, "saldo": afrekening - betaald},
        index=pd.Index(list(model.partners), name="aanbieder"),
    )  # fmt: skip
    maand = realisatie.maanden
    tot = (pd.Timestamp(year=case.jaar, month=maand, day=1) + pd.offsets.MonthEnd(0)).strftime(
        "%Y-%m-%d") if maand else f"{case.jaar - 1}-12-31"  # fmt: skip
    return PrognoseResultaat(res, maand, tot, realisatie.bedrag, voorschotten,
                             begroting.overschrijdingskans)  # fmt: skip


def replace_looptijd(case: Case) -> Case:
    """The case as one year (the forecast is of the contract year of the realisations)."""
    if case.kader.looptijd == 1:
        return case
    return case.model_copy(update={"kader": case.kader.model_copy(update={"looptijd": 1})})
