"""Timing for the benchmark scripts: the best of a few runs of the same call."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def beste(f: Callable[[], T], keer: int = 3, *, opruimen: bool = False) -> tuple[float, T]:
    """The shortest of ``keer`` runs of ``f`` (seconds) and the last run's result.

    ``opruimen``: collect the garbage before each run, outside the timing. A Pyomo model is
    freed by the cyclic collector (0,2–0,3 s at 1.000 scenario rows), which would
    otherwise land in whichever run comes next; a CLI run exits without it.
    """
    return naast_elkaar([f], keer, opruimen=opruimen)[0]  # type: ignore[return-value]


def naast_elkaar(
    fs: list[Callable[[], object]], keer: int = 3, *, opruimen: bool = False
) -> list[tuple[float, object]]:
    """:func:`beste` of each of ``fs``, their runs taken in turn (f0, f1, f0, f1, ...).

    On this VM the speed drifts by 20-40 % over seconds; taking the runs in turn gives
    every call the same spells, so their ratio is not one call's luck against the other's.
    """
    tijden: list[list[float]] = [[] for _ in fs]
    uit: list[object] = [None] * len(fs)
    for _ in range(keer):
        for i, f in enumerate(fs):
            uit[i] = None
            if opruimen:
                gc.collect()
            t = time.perf_counter()
            uit[i] = f()
            tijden[i].append(time.perf_counter() - t)
    return [(min(t), u) for t, u in zip(tijden, uit, strict=True)]
