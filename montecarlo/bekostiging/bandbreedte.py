"""Bandbreedte (seed 003): a yearly budget of hours per client between a minimum and a maximum.

Per cel ``c`` with ``N_c`` clients, hours ``H_c``, mean hours per client ``h_c`` and
tarief ``t_c``: the jaarbudget is ``B_c = N_c h_c`` hours, the band
``[H_min, H_max] = [minimum × B_c, maximum × B_c]``. The budget is paid whatever the hours
inside the band; hours above the maximum are paid at the share ``boven``; hours below
the minimum lower the budget::

    uren(H; B) = B - max(0, H_min - H) + boven × max(0, H - H_max)
    betaling_c = t_c × uren(H_c; B_c)

Evaluation after three months (``evaluatie``), modelled simply: hours are spread evenly
over the year, so the first quarter shows the yearly rate ``H_c``; from then on the budget
of the remaining nine months is reset to that rate clipped to the band,
``B' = clip(H_c, H_min, H_max)``, with the same band, so::

    betaling_c = t_c × (1/4 uren(H_c; B_c) + 3/4 uren(H_c; B'))
               = t_c × (1/4 uren(H_c; B_c) + 3/4 (min(H_c, H_max) + boven max(0, H_c - H_max)))

The number of clients is the gemeente's (indicated clients); the partner bears the hours
per client inside the band, the gemeente the number of clients and part of the hours
outside it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.scenarios import Cellen, kolom

FloatArray = NDArray[np.float64]


def uren(uren_: FloatArray, budget: FloatArray, minimum: float, maximum: float,
         boven: float) -> FloatArray:  # fmt: skip
    """Paid hours ``uren(H; B)`` for hours ``H`` against budget ``B`` (module docstring)."""
    h_min, h_max = minimum * budget, maximum * budget
    return budget - np.maximum(h_min - uren_, 0.0) + boven * np.maximum(uren_ - h_max, 0.0)


def per_cel(volume: FloatArray, clienten: FloatArray, cellen: Cellen, *, minimum: float,
            maximum: float, boven: float, evaluatie: bool = False) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), same shape as ``volume`` (hours) and ``clienten``."""
    d = volume.ndim
    budget = clienten * kolom(cellen.volume_per_client, d)
    betaald = uren(volume, budget, minimum, maximum, boven)
    if evaluatie:
        h_max = maximum * budget
        na = np.minimum(volume, h_max) + boven * np.maximum(volume - h_max, 0.0)
        betaald = 0.25 * betaald + 0.75 * na
    return betaald * kolom(cellen.tarief, d)


def betaling(volume: FloatArray, clienten: FloatArray, cellen: Cellen, *, minimum: float,
             maximum: float, boven: float, evaluatie: bool = False) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``."""
    return cellen.per_partner(per_cel(volume, clienten, cellen, minimum=minimum,
                                      maximum=maximum, boven=boven,
                                      evaluatie=evaluatie))  # fmt: skip
