"""Lumpsum with risicodeling (seed 002): a fixed lumpsum per partner, the rule over plafond A.

Per pot ``k`` the spending is ``S_k = B_k + C_k`` (the partners' lumpsum and the overige
uitgaven); the risk rule (:mod:`montecarlo.risicodeling`, written once, used as is)
gives the terugvordering ``T_i`` per partner, and::

    betaling_i = lumpsum_i + R_i - T_i(S)

with ``R_i`` what was already paid to the partner in the year (``kader.reeds_betaald``,
deducted from its lumpsum and part of B's pot spending), so its income is the whole year's.

The partners bear the volume risk of their own delivery (their cost moves, their lumpsum
does not) and share the overschrijding of A through ``T``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.risicodeling import Regel, centen, terugvordering_compact
from plafond.montecarlo.scenarios import Terugvordering
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]


def terugvordering(uitgaven: FloatArray, regel: Regel,
                   ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """The rule's terugvordering per partner (euro), ``(P, m)``, for spending ``(K, m)``.

    The same computation as the engine's (spending to whole cents, the compact rule), so
    the figures equal those of ``simulate`` bit for bit. ``ruimte``: scratch arrays
    (:mod:`montecarlo.werkruimte`); the result lives there.
    """
    c = centen(uitgaven, out=leeg(ruimte, "lumpsum.centen", uitgaven.shape))
    wie, deel_c = terugvordering_compact(c, regel, ruimte)
    deel_c /= 100.0
    return _per_scenario(wie, deel_c, uitgaven.shape[-1], ruimte)


def _per_scenario(wie: NDArray[np.intp], euro: FloatArray, m: int,
                  ruimte: Werkruimte | None) -> FloatArray:  # fmt: skip
    """The terugvordering ``euro`` ``(P, len(wie))`` in the scenarios ``wie``, as ``(P, m)``
    (zero elsewhere), in ``ruimte``."""
    uit = leeg(ruimte, "lumpsum.terug", (euro.shape[0], m))
    uit[...] = 0.0
    uit[:, wie] = euro
    return uit


def betaling(overige: FloatArray, vaste_uitgaven: FloatArray, lumpsum: FloatArray,
             regel: Regel, reeds_betaald: FloatArray | None = None,
             ruimte: Werkruimte | None = None,
             bekend: Terugvordering | None = None) -> FloatArray:  # fmt: skip
    """Payment per partner (euro), ``(P, m)``.

    Parameters
    ----------
    overige
        C per pot and scenario (euro), ``(K, m)``.
    vaste_uitgaven
        B per pot (euro), ``(K,)``.
    lumpsum
        Lumpsum per partner (euro), ``(P,)``.
    regel
        The risk rule.
    reeds_betaald
        Already paid per partner (euro), ``(P,)``, or None.
    ruimte
        Scratch arrays (:mod:`montecarlo.werkruimte`); the result lives there.
    bekend
        The rule's terugvordering as the engine computed it (``Scenarios.terugvordering``),
        used when it is of this ``regel`` on this ``overige`` (the same numbers), or None.
    """
    inkomen = lumpsum if reeds_betaald is None else lumpsum + reeds_betaald
    if bekend is not None and bekend.regel is regel and bekend.overige is overige:
        terug = _per_scenario(bekend.wie, bekend.euro, overige.shape[-1], ruimte)
    else:
        uitgaven = np.add(overige, vaste_uitgaven[:, None],
                          out=leeg(ruimte, "lumpsum.uitgaven", overige.shape))  # fmt: skip
        terug = terugvordering(uitgaven, regel, ruimte)
    return np.subtract(inkomen[:, None], terug, out=terug)
