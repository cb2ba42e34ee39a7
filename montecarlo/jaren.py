"""The time axis: a contract of ``looptijd`` T years on one draw design (common random numbers).

The deterministic paths (index, nacalculatie, taakstelling, growth) are
:class:`~montecarlo.paden.Paden`; this module draws and evaluates the years.

Every stroom of scenarios draws one block of normal scores ``(T d + T - 1, m)`` from its
own sampler (:func:`~montecarlo.steekproef.sampler_voor_stroom`): rows ``t d .. (t + 1) d``
are the scores of year ``t`` laid out exactly as a one-year run's (so with ``mc`` year 1 is
bit-identical to ``simulate``), the last ``T - 1`` rows the demand growth of years 2..T.
Year ``t`` (1-based) of one scenario:

- demand ``G_t = prod_{s=2..t} (1 + g_s)``, ``g_s`` from ``kader.jaren.groei`` (one score
  per year: a shock in year 2 stays in every later year). Every vraag line's volume is
  multiplied by ``G_t`` before delivery (capaciteit and spill act on the grown volume).
- index: provisional ``i_t`` (``jaren.indexatie``, years 2..T; year 1's is in the case's
  lumpsum already) and nacalculatie ``n_t`` (final minus provisional, paid in year t + 1).
  The structural level is ``F_t = prod_{s=2..t}(1 + i_s) prod_{s=1..t-1}(1 + n_s)``;
  taakstelling ``K_t = prod_{s=2..t}(1 - k_s)``.
- the overige are paid at tarieven indexed by ``F_t``: ``C_t = F_t C(G_t)``.
- the partners' cost per unit follows the wages: ``kosten_t = kosten(G_t) W_t
  prod_{s=2..t}(1 + i_s)`` with ``W_t = prod_{s<=t}(1 + prijsschok_s)``: ``kader.prijsschok``
  (realised wage growth minus the provisional index) drawn every year with its own score,
  so it is a path; the nacalculatie ``n_t`` compensates part of it a year later.
- lumpsum: ``index``: ``L_t = L_1 F_t K_t``; ``omzet``: ``L_t = L_1 v_{t-1} F_t K_t`` with
  ``v_{t-1}`` the partner's realised omzet of year t − 1 (volume at its reëel tarief of
  year 1) over its expected omzet in year 1. Paid in year t: ``L_t + n_{t-1} L_{t-1}``; the
  nacalculatie of the last year is paid after the term and counted in the term's result.
- plafond ``A_t = A_1 F_t K_t`` per pot, raised by the nacalculatie paid in the year (and,
  with ``overloop``, by the underspend of year t − 1); the risk rule
  (:func:`~montecarlo.risicodeling.terugvordering_compact`) acts per year with its maximum
  scaled like the lumpsum. A raised plafond is applied as lower spending against ``A_t``.
  Under ``omzet`` the pots' B is the partners' lumpsum split as in year 1.
- result of partner i in year t: paid lumpsum − kosten − terugvordering; its cumulative sum
  over the term and ``P(< 0)``; ``terugval``: the chance that at some year end the
  cumulative result is below ``-terugval`` × the cumulative lumpsum (the fall-back to PxQ;
  the years after are still simulated under the lumpsum, so this is a trigger chance).

Scenarios are processed per stroom in worker threads; every stroom's sums are added in
stroom order, so the result does not depend on the number of workers.
"""

from __future__ import annotations

import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from plafond.montecarlo import schatters
from plafond.montecarlo.motor import BLOK, Model, Ruw, werkers_standaard
from plafond.montecarlo.paden import Paden
from plafond.montecarlo.resultaat import SimulatieResultaat
from plafond.montecarlo.risicodeling import Regel, centen, overschrijding, terugvordering_compact
from plafond.montecarlo.steekproef import STROOM, controleer_aantal, sampler_voor_stuk
from plafond.montecarlo.stroom import _ALGEMEEN, _PARTNER, _plan, _scenarios, _stroom_sommen
from plafond.montecarlo.werkruimte import Werkruimte
from threadpoolctl import threadpool_limits

FloatArray = NDArray[np.float64]


#: Per-year sums: general ones, then per partner.
_JAAR = ("o", "o2", "o_kans", "plafond", "lumpsum")
_JAAR_P = ("t", "t2", "l")
#: Term sums per partner.
_TERM_P = ("T", "T2", "R", "R2", "R_verlies", "terugval")


def _rijen(model: Model, t_jaren: int) -> int:
    p = model.lumpsum.size
    eerste = len(_ALGEMEEN) + len(_PARTNER) * p
    return eerste + t_jaren * (len(_JAAR) + len(_JAAR_P) * p) + len(_TERM_P) * p


@dataclass(frozen=True)
class _Opzet:
    """What every stroom needs, computed once."""

    model: Model
    basis: Model
    paden: Paden
    regels: tuple[Regel, ...]
    pot_aandeel: FloatArray
    verwachte_omzet: FloatArray
    d: int
    d0: int


def _opzet(model: Model, paden: Paden) -> _Opzet:
    basis = replace(model, prijsschok=None, vaste_uitgaven=np.zeros_like(model.vaste_uitgaven))
    factor = paden.niveau * paden.korting
    regels = tuple(
        replace(model.regel, plafond=model.regel.plafond * f,
                maximum=None if model.regel.maximum is None else model.regel.maximum * f)
        for f in factor
    )  # fmt: skip
    b = model.vaste_uitgaven
    pot_aandeel = b / b.sum() if b.sum() > 0 else np.full(b.size, 1.0 / b.size)
    if model.cellen is not None and model.cellen.aantal:
        cel = model.cellen
        omzet = np.bincount(cel.partner, weights=cel.verwachte_kosten, minlength=len(cel.partners))
    else:
        omzet = np.zeros(model.lumpsum.size)
    return _Opzet(model, basis, paden, regels, pot_aandeel, omzet, model.dimensies,
                  basis.dimensies)  # fmt: skip


def _stroom(
    opz: _Opzet,
    plan: Any,
    z: FloatArray,
    ruimte: Werkruimte,
    extra: Any = None,
    begin: int = 0,
    eind: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """One stroom over all years: (year-1 spending per pot, all sums in :func:`_rijen` order).

    ``extra`` (``vergelijk`` over the term): called every year as ``extra(t, scenarios,
    kosten, begin, eind)`` on that year's cel arrays (prices of year t); its sums over the
    years follow the rows of :func:`_rijen`.
    """
    model, paden = opz.model, opz.paden
    t_jaren, m, p = paden.jaren, z.shape[1], model.lumpsum.size
    niveau, korting, loon = paden.niveau, paden.korting, paden.loonindex
    groei = np.ones(m)
    loonfactor = np.ones(m)
    cum_r = np.zeros((p, m))
    cum_t = np.zeros((p, m))
    cum_l = np.zeros((p, m))
    terugval = np.zeros((p, m), dtype=bool)
    overloop = np.zeros((model.vaste_uitgaven.size, m))
    omzet_vorig = np.zeros((p, m))
    l_vorig = np.zeros((p, m))
    een = np.ones(m)
    jaar_sommen: list[FloatArray] = []
    extra_som: Any = 0.0
    eerste: tuple[FloatArray, FloatArray] | None = None
    l1 = model.lumpsum[:, None]
    for t in range(t_jaren):
        zt = z[t * opz.d : (t + 1) * opz.d]
        if t > 0 and paden.groei is not None:
            groei *= 1.0 + paden.groei.uit_normaal(z[t_jaren * opz.d + t - 1])
            np.maximum(groei, 0.0, out=groei)
        c, kosten, scen = _scenarios(opz.basis, zt, plan, ruimte, schaal=groei if t else None,
                                     cellen=extra is not None)  # fmt: skip
        c = c * niveau[t] if t else c.copy()
        omzet = kosten.copy()
        if model.schok_random:
            loonfactor *= 1.0 + model.prijsschok.uit_normaal(zt[opz.d0])
        elif model.prijsschok is not None:
            loonfactor *= 1.0 + model.prijsschok.gemiddelde
        kosten = omzet * loonfactor if model.prijsschok is not None else omzet.copy()
        if t:
            kosten *= loon[t]
        if extra is not None and scen is not None:
            sc = replace(scen, overige=scen.overige * niveau[t])
            extra_som = extra(t, sc, kosten, begin, eind) + (extra_som if t else 0.0)
        f = niveau[t] * korting[t]
        if paden.lumpsum == "omzet" and t:
            v = np.divide(omzet_vorig, opz.verwachte_omzet[:, None], out=np.ones_like(omzet),
                          where=opz.verwachte_omzet[:, None] > 0)  # fmt: skip
            lumpsum = l1 * v * f
            b_pot = opz.pot_aandeel[:, None] * lumpsum.sum(axis=0)
        else:
            lumpsum = l1 * (f * een)
            b_pot = model.vaste_uitgaven[:, None] * f
        nacalc = paden.nacalculatie[t - 1] * l_vorig if t else np.zeros((p, m))
        betaald = lumpsum + nacalc
        per_pot = c + b_pot
        if t == 0:
            totaal = per_pot.sum(axis=0) if per_pot.shape[0] > 1 else per_pot[0]
            eerste = (per_pot, _stroom_sommen(model, per_pot, totaal, kosten, ruimte))
        regel = opz.regels[t]
        # the plafond is raised by the nacalculatie paid (so ``per_pot`` leaves it out) and by
        # the carry-over (applied as lower spending against the rule's plafond)
        toets = per_pot - overloop
        over = overschrijding(toets.sum(axis=0), float(regel.plafond.sum()))
        wie, deel = terugvordering_compact(centen(toets), regel)
        terug = np.zeros((p, m))
        terug[:, wie] = deel / 100.0
        if paden.overloop:
            overloop = np.maximum(regel.plafond[:, None] - toets, 0.0)
        cum_r += betaald - kosten - terug
        cum_t += terug
        cum_l += betaald
        if paden.terugval is not None:
            terugval |= cum_r < -paden.terugval * cum_l
        jaar_sommen.append(np.concatenate([
            [over.sum(), np.dot(over, over), np.count_nonzero(over),
             float(regel.plafond.sum()) * m + nacalc.sum(), betaald.sum()],
            terug.sum(axis=1), np.einsum("ij,ij->i", terug, terug), betaald.sum(axis=1),
        ]))  # fmt: skip
        omzet_vorig = omzet
        l_vorig = lumpsum
    na = paden.nacalculatie[-1] * l_vorig  # the last year's, paid after the term
    cum_r += na
    cum_l += na
    term = np.concatenate([
        cum_t.sum(axis=1), np.einsum("ij,ij->i", cum_t, cum_t), cum_r.sum(axis=1),
        np.einsum("ij,ij->i", cum_r, cum_r), np.count_nonzero(cum_r < 0.0, axis=1),
        np.count_nonzero(terugval, axis=1),
    ])  # fmt: skip
    assert eerste is not None
    delen = [eerste[1], *jaar_sommen, term] + ([extra_som] if extra is not None else [])
    return eerste[0], np.concatenate(delen)


@dataclass(frozen=True)
class RuwJaren:
    """Raw output of a multi-year run: year 1 as a one-year run, and the summed rows."""

    jaar1: Ruw
    sommen: FloatArray


def draai_jaren(model: Model, paden: Paden, n: int, *, seed: int, methode: str = "mc",
                werkers: int | None = None, blok: int = BLOK,
                extra: Any = None) -> RuwJaren:  # fmt: skip
    """Run ``n`` scenarios of every year of the term (module docstring).

    One sampler per stroom draws the scores of all years at once (``T d + T - 1`` rows);
    the sums of every stroom are added in stroom order (bit-identical for any ``werkers``).
    """
    controleer_aantal(methode, n)
    opz = _opzet(model, paden)
    plan = _plan(model)
    dim = paden.jaren * opz.d + paden.jaren - 1
    pots = model.vaste_uitgaven.size
    uit = np.empty(n)
    uit_pot = np.empty((pots, n)) if pots > 1 else None
    aantal = -(-n // STROOM)
    rijen = _rijen(model, paden.jaren) + (extra.rijen if extra is not None else 0)
    per_stroom = np.zeros((rijen, aantal))
    ruimtes: queue.SimpleQueue[Werkruimte] = queue.SimpleQueue()
    werkers = werkers or werkers_standaard(n)
    for _ in range(werkers):
        ruimtes.put(Werkruimte())

    def doe(strooms: range) -> None:
        ruimte = ruimtes.get()
        try:
            for k in strooms:
                # the pieces of a one-year run (montecarlo.motor), so year 1 draws alike
                eind_k = min((k + 1) * STROOM, n)
                for stuk, a in enumerate(range(k * STROOM, eind_k, plan.breedte)):
                    b = min(a + plan.breedte, eind_k)
                    sampler = sampler_voor_stuk(methode, dim, seed, k, stuk, plan.breedte)
                    z = sampler.normalen(b - a, uit=ruimte("jaren.z", (dim, b - a)))
                    per_pot, sommen = _stroom(opz, plan, z, ruimte, extra, a, b)
                    uit[a:b] = per_pot.sum(axis=0) if pots > 1 else per_pot[0]
                    if uit_pot is not None:
                        uit_pot[:, a:b] = per_pot
                    per_stroom[:, k] += sommen
        finally:
            ruimtes.put(ruimte)

    blokken = [range(s, min(s + blok, aantal)) for s in range(0, aantal, blok)]
    with threadpool_limits(limits=1, user_api="blas"):
        if werkers == 1:
            for s in blokken:
                doe(s)
        else:
            with ThreadPoolExecutor(max_workers=werkers) as pool:
                for taak in [pool.submit(doe, s) for s in blokken]:
                    taak.result()
    totalen = per_stroom.sum(axis=1)
    p = model.lumpsum.size
    sommen: dict[str, FloatArray] = {naam: totalen[i] for i, naam in enumerate(_ALGEMEEN)}
    for i, naam in enumerate(_PARTNER):
        start = len(_ALGEMEEN) + i * p
        sommen[naam] = totalen[start : start + p]
    uit.flags.writeable = False
    if uit_pot is not None:
        uit_pot.flags.writeable = False
    return RuwJaren(Ruw(uit, uit_pot, sommen), totalen[len(_ALGEMEEN) + len(_PARTNER) * p :])


def jaar_model(model: Model, paden: Paden, opz_regels: tuple[Regel, ...], t: int) -> Model:
    """The model of year ``t`` (0-based) on the index path: lumpsum, B, rule and cel prices.

    For the arrangements over the term (``vergelijk``): tarieven × ``F_t``, expected cel
    volume × ``E[G_t]``, lumpsum and B × ``F_t K_t`` (the ``index`` rule; no nacalculatie).
    """
    f = paden.niveau[t] * paden.korting[t]
    groei = 1.0 if paden.groei is None else (1.0 + paden.groei.gemiddelde) ** t
    cellen = model.cellen
    if cellen is not None:
        cellen = replace(cellen, tarief=cellen.tarief * paden.niveau[t],
                         verwacht_volume=cellen.verwacht_volume * groei)  # fmt: skip
    return replace(model, lumpsum=model.lumpsum * f, vaste_uitgaven=model.vaste_uitgaven * f,
                   regel=opz_regels[t], cellen=cellen)  # fmt: skip


def regels_per_jaar(model: Model, paden: Paden) -> tuple[Regel, ...]:
    """The rule of every year (plafond and maximum on the index path)."""
    return _opzet(model, paden).regels


@dataclass(frozen=True)
class JarenResultaat:
    """The multi-year estimates (each with its standard error).

    Attributes
    ----------
    jaren
        DataFrame indexed by jaar (calendar year): plafond, lumpsum (expected, paid in the
        year, euro), overschrijdingskans (fraction), verwachte_overschrijding and its se.
    terugvordering
        DataFrame indexed by (jaar, aanbieder): verwacht, se (euro).
    looptijd
        DataFrame indexed by aanbieder: terugvordering, terugvordering_se, resultaat,
        resultaat_se (cumulative over the term, euro), kans_verlies (P(cumulative result
        < 0)), kans_terugval (P(fall-back), or NaN without ``terugval``).
    """

    jaren: pd.DataFrame
    terugvordering: pd.DataFrame
    looptijd: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """``"jaren"`` and ``"looptijd"`` of issue 13 (money to the cent)."""

        def euro(x: float) -> float:
            return round(float(x), 2)

        jaren = []
        for jaar, r in self.jaren.iterrows():
            terug = self.terugvordering.loc[jaar]
            jaren.append({
                "jaar": int(jaar), "plafond": euro(r.plafond), "lumpsum": euro(r.lumpsum),
                "overschrijdingskans": float(r.overschrijdingskans),
                "verwachte_overschrijding": euro(r.verwachte_overschrijding),
                "verwachte_overschrijding_se": euro(r.verwachte_overschrijding_se),
                "terugvordering": {a: {"verwacht": euro(x.verwacht), "se": euro(x.se)}
                                   for a, x in terug.iterrows()},
            })  # fmt: skip
        lt = self.looptijd
        looptijd: dict[str, Any] = {
            "jaren": len(jaren),
            "terugvordering": {a: {"verwacht": euro(r.terugvordering),
                                   "se": euro(r.terugvordering_se)} for a, r in lt.iterrows()},
            "resultaat": {a: {"verwacht": euro(r.resultaat), "se": euro(r.resultaat_se),
                              "kans_verlies": float(r.kans_verlies)} for a, r in lt.iterrows()},
        }  # fmt: skip
        if lt["kans_terugval"].notna().all():
            looptijd["kans_terugval"] = {a: float(v) for a, v in lt["kans_terugval"].items()}
        return {"jaren": jaren, "looptijd": looptijd}


def jaren_uit(model: Model, paden: Paden, sommen: FloatArray, n: int, eerste_jaar: int,
              partners: list[str]) -> JarenResultaat:  # fmt: skip
    """The tables of :class:`JarenResultaat` from the summed rows of :func:`draai_jaren`."""
    p, t_jaren = len(partners), paden.jaren
    breed = len(_JAAR) + len(_JAAR_P) * p
    rijen, terug = [], []
    for t in range(t_jaren):
        s = sommen[t * breed : (t + 1) * breed]
        o_gem, o_se = schatters.gemiddelde_se(float(s[0]), float(s[1]), n)
        rijen.append(
            {
                "plafond": s[3] / n,
                "lumpsum": s[4] / n,
                "overschrijdingskans": s[2] / n,
                "verwachte_overschrijding": o_gem,
                "verwachte_overschrijding_se": o_se,
            }
        )
        t_som, t_kw = s[len(_JAAR) : len(_JAAR) + p], s[len(_JAAR) + p : len(_JAAR) + 2 * p]
        for i, a in enumerate(partners):
            g, se = schatters.gemiddelde_se(float(t_som[i]), float(t_kw[i]), n)
            terug.append({"jaar": eerste_jaar + t, "aanbieder": a, "verwacht": g, "se": se})
    term = sommen[t_jaren * breed :].reshape(len(_TERM_P), p)
    looptijd = []
    for i in range(p):
        tg, tse = schatters.gemiddelde_se(float(term[0, i]), float(term[1, i]), n)
        rg, rse = schatters.gemiddelde_se(float(term[2, i]), float(term[3, i]), n)
        looptijd.append({
            "terugvordering": tg, "terugvordering_se": tse, "resultaat": rg, "resultaat_se": rse,
            "kans_verlies": term[4, i] / n,
            "kans_terugval": np.nan if paden.terugval is None else term[5, i] / n,
        })  # fmt: skip
    jaren_index = pd.Index(range(eerste_jaar, eerste_jaar + t_jaren), name="jaar")
    return JarenResultaat(
        jaren=pd.DataFrame(rijen, index=jaren_index),
        terugvordering=pd.DataFrame(terug).set_index(["jaar", "aanbieder"]),
        looptijd=pd.DataFrame(looptijd, index=pd.Index(partners, name="aanbieder")),
    )


def simulate_jaren(
    model: Model, paden: Paden, n: int, *, seed: int, methode: str, naam: str,
    eerste_jaar: int, kans: float | None = None, werkers: int | None = None,
) -> tuple[SimulatieResultaat, JarenResultaat]:  # fmt: skip
    """Year 1 as ``simulate`` and the term (:class:`JarenResultaat`), on the same scenarios."""
    from plafond.montecarlo.simulatie import resultaat_uit

    ruw = draai_jaren(model, paden, n, seed=seed, methode=methode, werkers=werkers)
    partners = model.partner_ids
    jaar1 = resultaat_uit(model, ruw.jaar1, case=naam, seed=seed, methode=methode,
                          partners=partners, kans=kans, overnemen=True)  # fmt: skip
    return jaar1, jaren_uit(model, paden, ruw.sommen, n, eerste_jaar, partners)
