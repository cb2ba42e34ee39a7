"""Staffel (tariefdifferentiatie naar volume): the tarief falls in volume steps (seed 001).

Per cel ``c`` with expected volume ``E[V_c]``, volume ``V_c`` and tarief ``t_c``, grenzen
``0 = g_0 < g_1 < ... < g_K`` (fractions of ``E[V_c]``, ``g_{K+1} = inf``) and tarief
fractions ``f_0 .. f_K``::

    betaling_c = t_c × sum_k f_k × clip(V_c - g_k E[V_c], 0, (g_{k+1} - g_k) E[V_c])

E.g. ``grenzen (1.0,)``, ``tarieven (1.0, 0.8)``: full tarief up to the expected volume,
80 % above it — the gemeente shares the volume risk above the expectation.

As volumes are never negative, the sum telescopes into one term per step (computed so,
one pass per grens)::

    betaling_c = t_c × (f_0 V_c + sum_{k >= 1} (f_k - f_{k-1}) × max(V_c - g_k E[V_c], 0))
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.bekostiging.termen import Boven, Termen
from plafond.montecarlo.scenarios import Cellen
from plafond.montecarlo.werkruimte import Werkruimte

FloatArray = NDArray[np.float64]


def termen(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
           tarieven: Sequence[float]) -> Termen:  # fmt: skip
    """The staffel as :class:`~montecarlo.bekostiging.termen.Termen` (module docstring):
    the volume and, per grens, the volume above it
    (:class:`~montecarlo.bekostiging.termen.Boven`)."""
    if len(tarieven) != len(grenzen) + 1:
        raise ValueError("staffel: tarieven vraagt één waarde meer dan grenzen")
    lineair = [(tarieven[0] * cellen.tarief, volume)]
    for k, g in enumerate(grenzen, start=1):
        boven = Boven(volume, g * cellen.verwacht_volume)
        lineair.append(((tarieven[k] - tarieven[k - 1]) * cellen.tarief, boven))
    return Termen(lineair)


def per_cel(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
            tarieven: Sequence[float]) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), same shape as ``volume``."""
    return termen(volume, cellen, grenzen, tarieven).per_cel(volume.shape)


def betaling(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
             tarieven: Sequence[float],
             ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``; ``ruimte`` as :func:`~.pxq.betaling`."""
    return termen(volume, cellen, grenzen, tarieven).per_partner(cellen, volume.shape, ruimte)
