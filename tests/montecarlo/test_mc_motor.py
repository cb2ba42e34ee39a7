"""The engine's internals against plain, independent computations: scratch arrays, the
sums of a stroom from the compact rule, and the model kept per case."""

from __future__ import annotations

import numpy as np
import pytest
from plafond.cases import load_case
from plafond.montecarlo import Regel, terugvordering
from plafond.montecarlo.model import bouw_model
from plafond.montecarlo.stroom import _plan, _scenario_waarden, _stroom_sommen
from plafond.montecarlo.werkruimte import Werkruimte


def test_werkruimte_hands_out_the_same_memory_again():
    ruimte = Werkruimte()
    a = ruimte("a", (3, 100))
    a[...] = 1.0
    b = ruimte("a", (3, 50))  # a shorter stroom: the start of the same buffer, contiguous
    assert np.shares_memory(a, b) and b.flags.c_contiguous and b.shape == (3, 50)
    assert not np.shares_memory(a, ruimte("b", (3, 100)))
    groter = ruimte("a", (4, 100))  # larger: a new buffer
    assert groter.shape == (4, 100) and not np.shares_memory(a, groter)
    # a shape asked before is handed out of the new buffer, not the old one
    assert np.shares_memory(ruimte("a", (3, 50)), groter)
    assert ruimte("a", (3, 50)) is ruimte("a", (3, 50))  # the same view, looked up
    heel = ruimte("a", (2, 10), np.intp)
    assert heel.dtype == np.intp and not np.shares_memory(heel, groter)
    weer = ruimte("a", (3, 50))
    assert weer.dtype == np.float64 and not np.shares_memory(weer, heel)


@pytest.mark.parametrize(
    "regel",
    [
        Regel(plafond=[1e6], gewichten=[[0.5, 0.3, 0.2]]),
        Regel(
            plafond=[1e6],
            gewichten=[[1, 1, 1]],
            drempel=0.01,
            onderschrijding=0.25,
            maximum=[5e3, 5e3, 5e3],
        ),  # fmt: skip
        Regel(
            plafond=[6e5, 4e5],
            gewichten=[[0.6, 0.4, 0.0], [0.0, 0.5, 0.5]],
            drempel=0.02,
            drempel_soort="eigen_risico",
        ),  # fmt: skip
    ],
)
def test_stroom_sums_equal_the_sums_of_the_full_arrays(regel):
    rng = np.random.default_rng(9)
    pots, n = regel.plafond.size, 5_000
    per_pot = regel.plafond[:, None] * rng.normal(1.0, 0.03, (pots, n))
    totaal = per_pot.sum(axis=0)
    lumpsum = np.array([3e5, 2e5, 1e5])
    kosten = lumpsum[:, None] * rng.normal(1.0, 0.05, (3, n))

    class M:  # the fields _stroom_sommen reads
        pass

    model = M()
    model.regel, model.lumpsum, model.plafond = regel, lumpsum, float(regel.plafond.sum())
    model.reeds_betaald = None
    sommen = _stroom_sommen(model, per_pot, totaal, kosten, Werkruimte())  # type: ignore[arg-type]

    # the overschrijding the rule acts on: each pot's own overrun, summed over the pots (an
    # underspend in one pot does not offset an overrun in another)
    over_pot = np.floor(per_pot * 100 + 0.5) - np.floor(regel.plafond[:, None] * 100 + 0.5)
    over = np.maximum(over_pot, 0).sum(axis=0) / 100
    terug = terugvordering(per_pot, regel)
    resultaat = lumpsum[:, None] - terug - kosten
    verwacht = np.concatenate(
        [
            [over.sum(), (over**2).sum(), (over > 0).sum()],
            terug.sum(axis=1),
            (terug**2).sum(axis=1),
            (terug > 0).sum(axis=1),
            resultaat.sum(axis=1),
            (resultaat**2).sum(axis=1),
            (resultaat < 0).sum(axis=1),
            -np.minimum(resultaat, 0).sum(axis=1),
        ]
    )
    assert (terug != 0).any()
    np.testing.assert_allclose(sommen, verwacht, rtol=1e-11, atol=1e-6)


def test_scratch_arrays_do_not_leak_between_strooms():
    """The same normal scores give the same values in a used and in a fresh workspace."""
    model = bouw_model(load_case("maastricht-heuvelland-2022"))
    plan = _plan(model)
    z = np.random.default_rng(3).standard_normal((model.dimensies, 1000))
    gebruikt = Werkruimte()
    _scenario_waarden(model, np.random.default_rng(4).standard_normal(z.shape), plan, gebruikt)
    a = [x.copy() for x in _scenario_waarden(model, z, plan, gebruikt)]
    b = _scenario_waarden(model, z, plan, Werkruimte())
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_the_model_of_a_case_is_built_once_and_read_only():
    case = load_case("maastricht-heuvelland-2022")
    model = bouw_model(case)
    assert bouw_model(case) is model
    assert bouw_model(case, {"levanto": 1e6}) is not model
    for a in (model.kosten, model.lumpsum, model.correlatie, model.regel.gewichten):
        with pytest.raises(ValueError):
            a[...] = 0.0


def test_a_run_for_the_spending_alone_draws_the_same_spending():
    from plafond.montecarlo.motor import draai

    model = bouw_model(load_case("maastricht-heuvelland-2022"))
    vol = draai(model, 2**14 + 7, seed=3, werkers=2)
    alleen = draai(model, 2**14 + 7, seed=3, werkers=2, sommen=False)
    assert np.array_equal(vol.uitgaven, alleen.uitgaven)
    assert vol.sommen["t"].any() and vol.sommen["o"] > 0
    assert all(not np.any(w) for w in alleen.sommen.values())
