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

With ``min(H, H_max) = H - max(H - H_max, 0)`` both are sums of four per-cel arrays (the
clients, ``max(H_min - H, 0)``, ``H`` and ``max(H - H_max, 0)``) with weights, e.g. with
the evaluation::

    betaling_c = t_c × (1/4 B_c - 1/4 max(H_min - H_c, 0) + 3/4 H_c
                        + (boven - 3/4) max(H_c - H_max, 0))

In the engine's scenarios a cel's clients are its line's in proportion to its volume,
``N_c = rho_l V_c``, and ``h_c`` is its line's ``h_l``, so with ``u_l = h_l rho_l`` (the
budgeted hours per hour delivered) every term is the volume times a factor per line::

    betaling_c = t_c V_c × (u_l - max(minimum u_l - 1, 0) + boven max(1 - maximum u_l, 0))

(with the evaluation: ``1/4 (u_l - max(minimum u_l - 1, 0)) + 3/4 + (boven - 3/4)
max(1 - maximum u_l, 0)``); :func:`termen` then sums it per partner without cel arrays
(:class:`~montecarlo.bekostiging.termen.PerLijn`).

The number of clients is the gemeente's (indicated clients); the partner bears the hours
per client inside the band, the gemeente the number of clients and part of the hours
outside it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.bekostiging.termen import PerLijn, Termen
from plafond.montecarlo.celvolume import Celvolume, Clienten
from plafond.montecarlo.scenarios import Cellen, kolom
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]


def uren(uren_: FloatArray, budget: FloatArray, minimum: float, maximum: float,
         boven: float) -> FloatArray:  # fmt: skip
    """Paid hours ``uren(H; B)`` for hours ``H`` against budget ``B`` (module docstring)."""
    h_min, h_max = minimum * budget, maximum * budget
    return budget - np.maximum(h_min - uren_, 0.0) + boven * np.maximum(uren_ - h_max, 0.0)


def termen(volume: FloatArray, clienten: FloatArray, cellen: Cellen, *, minimum: float,
           maximum: float, boven: float, evaluatie: bool = False,
           ruimte: Werkruimte | None = None) -> Termen:  # fmt: skip
    """The bandbreedte as :class:`~montecarlo.bekostiging.termen.Termen` (module docstring:
    the budget ``B = N h`` enters through the clients with weight ``t h``)."""
    d, t, h = volume.ndim, cellen.tarief, cellen.volume_per_client
    per_lijn = _per_lijn(volume, clienten, h, minimum, maximum, boven, evaluatie, ruimte)
    if per_lijn is not None:
        return Termen(((t, PerLijn(volume, per_lijn)),))
    onder = np.multiply(clienten, kolom(minimum * h, d))  # H_min, then max(H_min - H, 0)
    onder -= volume
    np.maximum(onder, 0.0, out=onder)
    erboven = np.multiply(clienten, kolom(maximum * h, d))  # H_max, then max(H - H_max, 0)
    np.subtract(volume, erboven, out=erboven)
    np.maximum(erboven, 0.0, out=erboven)
    if not evaluatie:
        return Termen(((t * h, clienten), (-t, onder), (boven * t, erboven)))
    return Termen(((0.25 * t * h, clienten), (-0.25 * t, onder), (0.75 * t, volume),
                   ((boven - 0.75) * t, erboven)))  # fmt: skip


def _per_lijn(volume: object, clienten: object, h: FloatArray, minimum: float, maximum: float,
              boven: float, evaluatie: bool,
              ruimte: Werkruimte | None = None) -> FloatArray | None:  # fmt: skip
    """The factor per line of the engine's scenarios (module docstring), or None."""
    if not (isinstance(clienten, Clienten) and isinstance(volume, Celvolume)
            and clienten.volume is volume):  # fmt: skip
        return None
    cel_lijn = volume.plan.cel_lijn
    h_lijn = np.zeros(volume.plan.lijnen)
    h_lijn[cel_lijn] = h
    if not np.array_equal(h_lijn[cel_lijn], h):
        return None
    vorm = clienten.per_volume.shape
    u = np.multiply(clienten.per_volume, h_lijn[:, None], out=leeg(ruimte, "band.u", vorm))
    onder = np.multiply(u, minimum, out=leeg(ruimte, "band.onder", vorm))
    onder -= 1.0
    np.maximum(onder, 0.0, out=onder)
    erboven = np.multiply(u, -maximum, out=leeg(ruimte, "band.boven", vorm))
    erboven += 1.0
    np.maximum(erboven, 0.0, out=erboven)
    if evaluatie:
        u -= onder
        u *= 0.25
        u += 0.75
        erboven *= boven - 0.75
    else:
        u -= onder
        erboven *= boven
    u += erboven
    return u


def per_cel(volume: FloatArray, clienten: FloatArray, cellen: Cellen, *, minimum: float,
            maximum: float, boven: float, evaluatie: bool = False) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), same shape as ``volume`` (hours) and ``clienten``."""
    return termen(volume, clienten, cellen, minimum=minimum, maximum=maximum, boven=boven,
                  evaluatie=evaluatie).per_cel(volume.shape)  # fmt: skip


def betaling(volume: FloatArray, clienten: FloatArray, cellen: Cellen, *, minimum: float,
             maximum: float, boven: float, evaluatie: bool = False,
             ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``; ``ruimte`` as :func:`~.pxq.betaling`."""
    return termen(volume, clienten, cellen, minimum=minimum, maximum=maximum, boven=boven,
                  evaluatie=evaluatie, ruimte=ruimte).per_partner(cellen, volume.shape,
                                                                  ruimte)  # fmt: skip
