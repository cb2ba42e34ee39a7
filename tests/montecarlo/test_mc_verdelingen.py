"""Distributions against scipy.stats, the sampler contract, the copula, compound demand."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from plafond.montecarlo import (
    LatinHypercube,
    MonteCarlo,
    Sobol,
    correlatiematrix,
    factor,
    marginaal,
)
from plafond.montecarlo.vraag import gamma_uit_normaal, totaal_volume
from scipy import special, stats

SPECS = [
    {"verdeling": "vast", "gemiddelde": 12.5},
    {"verdeling": "normaal", "gemiddelde": 100.0, "sd": 15.0},
    {"verdeling": "lognormaal", "gemiddelde": 2_400_000.0, "cv": 0.10},
    {"verdeling": "gamma", "gemiddelde": 95.0, "cv": 0.35},
    {"verdeling": "gamma", "gemiddelde": 3.0, "cv": 1.5},
    {"verdeling": "poisson", "gemiddelde": 4.2},
    {"verdeling": "negbin", "gemiddelde": 850.0, "cv": 0.08},
    {"verdeling": "triangulair", "min": 10.0, "modus": 12.0, "max": 20.0},
    {"verdeling": "pert", "min": 10.0, "modus": 12.0, "max": 20.0},
    {"verdeling": "uniform", "min": 2.0, "max": 5.0},
    {"verdeling": "empirisch", "waarden": [3.0, 1.0, 4.0, 1.0, 5.0, 9.0]},
]
N = 200_000


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s["verdeling"])
def test_mean_and_sd_match_scipy_at_a_fixed_seed(spec):
    m = marginaal(spec)
    x = m.uit_normaal(np.random.default_rng(11).standard_normal(N))
    ref = m.scipy()
    if spec["verdeling"] == "empirisch":
        w = np.asarray(spec["waarden"])
        mu, sd = w.mean(), w.std()
    elif ref is None:
        mu, sd = spec["gemiddelde"], 0.0
    else:
        mu, sd = ref.mean(), ref.std()
    assert m.gemiddelde == pytest.approx(mu, rel=1e-12)
    assert m.sd == pytest.approx(sd, rel=1e-12, abs=1e-12)
    assert abs(x.mean() - mu) <= 4 * sd / math.sqrt(N) + 1e-12
    # the sd of a sample sd is about sd * sqrt((kurtosis - 1) / (4 N)); kurtosis < 10 here
    assert abs(x.std() - sd) <= 4 * sd * math.sqrt(9 / (4 * N)) + 1e-12


@pytest.mark.parametrize("spec", [s for s in SPECS if s["verdeling"] not in ("vast",)])
def test_inverse_cdf_matches_scipy_ppf(spec):
    m = marginaal(spec)
    u = np.linspace(0.001, 0.999, 999)
    if spec["verdeling"] == "empirisch":
        w = np.sort(spec["waarden"])
        expected = w[np.minimum((u * w.size).astype(int), w.size - 1)]
    else:
        expected = m.scipy().ppf(u)
    assert np.allclose(m.ppf(u), expected, rtol=2e-5, atol=1e-9)


def test_unknown_family_is_a_dutch_error():
    with pytest.raises(ValueError, match="onbekende verdeling"):
        marginaal({"verdeling": "weibull", "gemiddelde": 1.0})


class TestSamplerContract:
    """What every unit sampler must do (the shape of scipy.stats.qmc)."""

    SAMPLERS = (MonteCarlo, Sobol, LatinHypercube)

    @pytest.fixture(params=SAMPLERS, ids=lambda c: c.__name__)
    def cls(self, request):
        return request.param

    def test_shape_and_open_unit_interval(self, cls):
        u = cls(3, rng=1).random(256)
        assert u.shape == (256, 3)
        assert np.all((u > 0) & (u < 1))

    def test_normalen_layout_is_dimensions_by_scenarios(self, cls):
        z = cls(4, rng=1).normalen(512)
        assert z.shape == (4, 512)
        assert abs(z.mean()) < 4 / math.sqrt(z.size) * 2

    def test_same_seed_same_points_other_seed_other_points(self, cls):
        assert np.array_equal(cls(2, rng=5).random(64), cls(2, rng=5).random(64))
        assert not np.array_equal(cls(2, rng=5).random(64), cls(2, rng=6).random(64))

    def test_uniform_marginals(self, cls):
        u = cls(2, rng=3).random(4096)
        for j in range(2):
            assert stats.kstest(u[:, j], "uniform").pvalue > 1e-4

    def test_rng_is_keyword_only(self, cls):
        with pytest.raises(TypeError):
            cls(2, 1)

    def test_bad_dimension(self, cls):
        with pytest.raises(ValueError):
            cls(0, rng=1)


def test_sobol_and_lhs_are_stratified():
    for cls in (Sobol, LatinHypercube):
        u = cls(2, rng=2).random(1024)
        counts = np.histogram(u[:, 0], bins=1024, range=(0, 1))[0]
        assert np.all(counts == 1), cls.__name__


def test_copula_keeps_the_marginals_and_gives_the_correlation():
    gebieden = ["a", "b", "c"]
    r = correlatiematrix(
        gebieden, {"a": "X", "b": "X", "c": "Y"}, binnen_gemeente=0.6, tussen_gemeenten=0.2
    )
    assert r.tolist() == [[1.0, 0.6, 0.2], [0.6, 1.0, 0.2], [0.2, 0.2, 1.0]]
    z = factor(r) @ np.random.default_rng(4).standard_normal((3, N))
    g = marginaal({"verdeling": "gamma", "gemiddelde": 10.0, "cv": 0.5})
    x = g.uit_normaal(z[0])
    assert stats.kstest(x, g.scipy().cdf).pvalue > 1e-4
    for i in range(3):
        assert stats.kstest(z[i], "norm").pvalue > 1e-4
    assert np.corrcoef(z)[0, 1] == pytest.approx(0.6, abs=4 * 0.64 / math.sqrt(N))
    assert np.corrcoef(z)[0, 2] == pytest.approx(0.2, abs=4 * 0.96 / math.sqrt(N))


def test_matrix_overrides_pairs_and_non_psd_is_refused():
    r = correlatiematrix(["a", "b"], {"a": "X", "b": "Y"}, matrix={"b": {"a": 0.3}})
    assert r[0, 1] == 0.3
    with pytest.raises(ValueError, match="positief semidefiniet"):
        factor(np.array([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1.0]]))


def test_gamma_table_matches_gammaincinv():
    rng = np.random.default_rng(3)
    a = np.exp(rng.uniform(np.log(1.0), np.log(1e6), 50_000))
    z = rng.uniform(-6, 6, a.size)
    exact = special.gammaincinv(a, special.ndtr(z))
    assert np.max(np.abs(gamma_uit_normaal(a, z) - exact) / np.sqrt(a)) < 1e-4


def test_compound_sum_matches_a_per_client_simulation():
    """Poisson(6) clients with gamma volumes: aggregated draw vs drawing every client."""
    rng = np.random.default_rng(21)
    n, mu, cv = 100_000, 90.0, 0.4
    clienten = marginaal({"verdeling": "poisson", "gemiddelde": 6.0})
    aantal = clienten.uit_normaal(rng.standard_normal(n))
    snel = totaal_volume(aantal, rng.standard_normal(n), mu, cv * mu)
    k = 1 / cv**2
    per_client = np.array([rng.gamma(k, mu / k, int(a)).sum() for a in aantal[:20_000]])
    assert stats.ks_2samp(snel, per_client).pvalue > 1e-3
    var = 6.0 * (cv * mu) ** 2 + 6.0 * mu**2
    assert abs(snel.mean() - 6.0 * mu) < 4 * math.sqrt(var / n)


def test_compound_with_non_gamma_volume_matches_first_two_moments():
    rng = np.random.default_rng(22)
    n = 100_000
    v = marginaal({"verdeling": "lognormaal", "gemiddelde": 50.0, "cv": 0.6})
    s = totaal_volume(np.full(n, 40.0), rng.standard_normal(n), v.gemiddelde, v.sd)
    per_client = v.uit_normaal(rng.standard_normal((5_000, 40))).sum(axis=1)
    assert abs(s.mean() - 2000.0) < 4 * math.sqrt(40) * 30 / math.sqrt(n)
    assert s.std() == pytest.approx(math.sqrt(40) * 30, rel=0.02)
    assert np.quantile(s, 0.95) == pytest.approx(np.quantile(per_client, 0.95), rel=0.02)


def test_sobol_warns_off_powers_of_two():
    from plafond.montecarlo.steekproef import controleer_aantal

    with pytest.warns(UserWarning, match="macht van twee"):
        controleer_aantal("sobol", 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        controleer_aantal("sobol", 1024)
