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
    tijden: list[float] = []
    uit: T | None = None
    for _ in range(keer):
        uit = None
        if opruimen:
            gc.collect()
        t = time.perf_counter()
        uit = f()
        tijden.append(time.perf_counter() - t)
    return min(tijden), uit  # type: ignore[return-value]
