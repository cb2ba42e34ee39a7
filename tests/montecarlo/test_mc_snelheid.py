"""The speed-ups keep the numbers: processes = threads = one worker, in-place estimators,
table lookups against their exact counterparts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special, stats

from montecarlo import marginaal, schatters
from montecarlo.motor import draai
from montecarlo.risicodeling import overschrijding
from montecarlo.verdelingen import _Z_GRID, _interp_rooster, _paren, gamma_kwantiel
from tests.montecarlo.test_mc_closed_forms import _model


@pytest.mark.parametrize("methode", ["mc", "lhs"])
def test_processes_threads_and_one_worker_give_identical_numbers(methode):
    specs = [
        {"verdeling": "lognormaal", "gemiddelde": 4e5, "cv": 0.2},
        {"verdeling": "negbin", "gemiddelde": 300.0, "cv": 0.1},
    ]
    m = _model(specs, ["a-1", "a-2"], plafond=4e5, binnen=0.5)
    n = 3 * 2**14 + 77
    een = draai(m, n, seed=3, methode=methode, werkers=1)
    threads = draai(m, n, seed=3, methode=methode, werkers=2, blok=1, parallel="threads")
    processen = draai(m, n, seed=3, methode=methode, werkers=2, blok=1, parallel="processen")
    for ander in (threads, processen):
        assert np.array_equal(een.uitgaven, ander.uitgaven)
        for naam, waarde in een.sommen.items():
            assert np.array_equal(waarde, ander.sommen[naam]), naam
    with pytest.raises(ValueError, match="parallel"):
        draai(m, 10, seed=1, parallel="gpu")


def test_in_place_estimators_equal_the_copying_ones():
    rng = np.random.default_rng(4)
    x = rng.lognormal(15, 0.1, 100_001)
    plafond = float(np.quantile(x, 0.7))
    verwacht = schatters.cvar(overschrijding(x, plafond))
    werk = x.copy()
    assert schatters.cvar(
        werk, functie=lambda s: overschrijding(s, plafond), overschrijf=True
    ) == pytest.approx(verwacht, rel=1e-12)
    assert schatters.kwantiel_ci(werk, 0.9, overschrijf=True) == schatters.kwantiel_ci(x, 0.9)
    assert np.array_equal(
        np.quantile(werk, [0.05, 0.5, 0.95], overwrite_input=True),
        np.quantile(x, [0.05, 0.5, 0.95]),
    )


def test_pair_table_interpolation_is_np_interp():
    y = np.cumsum(np.random.default_rng(5).uniform(0.1, 1.0, _Z_GRID.size))
    z = np.concatenate([np.random.default_rng(6).standard_normal(10_000) * 3, [-9.0, 9.0]])
    assert np.allclose(_interp_rooster(_paren(y), z), np.interp(z, _Z_GRID, y), rtol=1e-13)


@pytest.mark.parametrize("vorm", [0.4, 3.0, 50.0, 5000.0])
def test_gamma_quantile_is_exact_and_finite_in_the_upper_tail(vorm):
    z = np.array([-8.5, -3.0, 0.0, 3.0, 8.0, 8.5])
    exact = np.where(
        z > 0, stats.gamma.isf(special.ndtr(-z), vorm), stats.gamma.ppf(special.ndtr(z), vorm)
    )
    uit = gamma_kwantiel(vorm, z)
    assert np.all(np.isfinite(uit[1:]))
    assert np.allclose(uit, exact, rtol=1e-10)
    g = marginaal({"verdeling": "gamma", "gemiddelde": vorm, "sd": np.sqrt(vorm)})
    assert np.isfinite(g.uit_normaal(np.array([8.5, 9.0]))).all()
