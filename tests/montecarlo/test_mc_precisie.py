"""Precision on demand: deterministic n, the half-width reached, equal to a plain run of n."""

from __future__ import annotations

import json
import math

import plafond.montecarlo as mc
from plafond.cases import load_case
from plafond.montecarlo.precisie import BLOK_SCENARIOS, maat_simulatie, tot_precisie

from plafond.cli import main


def _draai(case, seed):
    return lambda n: mc.simulate(case, n, seed=seed)


def test_run_to_precision_is_deterministic_and_meets_h():
    case = load_case("maastricht-heuvelland-2022")
    h = 0.003  # kans about 0.4: about 1.96^2 * 0.24 / h^2 = 102.000 scenarios, two blocks
    a = tot_precisie(_draai(case, 11), maat_simulatie, precisie=h)
    b = tot_precisie(_draai(case, 11), maat_simulatie, precisie=h)
    assert a.bereikt and a.n == b.n and a.stappen == b.stappen
    assert len(a.stappen) >= 2 and a.n % BLOK_SCENARIOS == 0
    lo, hi = a.resultaat.overschrijdingskans_ci95
    assert (hi - lo) / 2 <= h
    assert a.resultaat.to_dict() == b.resultaat.to_dict()
    # the run equals a plain run of the same n (blocks are whole strooms)
    assert a.resultaat.to_dict() == mc.simulate(case, a.n, seed=11).to_dict()
    # the step before did not meet h (so it did not stop late)
    lo, hi = mc.simulate(case, a.stappen[-2], seed=11).overschrijdingskans_ci95
    assert (hi - lo) / 2 > h


def test_relative_precision_of_the_terugvordering():
    case = load_case("maastricht-heuvelland-2022")
    r = 0.012
    p = tot_precisie(_draai(case, 5), maat_simulatie, precisie=None, relatief=r)
    t = p.resultaat.terugvordering
    assert p.bereikt and (t["se"] / t["verwacht"]).max() <= r


def test_maximum_n_stops_and_says_so():
    case = load_case("maastricht-heuvelland-2022")
    p = tot_precisie(_draai(case, 5), maat_simulatie, precisie=1e-4, max_n=2 * BLOK_SCENARIOS)
    assert not p.bereikt and p.n == 2 * BLOK_SCENARIOS
    assert p.maat.halve_breedte > 1e-4


def test_cli_simulate_and_frontier_report_scenarios_and_precision(capsys):
    argv = ["maastricht-heuvelland-2022", "--seed", "3", "--precisie", "0.004", "--json"]
    assert main(["simulate", *argv]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["precisie"]["bereikt"] and d["precisie"]["halve_breedte"] <= 0.004
    lo, hi = d["overschrijdingskans_ci95"]
    assert math.isclose(d["precisie"]["halve_breedte"], (hi - lo) / 2)
    assert d["scenarios"] == d["precisie"]["stappen"][-1]
    assert main(["frontier", *argv, "--stappen", "3"]) == 0
    f = json.loads(capsys.readouterr().out)
    breedste = max((p["interval"][1] - p["interval"][0]) / 2 for p in f["punten"])
    assert breedste <= 0.004 and f["scenarios"] == f["precisie"]["stappen"][-1]


def test_bad_precision_is_one_line_exit_2(capsys):
    assert main(["simulate", "maastricht-heuvelland-2022", "--precisie", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "precisie" in err
