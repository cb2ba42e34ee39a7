"""The streaming engine: scenarios in fixed strooms, blocks of strooms over worker threads.

A run of ``n`` scenarios is cut into strooms of :data:`~montecarlo.steekproef.STROOM`
scenarios, each with its own random numbers (see :mod:`montecarlo.steekproef`). Blocks of
whole strooms are processed in parallel by threads (numpy and scipy release the GIL in
the heavy array operations); every stroom is computed in one piece, in the same array
operations, and yields its own sums, which are added up in stroom order at the end. The
result is therefore bit-identical whatever the block size or the number of workers.
Memory: one float per scenario (the spending, kept for percentiles; one per gemeente when
the verdeelsleutel is ``gemeente``) plus one set of work arrays per worker
(:mod:`montecarlo.werkruimte`), independent of ``n``. BLAS runs single-threaded during a
run: the workers already use every core.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Protocol, cast

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.copula import Factormodel, factor
from plafond.montecarlo.levering import Leveringsplan, aandelen, lever
from plafond.montecarlo.lijnen import Lijnen, gevouwen_factor
from plafond.montecarlo.risicodeling import (
    Regel,
    centen,
    pot_overschrijding,
    terugvordering_compact,
)
from plafond.montecarlo.scenarios import Cellen, Scenarios
from plafond.montecarlo.steekproef import (
    STROOM,
    controleer_aantal,
    sampler_voor_stuk,
)
from plafond.montecarlo.verdelingen import Marginaal
from plafond.montecarlo.vraag import SamengesteldeVraag, totale_volumes
from plafond.montecarlo.werkruimte import Werkruimte
from threadpoolctl import threadpool_limits

FloatArray = NDArray[np.float64]

#: Default block: strooms processed together by one worker (4 × 16 384 scenarios).
BLOK = 4


@dataclass(frozen=True)
class Model:
    """A case reduced to arrays: what the engine samples and how spending is formed.

    Attributes
    ----------
    overige
        Marginals of the overige-uitgaven lines C (euro).
    overige_pot
        Pot (index into ``regel.plafond``) of every C line.
    vraag
        The vraag lines (clients × volume per client, units).
    correlatie
        Correlation matrix of the copula over ``overige + vraag`` lines (clienten).
    vaste_uitgaven
        Fixed spending per pot: the lumpsum B of the partners (euro).
    regel
        The risk rule.
    lumpsum
        Lumpsum per partner (euro), shape ``(P,)``.
    kosten
        Cost per unit of volume of each vraag line borne by each partner, shape
        ``(P, len(vraag))`` (euro per unit: share of the line × reëel tarief).
    partners
        Partner ids along the partner axis.
    prijsschok
        Marginal of the price shock (a fraction: real wage growth minus indexatie), or None.
        Every scenario's cost of every partner is multiplied by ``1 + prijsschok``. A random
        shock has the last normal score (after the volumes), independent of the copula's
        lines; a ``vast`` shock is a constant and takes no normal score, so adding
        ``vast 0`` changes no number.
    reeds_betaald
        Per partner, euro already paid in the year outside the lumpsum (``kader.reeds_betaald``):
        part of ``vaste_uitgaven`` and of the partner's income in its exploitatie.
    levering
        Who delivers the demand (:mod:`montecarlo.levering`), or None for the array-level
        form above: then the partners' cost is ``kosten @ volume`` and C comes from the
        ``overige`` lines only. With a plan, ``kosten`` is not used: the cells give the
        partners' cost and the overige's volume × tarief is added to C.
    cellen
        The cells of the plan (:class:`~montecarlo.scenarios.Cellen`), for the arrangements.
    factormodel
        The copula as a two-level factor model (:class:`~montecarlo.copula.Factormodel`,
        ``1 + G + L`` scores, O(L)); ``correlatie`` is then not used. None: the dense
        factor of ``correlatie`` (a matrix a user gave).
    """

    overige: tuple[Marginaal, ...]
    overige_pot: tuple[int, ...]
    vraag: tuple[SamengesteldeVraag, ...]
    correlatie: FloatArray
    vaste_uitgaven: FloatArray
    regel: Regel
    lumpsum: FloatArray
    kosten: FloatArray
    partners: tuple[str, ...] = ()
    prijsschok: Marginaal | None = None
    reeds_betaald: FloatArray | None = None
    levering: Leveringsplan | None = None
    cellen: Cellen | None = None
    factormodel: Factormodel | None = None

    @property
    def schok_random(self) -> bool:
        """True when the price shock is random (and so has its own normal score)."""
        return self.prijsschok is not None and self.prijsschok.verdeling != "vast"

    @property
    def dimensies(self) -> int:
        """Normal scores per scenario: one per line, one per vraag line (volume), one per
        random overige share, one shock."""
        aandelen = 0 if self.levering is None else self.levering.dimensies
        return self.copula_dimensies + len(self.vraag) + aandelen + int(self.schok_random)

    @property
    def copula_dimensies(self) -> int:
        """Normal scores the copula takes (the first rows of ``z``)."""
        if self.factormodel is not None:
            return self.factormodel.dimensies
        return len(self.overige) + len(self.vraag)

    @property
    def plafond(self) -> float:
        """Total plafond A (euro)."""
        return float(self.regel.plafond.sum())

    @property
    def partner_ids(self) -> list[str]:
        """The partners' ids, or p1, p2, ... for a model built without them (the tables' index)."""
        return list(self.partners) or [f"p{i + 1}" for i in range(self.lumpsum.size)]


#: Names of the per-stroom sums, in row order; ``P`` partner rows follow per name in _PARTNER.
_ALGEMEEN = ("o", "o2", "o_kans")
_PARTNER = ("t", "t2", "t_kans", "r", "r2", "r_verlies", "r_tekort")


class Extra(Protocol):
    """What a run evaluates on every stroom besides the engine's own sums (``vergelijk``).

    ``rijen`` sums per stroom; called as ``extra(scenarios, kosten, begin, eind)`` with the
    stroom's :class:`~montecarlo.scenarios.Scenarios`, the partners' cost ``(P, m)`` and
    the scenario range, returning its ``rijen`` sums. It may store per-scenario values in
    its own arrays at ``begin:eind`` (each stroom is written by one worker).
    """

    rijen: int

    def __call__(self, scenarios: Scenarios, kosten: FloatArray, begin: int,
                 eind: int) -> FloatArray: ...  # fmt: skip


@dataclass(frozen=True)
class Ruw:
    """Raw output of a run: spending per scenario and the sums over all scenarios.

    Attributes
    ----------
    uitgaven
        Total spending per scenario (euro), read-only, shape ``(n,)``.
    uitgaven_per_pot
        Spending per pot and scenario when there is more than one pot, else None.
    sommen
        Sum name -> value (scalar, or array over partners).
    """

    uitgaven: FloatArray
    uitgaven_per_pot: FloatArray | None
    sommen: dict[str, FloatArray]


@dataclass(frozen=True)
class _Plan:
    """What every block needs besides the model, computed once per run.

    Attributes
    ----------
    lijnen
        The transforms of the copula's lines: overige, then the clients of each vraag line.
    factor
        The copula factor with each line's affine scale folded in (``(k, k)``).
    verschuiving
        Each line's affine shift, shape ``(k, 1)``.
    volume_mu, volume_sd
        Mean and sd of the volume per client of each vraag line.
    breedte
        Scenarios per piece (:func:`stuk_breedte`).
    sommen
        False: only the spending is wanted; the per-stroom sums (the rule, the partners'
        results) are skipped and ``Ruw.sommen`` holds zeros.
    """

    lijnen: Lijnen
    factor: FloatArray
    verschuiving: FloatArray
    volume_mu: FloatArray
    volume_sd: FloatArray
    breedte: int = STROOM
    sommen: bool = True


#: Work-array budget per worker (floats): a stroom whose arrays would exceed it is done in
#: pieces of a fixed width (a power of two, at least :data:`MIN_STUK`).
WERKGEHEUGEN = 2**24
MIN_STUK = 2**9


def stuk_breedte(model: Model) -> int:
    """Scenarios per piece for ``model``: a whole stroom unless its arrays exceed the budget.

    The floats per scenario are estimated from the scores, the lines and the cells (the
    largest work arrays: a few per cel, a few per line).
    """
    cellen = 0 if model.levering is None else model.levering.cel_lijn.size
    per_scenario = (model.dimensies + 4 * cellen + 6 * (len(model.overige) + len(model.vraag))
                    + 4 * model.lumpsum.size)  # fmt: skip
    breedte = STROOM
    while breedte > MIN_STUK and breedte * per_scenario > WERKGEHEUGEN:
        breedte //= 2
    return breedte


def _plan(model: Model, sommen: bool = True) -> _Plan:
    lijnen = Lijnen(model.overige + tuple(lijn.clienten for lijn in model.vraag))
    if model.factormodel is not None:
        gevouwen = np.zeros((0, 0))  # the factor model folds the scale in itself
    else:
        l_factor = factor(model.correlatie) if model.correlatie.size else np.zeros((0, 0))
        gevouwen = gevouwen_factor(l_factor, lijnen)
    return _Plan(
        lijnen=lijnen,
        factor=gevouwen,
        verschuiving=lijnen.verschuiving[:, None],
        volume_mu=np.array([lijn.volume_gemiddelde for lijn in model.vraag]),
        volume_sd=np.array([lijn.volume_sd for lijn in model.vraag]),
        breedte=stuk_breedte(model),
        sommen=sommen,
    )


def _scenario_waarden(
    model: Model, z: FloatArray, plan: _Plan, ruimte: Werkruimte
) -> tuple[FloatArray, FloatArray]:
    """Spending per pot ``(K, m)`` and cost per partner ``(P, m)`` for normal scores ``z``.

    Both live in ``ruimte``: valid until its next use.
    """
    uitgaven, kosten, _ = _scenarios(model, z, plan, ruimte)
    return uitgaven, kosten


def plan(model: Model) -> _Plan:
    """The per-model arrays the engine derives once (marginals, folded factor)."""
    return _plan(model)


class _Opname:
    """A :class:`Voorwaarde` that changes nothing and keeps a copy of the volume it sees."""

    def __init__(self, partners: int) -> None:
        self.kosten = np.zeros(partners)
        self.gezien: FloatArray | None = None

    def volume(self, v: FloatArray) -> None:
        self.gezien = v.copy()


def spending_en_volume(
    model: Model, z: FloatArray, plan_: _Plan, ruimte: Werkruimte
) -> tuple[FloatArray, FloatArray]:
    """Spending per pot ``(K, m)`` (euro, in ``ruimte``) and the total volume of every vraag
    line ``(L, m)`` (units, a copy) for normal scores ``z``: the engine's own draws, for
    users of the scenarios outside the engine (the risk-aware allocation)."""
    opname = _Opname(model.lumpsum.size)
    uitgaven, _, _ = _scenarios(model, z, plan_, ruimte, voorwaarde=opname)
    volume = opname.gezien if opname.gezien is not None else np.zeros((0, z.shape[1]))
    return uitgaven, volume


class Voorwaarde(Protocol):
    """A condition on the scenarios (:mod:`montecarlo.prognose`): what is realised already.

    ``volume(v)`` replaces the simulated volume per vraag line ``(L, m)`` in place by the
    volume still to come; ``kosten`` ``(P,)`` is the partners' realised cost (euro), added
    to every scenario's cost.
    """

    kosten: FloatArray

    def volume(self, v: FloatArray) -> None: ...


def _scenarios(
    model: Model,
    z: FloatArray,
    plan: _Plan,
    ruimte: Werkruimte,
    *,
    cellen: bool = False,
    schaal: FloatArray | None = None,
    voorwaarde: Voorwaarde | None = None,
) -> tuple[FloatArray, FloatArray, Scenarios | None]:
    """As :func:`_scenario_waarden`, plus the cel arrays when ``cellen`` (and a plan exists).

    ``schaal``: a factor per scenario ``(m,)`` on every line's volume before delivery (the
    cumulative demand growth of a later contract year, :mod:`montecarlo.jaren`).
    ``voorwaarde``: the realisations so far (:class:`Voorwaarde`).
    """
    nc, nv = len(model.overige), len(model.vraag)
    k0 = model.copula_dimensies
    m = z.shape[1]
    if model.factormodel is not None:
        waarden = model.factormodel.toepassen(z[:k0], plan.lijnen.schaal,
                                              out=ruimte("waarden", (nc + nv, m)))  # fmt: skip
    else:
        waarden = np.matmul(plan.factor, z[:k0], out=ruimte("waarden", (nc + nv, m)))
    waarden += plan.verschuiving
    plan.lijnen.uit_voorgeschaald(waarden, ruimte)
    uitgaven = ruimte("uitgaven", (model.vaste_uitgaven.size, m))
    if model.vaste_uitgaven.size == 1:
        np.add.reduce(waarden[:nc], axis=0, keepdims=True, out=uitgaven)
    else:
        uitgaven[...] = 0.0
        for i, pot in enumerate(model.overige_pot):
            uitgaven[pot] += waarden[i]
    kosten = ruimte("kosten", (model.lumpsum.size, m))
    if not nv:
        uitgaven += model.vaste_uitgaven[:, None]
        kosten[...] = 0.0
        return uitgaven, kosten, None
    volume = totale_volumes(waarden[nc:], z[k0 : k0 + nv], plan.volume_mu, plan.volume_sd, ruimte)
    if schaal is not None:
        volume *= schaal
    if voorwaarde is not None:
        voorwaarde.volume(volume)
    schok = _schok(model, z, k0 + nv + (model.levering.dimensies if model.levering else 0),
                   ruimte)  # fmt: skip
    lp = model.levering
    if lp is None:
        uitgaven += model.vaste_uitgaven[:, None]
        np.matmul(model.kosten, volume, out=kosten)
        if schok is not None:
            kosten *= schok
        return uitgaven, kosten, None
    s = aandelen(lp, z[k0 + nv : k0 + nv + lp.dimensies], m, ruimte)
    geleverd = lever(lp, volume, s, ruimte, cellen=cellen)
    if uitgaven.shape[0] == 1:
        uitgaven[0] += np.dot(lp.overig_tarief, geleverd.overig_volume)
    else:
        c_lijn = geleverd.overig_volume * lp.overig_tarief[:, None]
        np.add.at(uitgaven, lp.lijn_pot, c_lijn)
    overige = uitgaven.copy() if cellen else None
    uitgaven += model.vaste_uitgaven[:, None]
    kosten[...] = geleverd.partner_kosten
    if schok is not None:
        kosten *= schok
    if voorwaarde is not None:
        kosten += voorwaarde.kosten[:, None]
    if not cellen:
        return uitgaven, kosten, None
    cel_volume = geleverd.cel_volume.copy()
    cel_kosten = cel_volume * lp.cel_tarief[:, None]
    if schok is not None:
        cel_kosten *= schok
    v_lijn = np.take(volume, lp.cel_lijn, axis=0)
    aandeel_cel = np.divide(cel_volume, v_lijn, out=np.zeros_like(v_lijn), where=v_lijn > 0)
    clienten = np.take(np.maximum(waarden[nc:], 0.0), lp.cel_lijn, axis=0)
    clienten *= aandeel_cel
    return uitgaven, kosten, Scenarios(cel_volume, cel_kosten, clienten, overige)


def _schok(model: Model, z: FloatArray, rij: int, ruimte: Werkruimte) -> FloatArray | float | None:
    """``1 + prijsschok`` per scenario (from score row ``rij``), a constant, or None."""
    if model.prijsschok is None:
        return None
    if not model.schok_random:
        return 1.0 + model.prijsschok.gemiddelde
    s = model.prijsschok.uit_normaal(z[rij], uit=ruimte("schok", (z.shape[1],)))
    s += 1.0
    return s


def _stroom_sommen(
    model: Model, per_pot: FloatArray, totaal: FloatArray, kosten: FloatArray, ruimte: Werkruimte
) -> FloatArray:
    """The sums of one stroom, in the row order of :data:`_ALGEMEEN` and :data:`_PARTNER`.

    The rule runs once, in whole cents (:func:`terugvordering_compact`); the terugvordering
    is non-zero only in the scenarios ``wie``, so its sums are taken there.
    """
    s_c = centen(per_pot, out=ruimte("sommen.centen", per_pot.shape))
    over = pot_overschrijding(s_c, model.regel.plafond, out=ruimte("sommen.over", totaal.shape))
    wie, terug = terugvordering_compact(s_c, model.regel, ruimte)
    terug /= 100.0
    # resultaat = lumpsum - kosten - terug; terug is zero outside ``wie``, so the sums are
    # those of lumpsum - kosten, corrected in the scenarios ``wie`` only
    inkomen = model.lumpsum if model.reeds_betaald is None else model.lumpsum + model.reeds_betaald
    basis = np.subtract(inkomen[:, None], kosten, out=ruimte("sommen.basis", kosten.shape))
    verlies = np.less(basis, 0.0, out=ruimte("sommen.verlies", kosten.shape, np.bool_))
    tekort = np.minimum(basis, 0.0, out=ruimte("sommen.tekort", kosten.shape))
    r_som, r_kwadraat = basis.sum(axis=1), np.einsum("ij,ij->i", basis, basis)
    r_verlies, r_tekort = np.count_nonzero(verlies, axis=1), -tekort.sum(axis=1)
    if wie.size:
        b = np.take(basis, wie, axis=1)
        r = b - terug
        r_som -= terug.sum(axis=1)
        r_kwadraat += np.einsum("ij,ij->i", r, r) - np.einsum("ij,ij->i", b, b)
        r_verlies += np.count_nonzero(r < 0.0, axis=1) - np.count_nonzero(b < 0.0, axis=1)
        r_tekort -= np.minimum(r, 0.0).sum(axis=1) - np.minimum(b, 0.0).sum(axis=1)
    return np.concatenate(
        [
            [over.sum(), np.dot(over, over), np.count_nonzero(over)],
            terug.sum(axis=1),
            np.einsum("ij,ij->i", terug, terug),
            np.count_nonzero(terug > 0, axis=1),
            r_som,
            r_kwadraat,
            r_verlies,
            r_tekort,
        ]
    )


def _blok(
    model: Model,
    methode: str,
    seed: int,
    plan: _Plan,
    strooms: range,
    n: int,
    uit: FloatArray,
    uit_pot: FloatArray | None,
    ruimte: Werkruimte,
    extra: Extra | None = None,
    voorwaarde: Voorwaarde | None = None,
) -> FloatArray:
    """Process whole strooms, one at a time, in the worker's scratch arrays ``ruimte``.

    Writes spending into ``uit`` (and ``uit_pot``), the block's own slices (scenario
    ``strooms.start * STROOM`` at column 0), and returns the sums per stroom, shape
    ``(rows, len(strooms))``; with ``extra`` its sums follow the engine's own rows.
    """
    eerste = strooms.start * STROOM
    rijen = len(_ALGEMEEN) + len(_PARTNER) * model.lumpsum.size
    sommen = np.empty((rijen + (extra.rijen if extra else 0), len(strooms)))
    d, w = model.dimensies, plan.breedte
    for kolom, k in enumerate(strooms):
        sommen[:, kolom] = 0.0
        stroom_eind = min((k + 1) * STROOM, n)
        for stuk, begin in enumerate(range(k * STROOM, stroom_eind, w)):
            eind = min(begin + w, stroom_eind)
            z = ruimte("z", (d, eind - begin))
            z = sampler_voor_stuk(methode, d, seed, k, stuk, w).normalen(eind - begin, uit=z)
            per_pot, kosten, scen = _scenarios(model, z, plan, ruimte, cellen=extra is not None,
                                               voorwaarde=voorwaarde)  # fmt: skip
            totaal = per_pot.sum(axis=0) if per_pot.shape[0] > 1 else per_pot[0]
            uit[begin - eerste : eind - eerste] = totaal
            if uit_pot is not None:
                uit_pot[:, begin - eerste : eind - eerste] = per_pot
            if plan.sommen:
                sommen[:rijen, kolom] += _stroom_sommen(model, per_pot, totaal, kosten, ruimte)
            if extra is not None:
                sommen[rijen:, kolom] += extra(scen, kosten, begin, eind)
    return sommen


def werkers_standaard(n: int) -> int:
    """Default number of workers: all cores once there are two blocks or more."""
    blokken = -(-n // (BLOK * STROOM))
    return max(1, min(os.cpu_count() or 1, blokken))


#: How blocks are spread over the workers: ``"threads"`` or ``"processen"`` (see :func:`draai`).
PARALLEL = ("threads", "processen")
STANDAARD_PARALLEL = "threads"

_PROCES: dict[str, object] = {}


def _proces_start(model: Model, methode: str, seed: int, plan: _Plan, n: int) -> None:
    _PROCES.update(model=model, methode=methode, seed=seed, plan=plan, n=n, ruimte=Werkruimte())


def _proces_blok(strooms: range) -> tuple[FloatArray, FloatArray | None, FloatArray]:
    """One block in a worker process; returns its spending (per pot) and sums."""
    model, n = cast(Model, _PROCES["model"]), cast(int, _PROCES["n"])
    lengte = min(strooms.stop * STROOM, n) - strooms.start * STROOM
    uit = np.empty(lengte)
    pots = model.vaste_uitgaven.size
    uit_pot = np.empty((pots, lengte)) if pots > 1 else None
    sommen = _blok(
        model,
        _PROCES["methode"],
        _PROCES["seed"],
        _PROCES["plan"],
        strooms,
        n,
        uit,
        uit_pot,
        _PROCES["ruimte"],
    )  # type: ignore[arg-type]
    return uit, uit_pot, sommen


def _proces_pool(werkers: int, *start: object) -> ProcessPoolExecutor:
    """A pool of worker processes, forked where the platform allows (no re-import)."""
    methoden = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methoden else None)
    return ProcessPoolExecutor(werkers, mp_context=context, initializer=_proces_start,
                               initargs=start)  # fmt: skip


def draai(
    model: Model,
    n: int,
    *,
    seed: int,
    methode: str = "mc",
    werkers: int | None = None,
    blok: int = BLOK,
    parallel: str = STANDAARD_PARALLEL,
    voortgang: Callable[[int, int], None] | None = None,
    extra: Extra | None = None,
    voorwaarde: Voorwaarde | None = None,
    sommen: bool = True,
) -> Ruw:
    """Run ``n`` scenarios of ``model``.

    Parameters
    ----------
    model
        The arrays of the case (:class:`Model`).
    n
        Number of scenarios.
    seed
        Non-negative integer seed; the same seed gives the same numbers.
    methode
        ``"mc"``, ``"sobol"`` or ``"lhs"``.
    werkers
        Workers (default: :func:`werkers_standaard`).
    blok
        Strooms per block (work-array size; does not change the results).
    parallel
        ``"threads"`` (default: numpy releases the GIL in the array work, nothing is
        copied) or ``"processen"`` (forked worker processes; each block's spending comes
        back through a pipe). Measured side by side in ``benchmarks/montecarlo_throughput.py``;
        the results are bit-identical either way.
    voortgang
        Called as ``voortgang(done, n)`` after each block, in the calling thread.
    extra
        Evaluated on every stroom's scenario arrays (:class:`Extra`; the model needs its
        cells); its summed rows are ``sommen["extra"]``. Runs in threads only.
    voorwaarde
        The realisations so far (:class:`Voorwaarde`, needs a levering plan); threads only.
    sommen
        False: keep only the spending (the frontier evaluates its own rules on it); the
        rule and the partners' sums are not computed and ``Ruw.sommen`` is all zeros.
    """
    controleer_aantal(methode, n)
    if parallel not in PARALLEL:
        raise ValueError(f"onbekende parallel {parallel!r}; toegestaan: {', '.join(PARALLEL)}")
    plan = _plan(model, sommen)
    pots = model.vaste_uitgaven.size
    uit = np.empty(n)
    uit_pot = np.empty((pots, n)) if pots > 1 else None
    aantal_strooms = -(-n // STROOM)
    blokken = [range(s, min(s + blok, aantal_strooms)) for s in range(0, aantal_strooms, blok)]
    p = model.lumpsum.size
    if extra is not None:
        if model.levering is None:
            raise ValueError("extra vraagt een model met levering (cellen)")
        parallel = "threads"
    if voorwaarde is not None:
        if model.levering is None:
            raise ValueError("voorwaarde vraagt een model met levering")
        parallel = "threads"
    basis = len(_ALGEMEEN) + len(_PARTNER) * p
    per_stroom = np.zeros((basis + (extra.rijen if extra else 0), aantal_strooms))
    werkers = werkers or werkers_standaard(n)

    def klaar(strooms: range, sommen: FloatArray, gedaan: int) -> int:
        per_stroom[:, strooms.start : strooms.stop] = sommen
        gedaan += min(strooms.stop * STROOM, n) - strooms.start * STROOM
        if voortgang is not None:
            voortgang(gedaan, n)
        return gedaan

    gedaan = 0
    args = (model, methode, seed, plan)

    def plakken(s: range) -> tuple[FloatArray, FloatArray | None]:
        a, b = s.start * STROOM, min(s.stop * STROOM, n)
        return uit[a:b], None if uit_pot is None else uit_pot[:, a:b]

    # one set of scratch arrays per worker, handed from block to block
    ruimtes: queue.SimpleQueue[Werkruimte] = queue.SimpleQueue()
    for _ in range(werkers if parallel == "threads" else 1):
        ruimtes.put(Werkruimte())

    def blok(s: range) -> FloatArray:
        ruimte = ruimtes.get()
        try:
            return _blok(*args, s, n, *plakken(s), ruimte, extra, voorwaarde)
        finally:
            ruimtes.put(ruimte)

    # the workers are the parallelism: BLAS threads on top would only compete for the cores
    with threadpool_limits(limits=1, user_api="blas"):
        if werkers == 1:
            for strooms in blokken:
                gedaan = klaar(strooms, blok(strooms), gedaan)
        elif parallel == "threads":
            with ThreadPoolExecutor(max_workers=werkers) as pool:
                taken = {pool.submit(blok, s): s for s in blokken}
                for taak in as_completed(taken):
                    gedaan = klaar(taken[taak], taak.result(), gedaan)
        else:
            with _proces_pool(werkers, *args, n) as pool:
                taken = {pool.submit(_proces_blok, s): s for s in blokken}
                for taak in as_completed(taken):
                    s = taken[taak]
                    blok_uit, blok_pot, sommen = taak.result()
                    doel_uit, doel_pot = plakken(s)
                    doel_uit[:] = blok_uit
                    if doel_pot is not None:
                        doel_pot[:] = blok_pot
                    gedaan = klaar(s, sommen, gedaan)
    totalen = per_stroom.sum(axis=1)
    sommen: dict[str, FloatArray] = {naam: totalen[i] for i, naam in enumerate(_ALGEMEEN)}
    for i, naam in enumerate(_PARTNER):
        start = len(_ALGEMEEN) + i * p
        sommen[naam] = totalen[start : start + p]
    if extra is not None:
        sommen["extra"] = totalen[basis:]
    uit.flags.writeable = False
    if uit_pot is not None:
        uit_pot.flags.writeable = False
    return Ruw(uit, uit_pot, sommen)
