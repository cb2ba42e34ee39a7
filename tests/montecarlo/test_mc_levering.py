"""Spending follows demand: closed forms, monotonicity, and capaciteit spill by hand."""

from __future__ import annotations

import copy
import dataclasses
import math

import numpy as np
import pytest
from plafond.cases.load import case_from_dict
from plafond.montecarlo import levering, simulate
from plafond.montecarlo.levering import lever
from plafond.montecarlo.model import bouw_model
from scipy import stats

N = 2**16


def _case(
    *, clienten=1000.0, cv=0.05, plafond=None, capaciteit=None, wachtlijst=False, direct=None
):
    """One product, two gebieden in one gemeente, two partners and the overige.

    Every partner omzet and tarief is chosen so the hand computations below are short:
    tarief 50 for everyone, overige share fixed at 0.2, volume per client fixed at 100.
    """
    data = {
        "naam": "klein",
        "jaar": 2025,
        "producten": {"BGI": {"naam": "Begeleiding", "eenheid": "uur"}},
        "gebieden": {
            "g1": {"gemeente": "G", "inwoners": 10000},
            "g2": {"gemeente": "G", "inwoners": 10000},
        },
        "aanbieders": {
            "p1": {"naam": "P1", "rol": "partner", "capaciteit": capaciteit or {}},
            "p2": {"naam": "P2", "rol": "partner"},
            "ov": {"naam": "Overig", "rol": "overig"},
        },
        "tarieven": [{"product": "BGI", "tarief": 50.0}],
        "historie": [
            {"aanbieder": "p1", "gebied": "g1", "product": "BGI", "omzet": 2_400_000},
            {"aanbieder": "p2", "gebied": "g1", "product": "BGI", "omzet": 1_600_000},
            {"aanbieder": "ov", "gebied": "g1", "product": "BGI", "omzet": 1_000_000},
            {"aanbieder": "p1", "gebied": "g2", "product": "BGI", "omzet": 1_000_000},
            {"aanbieder": "p2", "gebied": "g2", "product": "BGI", "omzet": 1_000_000},
            {"aanbieder": "ov", "gebied": "g2", "product": "BGI", "omzet": 500_000},
        ],
        "vraag": [
            {
                "gebied": g,
                "product": "BGI",
                "clienten": {"verdeling": "normaal", "gemiddelde": clienten, "cv": cv},
                "volume_per_client": {"verdeling": "vast", "gemiddelde": 100.0},
            }
            for g in ("g1", "g2")
        ],
        "kader": {"plafond": plafond, "correlatie": {"binnen_gemeente": 0.5}},
        "levering": {
            "bij_capaciteit": "wachtlijst" if wachtlijst else "overige",
            "overige": [
                {
                    "product": "BGI",
                    "aandeel": {"verdeling": "vast", "gemiddelde": 0.2},
                    "tarief_zin": 60.0,
                    "tarief_pgb": 40.0,
                    "aandeel_pgb": 0.5,
                }
            ],
        },
    }
    if direct is not None:
        data["kader"]["overige_uitgaven"] = [
            {"gebied": "g1", "product": "BGI", "verdeling": "vast", "gemiddelde": direct}
        ]
    return case_from_dict(copy.deepcopy(data))


def test_overschrijding_follows_the_normal_closed_form():
    # C = 0.2 × 100 × (N1 + N2) × (0.5 × 60 + 0.5 × 40) = 1000 (N1 + N2); N1, N2 normal
    # (1000, 50) with correlation 0.5: C ~ normal(2e6, 1000 × 50 × sqrt(2 + 2 × 0.5)).
    mu, sd = 2e6, 1000 * 50 * math.sqrt(3.0)
    b = 0.961 * 0  # no indexatie/taakstelling: B is the partners' omzet
    b = 6_000_000.0
    a = b + mu + 0.3 * sd
    res = simulate(_case(plafond=a), N, seed=11)
    assert res.lumpsum == pytest.approx(b)
    p = 1 - stats.norm.cdf(0.3)
    se_p = math.sqrt(p * (1 - p) / N)
    assert abs(res.overschrijdingskans - p) < 4 * se_p
    d = -0.3
    stop_loss = sd * (d * stats.norm.cdf(d) + stats.norm.pdf(d))
    assert abs(res.verwachte_overschrijding - stop_loss) < 4 * res.verwachte_overschrijding_se


def test_more_demand_raises_the_overschrijdingskans():
    a = 6_000_000.0 + 2.1e6
    kansen = [simulate(_case(clienten=c, plafond=a), 2**14, seed=3).overschrijdingskans
              for c in (900.0, 1000.0, 1100.0)]  # fmt: skip
    assert kansen[0] < kansen[1] < kansen[2]
    for c, kans in zip((900.0, 1000.0, 1100.0), kansen, strict=True):
        p = 1 - stats.norm.cdf((2.1e6 - 2000 * c) / (1000 * 0.05 * c * math.sqrt(3.0)))
        assert abs(kans - p) < 4 * math.sqrt(p * (1 - p) / 2**14) + 1e-4


def _plan(**kw):
    return bouw_model(_case(**kw)).levering


@pytest.mark.parametrize("dicht", [True, False])
@pytest.mark.parametrize("wachtlijst", [False, True])
def test_capaciteit_spill_by_hand(wachtlijst, dicht, monkeypatch):
    plan = _plan(capaciteit={"BGI": 800.0}, wachtlijst=wachtlijst)
    if not dicht:  # the sorted-cell path of large cases, on the same small case
        monkeypatch.setattr(levering, "DICHT_FACTOR", 0)
        plan = dataclasses.replace(plan)
    assert plan.dicht == dicht
    # partners' volume = 0.8 V; p1 has 0.6 of it in g1 (2.4 of 4.0 mln), 0.5 in g2
    volume = np.array([[1000.0, 500.0], [1000.0, 500.0]])  # lines g1, g2 × two scenarios
    aandeel = np.full((2, 2), 0.2)
    uit = lever(plan, volume, aandeel, cellen=True)
    # scenario 1: p1 would deliver 480 + 400 = 880 > 800: keeps 800/880 of each cel
    f = 800.0 / 880.0
    spill_g1, spill_g2 = 480.0 * (1 - f), 400.0 * (1 - f)
    # scenario 2: p1 delivers 240 + 200 = 440 <= 800: nothing spills
    cel = {(int(p), int(j)): np.asarray(uit.cel_volume)[k] for k, (p, j) in
           enumerate(zip(plan.cel_partner, plan.cel_lijn, strict=True))}  # fmt: skip
    np.testing.assert_allclose(cel[(0, 0)], [480.0 * f, 240.0], rtol=1e-12)
    np.testing.assert_allclose(cel[(0, 1)], [400.0 * f, 200.0], rtol=1e-12)
    np.testing.assert_allclose(cel[(1, 0)], [320.0, 160.0], rtol=1e-12)
    np.testing.assert_allclose(cel[(1, 1)], [400.0, 200.0], rtol=1e-12)
    np.testing.assert_allclose(uit.partner_kosten[0], [800.0 * 50, 440.0 * 50], rtol=1e-12)
    np.testing.assert_allclose(uit.partner_kosten[1], [720.0 * 50, 360.0 * 50], rtol=1e-12)
    if wachtlijst:
        np.testing.assert_allclose(uit.overig_volume, [[200.0, 100.0], [200.0, 100.0]])
        np.testing.assert_allclose(uit.wachtlijst, [[spill_g1, 0.0], [spill_g2, 0.0]], atol=1e-9)
    else:
        assert uit.wachtlijst is None
        np.testing.assert_allclose(
            uit.overig_volume, [[200.0 + spill_g1, 100.0], [200.0 + spill_g2, 100.0]], rtol=1e-12
        )


def test_spill_goes_into_c_and_a_direct_line_replaces_demand():
    # clients vast at 1000: V = 100 000 per gebied; without capaciteit C = 1000 × 2000
    vast = {"clienten": 1000.0, "cv": 0.0}
    case = _case(**vast, plafond=1e7)
    res = simulate(
        case.model_copy(
            update={
                "vraag": tuple(
                    v.model_copy(
                        update={
                            "clienten": v.clienten.model_copy(
                                update={"verdeling": "vast", "cv": None}
                            )
                        }
                    )
                    for v in case.vraag
                )
            }
        ),
        2**10,
        seed=1,
    )
    # (built with a vast clienten line, the spending is one number)
    assert res.uitgaven["p5"] == pytest.approx(6e6 + 2e6) == res.uitgaven["p95"]


def _vast_case(**kw):
    case = _case(**kw)
    vraag = tuple(
        v.model_copy(update={"clienten": v.clienten.model_copy(update={"verdeling": "vast",
                                                                        "cv": None})})
        for v in case.vraag
    )  # fmt: skip
    return case.model_copy(update={"vraag": vraag})


def test_fixed_demand_gives_c_by_hand_with_spill_and_direct_line():
    # V = 100 000 per gebied; p1 would deliver 0.8 × (0.6 + 0.5) × 1e5 = 88 000 > 80 000
    res = simulate(_vast_case(capaciteit={"BGI": 80_000.0}, plafond=1e7), 2**10, seed=1)
    spill = 8000.0
    c = (0.2 * 2e5 + spill) * 50.0  # paid at 0.5 × 60 + 0.5 × 40
    assert res.uitgaven["p5"] == pytest.approx(6e6 + c, abs=1e-6)
    assert res.uitgaven["p95"] == pytest.approx(6e6 + c, abs=1e-6)
    # a direct C line for g1 replaces g1's demand-driven C (never both): C = 123 456 + g2's
    res = simulate(_vast_case(plafond=1e7, direct=123_456.0), 2**10, seed=1)
    assert res.uitgaven["p50"] == pytest.approx(6e6 + 123_456.0 + 0.2 * 1e5 * 50.0, abs=1e-6)


def test_pieces_of_a_stroom_keep_results_exact_and_worker_independent(monkeypatch):
    from plafond.montecarlo import stroom

    mu, sd = 2e6, 1000 * 50 * math.sqrt(3.0)
    a = 6_000_000.0 + mu + 0.3 * sd
    case = _case(plafond=a)
    heel = simulate(case, 2**15, seed=11)
    monkeypatch.setattr(stroom, "WERKGEHEUGEN", 1)  # every stroom in pieces of MIN_STUK
    assert stroom.stuk_breedte(bouw_model(case)) == stroom.MIN_STUK
    een, twee = (simulate(case, 2**15, seed=11, werkers=w) for w in (1, 2))
    assert een.to_dict() == twee.to_dict()
    assert een.to_dict() != heel.to_dict()  # other random numbers, the same law:
    p = 1 - stats.norm.cdf(0.3)
    assert abs(een.overschrijdingskans - p) < 4 * math.sqrt(p * (1 - p) / 2**15)


def test_sums_per_partner_over_its_groups_equal_the_0_1_matrix_product():
    # groups 0-1 of partner 0, none of partner 1, groups 2-4 of partner 2 (contiguous)
    y = np.random.default_rng(4).normal(size=(5, 7))
    start = levering.partner_start(np.array([0, 0, 2, 2, 2]), 3)
    q = np.zeros((3, 5))
    q[0, :2] = q[2, 2:] = 1.0
    uit = np.full((3, 7), np.nan)
    som = levering.som_per_groep(y, start, 3, uit=uit)
    assert som is uit
    np.testing.assert_allclose(uit, q @ y, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("index", [[2], [0, 1, 2], [1, 4, 7], [3, 1], [0, 2, 3], [5, 5]])
def test_a_group_s_lines_are_a_view_where_evenly_spaced(index):
    x = np.arange(40.0).reshape(10, 4)
    i = np.array(index, dtype=np.intp)
    s = levering._als_slice(i)
    gelijk = len(i) == 1 or (np.all(np.diff(i) == i[1] - i[0]) and i[1] > i[0])
    assert isinstance(s, slice) == gelijk
    np.testing.assert_array_equal(x[s], np.take(x, i, axis=0))
