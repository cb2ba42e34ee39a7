"""The two-level factor model equals the dense correlation on the same scores."""

from __future__ import annotations

import numpy as np
import pytest
from plafond.montecarlo import correlatiematrix
from plafond.montecarlo.copula import Factormodel


@pytest.mark.parametrize(("binnen", "tussen"), [(0.5, 0.2), (0.9, 0.0), (0.3, 0.3), (1.0, 0.4)])
def test_factor_model_is_the_dense_one(binnen, tussen):
    gebieden = ["a1", "a2", "b1", "c1", "c2", "c3", "a1"]
    gemeente_van = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "c2": "C", "c3": "C"}
    fm = Factormodel(np.array([0, 0, 1, 2, 2, 2, 0]), 3, binnen_gemeente=binnen,
                     tussen_gemeenten=tussen)  # fmt: skip
    lading = fm.dicht()
    r = correlatiematrix(gebieden, gemeente_van, binnen_gemeente=binnen, tussen_gemeenten=tussen)
    np.testing.assert_allclose(lading @ lading.T, r, atol=1e-12, rtol=0)
    z = np.random.default_rng(3).standard_normal((fm.dimensies, 1000))
    schaal = np.linspace(0.5, 2.0, fm.lijnen)
    np.testing.assert_allclose(fm.toepassen(z, schaal), schaal[:, None] * (lading @ z),
                               atol=1e-12, rtol=0)  # fmt: skip


def test_factor_model_refuses_what_it_cannot_represent():
    with pytest.raises(ValueError, match="factormodel"):
        Factormodel(np.array([0, 1]), 2, binnen_gemeente=0.1, tussen_gemeenten=0.3)
