"""Precision on demand: run until the overschrijdingskans is known to ± h.

Scenarios are drawn in blocks of :data:`BLOK_SCENARIOS` (whole strooms, each seeded by its
own index), so the first ``n`` scenarios of a longer run are exactly a run of ``n``. A run
to precision tries ``n`` = one block, measures the 95 % half-width of the kans (and, with
``relatief``, the se of each expected terugvordering against its value) and, if too wide,
goes on to the ``n`` the measured spread asks for (the half-width shrinks as 1/sqrt(n)),
rounded up to whole blocks, at least one block more, at most :data:`MAX_N`. Every step is
a run of the engine from the first block: its numbers are those of ``simulate -n N`` for
the final N, and the same seed and h give the same N. (Re-running the earlier blocks costs
at most the sum of the earlier steps; in practice two or three steps.)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from plafond.montecarlo.motor import BLOK
from plafond.montecarlo.steekproef import STROOM, is_macht_van_twee

#: Scenarios per block: the unit in which a run to precision grows (4 × 16 384).
BLOK_SCENARIOS = BLOK * STROOM
#: The largest number of scenarios a run to precision draws (2^24 = 16.777.216).
MAX_N = 2**24

T = TypeVar("T")


@dataclass(frozen=True)
class Maat:
    """What a run reached: the kans's 95 % half-width and the worst relative se."""

    halve_breedte: float
    relatief: float


@dataclass(frozen=True)
class Precies(Generic[T]):
    """The run that met the precision (or the last one, at the maximum).

    Attributes
    ----------
    resultaat
        What the run function returned for the final ``n``.
    n
        Scenarios used.
    maat
        The precision reached.
    bereikt
        True when both targets were met (False: stopped at ``max_n``).
    stappen
        The ``n`` of every step, in order.
    """

    resultaat: T
    n: int
    maat: Maat
    bereikt: bool
    stappen: tuple[int, ...]

    def to_dict(self, precisie: float | None, relatief: float | None) -> dict:
        """JSON: asked and reached precision, the steps."""
        return {
            "gevraagd": precisie,
            "gevraagd_relatief": relatief,
            "halve_breedte": self.maat.halve_breedte,
            "relatief": None if math.isnan(self.maat.relatief) else self.maat.relatief,
            "bereikt": self.bereikt,
            "stappen": list(self.stappen),
        }


def _blokken(n: float, methode: str) -> int:
    """``n`` rounded up to whole blocks (Sobol: to a power of two)."""
    blokken = max(1, math.ceil(n / BLOK_SCENARIOS - 1e-9))
    uit = blokken * BLOK_SCENARIOS
    if methode == "sobol" and not is_macht_van_twee(uit):
        uit = 2 ** math.ceil(math.log2(uit))
    return uit


def controleer(precisie: float | None, relatief: float | None, max_n: int) -> None:
    """Check the targets (fractions > 0) and the maximum (at least one block)."""
    for naam, waarde in (("precisie", precisie), ("precisie-relatief", relatief)):
        if waarde is not None and not 0.0 < waarde < 1.0:
            raise ValueError(f"{naam} moet tussen 0 en 1 liggen (een fractie), niet {waarde!r}")
    if max_n < BLOK_SCENARIOS:
        raise ValueError(f"het maximum aantal scenario's moet minstens {BLOK_SCENARIOS} zijn")


def tot_precisie(
    draai_n: Callable[[int], T],
    meet: Callable[[T], Maat],
    *,
    precisie: float | None,
    relatief: float | None = None,
    methode: str = "mc",
    max_n: int = MAX_N,
) -> Precies[T]:
    """Run ``draai_n(n)`` for growing ``n`` until ``meet`` says the targets are met.

    Parameters
    ----------
    draai_n
        Runs ``n`` scenarios (same seed every time) and returns a result.
    meet
        The precision of a result (:class:`Maat`).
    precisie
        Largest 95 % half-width of the overschrijdingskans (fraction, e.g. 0.002), or None.
    relatief
        Largest se of each expected terugvordering as a fraction of its value, or None.
    methode
        The sampler (Sobol sizes are powers of two).
    max_n
        Stop here even if not met (rounded down to whole blocks).
    """
    controleer(precisie, relatief, max_n)
    max_n = max(BLOK_SCENARIOS, max_n // BLOK_SCENARIOS * BLOK_SCENARIOS)
    n, stappen = _blokken(BLOK_SCENARIOS, methode), []
    while True:
        stappen.append(n)
        res = draai_n(n)
        maat = meet(res)
        factor = 1.0
        if precisie is not None:
            factor = max(factor, (maat.halve_breedte / precisie) ** 2)
        if relatief is not None and not math.isnan(maat.relatief):
            factor = max(factor, (maat.relatief / relatief) ** 2)
        bereikt = factor <= 1.0
        if bereikt or n >= max_n:
            return Precies(res, n, maat, bereikt, tuple(stappen))
        n = min(max_n, _blokken(max(n + BLOK_SCENARIOS, 1.1 * factor * n), methode))


def maat_simulatie(res: object) -> Maat:
    """The precision of a :class:`~montecarlo.resultaat.SimulatieResultaat`."""
    lo, hi = res.overschrijdingskans_ci95  # type: ignore[attr-defined]
    t = res.terugvordering  # type: ignore[attr-defined]
    positief = t[t["verwacht"] > 0]
    rel = float((positief["se"] / positief["verwacht"]).max()) if len(positief) else math.nan
    return Maat((hi - lo) / 2.0, rel)
