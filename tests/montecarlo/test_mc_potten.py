"""Per-gemeente pots: the overschrijding the rule acts on, per pot and in total (issue 10.3).

Before the fix, with ``verdeelsleutel: gemeente`` the claw-back was computed per pot but
the overschrijding figures on the regional total, so partners appeared to pay more than
their 50 %; and ``report --allocatie optimaal`` split the optimised lumpsums like historie.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from plafond.cases import case_from_dict, load_case
from plafond.montecarlo import simulate
from plafond.montecarlo.model import bouw_model

#: Three gemeenten, one gebied each, one product; every input fixed (verdeling vast).
#: Hand computation (no indexatie or taakstelling, so lumpsum = omzet):
#:   G1: p1 400.000 + overig 100.000 -> A1 500.000; B1 400.000 + C 160.000 = 560.000: +60.000
#:   G2: p1 200.000, p2 100.000, overig 100.000 -> A2 400.000; 300.000 + 130.000: +30.000
#:   G3: p2 300.000 + overig 200.000 -> A3 500.000; 300.000 + 150.000 = 450.000: -50.000
#: The pots' overruns sum to 90.000; the region (A 1.400.000, S 1.440.000) is 40.000 over.
#: Partners bear 50 % per pot: G1 30.000 all p1; G2 15.000 split 2:1 -> p1 10.000, p2 5.000.
#: So p1 40.000, p2 5.000: together 45.000 = 50 % of the 90.000 the rule acts on.
#: Plafond at kans: the largest S_k / A_k is 560/500 = 1,12, so every pot plafond x 1,12,
#: 1,12 x 1.400.000 = 1.568.000, is the smallest common scaling with no pot over.
DRIE = {
    "naam": "drie-gemeenten",
    "jaar": 2024,
    "producten": {"BGI": {"naam": "Begeleiding individueel", "eenheid": "uur"}},
    "gebieden": {f"g{i}": {"gemeente": f"G{i}", "inwoners": 10_000} for i in (1, 2, 3)},
    "aanbieders": {
        "p1": {"naam": "Partner 1", "rol": "partner"},
        "p2": {"naam": "Partner 2", "rol": "partner"},
        "overig": {"naam": "Overige aanbieders en PGB", "rol": "overig"},
    },
    "tarieven": {"BGI": {"tarief": 60.0}},
    "historie": [
        {"aanbieder": a, "gebied": g, "product": "BGI", "omzet": omzet}
        for a, g, omzet in [
            ("p1", "g1", 400_000),
            ("overig", "g1", 100_000),
            ("p1", "g2", 200_000),
            ("p2", "g2", 100_000),
            ("overig", "g2", 100_000),
            ("p2", "g3", 300_000),
            ("overig", "g3", 200_000),
        ]
    ],  # fmt: skip
    "kader": {
        "overige_uitgaven": [
            {"gebied": g, "product": "BGI", "verdeling": "vast", "gemiddelde": c}
            for g, c in (("g1", 160_000), ("g2", 130_000), ("g3", 150_000))
        ],
        "risicodeling": {"aandeel_partners": 0.5, "verdeelsleutel": "gemeente"},
    },
}


def test_three_gemeenten_by_hand() -> None:
    res = simulate(case_from_dict(copy.deepcopy(DRIE)), 64, seed=3, kans=0.05)
    assert res.verwachte_overschrijding == pytest.approx(90_000.0, abs=0.005)
    assert res.cvar95_overschrijding == pytest.approx(90_000.0, abs=0.005)
    assert res.overschrijdingskans == 1.0
    assert res.plafond_bij_kans[0] == pytest.approx(1_568_000.0, abs=0.01)
    pot = res.per_pot
    assert list(pot.index) == ["G1", "G2", "G3"]
    assert pot["plafond"].tolist() == pytest.approx([500_000.0, 400_000.0, 500_000.0])
    assert pot["verwachte_overschrijding"].tolist() == pytest.approx([60_000.0, 30_000.0, 0.0])
    assert pot["overschrijdingskans"].tolist() == [1.0, 1.0, 0.0]
    assert pot["plafond_bij_kans"].tolist() == pytest.approx([560_000.0, 430_000.0, 450_000.0])
    assert res.regionaal["verwachte_overschrijding"] == pytest.approx(40_000.0, abs=0.005)
    terug = res.terugvordering["verwacht"]
    assert terug["p1"] == pytest.approx(40_000.0, abs=0.005)
    assert terug["p2"] == pytest.approx(5_000.0, abs=0.005)
    # the partners bear exactly their 50 % of the overschrijding reported
    assert terug.sum() == pytest.approx(0.5 * res.verwachte_overschrijding, abs=0.01)
    doc = res.to_dict()
    assert doc["per_pot"]["G1"]["verwachte_overschrijding"] == pytest.approx(60_000.0)
    assert doc["regionaal"]["verwachte_overschrijding"] == pytest.approx(40_000.0)


def test_one_pot_keeps_its_figures_and_has_no_per_pot_table() -> None:
    data = copy.deepcopy(DRIE)
    data["kader"]["risicodeling"]["verdeelsleutel"] = "lumpsum"
    res = simulate(case_from_dict(data), 64, seed=3)
    assert res.verwachte_overschrijding == pytest.approx(40_000.0, abs=0.005)
    assert res.per_pot is None and "per_pot" not in res.to_dict()


def _per_gemeente(case, bedrag: pd.Series) -> pd.Series:
    """Euros indexed (gebied, aanbieder, product) or (gebied, ...) summed per gemeente."""
    gemeente = bedrag.index.get_level_values("gebied").map(case.gemeente_van())
    return bedrag.groupby(np.asarray(gemeente)).sum()


def test_report_optimaal_simulates_the_optimised_allocation_per_gemeente() -> None:
    from plafond.cases import framework
    from plafond.optimize import allocate

    from plafond.report.maak import maak_rapport

    data = load_case("maastricht-heuvelland-2022").model_dump()
    data["kader"]["risicodeling"]["verdeelsleutel"] = "gemeente"
    # fixed demand and fixed overige shares: C (demand-driven) is known exactly
    for v in data["vraag"]:
        for k in ("clienten", "volume_per_client"):
            v[k] = {"verdeling": "vast", "gemiddelde": v[k]["gemiddelde"]}
    for rij in data["levering"]["overige"]:
        if rij["aandeel"] is not None:
            a = rij["aandeel"]
            rij["aandeel"] = {
                "verdeling": "vast",
                "gemiddelde": (a["min"] + 4 * a["modus"] + a["max"]) / 6,
            }
    assert not data["kader"]["overige_uitgaven"]
    for a in data["aanbieders"]:  # no capaciteit: nothing spills to the overige
        a["capaciteit"] = {}
    case = case_from_dict(data)
    bedrag = allocate(case, doel="kosten").allocatie["bedrag"]
    # C by hand: volume × share × the paid tarief (ZIN/PGB mix) × what the uitsluitingen leave
    rij_van = {(r.gebied, r.product): r for r in case.levering.overige}
    c = {}
    for v in case.vraag:
        r = rij_van.get((v.gebied, v.product)) or rij_van[None, v.product]
        h = [x for x in case.historie if x.gebied == v.gebied and x.product == v.product]
        o = sum(x.omzet for x in h if x.aanbieder not in case.partners())
        aandeel = r.aandeel.gemiddelde if r.aandeel else o / sum(x.omzet for x in h)
        tarief = (1 - r.aandeel_pgb) * r.tarief_zin + r.aandeel_pgb * r.tarief_pgb
        gemeente = case.gemeente_van()[v.gebied]
        rest = 1.0
        for u in case.kader.uitsluitingen:
            if u.gemeente == gemeente and u.product == v.product and u.aanbieder is None:
                rest *= 1 - u.aandeel
        volume = v.clienten.gemiddelde * v.volume_per_client.gemiddelde
        c[v.gebied] = c.get(v.gebied, 0.0) + volume * aandeel * tarief * rest
    c = pd.Series(c).rename_axis("gebied")
    reeds = framework.lumpsum_regels(case)["reeds_betaald"]
    verwacht = _per_gemeente(case, bedrag) + _per_gemeente(case, c) + _per_gemeente(case, reeds)

    r = maak_rapport(case, allocatie="optimaal", n=2**10, seed=1, gevoeligheid_n=2**10)
    pot = r.simulatie.per_pot
    np.testing.assert_allclose(
        pot["uitgaven_gemiddelde"].to_numpy(), verwacht.reindex(pot.index).to_numpy(), rtol=1e-9
    )
    # every partner's weight in a pot is its optimised share of the partners' money there
    model = bouw_model(case, allocatie={(a, g, p): b for (g, a, p), b in bedrag.items()})
    per_partner = {
        a: _per_gemeente(case, bedrag.xs(a, level="aanbieder", drop_level=False))
        for a in case.partners()
    }
    totaal = _per_gemeente(case, bedrag)
    for k, gemeente in enumerate(pot.index):
        for i, a in enumerate(case.partners()):
            verwacht_aandeel = per_partner[a].get(gemeente, 0.0) / totaal[gemeente]
            assert model.regel.gewichten[k, i] == pytest.approx(verwacht_aandeel, abs=1e-12)
