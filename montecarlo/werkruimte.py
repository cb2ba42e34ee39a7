"""Scratch arrays reused from stroom to stroom, one set per worker.

The engine's work arrays (a few rows of 16 384 scenarios, up to a few MB) are too large
for the allocator to keep: freed, they go back to the operating system, and the next
stroom pays for fresh, zeroed pages — measured here at several times the cost of the
arithmetic done in them. A :class:`Werkruimte` hands out the same memory again instead.
Functions on the hot path take an optional ``ruimte``; without one they allocate as usual,
so they stay plain functions on arrays.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray


class Werkruimte:
    """Named scratch arrays: ``ruimte(naam, vorm)`` returns the same memory every time.

    A request for fewer elements than before gets a contiguous view of the start of the
    existing buffer (the last, shorter stroom); a larger one replaces it. Two live
    arrays must have different names.
    """

    def __init__(self) -> None:
        self._buffers: dict[str, NDArray[Any]] = {}
        # the view handed out per (naam, vorm, dtype): the hot path asks the same thousands
        # of times, and a lookup holds the GIL far shorter than slicing and reshaping
        self._views: dict[tuple[str, tuple[int, ...], DTypeLike], NDArray[Any]] = {}

    def __call__(
        self, naam: str, vorm: tuple[int, ...], dtype: DTypeLike = np.float64
    ) -> NDArray[Any]:
        """An uninitialised array of shape ``vorm`` (contents are whatever was left)."""
        sleutel = (naam, vorm, dtype)
        view = self._views.get(sleutel)
        if view is not None:
            return view
        soort = np.dtype(dtype)
        nodig = math.prod(vorm)
        buffer = self._buffers.get(naam)
        if buffer is None or buffer.dtype != soort or buffer.size < nodig:
            buffer = self._buffers[naam] = np.empty(nodig, soort)
            self._views = {k: v for k, v in self._views.items() if k[0] != naam}
        view = self._views[sleutel] = buffer[:nodig].reshape(vorm)
        return view


def leeg(
    ruimte: Werkruimte | None, naam: str, vorm: tuple[int, ...], dtype: DTypeLike = np.float64
) -> NDArray[Any]:
    """``ruimte(naam, vorm, dtype)``, or a fresh ``np.empty`` without a workspace."""
    if ruimte is None:
        return np.empty(vorm, dtype)
    return ruimte(naam, vorm, dtype)
