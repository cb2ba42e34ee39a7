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
run: the workers already use every core. The arithmetic of one stroom (scores → spending
and cost, and its sums) is :mod:`montecarlo.stroom`; this module holds the arrays of a case
(:class:`Model`) and the loop over strooms and workers.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import Protocol, cast

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.copula import Factormodel
from plafond.montecarlo.levering import Leveringsplan
from plafond.montecarlo.risicodeling import (
    Regel,
)
from plafond.montecarlo.scenarios import Cellen, Scenarios, Terugvordering
from plafond.montecarlo.steekproef import (
    STROOM,
    controleer_aantal,
    sampler_voor_stuk,
)
from plafond.montecarlo.stroom import (
    _ALGEMEEN,
    _PARTNER,
    Voorwaarde,
    _Plan,
    _plan,
    _regel,
    _scenarios,
    _stroom_sommen,
)
from plafond.montecarlo.verdelingen import Marginaal
from plafond.montecarlo.vraag import SamengesteldeVraag
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
    pot_ids
        Pot ids along the pot axis (the case's ``potten``; empty for a model built by hand).
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
    pot_ids: tuple[str, ...] = ()
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
            regel = _regel(model, per_pot, ruimte) if plan.sommen else None
            if regel is not None:
                sommen[:rijen, kolom] += _stroom_sommen(model, per_pot, totaal, kosten, ruimte,
                                                        regel)  # fmt: skip
            if extra is not None:
                if regel is not None and scen is not None:  # the lumpsum arrangement reuses it
                    scen = replace(scen, terugvordering=Terugvordering(model.regel, scen.overige,
                                                                       *regel[1:]))  # fmt: skip
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
