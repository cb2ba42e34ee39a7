"""The candidates a frontier or a rule design evaluates: plafond values and rule variants.

Each is a :class:`~montecarlo.risicodeling.Regel` built from the run's own rule
(:class:`~montecarlo.evaluatie.Scenarios`), so that it has the partners and pots of the
scenarios it is evaluated on (:func:`montecarlo.evaluatie.evalueer`).
"""

from __future__ import annotations

import copy
import math
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.risicodeling import Regel

if TYPE_CHECKING:
    from plafond.cases import Case
    from plafond.montecarlo.evaluatie import Scenarios


def regel_bij_plafond(sc: Scenarios, plafond: float, case: Case | None = None) -> Regel:
    """The run's rule with total plafond ``plafond`` (euro), as the case would set it.

    With one pot the plafond is that number. With more pots each pot's plafond follows the
    case (``kader.plafond`` set and the model rebuilt), so it is the split ``simulate``
    uses; that needs the ``case``.
    """
    regel = sc.model.regel
    if regel.plafond.size == 1:
        return met(regel, plafond=np.array([float(plafond)]))
    if case is None:
        raise ValueError("met meer potten is de case nodig om het plafond te verdelen")
    from plafond.cases.wijzig import met_waarden
    from plafond.montecarlo.model import bouw_model

    lumpsum = dict(zip(sc.partners, sc.model.lumpsum.tolist(), strict=True))
    return bouw_model(met_waarden(case, {"kader.plafond": float(plafond)}), lumpsum).regel


def met(regel: Regel, **velden: Any) -> Regel:
    """``regel`` with some fields replaced, its (normalised) weights kept bit for bit."""
    nieuw = copy.copy(regel)
    for naam, waarde in velden.items():
        object.__setattr__(nieuw, naam, waarde)
    return nieuw


def regel_met(
    sc: Scenarios,
    regel: Regel,
    *,
    aandeel_partners: float,
    drempel: float,
    maximum: float | None,
) -> Regel:
    """``regel`` with other parameters (maximum: a fraction of each lumpsum, or None)."""
    return met(
        regel,
        aandeel_partners=float(aandeel_partners),
        drempel=float(drempel),
        maximum=None if maximum is None else float(maximum) * sc.model.lumpsum,
    )


def standaard_plafonds(
    sc: Scenarios, van: float | None, tot: float | None, stappen: int
) -> NDArray[np.float64]:
    """Plafond values from ``van`` to ``tot`` (default: spending p50 and p99.5), euro."""
    if stappen < 1:
        raise ValueError(f"stappen moet minstens 1 zijn, niet {stappen}")
    lo = float(np.quantile(sc.uitgaven, 0.5)) if van is None else float(van)
    hi = float(np.quantile(sc.uitgaven, 0.995)) if tot is None else float(tot)
    if van is None:
        lo = math.floor(lo / 10_000) * 10_000.0
    if tot is None:
        hi = math.ceil(hi / 10_000) * 10_000.0
    if hi < lo:
        raise ValueError(f"--tot ({hi:.2f}) ligt onder --van ({lo:.2f})")
    return np.linspace(lo, hi, stappen) if stappen > 1 else np.array([lo])
