"""PxQ (productiebekostiging, inspanningsgericht): every delivered unit paid at the tarief.

For every cel ``c`` (gebied × partner × product) with volume ``V_c`` (units) and tarief
``t_c`` (euro per unit, the reëel tarief of the case)::

    betaling_c = t_c × V_c,        betaling_i = sum over the cells of partner i

The gemeente bears all volume risk; the partner bears only the price shock (its cost per
unit rises with the prijsschok, its tarief does not).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.scenarios import Cellen, kolom

FloatArray = NDArray[np.float64]


def per_cel(volume: FloatArray, cellen: Cellen) -> FloatArray:
    """Payment per cel (euro), same shape as ``volume`` ``(N, ...)``."""
    return volume * kolom(cellen.tarief, volume.ndim)


def betaling(volume: FloatArray, cellen: Cellen) -> FloatArray:
    """Payment per partner (euro), ``(P, ...)``, for cel volumes ``(N, ...)`` (units)."""
    return cellen.per_partner(per_cel(volume, cellen))
