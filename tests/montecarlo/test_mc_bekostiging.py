"""Each arrangement by hand, to the cent, on a small fixed case of three cells."""

from __future__ import annotations

import numpy as np
import pytest
from plafond.montecarlo.bekostiging import bandbreedte, lumpsum, populatie, pxq, staffel, tweedelig
from plafond.montecarlo.risicodeling import Regel
from plafond.montecarlo.scenarios import Cellen

# cells: (a, g1), (a, g2), (b, g1); tarief 50, 50, 60; expected volume 1000, 500, 800
CELLEN = Cellen(
    partner=[0, 0, 1], gebied=[0, 1, 0], product=[0, 0, 0], tarief=[50.0, 50.0, 60.0],
    verwacht_volume=[1000.0, 500.0, 800.0], volume_per_client=[10.0, 10.0, 20.0],
    partners=("a", "b"), gebieden=("g1", "g2"), producten=("BGI",),
)  # fmt: skip
VOLUME = np.array([[1200.0, 900.0], [500.0, 400.0], [800.0, 1000.0]])  # cells × 2 scenarios
CLIENTEN = np.array([[100.0, 100.0], [50.0, 30.0], [40.0, 70.0]])


def _cent(x):
    return np.round(np.asarray(x, dtype=float), 2)


def test_pxq():
    np.testing.assert_array_equal(_cent(pxq.betaling(VOLUME, CELLEN)),
                                  [[85_000.00, 65_000.00], [48_000.00, 60_000.00]])  # fmt: skip


def test_tweedelig():
    # fixed 0.4 of the expected cost (50 000, 25 000, 48 000) + 0.6 × tarief per unit
    np.testing.assert_array_equal(_cent(tweedelig.betaling(VOLUME, CELLEN, 0.4)),
                                  [[81_000.00, 69_000.00], [48_000.00, 55_200.00]])  # fmt: skip
    # an explicit variable part: 0.4 × E[K] + 0.5 × t × V
    np.testing.assert_array_equal(_cent(tweedelig.betaling(VOLUME, CELLEN, 0.4, 0.5)),
                                  [[72_500.00, 62_500.00], [43_200.00, 49_200.00]])  # fmt: skip


@pytest.mark.parametrize(
    ("grenzen", "tarieven", "verwacht"),
    [
        # 100 % up to the expected volume, 80 % above: cel 1 has 1000 + 0.8 × 200 units
        ((1.0,), (1.0, 0.8), [[83_000.00, 65_000.00], [48_000.00, 57_600.00]]),
        # 100 % to half, 90 % to the expectation, 70 % above: cel 1 500 + 450 + 140 = 1090
        # and 500 + 360 units; cel 2 250 + 225 and 250 + 135; cel 3 400 + 360, 400 + 360 + 140
        ((0.5, 1.0), (1.0, 0.9, 0.7),
         [[78_250.00, 62_250.00], [45_600.00, 54_000.00]]),
    ],
)  # fmt: skip
def test_staffel(grenzen, tarieven, verwacht):
    uit = staffel.betaling(VOLUME, CELLEN, grenzen, tarieven)
    np.testing.assert_array_equal(_cent(uit), verwacht)


def test_bandbreedte_without_and_with_evaluation():
    kw = {"minimum": 0.8, "maximum": 1.2, "boven": 0.5}
    # budgets B = clients × hours per client: (1000, 1000), (500, 300), (800, 1400)
    # paid hours: (1000, 1000), (500, 300 + 0.5 × 40), (800, 1400 − (1120 − 1000))
    uit = bandbreedte.betaling(VOLUME, CLIENTEN, CELLEN, **kw)
    np.testing.assert_array_equal(_cent(uit), [[75_000.00, 66_000.00], [48_000.00, 76_800.00]])
    # reset after three months: 1/4 of the above + 3/4 (min(H, Hmax) + 0.5 (H − Hmax)+)
    uit = bandbreedte.betaling(VOLUME, CLIENTEN, CELLEN, evaluatie=True, **kw)
    np.testing.assert_array_equal(_cent(uit), [[82_500.00, 64_500.00], [48_000.00, 64_200.00]])


def _budget():
    gewicht = populatie.gewichten([10_000, 5_000], [0.1, 0.2], [0.02, 0.05], [0.1, 0.0],
                                  basis=1.0, w75=4.0, w85=4.0, wli=2.0)  # fmt: skip
    np.testing.assert_allclose(gewicht, [16_800.0, 10_000.0])
    return populatie.budget_per_cel(CELLEN, gewicht, 100_000.0)


def test_populatie_budgets_without_corridor():
    budget = _budget()
    g1, g2 = 100_000 * 16_800 / 26_800, 100_000 * 10_000 / 26_800
    np.testing.assert_allclose(budget, [g1 * 50 / 98, g2, g1 * 48 / 98], rtol=1e-14)
    uit = populatie.betaling(VOLUME, CELLEN, budget)
    # 31 982,94 + 37 313,43 and 30 703,62, whatever the volume
    np.testing.assert_array_equal(_cent(uit), [[69_296.38, 69_296.38], [30_703.62, 30_703.62]])


def test_populatie_with_corridor():
    budget = _budget()  # 31 982,94; 37 313,43; 30 703,62
    uit = populatie.betaling(VOLUME, CELLEN, budget, corridor=0.1, nacalculatie=0.5)
    # cel (a, g1): production 60 000 and 45 000, both above 1.1 × 31 982,94 = 35 181,24
    # cel (a, g2): 25 000 and 20 000, below 0.9 × 37 313,43 = 33 582,09
    # cel (b, g1): 48 000 and 60 000, above 1.1 × 30 703,62 = 33 773,99
    a1 = 31_982.942431 + 0.5 * (np.array([60_000.0, 45_000.0]) - 35_181.236674)
    a2 = 37_313.432836 - 0.5 * (33_582.089552 - np.array([25_000.0, 20_000.0]))
    b1 = 30_703.624733 + 0.5 * (np.array([48_000.0, 60_000.0]) - 33_773.987207)
    np.testing.assert_array_equal(_cent(uit), _cent([a1 + a2, b1]))
    # 31 982,94 + 12 409,38 + 37 313,43 − 4 291,04
    assert _cent(uit)[0, 0] == 77_414.71


def test_lumpsum_uses_the_rule():
    # seed 002's worked example: B = 2 982 392,50, C = 640 000, A = 3 558 871,00
    regel = Regel(plafond=[3_558_871.00], gewichten=[[2_021_595.00, 960_797.50]])
    lump = np.array([2_021_595.00, 960_797.50])
    uit = lumpsum.betaling(np.array([[640_000.0, 500_000.0]]), np.array([lump.sum()]), lump,
                           regel)  # fmt: skip
    np.testing.assert_array_equal(_cent(uit), [[2_021_595.00 - 21_528.81, 2_021_595.00],
                                               [960_797.50 - 10_231.94, 960_797.50]])  # fmt: skip


def test_lumpsum_takes_the_engines_terugvordering_only_of_its_own_rule_and_c():
    # the engine's terugvordering (Scenarios.terugvordering) replaces the rule only when it
    # is of the same rule on the same C; a stand-in with other numbers shows which was used
    from plafond.montecarlo.scenarios import Terugvordering

    regel = Regel(plafond=[3_558_871.00], gewichten=[[2_021_595.00, 960_797.50]])
    lump = np.array([2_021_595.00, 960_797.50])
    c = np.array([[640_000.0, 500_000.0, 700_000.0]])
    eigen = lumpsum.betaling(c, np.array([lump.sum()]), lump, regel)
    ander = Terugvordering(regel, c, np.array([1]), np.array([[7.0], [3.0]]))
    np.testing.assert_array_equal(
        lumpsum.betaling(c, np.array([lump.sum()]), lump, regel, bekend=ander),
        lump[:, None] - [[0.0, 7.0, 0.0], [0.0, 3.0, 0.0]])  # fmt: skip
    andere_regel = Regel(plafond=[3_558_871.00], gewichten=[[2_021_595.00, 960_797.50]])
    for bekend in (Terugvordering(andere_regel, c, ander.wie, ander.euro),
                   Terugvordering(regel, c.copy(), ander.wie, ander.euro)):  # fmt: skip
        np.testing.assert_array_equal(
            lumpsum.betaling(c, np.array([lump.sum()]), lump, regel, bekend=bekend), eigen
        )


def test_arrangements_broadcast_over_a_year_axis():
    jaren = np.stack([VOLUME, VOLUME * 1.1], axis=1)  # cells × years × scenarios
    uit = staffel.betaling(jaren, CELLEN, (1.0,), (1.0, 0.8))
    np.testing.assert_allclose(uit[:, 0], staffel.betaling(VOLUME, CELLEN, (1.0,), (1.0, 0.8)))
    np.testing.assert_allclose(uit[:, 1], staffel.betaling(VOLUME * 1.1, CELLEN, (1.0,),
                                                           (1.0, 0.8)))  # fmt: skip


def test_staffel_telescoped_equals_the_sum_of_clipped_steps():
    # the definition: t × sum_k f_k × clip(V - g_k E[V], 0, (g_{k+1} - g_k) E[V])
    v = np.random.default_rng(3).uniform(0.0, 2500.0, size=(3, 400))
    grenzen, tarieven = (0.5, 1.0, 1.6), (1.0, 0.9, 0.7, 0.4)
    ev, t = CELLEN.verwacht_volume[:, None], CELLEN.tarief[:, None]
    randen = [0.0, *grenzen, np.inf]
    definitie = t * sum(f * np.clip(v - randen[k] * ev, 0.0, (randen[k + 1] - randen[k]) * ev)
                        for k, f in enumerate(tarieven))  # fmt: skip
    np.testing.assert_allclose(staffel.per_cel(v, CELLEN, grenzen, tarieven), definitie,
                               rtol=1e-12, atol=1e-9)  # fmt: skip


@pytest.mark.parametrize("evaluatie", [False, True])
def test_bandbreedte_equals_its_definition_in_hours(evaluatie):
    rng = np.random.default_rng(4)
    v, n = rng.uniform(0.0, 2500.0, size=(3, 400)), rng.uniform(0.0, 150.0, size=(3, 400))
    kw = {"minimum": 0.9, "maximum": 1.1, "boven": 0.5}
    b = n * CELLEN.volume_per_client[:, None]
    uren = bandbreedte.uren(v, b, **kw)
    if evaluatie:  # the reset after three months: min(H, H_max) + boven × max(H - H_max, 0)
        uren = 0.25 * uren + 0.75 * (np.minimum(v, 1.1 * b) + 0.5 * np.maximum(v - 1.1 * b, 0.0))
    np.testing.assert_allclose(bandbreedte.per_cel(v, n, CELLEN, evaluatie=evaluatie, **kw),
                               uren * CELLEN.tarief[:, None], rtol=1e-12, atol=1e-9)  # fmt: skip


def test_payment_per_partner_is_the_sum_of_its_cells():
    rng = np.random.default_rng(5)
    v, n = rng.uniform(0.0, 2500.0, size=(3, 50)), rng.uniform(0.0, 150.0, size=(3, 50))
    budget = _budget()
    gevallen = [
        (pxq.per_cel(v, CELLEN), pxq.betaling(v, CELLEN)),
        (tweedelig.per_cel(v, CELLEN, 0.3), tweedelig.betaling(v, CELLEN, 0.3)),
        (staffel.per_cel(v, CELLEN, (1.0,), (1.0, 0.8)),
         staffel.betaling(v, CELLEN, (1.0,), (1.0, 0.8))),
        (bandbreedte.per_cel(v, n, CELLEN, minimum=0.9, maximum=1.1, boven=0.5),
         bandbreedte.betaling(v, n, CELLEN, minimum=0.9, maximum=1.1, boven=0.5)),
        (populatie.per_cel(v, CELLEN, budget, corridor=0.1, nacalculatie=0.5),
         populatie.betaling(v, CELLEN, budget, corridor=0.1, nacalculatie=0.5)),
    ]  # fmt: skip
    for per_cel, betaling in gevallen:
        # partner a holds cells 0 and 1, partner b cell 2
        np.testing.assert_allclose(betaling, [per_cel[0] + per_cel[1], per_cel[2]], rtol=1e-12)
