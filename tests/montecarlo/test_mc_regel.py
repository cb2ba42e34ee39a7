"""The risk rule with fixed inputs, to the cent (DOMAIN.md's worked example and variants)."""

from __future__ import annotations

import numpy as np
import pytest
from plafond.montecarlo.risicodeling import Regel, terugvordering, verdeel_centen

A = 3_558_871.00
B = 2_982_392.50
L1, L2 = 2_021_595.00, 960_797.50


def _regel(**kw) -> Regel:
    return Regel(plafond=[A], gewichten=[[L1, L2]], **kw)


def test_worked_example_to_the_cent():
    t = terugvordering(np.array([B + 640_000.00]), _regel())
    assert t[:, 0].tolist() == [21_528.81, 10_231.94]
    assert round(t.sum(), 2) == 31_760.75


def test_no_claw_back_at_or_below_the_plafond():
    t = terugvordering(np.array([A - 1000.0, A]), _regel())
    assert np.all(t == 0.0)


def test_parts_add_up_to_the_partners_share_exactly():
    rng = np.random.default_rng(7)
    s = A + rng.uniform(0, 500_000, 10_000).round(2)
    gewichten = rng.uniform(0.1, 3.0, 7)
    regel = Regel(plafond=[A], gewichten=[gewichten], aandeel_partners=0.37)
    t_c = np.rint(terugvordering(s, regel) * 100)
    o_c = np.rint((s - A) * 100)
    assert np.array_equal(t_c.sum(axis=0), np.floor(0.37 * o_c + 0.5))


@pytest.mark.parametrize(
    ("c", "verwacht"),
    [
        (640_000.00, (0.0, 0.0)),  # overschrijding 63.521,50 <= 2 % of A = 71.177,42
        (660_000.00, (28_307.25, 13_453.50)),  # 83.521,50 > drempel: on all of it
    ],
)
def test_drempel_franchise(c, verwacht):
    t = terugvordering(np.array([B + c]), _regel(drempel=0.02))
    assert tuple(t[:, 0]) == pytest.approx(verwacht, abs=0.001)
    if verwacht[0]:
        assert round(t.sum(), 2) == round(0.5 * (B + c - A), 2)


def test_drempel_eigen_risico_only_the_part_above():
    # overschrijding 83.521,50 - drempel 71.177,42 = 12.344,08; half: 6.172,04
    t = terugvordering(
        np.array([B + 660_000.00]), _regel(drempel=0.02, drempel_soort="eigen_risico")
    )
    assert round(t.sum(), 2) == 6_172.04
    assert t[:, 0].tolist() == [4_183.68, 1_988.36]


def test_maximum_caps_each_partner_without_redistribution():
    # overschrijding 200.000, partners' share 100.000: P1 67.784,34 and P2 32.215,66;
    # P1's cap is 3 % of L1 = 60.647,85, P2's cap (10 % of L2) does not bind
    regel = _regel(maximum=np.array([0.03 * L1, 0.10 * L2]))
    t = terugvordering(np.array([A + 200_000.00]), regel)
    assert t[:, 0].tolist() == [60_647.85, 32_215.66]
    assert round(t.sum(), 2) == 92_863.51  # the 7.136,49 cut off is not redistributed


def test_onderschrijding_is_a_payment_to_the_partners():
    t = terugvordering(np.array([A - 10_000.00]), _regel(onderschrijding=0.5))
    assert round(t.sum(), 2) == -5_000.00
    assert np.all(t <= 0)


def test_verdeel_centen_ties_go_to_the_first_partner():
    deel = verdeel_centen(np.array([1.0, 2.0, -1.0]), np.array([0.5, 0.5]))
    assert deel.tolist() == [[1.0, 1.0, -1.0], [0.0, 1.0, 0.0]]


def test_two_pots_per_gemeente():
    regel = Regel(plafond=[100.0, 200.0], gewichten=[[1.0, 0.0], [0.0, 1.0]])
    t = terugvordering(np.array([[110.0], [150.0]]), regel)  # only pot 1 overspends
    assert t[:, 0].tolist() == [5.0, 0.0]


@pytest.mark.parametrize("a_c", [0.0, 1.0, 355_887_100.0, 12_345_678_901.0, 2.0**52 / 128])
def test_one_comparison_counts_above_the_plafond_as_whole_cents_do(a_c):
    from plafond.montecarlo.risicodeling import centen, grens_centen

    x = grens_centen(a_c)
    assert centen(x) <= a_c < centen(np.nextafter(x, np.inf))
    # every float within 64 steps of the half cent, and random amounts around it
    midden = (a_c + 0.5) / 100.0
    stappen = [midden]
    for richting in (np.inf, -np.inf):
        y = midden
        for _ in range(64):
            y = np.nextafter(y, richting)
            stappen.append(y)
    rng = np.random.default_rng(int(a_c) % 2**32)
    g = np.concatenate([stappen, midden + rng.uniform(-0.02, 0.02, 1000)])
    np.testing.assert_array_equal(g > x, centen(g) > a_c)
