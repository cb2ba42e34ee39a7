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
from plafond.montecarlo.bekostiging.termen import Termen
from plafond.montecarlo.scenarios import Cellen, kolom
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]


def termen(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
           tarieven: Sequence[float], ruimte: Werkruimte | None = None) -> Termen:  # fmt: skip
    """The staffel as :class:`~montecarlo.bekostiging.termen.Termen` (module docstring).

    ``ruimte``: scratch arrays for the steps (:mod:`montecarlo.werkruimte`).
    """
    if len(tarieven) != len(grenzen) + 1:
        raise ValueError("staffel: tarieven vraagt één waarde meer dan grenzen")
    ev = kolom(cellen.verwacht_volume, volume.ndim)
    lineair = [(tarieven[0] * cellen.tarief, volume)]
    for k, g in enumerate(grenzen, start=1):
        boven = np.subtract(volume, g * ev, out=leeg(ruimte, f"staffel.{k}", volume.shape))
        np.maximum(boven, 0.0, out=boven)
        lineair.append(((tarieven[k] - tarieven[k - 1]) * cellen.tarief, boven))
    return Termen(lineair)


def per_cel(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
            tarieven: Sequence[float]) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), same shape as ``volume``."""
    return termen(volume, cellen, grenzen, tarieven).per_cel(volume.shape)


def betaling(volume: FloatArray, cellen: Cellen, grenzen: Sequence[float],
             tarieven: Sequence[float],
             ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``."""
    return termen(volume, cellen, grenzen, tarieven, ruimte).per_partner(cellen, volume.shape)
