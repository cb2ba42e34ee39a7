"""The streaming engine: scenarios in fixed strooms, blocks of strooms over worker threads.

A run of ``n`` scenarios is cut into strooms of :data:`~montecarlo.steekproef.STROOM`
scenarios, each with its own random numbers (see :mod:`montecarlo.steekproef`). Blocks of
whole strooms are processed in parallel by threads (numpy and scipy release the GIL in
the heavy array operations); every stroom yields its own sums, which are added up in
stroom order at the end. The result is therefore bit-identical whatever the block size or
the number of workers. Memory: one float per scenario (the spending, kept for
percentiles; one per gemeente when the verdeelsleutel is ``gemeente``) plus one block of
work arrays, independent of ``n``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from montecarlo.copula import correleer, factor
from montecarlo.risicodeling import Regel, overschrijding, terugvordering
from montecarlo.steekproef import STROOM, controleer_aantal, sampler_voor_stroom
from montecarlo.verdelingen import Marginaal
from montecarlo.vraag import SamengesteldeVraag, totaal_volume

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

    @property
    def dimensies(self) -> int:
        """Normal scores per scenario: one per line, plus one per vraag line (volume)."""
        return len(self.overige) + 2 * len(self.vraag)

    @property
    def plafond(self) -> float:
        """Total plafond A (euro)."""
        return float(self.regel.plafond.sum())


#: Names of the per-stroom sums, in row order; ``P`` partner rows follow per name in _PARTNER.
_ALGEMEEN = ("o", "o2", "o_kans")
_PARTNER = ("t", "t2", "t_kans", "r", "r2", "r_verlies", "r_tekort")


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


def _scenario_waarden(
    model: Model, z: FloatArray, l_factor: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Spending per pot ``(K, m)`` and cost per partner ``(P, m)`` for normal scores ``z``."""
    nc, nv = len(model.overige), len(model.vraag)
    m = z.shape[1]
    zc = correleer(z[: nc + nv], l_factor)
    uitgaven = np.repeat(model.vaste_uitgaven[:, None], m, axis=1)
    for i, marg in enumerate(model.overige):
        uitgaven[model.overige_pot[i]] += marg.uit_normaal(zc[i])
    kosten = np.zeros((model.lumpsum.size, m))
    for j, lijn in enumerate(model.vraag):
        clienten = lijn.clienten.uit_normaal(zc[nc + j])
        volume = totaal_volume(clienten, z[nc + nv + j], lijn.volume_gemiddelde, lijn.volume_sd)
        kosten += model.kosten[:, j : j + 1] * volume[None, :]
    return uitgaven, kosten


def _blok(
    model: Model,
    methode: str,
    seed: int,
    l_factor: FloatArray,
    strooms: range,
    n: int,
    uit: FloatArray,
    uit_pot: FloatArray | None,
) -> FloatArray:
    """Process whole strooms; write spending into ``uit``; return sums per stroom."""
    begin = strooms.start * STROOM
    eind = min(strooms.stop * STROOM, n)
    z = np.empty((model.dimensies, eind - begin))
    for k in strooms:
        a, b = k * STROOM - begin, min((k + 1) * STROOM, n) - begin
        z[:, a:b] = sampler_voor_stroom(methode, model.dimensies, seed, k).normalen(b - a)
    per_pot, kosten = _scenario_waarden(model, z, l_factor)
    del z
    totaal = per_pot.sum(axis=0) if per_pot.shape[0] > 1 else per_pot[0]
    uit[begin:eind] = totaal
    if uit_pot is not None:
        uit_pot[:, begin:eind] = per_pot
    over = overschrijding(totaal, model.plafond)
    terug = terugvordering(per_pot, model.regel)
    resultaat = model.lumpsum[:, None] - terug - kosten
    grootheden = (
        over[None, :],
        (over * over)[None, :],
        (over > 0)[None, :],
        terug,
        terug * terug,
        terug > 0,
        resultaat,
        resultaat * resultaat,
        resultaat < 0,
        np.maximum(-resultaat, 0.0),
    )
    grenzen = np.arange(0, eind - begin, STROOM)
    return np.vstack([np.add.reduceat(g, grenzen, axis=1, dtype=np.float64) for g in grootheden])


def werkers_standaard(n: int) -> int:
    """Default number of worker threads: all cores once there are two blocks or more."""
    blokken = -(-n // (BLOK * STROOM))
    return max(1, min(os.cpu_count() or 1, blokken))


def draai(
    model: Model,
    n: int,
    *,
    seed: int,
    methode: str = "mc",
    werkers: int | None = None,
    blok: int = BLOK,
    voortgang: Callable[[int, int], None] | None = None,
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
        Worker threads (default: :func:`werkers_standaard`).
    blok
        Strooms per block (work-array size; does not change the results).
    voortgang
        Called as ``voortgang(done, n)`` after each block, in the calling thread.
    """
    controleer_aantal(methode, n)
    l_factor = factor(model.correlatie) if model.correlatie.size else np.zeros((0, 0))
    pots = model.vaste_uitgaven.size
    uit = np.empty(n)
    uit_pot = np.empty((pots, n)) if pots > 1 else None
    aantal_strooms = -(-n // STROOM)
    blokken = [range(s, min(s + blok, aantal_strooms)) for s in range(0, aantal_strooms, blok)]
    p = model.lumpsum.size
    per_stroom = np.zeros((len(_ALGEMEEN) + len(_PARTNER) * p, aantal_strooms))
    werkers = werkers or werkers_standaard(n)

    def klaar(strooms: range, sommen: FloatArray, gedaan: int) -> int:
        per_stroom[:, strooms.start : strooms.stop] = sommen
        gedaan += min(strooms.stop * STROOM, n) - strooms.start * STROOM
        if voortgang is not None:
            voortgang(gedaan, n)
        return gedaan

    gedaan = 0
    args = (model, methode, seed, l_factor)
    if werkers == 1:
        for strooms in blokken:
            gedaan = klaar(strooms, _blok(*args, strooms, n, uit, uit_pot), gedaan)
    else:
        with ThreadPoolExecutor(max_workers=werkers) as pool:
            taken = {pool.submit(_blok, *args, s, n, uit, uit_pot): s for s in blokken}
            for taak in as_completed(taken):
                gedaan = klaar(taken[taak], taak.result(), gedaan)
    totalen = per_stroom.sum(axis=1)
    sommen: dict[str, FloatArray] = {naam: totalen[i] for i, naam in enumerate(_ALGEMEEN)}
    for i, naam in enumerate(_PARTNER):
        start = len(_ALGEMEEN) + i * p
        sommen[naam] = totalen[start : start + p]
    uit.flags.writeable = False
    if uit_pot is not None:
        uit_pot.flags.writeable = False
    return Ruw(uit, uit_pot, sommen)
