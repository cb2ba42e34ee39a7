"""The speed-ups keep the numbers: processes = threads = one worker, in-place estimators,
table lookups against their exact counterparts."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import plafond.montecarlo as montecarlo
import pytest
from plafond.montecarlo import marginaal, schatters
from plafond.montecarlo.lijnen import Lijnen
from plafond.montecarlo.motor import draai
from plafond.montecarlo.risicodeling import overschrijding
from plafond.montecarlo.rooster import Z_GRID, Z_NUL, Z_SCHAAL, paren, rooster_waarden
from plafond.montecarlo.verdelingen import gamma_kwantiel
from scipy import special, stats

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


def test_estimators_on_sorted_data_equal_those_on_unsorted_data():
    rng = np.random.default_rng(4)
    x = rng.lognormal(15, 0.1, 100_001)
    plafond = float(np.quantile(x, 0.7))
    verwacht = schatters.cvar(overschrijding(x, plafond))
    gesorteerd = np.sort(x)
    assert schatters.cvar(
        gesorteerd, functie=lambda s: overschrijding(s, plafond), gesorteerd=True
    ) == pytest.approx(verwacht, rel=1e-12)
    assert schatters.kwantiel_ci(gesorteerd, 0.9, gesorteerd=True) == schatters.kwantiel_ci(x, 0.9)


@pytest.mark.parametrize("n", [1, 2, 7, 2**14 + 1, 300_007])
def test_quantile_by_candidates_is_np_quantile_bit_for_bit(n):
    """kwantiel selects among candidates; it must return numpy's own value, ties included."""
    rng = np.random.default_rng(n)
    for x in (rng.normal(size=n), np.floor(rng.normal(size=n) * 3), rng.lognormal(0, 2, n)):
        for q in (0.0, 0.01, 0.05, 0.5, 0.95, 0.999, 1.0):
            verwacht = np.quantile(x, q)
            assert schatters.kwantiel(x, q) == verwacht, q
            assert schatters.kwantiel(np.sort(x), q, gesorteerd=True) == verwacht, q
    # a sample that misleads the bounds (the tail values sit between the strided samples)
    x = np.zeros(2**15)
    x[1::8] = np.arange(1, 2**12 + 1)
    assert schatters.kwantiel(x, 0.95) == np.quantile(x, 0.95)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20, 101, 2**14 + 1])
def test_quantile_and_cvar_from_one_partition_equal_each_alone(n):
    """kwantiel_en_cvar: np.quantile bit for bit, and the mean of the sorted top share."""
    rng = np.random.default_rng(n)
    for x in (rng.normal(size=n), np.floor(rng.normal(size=n) * 3)):
        for niveau in (0.123, 0.5, 0.9, 0.95, 0.975, 0.999):
            q, c = schatters.kwantiel_en_cvar(x, niveau)
            assert q == np.quantile(x, niveau)
            k = max(1, int(np.ceil((1 - niveau) * n - 1e-9)))
            assert c == pytest.approx(np.sort(x)[n - k :].mean(), rel=1e-13, abs=1e-13)
            assert c == pytest.approx(schatters.cvar(x, niveau), rel=1e-13, abs=1e-13)


@pytest.mark.parametrize("n", [1, 2, 7, 1000, 2**14 + 1])
def test_quantile_from_the_lower_part_is_np_quantile_or_none(n):
    """kwantiel_onderkant: exact from every value up to a threshold above the quantile's
    order statistics (ties and extra candidates above it included), else None."""
    rng = np.random.default_rng(n)
    for x in (rng.normal(size=n), np.floor(rng.normal(size=n) * 3)):
        for q in (0.0, 0.05, 0.5):
            verwacht = np.quantile(x, q)
            s = np.sort(x)
            hoog = min(int(np.floor((n - 1) * q)) + 1, n - 1)
            for t in (s[hoog], s[min(hoog + 3, n - 1)], np.inf):
                kand = np.concatenate([x[x <= t], x[x > t][:2]])  # a few more do no harm
                assert schatters.kwantiel_onderkant(rng.permutation(kand), n, q, t) == verwacht
            if s[hoog] > s[0]:  # a threshold below the upper statistic: not exact, None
                t = s[s < s[hoog]].max()
                assert schatters.kwantiel_onderkant(x[x <= t], n, q, t) is None


def test_pair_table_interpolation_is_np_interp():
    y = np.cumsum(np.random.default_rng(5).uniform(0.1, 1.0, Z_GRID.size))
    z = np.concatenate([np.random.default_rng(6).standard_normal(10_000) * 3, [-9.0, 9.0]])
    x = z * Z_SCHAAL + Z_NUL
    assert np.allclose(rooster_waarden(paren(y), x), np.interp(z, Z_GRID, y), rtol=1e-13)


@pytest.mark.parametrize(
    "spec",
    [
        {"verdeling": "negbin", "gemiddelde": 1250.0, "sd": 125.0},
        {"verdeling": "negbin", "gemiddelde": 3.0, "cv": 1.5},
        {"verdeling": "poisson", "gemiddelde": 0.7},
        {"verdeling": "poisson", "gemiddelde": 4e6},  # thresholds closer than a grid cell
    ],
)
def test_discrete_lookup_is_the_exact_inverse_cdf(spec):
    m = marginaal(spec)
    dist = m.scipy()
    # inside the tabulated support (the 1e-15 .. 1 - 1e-15 quantiles)
    z = np.clip(np.random.default_rng(7).standard_normal(20_000) * 2.5, -7.8, 7.8)
    k = m.uit_normaal(z)
    # k is the smallest value with F(k) >= Phi(z): by definition, from scipy's cdf and sf
    # (the upper tail through sf, where Phi(z) rounds towards 1), away from rounding ties
    onder = z < 0
    p_z = np.where(onder, special.ndtr(z), special.ndtr(-z))
    op_k = np.where(onder, dist.cdf(k) - p_z, p_z - dist.sf(k))
    voor_k = np.where(onder, dist.cdf(k - 1) - p_z, p_z - dist.sf(k - 1))
    los = (np.abs(op_k) > 1e-12 * p_z) & (np.abs(voor_k) > 1e-12 * p_z)
    assert los.mean() > 0.99
    assert np.all(op_k[los] > 0) and np.all(voor_k[los] < 0)
    assert m.heeft_cel == (spec["gemiddelde"] <= 1e6)


def test_stacked_lines_give_each_lines_own_values():
    specs = [
        {"verdeling": "gamma", "gemiddelde": 5.0, "cv": 0.5},
        {"verdeling": "lognormaal", "gemiddelde": 1e6, "cv": 0.1},
        {"verdeling": "negbin", "gemiddelde": 400.0, "sd": 40.0},
        {"verdeling": "pert", "min": 1.0, "modus": 2.0, "max": 5.0},
        {"verdeling": "vast", "gemiddelde": 7.0},
        {"verdeling": "lognormaal", "gemiddelde": 3e5, "cv": 0.3},
        {"verdeling": "negbin", "gemiddelde": 90.0, "sd": 30.0},
        {"verdeling": "triangulair", "min": 0.0, "modus": 1.0, "max": 4.0},
        {"verdeling": "normaal", "gemiddelde": -2.0, "sd": 3.0},
        {"verdeling": "empirisch", "waarden": [3.0, 1.0, 2.0, 8.0]},
        {"verdeling": "poisson", "gemiddelde": 4e6},
        {"verdeling": "uniform", "min": 2.0, "max": 3.0},
    ]
    assert {s["verdeling"] for s in specs} == set(montecarlo.FAMILIES)
    marginalen = [marginaal(s) for s in specs]
    lijnen = Lijnen(marginalen)
    z = np.random.default_rng(8).standard_normal((len(specs), 5_000))
    x = z * lijnen.schaal[:, None] + lijnen.verschuiving[:, None]
    samen = lijnen.uit_voorgeschaald(x)
    for i, m in enumerate(marginalen):
        assert np.array_equal(samen[i], m.uit_normaal(z[i])), specs[i]


def test_stacked_tables_are_held_once_and_equal_each_lines_own():
    specs = [{"verdeling": "negbin", "gemiddelde": 40.0 * (i + 1), "cv": 0.3} for i in range(3)]
    specs += [{"verdeling": "gamma", "gemiddelde": 5.0 * (i + 1), "cv": 0.4} for i in range(2)]
    gestapeld, eigen = [marginaal(s) for s in specs], [marginaal(s) for s in specs]
    lijnen = Lijnen(gestapeld)

    def tabel(m):
        return m.celtabel() if m.heeft_cel else m._y

    for a, b in zip(gestapeld, eigen, strict=True):
        assert np.array_equal(tabel(a), tabel(b))  # b's own table, made without a stack
    stapels = [functie.args[0] for _, functie in lijnen._groepen if hasattr(functie, "args")]
    assert len(stapels) == 2
    for m in gestapeld:  # every line's table is a view of its group's stack, not a copy
        assert sum(np.shares_memory(tabel(m), s) for s in stapels) == 1
    # a second Lijnen of the same marginals takes the same stacks (no new tables)
    nog = [functie.args[0] for _, functie in Lijnen(gestapeld)._groepen if hasattr(functie, "args")]
    assert all(a is b for a, b in zip(stapels, nog, strict=True))


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


def test_compound_gamma_with_a_few_small_shapes_is_table_and_exact_per_value():
    # a line with few clients gives shapes below the table's range in some scenarios: those
    # values are scipy's exact quantile (0 for shape 0), all others the table's, bit for bit
    from plafond.montecarlo.vraag import TABEL_VANAF, gamma_uit_normaal
    from plafond.montecarlo.werkruimte import Werkruimte

    rng = np.random.default_rng(4)
    vorm = rng.uniform(TABEL_VANAF, 5000.0, (7, 300))
    klein = rng.random(vorm.shape) < 0.03
    vorm[klein] = rng.uniform(0.0, TABEL_VANAF, klein.sum())
    vorm[0, :3] = 0.0
    z = rng.normal(size=vorm.shape)
    uit = gamma_uit_normaal(vorm, z, Werkruimte())
    groot = vorm >= TABEL_VANAF
    alleen_groot = gamma_uit_normaal(vorm[groot], z[groot])
    np.testing.assert_array_equal(uit[groot], alleen_groot)
    kl = ~groot & (vorm > 0)
    np.testing.assert_array_equal(uit[kl], special.gammaincinv(vorm[kl], special.ndtr(z[kl])))
    assert (uit[vorm == 0] == 0).all()


@pytest.mark.parametrize("n", [1, 7, 1_000, 10**6])
@pytest.mark.parametrize("q", [0.001, 0.05, 0.5, 0.95])
def test_binomial_quantile_is_scipys(n, q):
    for p in (1e-9, 0.025, 0.5, 0.975, 1 - 1e-9):
        assert schatters.binomiaal_kwantiel(p, n, q) == int(stats.binom.ppf(p, n, q))


def test_plain_monte_carlo_does_not_import_scipy_stats():
    """scipy.stats takes about a third of the CLI's start-up; plain MC does without it."""
    code = (
        "import sys\nimport plafond.montecarlo as montecarlo\n"
        "from plafond.cases import load_case\n"
        "montecarlo.simulate(load_case('maastricht-heuvelland-2022'), 1024, seed=1, kans=0.1)\n"
        "print('scipy.stats' in sys.modules)"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, encoding="utf-8", check=True
    )
    assert uit.stdout.strip() == "False"


@pytest.mark.parametrize("schaal", [1.0, 1e7])
def test_mean_and_se_from_sums_equal_numpys(schaal):
    # vergelijk's tables come from summed rows (a sum and a sum of squares per stroom);
    # money-like: a mean of up to 300 sd's (the gemeente's cost: about 76)
    x = schaal * (300.0 + np.random.default_rng(9).standard_normal(100_001))
    delen = np.array_split(x, 7)  # summed per piece, then added up, as the strooms are
    som, kwadraat = sum(d.sum() for d in delen), sum(np.dot(d, d) for d in delen)
    gem, se = schatters.gemiddelde_se(som, kwadraat, x.size)
    assert gem == pytest.approx(x.mean(), rel=1e-13)
    assert se == pytest.approx(x.std(ddof=1) / np.sqrt(x.size), rel=1e-9)
    c = np.full(7, 3.25 * schaal)
    assert schatters.gemiddelde_se(c.sum(), np.dot(c, c), 7)[1] == pytest.approx(
        0.0, abs=1e-6 * schaal)  # fmt: skip
