"""The year-end forecast: certain when the year is realised, simulate when nothing is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from plafond.cases.realisatie import Realisatie
from plafond.montecarlo import simulate
from plafond.montecarlo.prognose import prognose

from tests.montecarlo.test_mc_levering import _case

N = 2**14


def _rijen(maanden, niveau=1.0, overig_bedrag=None):
    """Declarations of the small case: per gebied 1000 clients × 100 units, flat over the year.

    p1 delivers 0.8 × 0.6 (g1) and 0.8 × 0.5 (g2) of the volume, p2 the rest of the 0.8, the
    overige 0.2; everyone declares at tarief 50 (the overige ``overig_bedrag`` a year if given).
    """
    delen = {"g1": {"p1": 0.48, "p2": 0.32, "ov": 0.2}, "g2": {"p1": 0.4, "p2": 0.4, "ov": 0.2}}
    rijen = []
    for m in range(1, maanden + 1):
        for g, d in delen.items():
            for a, s in d.items():
                vol = 1e5 * s * niveau / 12
                bedrag = overig_bedrag / 24 if a == "ov" and overig_bedrag else vol * 50.0
                rijen.append({"maand": m, "gebied": g, "aanbieder": a, "product": "BGI",
                              "volume": vol, "bedrag": bedrag})  # fmt: skip
    df = pd.DataFrame(rijen, columns=["maand", "gebied", "aanbieder", "product", "volume",
                                      "bedrag"])  # fmt: skip
    return Realisatie(df, maanden)


def test_whole_year_realised_is_certain_and_exact_to_the_cent():
    # B = 6e6 (lumpsum p1 3.4e6, p2 2.6e6), the overige declared 2 300 000.01: S = 8 300 000.01
    # over A = 8e6 by 300 000.01; half to the partners: 150 000.005 -> 15 000 001 cents
    # (half up), split 34 : 26 -> 8 500 000.57 / 6 500 000.43 cents, largest remainder first
    res = prognose(_case(plafond=8e6), _rijen(12, overig_bedrag=2_300_000.01), N, seed=4)
    d = res.to_dict()
    assert d["overschrijdingskans"] == 1.0
    assert d["uitgaven"]["p5"] == pytest.approx(8_300_000.01, abs=1e-6)
    assert d["terugvordering"]["p1"]["verwacht"] == pytest.approx(85_000.01, abs=1e-9)
    assert d["terugvordering"]["p2"]["verwacht"] == pytest.approx(65_000.00, abs=1e-9)
    assert d["terugvordering"]["p1"]["se"] == 0.0
    assert d["realisatie"] == {"tot": "2025-12-31", "maanden": 12, "bedrag": round(
        0.8 * 2e5 * 50 + 2_300_000.01, 2)}  # fmt: skip
    v = d["voorschotten"]["p1"]
    assert v["betaald"] == 3.4e6 and v["verwachte_afrekening"] == pytest.approx(3.4e6 - 85_000.01)
    # and below the plafond: certain the other way
    res = prognose(_case(plafond=9e6), _rijen(12), N, seed=4)
    assert res.simulatie.overschrijdingskans == 0.0
    assert res.simulatie.terugvordering["verwacht"].tolist() == [0.0, 0.0]


def test_nothing_realised_is_simulate():
    case = _case(plafond=8.1e6, cv=0.05)
    leeg = Realisatie(_rijen(0).rijen, 0)
    p = prognose(case, leeg, N, seed=9).simulatie
    s = simulate(case, N, seed=9)
    se = s.verwachte_overschrijding_se
    assert abs(p.verwachte_overschrijding - s.verwachte_overschrijding) < 3 * se
    assert p.overschrijdingskans == pytest.approx(s.overschrijdingskans, abs=0.01)
    assert 0.05 < s.overschrijdingskans < 0.95  # the comparison bites


def test_interval_narrows_and_follows_the_run_rate():
    case = _case(plafond=8.1e6, cv=0.05)
    breedte, gemiddeld = [], []
    for m in (0, 3, 6, 9):
        res = prognose(case, _rijen(m, niveau=1.05), N, seed=2).simulatie
        breedte.append(res.uitgaven["p95"] - res.uitgaven["p5"])
        gemiddeld.append(res.uitgaven["gemiddelde"])
    assert all(np.diff(breedte) < 0), breedte
    # a run-rate 5 % above the expectation pulls the year end up: C = 2e6 × 1.05 at q = 1
    assert gemiddeld[-1] > gemiddeld[0] + 0.5 * 0.05 * 2e6
