"""Scenario rows for an optimisation: per scenario the overige uitgaven and the demand.

``plafond`` passes these arrays to ``optimize`` (which never imports montecarlo). The
draws are the engine's own (same samplers, copula and marginals, stroom by stroom), with
the volume of every vraag line taken as the engine forms it (``stroom.spending_en_volume``),
so no second model of the uncertainty exists; with demand-driven C, C_s is the overige's
volume × tarief of that scenario. The price shock is left out: it moves cost, not volume
or spending.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo import stroom
from plafond.montecarlo.steekproef import STROOM, controleer_aantal, sampler_voor_stroom
from plafond.montecarlo.werkruimte import Werkruimte

if TYPE_CHECKING:
    from plafond.cases import Case

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ScenarioRijen:
    """Per scenario: overige uitgaven C_s (euro, ``(S,)``) and the volume of every vraag
    line (eenheden, ``(S, L)``, lines in the order of ``case.vraag``)."""

    overige: FloatArray
    volume: FloatArray


def scenario_rijen(case: Case, n: int, *, seed: int, methode: str = "mc") -> ScenarioRijen:
    """Draw ``n`` scenarios of ``case`` (vectorised per stroom of 16 384)."""
    from plafond.montecarlo.model import bouw_model

    controleer_aantal(methode, n)
    model = replace(bouw_model(case), prijsschok=None)
    lijnen = len(model.vraag)
    plan = stroom.plan(model)
    ruimte = Werkruimte()
    overige, volume = np.empty(n), np.empty((lijnen, n))
    vast = float(model.vaste_uitgaven.sum())
    for k in range(-(-n // STROOM)):
        a, b = k * STROOM, min((k + 1) * STROOM, n)
        z = sampler_voor_stroom(methode, model.dimensies, seed, k).normalen(b - a)
        per_pot, vol = stroom.spending_en_volume(model, z, plan, ruimte)
        overige[a:b] = per_pot.sum(axis=0) - vast
        volume[:, a:b] = vol
    return ScenarioRijen(overige, np.ascontiguousarray(volume.T))
