"""Populatiebekostiging: a budget per gebied from population weights, with an optional corridor.

Weights (seed 001, 004: a verdeling on population characteristics that predict cost)::

    gewicht_g = inwoners_g × (basis + w75 × aandeel_75plus_g + w85 × aandeel_85plus_g
                              + wli × aandeel_laag_inkomen_g)

(a missing share counts as 0). The total ``totaal`` (default: the partners' lumpsum B plus
``kader.reeds_betaald``) is
split over the gebieden with partner cells pro rata ``gewicht_g``, and within a gebied
over its cells (partner × product) pro rata their expected cost ``E[V_c] t_c``:
``budget_c``. Without a corridor the partner gets its budget whatever it delivers.

With a corridor ``k`` (fraction of the budget) and a settlement share ``s``
(nacalculatie) on the realised production ``W_c = t_c V_c``::

    betaling_c = budget_c + s × (max(0, W_c - (1 + k) budget_c) - max(0, (1 - k) budget_c - W_c))

Inside the corridor the aanbieder bears the difference; outside it the difference beyond
the corridor is settled at the share ``s`` (paid on top above, clawed back below).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.bekostiging.termen import Termen
from plafond.montecarlo.scenarios import Cellen, kolom
from plafond.montecarlo.werkruimte import Werkruimte

FloatArray = NDArray[np.float64]


def gewichten(inwoners: FloatArray, a75: FloatArray, a85: FloatArray, laag: FloatArray, *,
              basis: float, w75: float, w85: float, wli: float) -> FloatArray:  # fmt: skip
    """Weight per gebied (weighted inwoners), ``(G,)``; shares as fractions."""
    return np.asarray(inwoners, float) * (basis + w75 * np.asarray(a75, float)
                                          + w85 * np.asarray(a85, float)
                                          + wli * np.asarray(laag, float))  # fmt: skip


def budget_per_cel(cellen: Cellen, gewicht: FloatArray, totaal: float) -> FloatArray:
    """The budget of every cel (euro), ``(N,)``: ``totaal`` by gebied weight, then by cost.

    Raises
    ------
    ValueError
        When no gebied with partner cells has a positive weight.
    """
    gewicht = np.asarray(gewicht, dtype=np.float64)
    met_cellen = np.zeros(gewicht.size, dtype=bool)
    met_cellen[cellen.gebied] = True
    g = np.where(met_cellen, gewicht, 0.0)
    if g.sum() <= 0:
        raise ValueError("populatie: geen gebied met partners en een positief gewicht")
    per_gebied = totaal * g / g.sum()
    kosten = cellen.verwachte_kosten
    som = np.bincount(cellen.gebied, weights=kosten, minlength=gewicht.size)
    aantal = np.bincount(cellen.gebied, minlength=gewicht.size)
    aandeel = np.where(som[cellen.gebied] > 0, kosten / np.where(som > 0, som, 1.0)[cellen.gebied],
                       1.0 / aantal[cellen.gebied])  # fmt: skip
    return per_gebied[cellen.gebied] * aandeel


def termen(volume: FloatArray, cellen: Cellen, budget: FloatArray, *,
           corridor: float | None = None, nacalculatie: float = 1.0) -> Termen:  # fmt: skip
    """The budget (and corridor) as :class:`~montecarlo.bekostiging.termen.Termen`."""
    budget = np.asarray(budget, dtype=np.float64)
    if corridor is None:
        return Termen((), vast=budget)
    d = volume.ndim
    w = np.multiply(volume, kolom(cellen.tarief, d))
    boven = np.subtract(w, kolom((1.0 + corridor) * budget, d))
    np.maximum(boven, 0.0, out=boven)
    onder = np.subtract(kolom((1.0 - corridor) * budget, d), w, out=w)
    np.maximum(onder, 0.0, out=onder)
    return Termen(((nacalculatie, boven), (-nacalculatie, onder)), vast=budget)


def per_cel(volume: FloatArray, cellen: Cellen, budget: FloatArray, *,
            corridor: float | None = None, nacalculatie: float = 1.0) -> FloatArray:  # fmt: skip
    """Payment per cel (euro), shape of ``volume``; ``budget`` per cel ``(N,)``."""
    return termen(volume, cellen, budget, corridor=corridor,
                  nacalculatie=nacalculatie).per_cel(volume.shape)  # fmt: skip


def betaling(volume: FloatArray, cellen: Cellen, budget: FloatArray, *,
             corridor: float | None = None, nacalculatie: float = 1.0,
             ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, ...)``; ``ruimte`` as :func:`~.pxq.betaling`."""
    return termen(volume, cellen, budget, corridor=corridor,
                  nacalculatie=nacalculatie).per_partner(cellen, volume.shape, ruimte)  # fmt: skip
