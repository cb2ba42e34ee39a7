"""Properties on bundled cases and on a Zaanstad-like case; exit 3 through the real CLI."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
import yaml
from plafond.cases import bundled_case_names, case_from_dict, load_case
from plafond.optimize import NoFeasibleAllocation, allocate, problem_from_case

TOL = 1e-6
#: a bedrag above this (euro) makes an aanbieder active in the gebied
ACTIEF_EURO = 1e-3


def check_alle_restricties(pr, res) -> None:
    """Every constraint the problem states holds for the allocation (to tolerance)."""
    t = res.allocatie.reset_index()
    gi = {x: i for i, x in enumerate(pr.gebieden)}
    ai = {x: i for i, x in enumerate(pr.aanbieders)}
    pi = {x: i for i, x in enumerate(pr.producten)}
    g, a, p = t["gebied"].map(gi), t["aanbieder"].map(ai), t["product"].map(pi)
    # reeel_tarief, and only allowed combinations
    assert (t["bedrag"] >= t["tarief"] * t["volume"] - 1e-4).all()
    # max_opslag: nothing paid without volume, at most (1 + max_opslag) x reëel cost
    assert (t["bedrag"] <= (1 + pr.max_opslag) * t["tarief"] * t["volume"] + 1e-4).all()
    toegestaan = set(pr.combo_sleutel.tolist())
    sleutel = (g * len(pr.aanbieders) + a) * len(pr.producten) + p
    assert set(sleutel.tolist()) <= toegestaan
    # plafond
    assert t["bedrag"].sum() + pr.overige_uitgaven.sum() <= pr.plafond * (1 + TOL)
    # capaciteit
    vol_ap = np.zeros_like(pr.capaciteit)
    np.add.at(vol_ap, (a, p), t["volume"])
    assert (vol_ap <= pr.capaciteit * (1 + TOL) + TOL).all()
    # dekking (with the reported shortfall)
    vol_gp = np.zeros_like(pr.vraag)
    np.add.at(vol_gp, (g, p), t["volume"])
    tekort = res.tekort.to_numpy().reshape(pr.vraag.shape)
    assert (vol_gp + tekort >= pr.vraag_rest * (1 - TOL) - TOL).all()
    # transitie
    per_a = np.zeros(len(pr.aanbieders))
    np.add.at(per_a, a, t["bedrag"])
    if pr.transitie_band is not None:
        heeft = pr.lumpsum > 0
        assert (per_a[heeft] >= (1 - pr.transitie_band) * pr.lumpsum[heeft] * (1 - TOL)).all()
        assert (per_a[heeft] <= (1 + pr.transitie_band) * pr.lumpsum[heeft] * (1 + TOL)).all()
    # marktordening. An aanbieder counts as active in a gebied when it delivers volume
    # there or is paid there: money without volume must not dodge the count.
    geld = t["bedrag"] > ACTIEF_EURO
    actief = t.loc[(t["volume"] > TOL) | geld, ["gebied", "aanbieder"]].drop_duplicates()
    per_aanbieder = actief.groupby("aanbieder").size().reindex(pr.aanbieders, fill_value=0)
    assert (per_aanbieder.to_numpy() <= pr.max_gebieden).all()
    met_combo = [pr.gebieden[i] for i in np.unique(pr.combo_gebied).tolist()]
    per_gebied = actief.groupby("gebied").size().reindex(met_combo, fill_value=0)
    if pr.max_aanbieders_per_gebied is not None:
        assert (per_gebied <= pr.max_aanbieders_per_gebied).all(), per_gebied
    if pr.min_aanbieders_per_gebied is not None:
        # at least n aanbieders that actually deliver, in every gebied they may work in
        levert = t.loc[t["volume"] > TOL, ["gebied", "aanbieder"]].drop_duplicates()
        leverend = levert.groupby("gebied").size().reindex(met_combo, fill_value=0)
        assert (leverend >= pr.min_aanbieders_per_gebied).all(), leverend
    # minimum_bedrag: per aanbieder, optionally restricted to one gebied and/or product
    for regel in pr.minimum_bedrag:
        kies = a == regel.aanbieder
        if regel.gebied is not None:
            kies &= g == regel.gebied
        if regel.product is not None:
            kies &= p == regel.product
        assert t.loc[kies, "bedrag"].sum() >= regel.bedrag * (1 - TOL), regel


@pytest.mark.parametrize("naam", bundled_case_names())
@pytest.mark.parametrize("doel", ["kosten", "verdeling", "dekking"])
def test_bundled_case_meets_every_constraint(naam: str, doel: str) -> None:
    case = load_case(naam)
    pr = problem_from_case(case)
    try:
        res = allocate(case, doel=doel)
    except NoFeasibleAllocation as exc:
        assert doel != "dekking", "doel dekking may fall short but is never infeasible here"
        assert exc.conflicten and all(c.tekst for c in exc.conflicten)
        return
    check_alle_restricties(pr, res)
    assert res.to_dict()["case"] == naam


def zaanstad() -> dict[str, Any]:
    """Ten wijken, six partners; a1 is cheapest and could serve four wijken alone."""
    wijken = [f"wijk{i}" for i in range(1, 11)]
    aanbieders = {
        f"a{i}": {"naam": f"Aanbieder {i}", "rol": "partner", "capaciteit": {"HH": 40_000}}
        for i in range(1, 7)
    }
    return {
        "naam": "zaanstad-test",
        "jaar": 2024,
        "producten": {"HH": {"naam": "Huishoudelijke hulp", "eenheid": "uur"}},
        "gebieden": {
            w: {
                "gemeente": "Zaanstad",
                "inwoners": 15_000 + 500 * i,
                "aandeel_75plus": 0.06 + 0.01 * i,
            }
            for i, w in enumerate(wijken)
        },
        "aanbieders": aanbieders,
        "tarieven": {
            "HH": {
                "tarief": 33.0,
                "per_aanbieder": {"a1": {"tarief": 31.8}, "a2": {"tarief": 32.4}},
            }
        },
        "historie": [
            {"aanbieder": a, "gebied": w, "product": "HH", "omzet": 60_000}
            for a in aanbieders
            for w in wijken
        ],
        "vraag": [
            {
                "gebied": w,
                "product": "HH",
                "clienten": {"verdeling": "vast", "gemiddelde": 250},
                "volume_per_client": {"verdeling": "vast", "gemiddelde": 36},
            }
            for w in wijken
        ],
        "marktordening": {"max_gebieden_per_aanbieder": 2},
    }


def test_zaanstad_no_aanbieder_in_more_than_two_wijken() -> None:
    case = case_from_dict(zaanstad())
    res = allocate(case, doel="kosten")
    actief = res.allocatie[res.allocatie["volume"] > TOL].reset_index()
    per_aanbieder = actief.groupby("aanbieder")["gebied"].nunique()
    assert per_aanbieder.max() <= 2
    assert per_aanbieder["a1"] == 2  # the cheapest takes its full quota
    assert res.duals_bron == "milp_vast"
    check_alle_restricties(problem_from_case(case), res)


def test_zaanstad_too_few_aanbieders_is_infeasible_and_named() -> None:
    data = zaanstad()
    data["marktordening"]["max_gebieden_per_aanbieder"] = 1  # 6 aanbieders, 10 wijken
    with pytest.raises(NoFeasibleAllocation) as info:
        allocate(case_from_dict(data))
    assert any(c.familie in ("max_gebieden", "dekking") for c in info.value.conflicten)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plafond.cli", *args],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def test_cli_exit_3_names_the_plafond_in_euros(tmp_path) -> None:
    data = copy.deepcopy(zaanstad())
    for regel in data["historie"]:
        regel["omzet"] = 40_000  # lumpsum B about 2,31 mln, below the plafond
    # 90.000 uur at 31,80 at the cheapest is over 2,86 mln: more than the plafond
    data["kader"] = {"plafond": 2_400_000}
    pad = tmp_path / "krap.yaml"
    pad.write_text(yaml.safe_dump(data), encoding="utf-8")
    proc = run_cli("optimize", str(pad), "--json")
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert "plafond" in proc.stderr and "€ 2.400.000,00" in proc.stderr


def test_cli_exit_3_names_capaciteit(tmp_path) -> None:
    data = copy.deepcopy(zaanstad())
    for a in data["aanbieders"].values():
        a["capaciteit"] = {"HH": 10_000}  # 60.000 uur for 90.000 uur of demand
    pad = tmp_path / "capaciteit.yaml"
    pad.write_text(yaml.safe_dump(data), encoding="utf-8")
    proc = run_cli("optimize", str(pad))
    assert proc.returncode == 3
    assert "capaciteit" in proc.stderr and "90.000" in proc.stderr


def test_cli_json_and_files(tmp_path) -> None:
    pad = tmp_path / "z.yaml"
    pad.write_text(yaml.safe_dump(zaanstad()), encoding="utf-8")
    proc = run_cli("optimize", str(pad), "--doel", "verdeling", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert set(doc) >= {
        "case",
        "status",
        "doel",
        "doelwaarde",
        "totaal",
        "plafond",
        "allocatie",
        "schaduwprijzen",
        "bindend",
    }
    assert doc["doel"] == "verdeling"
    assert sum(r["bedrag"] for r in doc["allocatie"]) == pytest.approx(doc["totaal"])
    for suffix in (".xlsx", ".csv", ".json"):
        uit = tmp_path / f"uit{suffix}"
        proc = run_cli("optimize", str(pad), "-o", str(uit))
        assert proc.returncode == 0, proc.stderr
        assert uit.stat().st_size > 0
