"""kader.prijsschok: the partners' cost × (1 + shock); spending, kans and terugvordering unmoved."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plafond.montecarlo as montecarlo
import pytest
from plafond.cases import Case, load_case
from plafond.cases.verdeling import Schok
from plafond.montecarlo.model import bouw_model
from plafond.montecarlo.motor import draai

N = 2**15


def _met_schok(case: Case, schok: dict | None) -> Case:
    kader = case.kader.model_copy(update={"prijsschok": None if schok is None else Schok(**schok)})
    return case.model_copy(update={"kader": kader})


@pytest.fixture(scope="module")
def zonder() -> Case:
    """The reference case without its shock: the figures as they were before prijsschok."""
    return _met_schok(load_case("maastricht-heuvelland-2022"), None)


def _identiek(a: montecarlo.SimulatieResultaat, b: montecarlo.SimulatieResultaat) -> None:
    assert a.to_dict() == b.to_dict()
    np.testing.assert_array_equal(a.uitgaven_per_scenario, b.uitgaven_per_scenario)
    pd.testing.assert_frame_equal(a.terugvordering, b.terugvordering, check_exact=True)
    pd.testing.assert_frame_equal(a.exploitatie, b.exploitatie, check_exact=True)


def test_dimensions_one_more_for_a_random_shock_none_for_vast(zonder: Case) -> None:
    d = bouw_model(zonder).dimensies
    assert bouw_model(_met_schok(zonder, {"verdeling": "vast", "gemiddelde": 0.02})).dimensies == d
    normaal = {"verdeling": "normaal", "gemiddelde": 0.0, "sd": 0.01}
    assert bouw_model(_met_schok(zonder, normaal)).dimensies == d + 1


@pytest.mark.parametrize("methode", ["mc", "sobol", "lhs"])
def test_vast_zero_changes_no_figure(zonder: Case, methode: str) -> None:
    nul = _met_schok(zonder, {"verdeling": "vast", "gemiddelde": 0})
    _identiek(
        montecarlo.simulate(zonder, N, seed=42, methode=methode, kans=0.1),
        montecarlo.simulate(nul, N, seed=42, methode=methode, kans=0.1),
    )


@pytest.mark.parametrize("schok", [0.02, -0.03])
def test_vast_shock_scales_the_cost_and_nothing_else(zonder: Case, schok: float) -> None:
    a = montecarlo.simulate(zonder, N, seed=42)
    b = montecarlo.simulate(
        _met_schok(zonder, {"verdeling": "vast", "gemiddelde": schok}), N, seed=42
    )
    np.testing.assert_allclose(
        b.exploitatie["verwachte_kosten"],
        (1 + schok) * a.exploitatie["verwachte_kosten"],
        rtol=1e-12,
    )
    pd.testing.assert_frame_equal(a.terugvordering, b.terugvordering, check_exact=True)
    assert b.overschrijdingskans == a.overschrijdingskans
    assert b.verwachte_overschrijding == a.verwachte_overschrijding
    np.testing.assert_array_equal(a.uitgaven_per_scenario, b.uitgaven_per_scenario)
    # the result moves by exactly the extra cost
    extra = schok * a.exploitatie["verwachte_kosten"]
    np.testing.assert_allclose(
        b.exploitatie["verwacht_resultaat"], a.exploitatie["verwacht_resultaat"] - extra, rtol=1e-9
    )


def test_random_shock_leaves_spending_alone_and_spreads_the_result(zonder: Case) -> None:
    """Plain MC: the shock's score comes after all others, so spending is bit-identical."""
    sd = 0.01
    a = montecarlo.simulate(zonder, N, seed=42)
    b = montecarlo.simulate(
        _met_schok(zonder, {"verdeling": "normaal", "gemiddelde": 0.0, "sd": sd}), N, seed=42
    )
    np.testing.assert_array_equal(a.uitgaven_per_scenario, b.uitgaven_per_scenario)
    pd.testing.assert_frame_equal(a.terugvordering, b.terugvordering, check_exact=True)
    assert b.overschrijdingskans == a.overschrijdingskans
    # mean-zero shock, independent of the volume: E[cost] moves only by sampling noise
    kosten = a.exploitatie["verwachte_kosten"]
    se = sd * kosten / math.sqrt(N)
    assert (np.abs(b.exploitatie["verwachte_kosten"] - kosten) < 5 * se).all()
    # Var(result) gains sd² · E[cost²] (the shock is independent and has mean 0); the
    # volume's own spread is small, so E[cost²] ≈ E[cost]² within a few per cent
    extra = (b.exploitatie["se"] ** 2 - a.exploitatie["se"] ** 2) * N
    np.testing.assert_allclose(extra, (sd * kosten) ** 2, rtol=0.05)
    assert (b.exploitatie["kans_verlies"] != a.exploitatie["kans_verlies"]).all()


@pytest.mark.parametrize("methode", ["mc", "sobol", "lhs"])
def test_mean_shock_raises_the_expected_cost(zonder: Case, methode: str) -> None:
    """E[cost × (1 + s)] = E[cost] × (1 + E[s]) for a shock independent of the volume."""
    schok = {"verdeling": "triangulair", "min": -0.01, "modus": 0.005, "max": 0.04}
    gemiddelde = (-0.01 + 0.005 + 0.04) / 3
    a = montecarlo.simulate(zonder, N, seed=3, methode=methode)
    b = montecarlo.simulate(_met_schok(zonder, schok), N, seed=3, methode=methode)
    kosten = a.exploitatie["verwachte_kosten"]
    se = 0.011 * kosten / math.sqrt(N)  # sd of the triangulair is 0.0104
    verschil = b.exploitatie["verwachte_kosten"] - (1 + gemiddelde) * kosten
    assert (np.abs(verschil) < 5 * se).all(), verschil / se
    assert b.overschrijdingskans == pytest.approx(a.overschrijdingskans, abs=0.02)


def test_same_seed_same_numbers_whatever_the_workers() -> None:
    case = load_case("maastricht-heuvelland-2022")  # its shock: normaal 0, sd 0.01
    n = 5 * 2**14 + 123
    een = montecarlo.simulate(case, n, seed=11, werkers=1)
    _identiek(een, montecarlo.simulate(case, n, seed=11, werkers=2))
    _identiek(een, montecarlo.simulate(case, n, seed=11, werkers=2, parallel="processen"))
    model = bouw_model(case)
    a, b = draai(model, n, seed=11, werkers=1), draai(model, n, seed=11, werkers=2, blok=1)
    np.testing.assert_array_equal(a.uitgaven, b.uitgaven)
    for naam, waarde in a.sommen.items():
        np.testing.assert_array_equal(waarde, b.sommen[naam])
