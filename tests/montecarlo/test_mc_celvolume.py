"""The engine's cel arrays kept as factors (Celvolume, Clienten) against the arrays themselves.

Every arrangement evaluated on the factored scenarios of the engine must pay what it pays
on the plain ``(N, m)`` cel arrays (a second formulation: the per-cel definitions of
:mod:`montecarlo.bekostiging`), for a dense plan with and without binding capaciteit and
for the sorted-cell plan of large cases.
"""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import pytest
from plafond.cases import load_case
from plafond.montecarlo import levering, stroom
from plafond.montecarlo.celvolume import Celvolume, Clienten
from plafond.montecarlo.model import bouw_model
from plafond.montecarlo.scenarios import Scenarios
from plafond.montecarlo.steekproef import sampler_voor_stuk
from plafond.montecarlo.werkruimte import Werkruimte

from tests.montecarlo.test_mc_levering import _case

vg = importlib.import_module("plafond.montecarlo.vergelijk")
ZES = ["pxq", "lumpsum", "populatie", "tweedelig", "staffel", "bandbreedte"]
M = 4096


def _scenarios(case, model):
    plan = stroom._plan(model)
    z = sampler_voor_stuk("mc", model.dimensies, 3, 0, 0, M).normalen(M)
    _, _, sc = stroom._scenarios(model, z, plan, Werkruimte(), cellen=True)
    return sc


def _gevallen():
    ref = load_case("maastricht-heuvelland-2022")
    yield "referentie", ref, False
    yield "zonder capaciteit", _case(), False
    yield "capaciteit", _case(capaciteit={"BGI": 800.0}), False
    yield "gesorteerde cellen", _case(capaciteit={"BGI": 800.0}), True


@pytest.mark.parametrize("naam,case,gesorteerd", list(_gevallen()),
                         ids=[g[0] for g in _gevallen()])  # fmt: skip
def test_arrangements_on_factored_cells_equal_those_on_the_arrays(naam, case, gesorteerd,
                                                                  monkeypatch):  # fmt: skip
    model = bouw_model(case)
    if gesorteerd:  # the sorted-cell path of large cases, on the same small case
        monkeypatch.setattr(levering, "DICHT_FACTOR", 0)
        model = dataclasses.replace(model, levering=dataclasses.replace(model.levering))
    assert bool(model.levering.dicht) == (not gesorteerd)
    sc = _scenarios(case, model)
    assert isinstance(sc.volume, Celvolume) and isinstance(sc.clienten, Clienten)
    plat = Scenarios(np.array(sc.volume), np.array(sc.clienten), sc.overige)
    gekozen = vg.kies_varianten(case, ZES)
    gekozen["bandbreedte_evaluatie"] = gekozen["bandbreedte"].model_copy(
        update={"evaluatie": True})  # fmt: skip
    gekozen["populatie_corridor"] = gekozen["populatie"].model_copy(
        update={"corridor": 0.1, "nacalculatie": 0.5})  # fmt: skip
    for v in gekozen.values():
        f = vg._functie(v, case, model)
        snel, gewoon = f(sc, Werkruimte()), f(plat, None)
        assert np.abs(gewoon).max() > 0
        np.testing.assert_allclose(snel, gewoon, rtol=1e-11, atol=1e-6, err_msg=v.soort)


def test_cel_arrays_are_the_lines_split_by_share_and_capaciteit():
    case = _case(capaciteit={"BGI": 800.0})
    model = bouw_model(case)
    sc = _scenarios(case, model)
    plan = model.levering
    volume = np.asarray(sc.volume)
    # the cel volumes of a partner-product group add up to at most its capaciteit
    groep = np.add.reduceat(volume, plan.groep_start, axis=0)
    assert (groep <= plan.groep_capaciteit[:, None] * (1 + 1e-12)).all()
    assert (groep >= plan.groep_capaciteit[:, None] * (1 - 1e-12)).any()  # it binds
    # clients per unit of volume are the line's in every cel of the line
    rho = np.asarray(sc.clienten) / np.where(volume > 0, volume, 1.0)
    np.testing.assert_allclose(rho, sc.clienten.per_volume[plan.cel_lijn], rtol=1e-12)
    # the sum per partner from the factors equals the sum of the cel array
    w = np.linspace(1.0, 2.0, plan.cel_lijn.size)
    x = np.abs(np.random.default_rng(1).normal(size=sc.clienten.per_volume.shape))
    per_partner = np.zeros((plan.partners, M))
    np.add.at(per_partner, plan.cel_partner, w[:, None] * volume * x[plan.cel_lijn])
    np.testing.assert_allclose(sc.volume.som(w, x), per_partner, rtol=1e-12)
