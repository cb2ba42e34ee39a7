"""The two ways of ranking remainders in the largest-remainder split give the same ranks."""

from __future__ import annotations

import numpy as np
import pytest
from plafond.montecarlo.risicodeling import _rang, verdeel_centen


@pytest.mark.parametrize("p", [3, 17, 60])
def test_sort_and_pairs_rank_alike_with_ties(p):
    rng = np.random.default_rng(p)
    # remainders with many ties (a few distinct values) and some distinct ones
    rest = rng.integers(0, 4, size=(p, 500)) / 4.0
    rest[:, 250:] = rng.random((p, 250))
    paren, sorteer = _rang(rest, paren_tot=p), _rang(rest, paren_tot=0)
    np.testing.assert_array_equal(paren.astype(np.intp), sorteer)
    # by hand for one column: larger first, ties to the first listed
    kolom = rest[:, 0]
    verwacht = np.empty(p, dtype=np.intp)
    verwacht[sorted(range(p), key=lambda i: (-kolom[i], i))] = np.arange(p)
    np.testing.assert_array_equal(sorteer[:, 0], verwacht)


def test_many_partners_split_adds_up_and_follows_the_weights():
    rng = np.random.default_rng(5)
    gewichten = rng.random(200)
    gewichten /= gewichten.sum()
    totaal = np.floor(rng.random(1000) * 1e7)
    deel = verdeel_centen(totaal, gewichten)
    np.testing.assert_array_equal(deel.sum(axis=0), totaal)
    assert np.all(np.abs(deel - gewichten[:, None] * totaal) < 1.0)  # never a cent beyond
