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
from plafond.montecarlo.scenarios import Cellen, kolom

FloatArray = NDArray[np.float64]


def per_cel(volume: FloatArray, cellen: Cellen, vast: float,
            variabel: float | None = None) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), same shape as ``volume``."""
    v = 1.0 - vast if variabel is None else variabel
    d = volume.ndim
    return vast * kolom(cellen.verwachte_kosten, d) + v * kolom(cellen.tarief, d) * volume


def betaling(volume: FloatArray, cellen: Cellen, vast: float,
             variabel: float | None = None) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``."""
    return cellen.per_partner(per_cel(volume, cellen, vast, variabel))
