"""Closed forms within 4 standard errors at fixed seeds, and reproducibility of the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from plafond.montecarlo import Regel, correlatiematrix, marginaal
from plafond.montecarlo.motor import Model, draai
from plafond.montecarlo.simulatie import simuleer_model
from scipy import stats

N = 2**17


def _model(specs, gebieden=None, *, plafond, binnen=0.0, tussen=0.0, lumpsum=(1.0, 1.0)):
    gebieden = gebieden or [f"g{i}" for i in range(len(specs))]
    gemeente = {g: g.split("-")[0] for g in gebieden}
    return Model(
        overige=tuple(marginaal(s) for s in specs),
        overige_pot=(0,) * len(specs),
        vraag=(),
        correlatie=correlatiematrix(
            gebieden, gemeente, binnen_gemeente=binnen, tussen_gemeenten=tussen
        ),
        vaste_uitgaven=np.array([0.0]),
        regel=Regel(plafond=[plafond], gewichten=[list(lumpsum)]),
        lumpsum=np.array(lumpsum, dtype=float),
        kosten=np.zeros((len(lumpsum), 0)),
    )


def _normal_stop_loss(mu: float, sd: float, k: float) -> float:
    d = (mu - k) / sd
    return (mu - k) * stats.norm.cdf(d) + sd * stats.norm.pdf(d)


def _check(res, p_exact, stop_loss_exact):
    n = res.scenarios
    assert abs(res.overschrijdingskans - p_exact) <= 4 * math.sqrt(p_exact * (1 - p_exact) / n)
    assert (
        abs(res.verwachte_overschrijding - stop_loss_exact) <= 4 * res.verwachte_overschrijding_se
    )
    lo, hi = res.overschrijdingskans_ci95
    assert lo < res.overschrijdingskans < hi


@pytest.mark.parametrize("methode", ["mc", "sobol", "lhs"])
def test_normal_c_probability_and_stop_loss(methode):
    mu, sd, k = 2_400_000.0, 240_000.0, 2_600_000.0
    m = _model([{"verdeling": "normaal", "gemiddelde": mu, "sd": sd}], plafond=k)
    res = simuleer_model(m, N, seed=1, methode=methode)
    _check(res, stats.norm.sf(k, mu, sd), _normal_stop_loss(mu, sd, k))
    # the partners bear half of the overschrijding, pro rata (equal lumpsums here)
    assert res.terugvordering["verwacht"].sum() == pytest.approx(
        0.5 * res.verwachte_overschrijding, abs=0.01
    )


def test_lognormal_c_stop_loss():
    mu, cv, k = 1_300_000.0, 0.12, 1_450_000.0
    m = _model([{"verdeling": "lognormaal", "gemiddelde": mu, "cv": cv}], plafond=k)
    res = simuleer_model(m, N, seed=2)
    s = math.sqrt(math.log1p(cv * cv))
    m_log = math.log(mu) - s * s / 2
    d1 = (m_log + s * s - math.log(k)) / s
    exact = mu * stats.norm.cdf(d1) - k * stats.norm.cdf(d1 - s)
    _check(res, stats.norm.sf((math.log(k) - m_log) / s), exact)


def test_sum_of_independent_normals():
    specs = [{"verdeling": "normaal", "gemiddelde": 1e6, "sd": 1e5} for _ in range(2)]
    specs.append({"verdeling": "normaal", "gemiddelde": 5e5, "sd": 2e5})
    k = 2.7e6
    res = simuleer_model(_model(specs, ["a-1", "b-1", "c-1"], plafond=k), N, seed=3)
    sd = math.sqrt(2 * 1e10 + 4e10)
    _check(res, stats.norm.sf(k, 2.5e6, sd), _normal_stop_loss(2.5e6, sd, k))


@pytest.mark.parametrize(("binnen", "tussen"), [(0.6, 0.0), (0.0, -0.4)])
def test_correlated_normals(binnen, tussen):
    specs = [
        {"verdeling": "normaal", "gemiddelde": 1e6, "sd": 1e5},
        {"verdeling": "normaal", "gemiddelde": 8e5, "sd": 1.5e5},
    ]
    gebieden = ["x-1", "x-2"] if binnen else ["x-1", "y-1"]
    rho = binnen or tussen
    k = 2.0e6
    res = simuleer_model(
        _model(specs, gebieden, plafond=k, binnen=binnen, tussen=tussen), N, seed=4
    )
    sd = math.sqrt(1e10 + 2.25e10 + 2 * rho * 1e5 * 1.5e5)
    _check(res, stats.norm.sf(k, 1.8e6, sd), _normal_stop_loss(1.8e6, sd, k))


def test_plafond_for_kans_interval_covers_the_exact_quantile():
    mu, sd = 1e6, 1e5
    m = _model([{"verdeling": "normaal", "gemiddelde": mu, "sd": sd}], plafond=mu)
    res = simuleer_model(m, N, seed=5, kans=0.1)
    est, lo, hi = res.plafond_bij_kans
    exact = stats.norm.isf(0.1, mu, sd)
    assert lo <= exact <= hi and lo <= est <= hi
    assert res.overschrijdingskans_bij(exact) == pytest.approx(0.1, abs=4 * 0.3 / math.sqrt(N))
    curve = res.overschrijdingscurve(21)
    assert np.all(np.diff(curve["kans"]) <= 0)


@pytest.mark.filterwarnings("ignore:Sobol is alleen")
@pytest.mark.parametrize("methode", ["mc", "sobol", "lhs"])
def test_same_seed_identical_whatever_blocks_or_workers(methode):
    specs = [
        {"verdeling": "gamma", "gemiddelde": 5e5, "cv": 0.2},
        {"verdeling": "negbin", "gemiddelde": 300.0, "cv": 0.1},
    ]
    m = _model(specs, ["a-1", "a-2"], plafond=5e5, binnen=0.5)
    n = 3 * 2**14 + 123
    een = draai(m, n, seed=9, methode=methode, werkers=1, blok=64)  # all in one block
    veel = draai(m, n, seed=9, methode=methode, werkers=2, blok=1)  # one block per stroom
    assert np.array_equal(een.uitgaven, veel.uitgaven)
    for naam, waarde in een.sommen.items():
        assert np.array_equal(waarde, veel.sommen[naam]), naam
    ander = draai(m, n, seed=10, methode=methode, werkers=1)
    assert not np.array_equal(een.uitgaven, ander.uitgaven)
