"""Tweedelig tarief: a fixed part plus a variable tarief per unit (seed 001).

For every cel ``c`` with expected cost ``E[K_c] = E[V_c] t_c`` (the case's expected
volume without capaciteit limits, times the tarief), volume ``V_c`` and tarief ``t_c``::

    betaling_c = vast × E[K_c] + variabel × t_c × V_c

``vast`` is the fixed share of the expected cost, ``variabel`` the fraction of the tarief
paid per unit (default ``1 - vast``, so the expected payment equals the expected cost).
The gemeente bears ``variabel`` of the volume risk, the partner the rest.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.bekostiging.termen import Termen
from plafond.montecarlo.scenarios import Cellen
from plafond.montecarlo.werkruimte import Werkruimte

FloatArray = NDArray[np.float64]


def termen(volume: FloatArray, cellen: Cellen, vast: float,
           variabel: float | None = None) -> Termen:  # fmt: skip
    """``vast E[K_c] + variabel t_c V_c`` as :class:`~montecarlo.bekostiging.termen.Termen`."""
    v = 1.0 - vast if variabel is None else variabel
    return Termen(((v * cellen.tarief, volume),), vast=vast * cellen.verwachte_kosten)


def per_cel(volume: FloatArray, cellen: Cellen, vast: float,
            variabel: float | None = None) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), same shape as ``volume``."""
    return termen(volume, cellen, vast, variabel).per_cel(volume.shape)


def betaling(volume: FloatArray, cellen: Cellen, vast: float, variabel: float | None = None,
             ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``; ``ruimte`` as :func:`~.pxq.betaling`."""
    return termen(volume, cellen, vast, variabel).per_partner(cellen, volume.shape, ruimte)
