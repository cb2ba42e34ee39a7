"""montecarlo.simulate on cases, and `plafond simulate` through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import plafond.montecarlo as montecarlo
import pytest
from plafond.cases import case_from_dict, load_case

JSON_KEYS = {
    "case", "scenarios", "seed", "methode", "plafond", "lumpsum", "uitgaven",
    "overschrijdingskans", "overschrijdingskans_ci95", "verwachte_overschrijding",
    "verwachte_overschrijding_se", "cvar95_overschrijding", "terugvordering",
}  # fmt: skip


@pytest.fixture(scope="module")
def referentie():
    return montecarlo.simulate(load_case("maastricht-heuvelland-2022"), 2**16, seed=42, kans=0.1)


def test_result_is_the_json_of_design(referentie):
    d = referentie.to_dict()
    assert set(d) >= JSON_KEYS
    assert set(d["uitgaven"]) == {"gemiddelde", "p5", "p50", "p95", "p99"}
    for rij in d["terugvordering"].values():
        assert set(rij) == {"verwacht", "se", "kans", "p95", "aandeel_lumpsum"}
    json.dumps(d, allow_nan=False)
    assert d["scenarios"] == 2**16 and d["seed"] == 42 and d["methode"] == "mc"


def test_result_is_immutable_with_a_partner_table(referentie):
    with pytest.raises(AttributeError):
        referentie.seed = 1
    with pytest.raises(ValueError):
        referentie.uitgaven_per_scenario[0] = 0.0
    t = referentie.terugvordering
    assert isinstance(t, pd.DataFrame) and t.index.name == "aanbieder"
    assert list(t.index) == list(load_case("maastricht-heuvelland-2022").partners())
    # pro rata lumpsum: every partner pays the same share of its lumpsum
    assert np.allclose(t["aandeel_lumpsum"], t["aandeel_lumpsum"].iloc[0], rtol=1e-6)
    assert t["verwacht"].sum() == pytest.approx(0.5 * referentie.verwachte_overschrijding, 1e-6)


def test_same_seed_same_result_and_lumpsum_override():
    case = load_case("maastricht-heuvelland-2022")
    a = montecarlo.simulate(case, 20_000, seed=7)
    b = montecarlo.simulate(case, 20_000, seed=7, werkers=1)
    assert a.to_dict() == b.to_dict()
    lumpsum = dict.fromkeys(case.partners(), 2_000_000.0)
    c = montecarlo.simulate(case, 20_000, seed=7, lumpsum_per_aanbieder=lumpsum)
    assert c.lumpsum == 2_000_000.0 * len(lumpsum)
    assert c.terugvordering["lumpsum"].tolist() == [2_000_000.0] * len(lumpsum)
    with pytest.raises(ValueError, match="onbekende partner"):
        montecarlo.simulate(case, 100, seed=1, lumpsum_per_aanbieder={"niemand": 1.0})


def test_worked_example_case_with_vast_c_gives_the_claw_back_to_the_cent(worked_example):
    case = case_from_dict(worked_example)
    res = montecarlo.simulate(case, 1000, seed=1)
    assert res.overschrijdingskans == 1.0
    assert res.verwachte_overschrijding == pytest.approx(63_521.50, abs=1e-6)
    assert res.terugvordering["verwacht"].round(2).tolist() == [21_528.81, 10_231.94]
    assert res.terugvordering["p95"].tolist() == [21_528.81, 10_231.94]


def test_verdeelsleutel_gemeente_keeps_claw_backs_within_the_gemeente():
    case = load_case("maastricht-heuvelland-2022")
    data = case.model_dump(mode="json")
    data["kader"]["risicodeling"]["verdeelsleutel"] = "gemeente"
    res = montecarlo.simulate(case_from_dict(data), 20_000, seed=3)
    assert res.terugvordering["verwacht"].gt(0).all()
    assert (res.terugvordering["p95"] >= res.terugvordering["verwacht"]).all()


def _plafond(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plafond.cli", "simulate", *args],
        capture_output=True,
        encoding="utf-8",
        cwd="/",
    )


def test_cli_json_keys_and_nothing_else_on_stdout():
    r = _plafond("maastricht-heuvelland-2022", "-n", "4096", "--seed", "5", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) >= JSON_KEYS and d["seed"] == 5 and d["scenarios"] == 4096
    assert r.stderr == ""


def test_cli_table_kans_and_output_file(tmp_path):
    out = tmp_path / "risico.csv"
    r = _plafond(
        "maastricht-heuvelland-2022", "-n", "4096", "--methode", "sobol", "--kans", "0.1",
        "-o", str(out), "--quiet",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "overschrijdingskans" in r.stdout and "Plafond bij overschrijdingskans" in r.stdout
    tabel = pd.read_csv(out, index_col="aanbieder", sep=";", decimal=",", encoding="utf-8-sig")
    assert "terugvordering_verwacht" in tabel.columns and len(tabel) == 5


def test_cli_wrong_input_is_one_line_and_exit_2():
    r = _plafond("maastricht-heuvelland-2022", "--kans", "1.5")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "kans" in r.stderr
