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
from plafond.montecarlo.bekostiging.termen import Termen
from plafond.montecarlo.scenarios import Cellen
from plafond.montecarlo.werkruimte import Werkruimte

FloatArray = NDArray[np.float64]


def termen(volume: FloatArray, cellen: Cellen) -> Termen:
    """``betaling_c = t_c V_c`` as :class:`~montecarlo.bekostiging.termen.Termen`."""
    return Termen(((cellen.tarief, volume),))


def per_cel(volume: FloatArray, cellen: Cellen) -> FloatArray:
    """Payment per cel (euro), same shape as ``volume`` ``(N, ...)``."""
    return termen(volume, cellen).per_cel(volume.shape)


def betaling(volume: FloatArray, cellen: Cellen, ruimte: Werkruimte | None = None) -> FloatArray:
    """Payment per partner (euro), ``(P, ...)``, for cel volumes ``(N, ...)`` (units).

    ``ruimte``: scratch arrays (:mod:`montecarlo.werkruimte`); the result lives there.
    """
    return termen(volume, cellen).per_partner(cellen, volume.shape, ruimte)
