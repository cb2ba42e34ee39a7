"""Staffel (tariefdifferentiatie naar volume): the tarief falls in volume steps (seed 001).

Per cel ``c`` with expected volume ``E[V_c]``, volume ``V_c`` and tarief ``t_c``, grenzen
``0 = g_0 < g_1 < ... < g_K`` (fractions of ``E[V_c]``, ``g_{K+1} = inf``) and tarief
fractions ``f_0 .. f_K``::

    betaling_c = t_c × sum_k f_k × clip(V_c - g_k E[V_c], 0, (g_{k+1} - g_k) E[V_c])

E.g. ``grenzen (1.0,)``, ``tarieven (1.0, 0.8)``: full tarief up to the expected volume,
80 % above it — the gemeente shares the volume risk above the expectation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.scenarios import Cellen, kolom

FloatArray = NDArray[np.float64]


def per_cel(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
            tarieven: Sequence[float]) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), same shape as ``volume``."""
    if len(tarieven) != len(grenzen) + 1:
        raise ValueError("staffel: tarieven vraagt één waarde meer dan grenzen")
    ev = kolom(cellen.verwacht_volume, volume.ndim)
    randen = [0.0, *grenzen]
    uit = np.zeros(volume.shape)
    for k, f in enumerate(tarieven):
        onder = randen[k] * ev
        stap = np.maximum(volume - onder, 0.0)
        if k + 1 < len(randen):
            stap = np.minimum(stap, (randen[k + 1] - randen[k]) * ev)
        uit += f * stap
    return uit * kolom(cellen.tarief, volume.ndim)


def betaling(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
             tarieven: Sequence[float]) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``."""
    return cellen.per_partner(per_cel(volume, cellen, grenzen, tarieven))
