"""Multi-year contracts: a deterministic term by hand, year 1 = simulate, looptijd 1 unchanged."""

from __future__ import annotations

import numpy as np
import pytest
from plafond.cases.bundled import bundled_path
from plafond.cases.load import load_case
from plafond.montecarlo import simulate
from plafond.montecarlo.jaren import draai_jaren
from plafond.montecarlo.model import bouw_model
from plafond.montecarlo.paden import paden_uit

from tests.montecarlo.test_mc_levering import _vast_case


def _meerjarig(case, looptijd=3, **jaren):
    kader = case.kader.model_copy(
        update={"looptijd": looptijd, "jaren": case.kader.jaren.model_copy(update=jaren)}
    )
    return case.model_copy(update={"kader": kader})  # fmt: skip


def _hand(groei, index, nacalc, lumpsum_regel="index", terugval=None):
    """The deterministic case of test_mc_levering by hand: V = 2e5 units, partners 0.8 of it.

    p1 delivers 88 000 units, p2 72 000 (tarief 50), the overige 40 000 units paid at 50;
    lumpsum p1 3.4e6, p2 2.6e6 (historie omzet), plafond 9e6; half of an overschrijding is
    clawed back, split 34 : 26.
    """
    t_jaren = len(nacalc)
    l1 = np.array([3.4e6, 2.6e6])
    kosten1 = np.array([4.4e6, 3.6e6])
    g = np.cumprod([1.0] + [1.0 + groei] * (t_jaren - 1))
    i = np.array([0.0] + [index] * (t_jaren - 1))
    f = np.cumprod((1 + i) * (1 + np.concatenate([[0.0], nacalc[:-1]])))
    jaren, cum_r, cum_l, cum_t, terugval_ooit = [], np.zeros(2), np.zeros(2), np.zeros(2), False
    l_vorig = np.zeros(2)
    for t in range(t_jaren):
        lumpsum = l1 * f[t] * (g[t - 1] if lumpsum_regel == "omzet" and t else 1.0)
        na = nacalc[t - 1] * l_vorig if t else np.zeros(2)
        c = 2e6 * g[t] * f[t]
        kosten = kosten1 * g[t] * np.cumprod(1 + i)[t]
        a = 9e6 * f[t]
        over = max(0.0, lumpsum.sum() + c - a)
        terug = 0.5 * over * l1 / l1.sum()
        r = lumpsum + na - kosten - terug
        cum_r, cum_l, cum_t = cum_r + r, cum_l + lumpsum + na, cum_t + terug
        if terugval is not None:
            terugval_ooit = terugval_ooit | (cum_r < -terugval * cum_l)
        jaren.append({"plafond": a + na.sum(), "lumpsum": (lumpsum + na).sum(), "over": over,
                      "terug": terug})  # fmt: skip
        l_vorig = lumpsum
    cum_r = cum_r + nacalc[-1] * l_vorig
    return jaren, cum_r, cum_t, terugval_ooit


@pytest.mark.parametrize("regel", ["index", "omzet"])
def test_deterministic_term_by_hand(regel):
    nacalc = (0.01, 0.02, 0.03)
    case = _meerjarig(_vast_case(plafond=9e6), groei={"verdeling": "vast", "gemiddelde": 0.3},
                      indexatie=0.05, nacalculatie=nacalc, lumpsum=regel, terugval=0.2)  # fmt: skip
    res = simulate(case, 2**10, seed=3).to_dict()
    jaren, cum_r, cum_t, terugval = _hand(0.3, 0.05, nacalc, regel, terugval=0.2)
    assert [j["jaar"] for j in res["jaren"]] == [2025, 2026, 2027]
    for uit, hand in zip(res["jaren"], jaren, strict=True):
        assert uit["plafond"] == pytest.approx(hand["plafond"], abs=0.01)
        assert uit["lumpsum"] == pytest.approx(hand["lumpsum"], abs=0.01)
        assert uit["verwachte_overschrijding"] == pytest.approx(hand["over"], abs=0.01)
        assert uit["overschrijdingskans"] == (1.0 if hand["over"] > 0 else 0.0)
        for k, p in enumerate(("p1", "p2")):
            assert uit["terugvordering"][p]["verwacht"] == pytest.approx(hand["terug"][k], abs=0.01)
    assert jaren[2]["over"] > 0  # the growth makes year 3 exceed (the test bites)
    for k, p in enumerate(("p1", "p2")):
        lt = res["looptijd"]
        assert lt["resultaat"][p]["verwacht"] == pytest.approx(cum_r[k], abs=0.05)
        assert lt["terugvordering"][p]["verwacht"] == pytest.approx(cum_t[k], abs=0.05)
        assert lt["resultaat"][p]["kans_verlies"] == float(cum_r[k] < 0)
        assert lt["kans_terugval"][p] == float(terugval[k])


def test_overloop_carries_the_underspend_into_next_year():
    # no growth, no index: S = 8e6 every year against A = 9e6; with overloop the plafond of
    # year 2 is 9e6 + 1e6 (not reported as plafond: applied to spending), so nothing changes
    # at 8e6 - but at a plafond of 7.5e6 year 1 exceeds by 0.5e6 and has no underspend
    case = _meerjarig(_vast_case(plafond=8.5e6), looptijd=2, overloop=True,
                      indexatie=0.0)  # fmt: skip
    res = simulate(case, 2**10, seed=1).to_dict()
    # year 1: underspend 0.5e6; year 2: plafond 8.5e6 + 0.5e6 > 8e6: no overschrijding
    assert [j["verwachte_overschrijding"] for j in res["jaren"]] == [0.0, 0.0]
    case = _meerjarig(_vast_case(plafond=7.8e6), looptijd=2, overloop=True, indexatie=0.0)
    res = simulate(case, 2**10, seed=1).to_dict()
    assert [j["verwachte_overschrijding"] for j in res["jaren"]] == [200000.0, 200000.0]


def test_year_one_is_simulate_and_looptijd_one_is_unchanged():
    case = load_case(bundled_path("heerlen-2020"))
    assert case.kader.looptijd == 4
    een = case.model_copy(update={"kader": case.kader.model_copy(update={"looptijd": 1})})
    vier = simulate(case, 2**14, seed=11).to_dict()
    d1 = simulate(een, 2**14, seed=11).to_dict()
    assert "jaren" not in d1 and "looptijd" not in d1
    assert {k: v for k, v in vier.items() if k not in ("jaren", "looptijd")} == d1
    assert vier["jaren"][0]["verwachte_overschrijding"] == pytest.approx(
        d1["verwachte_overschrijding"], abs=0.01)  # fmt: skip


def test_workers_do_not_change_the_sums_and_growth_persists():
    case = load_case(bundled_path("heerlen-2020"))
    model, paden = bouw_model(case), paden_uit(case.kader)
    a = draai_jaren(model, paden, 2**15, seed=5, werkers=1)
    b = draai_jaren(model, paden, 2**15, seed=5, werkers=2, blok=1)
    np.testing.assert_array_equal(a.sommen, b.sommen)
    # persistent growth: a bigger growth spread raises the spread of later years only
    res = simulate(case, 2**14, seed=2).to_dict()["jaren"]
    assert res[3]["overschrijdingskans"] > res[0]["overschrijdingskans"]


def test_paths_of_the_wrong_length_are_refused():
    from plafond.cases.load import case_from_dict

    with pytest.raises(Exception, match="jaren.indexatie heeft 2 waarden"):
        kader = {"looptijd": 4, "jaren": {"indexatie": [0.1, 0.2]}}
        case_from_dict({**_min_case(), "kader": kader})


def _min_case():
    return {"naam": "x", "jaar": 2025, "producten": {"HH": {"naam": "h", "eenheid": "uur"}},
            "gebieden": {"g": {"gemeente": "G", "inwoners": 1}},
            "aanbieders": {"a": {"naam": "A", "rol": "partner"}},
            "tarieven": [{"product": "HH", "tarief": 30.0}]}  # fmt: skip


def test_vergelijk_over_the_term_by_hand():
    from plafond.montecarlo import vergelijk

    case = _meerjarig(_vast_case(plafond=9e6), groei={"verdeling": "vast", "gemiddelde": 0.3},
                      indexatie=0.05)  # fmt: skip
    res = vergelijk(case, 2**10, seed=1, varianten=["pxq", "lumpsum"])
    g = np.array([1.0, 1.3, 1.69])
    f = np.array([1.0, 1.05, 1.1025])
    # pxq: partners 1.6e5 G units at 50 F, the overige 4e4 G units at 50 F
    assert res.gemeente.loc["pxq", "verwacht"] == pytest.approx((1e7 * g * f).sum(), rel=1e-12)
    # lumpsum: 6e6 F + C, minus half of any overschrijding of 9e6 F (year 3 only)
    over = np.maximum(6e6 * f + 2e6 * g * f - 9e6 * f, 0.0)
    hand = (6e6 * f + 2e6 * g * f - 0.5 * over).sum()
    assert res.gemeente.loc["lumpsum", "verwacht"] == pytest.approx(hand, abs=0.05)
    assert res.plafond == pytest.approx((9e6 * f).sum())
    # partner p1 under pxq: paid its cost at the indexed tarief, wages follow the index
    assert res.aanbieders.loc[("pxq", "p1"), "resultaat"] == pytest.approx(0.0, abs=1e-6)
