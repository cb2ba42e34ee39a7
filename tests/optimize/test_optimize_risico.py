"""Risk-aware allocation: a hand-solvable problem for each form, and the CLI's check."""

from __future__ import annotations

import json

import numpy as np
import pytest
from plafond.optimize import AllocationProblem, NoFeasibleAllocation
from plafond.optimize.risico import RisicoEis, RisicoScenarios, allocate_risico, uitgaven

from plafond.cli import main

#: One gebied, product and partner; tarief 1, the overige cost 2 per eenheid; A = 45.
#: Demand 10, 20, 30, 40 (mean 25): L_s = v + 2 max(0, D_s - v); with v = 25 the spending is
#: 25, 25, 35, 55, so only the last scenario exceeds A; it stays within A for v >= 35.
PR = AllocationProblem(
    gebieden=("g",), aanbieders=("a",), producten=("p",),
    combo_gebied=[0], combo_aanbieder=[0], combo_product=[0],
    tarief=[1.0], vraag=[[25.0]], capaciteit=[[1000.0]], plafond=45.0, naam="hand",
)  # fmt: skip
SC = RisicoScenarios(
    overige=np.zeros(4),
    vraag=np.array([10.0, 20.0, 30.0, 40.0]).reshape(4, 1, 1),
    prijs_overig=np.array([[2.0]]),
)


@pytest.mark.parametrize(
    ("eis", "volume"),
    [
        (RisicoEis("binair", kans=0.25), 25.0),  # one of four may exceed: no buffer needed
        (RisicoEis("binair", kans=0.2), 35.0),  # none may: 80 - v <= 45
        (RisicoEis("cvar_kans", kans=0.25), 35.0),  # CVaR 75 % = the worst scenario <= A
        (RisicoEis("cvar_kans", kans=0.5), 25.0),  # mean of the worst two: 70 - v <= 45
        (RisicoEis("cvar", cvar=5.0), 30.0),  # with S = 4, CVaR 95 % = max overrun 35 - v
    ],
)
def test_hand_solutions(eis, volume):
    res = allocate_risico(PR, SC, eis)
    assert res.allocatie.allocatie["volume"].iloc[0] == pytest.approx(volume, abs=1e-6)
    assert res.allocatie.totaal == pytest.approx(volume, abs=1e-6)  # tarief 1
    l_s = uitgaven(PR, np.array([volume]), np.array([volume]), SC)
    assert res.overschrijdingskans == pytest.approx(np.mean(l_s > 45.0 + 1e-6))


def test_scenario_rows_are_never_sent_to_the_interior_point(monkeypatch):
    """However low the caller's ipm threshold, the risk LP goes to the simplex (faster on
    it), with the caller's other options kept."""
    import plafond.optimize.risico as r
    from plafond.optimize.highs import SolverOpties, los_op

    gezien = []

    def vang(matrix, opties):
        gezien.append((matrix.n_rijen, opties))
        return los_op(matrix, opties)

    monkeypatch.setattr(r, "los_op", vang)
    res = allocate_risico(PR, SC, RisicoEis("cvar", cvar=5.0),
                          opties=SolverOpties(ipm_vanaf_rijen=1, mip_gap=1e-3))  # fmt: skip
    ((rijen, opties),) = gezien
    assert rijen > 1 and opties.ipm_vanaf_rijen >= rijen and opties.mip_gap == 1e-3
    assert res.allocatie.totaal == pytest.approx(30.0, abs=1e-6)


def test_spending_formula_by_hand():
    assert uitgaven(PR, np.array([25.0]), np.array([25.0]), SC).tolist() == [25, 25, 35, 55]


def test_out_of_reach_is_infeasible_with_the_deterministic_figures():
    tight = AllocationProblem(**{**PR.__dict__, "capaciteit": np.array([[30.0]])})
    with pytest.raises(NoFeasibleAllocation, match="deterministische verdeling heeft hier kans"):
        allocate_risico(tight, SC, RisicoEis("binair", kans=0.2))  # needs v = 35 > 30


def test_cli_reports_the_out_of_sample_check_and_simulate_takes_it(tmp_path, capsys):
    uit = tmp_path / "allocatie.json"
    argv = ["optimize", "maastricht-heuvelland-2022", "--cvar", "1320000", "--seed", "4",
            "--scenarios", "300", "--opslag-overig", "0.25", "--toets-n", "4096", "--json",
            "-o", str(uit)]  # fmt: skip
    assert main(argv) == 0
    d = json.loads(capsys.readouterr().out)
    t = d["toets"]
    assert t["seed"] == 5 and t["n"] == 4096 and t["interval"][0] <= t["overschrijdingskans"]
    assert d["risico"]["cvar95_overschrijding"] <= 1_320_000.01
    assert d["deterministisch"]["meerkosten"] >= -0.01  # the risk costs, never saves
    assert json.loads(uit.read_text(encoding="utf-8"))["allocatie"] == d["allocatie"]
    assert main(["simulate", "maastricht-heuvelland-2022", "--allocatie", str(uit), "-n",
                 "16384", "--seed", "1", "--json"]) == 0  # fmt: skip
    sim = json.loads(capsys.readouterr().out)
    per_partner = {}
    for r in d["allocatie"]:
        per_partner[r["aanbieder"]] = per_partner.get(r["aanbieder"], 0.0) + r["bedrag"]
    assert sim["lumpsum"] == pytest.approx(sum(per_partner.values()), abs=0.05)
    assert main(["optimize", "maastricht-heuvelland-2022", "--kans", "1.5"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("eis", [RisicoEis("cvar", cvar=1e5), RisicoEis("binair", kans=0.1)])
def test_templated_rows_compile_to_the_rows_built_one_by_one(monkeypatch, eis):
    """The scenario rows as Pyomo templates are the same LP as rows built one by one."""
    import contextlib

    from plafond.cases import load_case
    from plafond.optimize import problem_from_case
    from plafond.optimize import risico as r
    from plafond.optimize.highs import compileer
    from pyomo.core.base import constraint as pyomo_constraint

    from plafond.risico import risico_scenarios

    case = load_case("maastricht-heuvelland-2022")
    pr = problem_from_case(case)
    sc = risico_scenarios(case, pr, 40, seed=2, opslag_overig=0.25)
    m_sjabloon = r.build_risico_model(pr, sc, eis)[0]
    if hasattr(pyomo_constraint, "TEMPLATIZE_CONSTRAINTS"):  # Pyomo >= 6.10
        assert type(m_sjabloon.risico_levering[0, 0]).__name__ == "TemplateConstraintData"
    monkeypatch.setattr(r, "_sjablonen", contextlib.nullcontext)
    m_los = r.build_risico_model(pr, sc, eis)[0]
    assert type(m_los.risico_levering[0, 0]).__name__ == "ConstraintData"
    a, b = compileer(m_sjabloon), compileer(m_los)
    assert [v.name for v in a.kolommen] == [v.name for v in b.kolommen]
    assert a.rij_familie == b.rij_familie and np.array_equal(a.rij_index, b.rij_index)
    for veld in ("kosten", "kolom_onder", "kolom_boven", "rij_onder", "rij_boven", "geheel"):
        assert np.array_equal(getattr(a, veld), getattr(b, veld)), veld
    for veld in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(a.a, veld), getattr(b.a, veld)), veld
