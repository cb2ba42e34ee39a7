"""Each marktordening rule is enforced, and the verdeling objective, solved by hand.

Every rule gets a small case where the cost optimum WITHOUT the rule would break it,
and the optimum WITH the rule is worked out on paper below.

Base case (one product HH in uur, two gebieden, two partners allowed everywhere):
    vraag g1 = 100 uur, g2 = 80 uur; tarief a1 = 30, a2 = 40 euro/uur (per_aanbieder,
    so the optimum is unique); plafond 100.000 (never binding).
"""

from __future__ import annotations

from typing import Any

import pytest
from plafond.cases import case_from_dict
from plafond.optimize import NoFeasibleAllocation, allocate, problem_from_case

from .test_optimize_cases import check_alle_restricties

TOL = 1e-6


def basis(**marktordening: Any) -> dict[str, Any]:
    gebieden = {"g1": 100, "g2": 80}  # vraag in uur: clienten 10 x volume per client
    return {
        "naam": "hand-marktordening",
        "jaar": 2024,
        "producten": {"HH": {"naam": "Huishoudelijke hulp", "eenheid": "uur"}},
        "gebieden": {g: {"gemeente": "Hand", "inwoners": 10_000} for g in gebieden},
        "aanbieders": {
            "a1": {"naam": "Goedkoop", "rol": "partner"},
            "a2": {"naam": "Duur", "rol": "partner"},
        },
        "tarieven": {"HH": {"tarief": 40.0, "per_aanbieder": {"a1": {"tarief": 30.0}}}},
        "historie": [
            {"aanbieder": a, "gebied": g, "product": "HH", "omzet": 1_000}
            for a in ("a1", "a2")
            for g in gebieden
        ],
        "vraag": [
            {
                "gebied": g,
                "product": "HH",
                "clienten": {"verdeling": "vast", "gemiddelde": 10},
                "volume_per_client": {"verdeling": "vast", "gemiddelde": v / 10},
            }
            for g, v in gebieden.items()
        ],
        "kader": {"plafond": 100_000},
        "marktordening": marktordening,
    }


def oplossen(data: dict[str, Any], doel: str = "kosten"):
    case = case_from_dict(data)
    res = allocate(case, doel=doel)
    check_alle_restricties(problem_from_case(case), res)
    return res


def volumes(res) -> dict[tuple[str, str], float]:
    t = res.allocatie.reset_index()
    return {(r.gebied, r.aanbieder): r.volume for r in t.itertuples() if r.volume > TOL}


def met_capaciteit(data: dict[str, Any], cap_a1: float) -> dict[str, Any]:
    data["aanbieders"]["a1"]["capaciteit"] = {"HH": cap_a1}
    return data


def test_without_rules_the_cheap_aanbieder_takes_everything() -> None:
    # a1 covers all 180 uur at 30: 5.400; a2 gets nothing.
    res = oplossen(basis())
    assert res.doelwaarde == pytest.approx(5_400.0)
    assert res.per_aanbieder.get("a2", 0.0) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("gebied", [None, "g2"])
def test_minimum_bedrag_pays_an_aanbieder_the_optimum_leaves_at_zero(gebied) -> None:
    # a2 must get 2.000 (in total, or in g2). Paid anyway, a2 delivers 2.000 / 40 = 50 uur
    # at no extra cost, and a1 covers the other 130 uur: 3.900. Total 5.900 (not 5.400).
    regel = {"aanbieder": "a2", "bedrag": 2_000}
    if gebied:
        regel["gebied"] = gebied
    res = oplossen(basis(minimum_bedrag=[regel]))
    assert res.doelwaarde == pytest.approx(5_900.0)
    assert res.per_aanbieder["a2"] == pytest.approx(2_000.0)
    assert res.per_aanbieder["a1"] == pytest.approx(3_900.0)
    if gebied:
        assert volumes(res)[gebied, "a2"] == pytest.approx(50.0)


def test_max_aanbieders_per_gebied_one() -> None:
    # a1 has capaciteit 150 uur. Without the rule: a1 150 uur (4.500) + a2 30 uur (1.200)
    # = 5.700, and some gebied has both aanbieders.
    # With at most one aanbieder per gebied, one of them serves each gebied whole:
    #   a1 -> g1, a2 -> g2: 100 * 30 + 80 * 40 = 6.200 (the optimum)
    #   a1 -> g2, a2 -> g1: 80 * 30 + 100 * 40 = 6.400;  a2 everywhere: 7.200.
    vrij = oplossen(met_capaciteit(basis(), 150))
    assert vrij.doelwaarde == pytest.approx(5_700.0)
    per_gebied = vrij.allocatie[vrij.allocatie["volume"] > TOL].groupby(level="gebied").size()
    assert per_gebied.max() == 2
    res = oplossen(met_capaciteit(basis(max_aanbieders_per_gebied=1), 150))
    assert res.doelwaarde == pytest.approx(6_200.0)
    assert volumes(res) == pytest.approx({("g1", "a1"): 100.0, ("g2", "a2"): 80.0})


def test_min_aanbieders_per_gebied_two() -> None:
    # Without the rule a1 alone serves both gebieden (5.400). With two aanbieders per
    # gebied, a2 must deliver the least volume that counts as active: 1 % of the gebied's
    # demand (README), 1 uur in g1 and 0,8 uur in g2, each 40 - 30 = 10 euro dearer than
    # a1: 5.400 + (1 + 0,8) * 10 = 5.418.
    res = oplossen(basis(min_aanbieders_per_gebied=2))
    assert res.doelwaarde == pytest.approx(5_418.0)
    assert volumes(res) == pytest.approx(
        {("g1", "a1"): 99.0, ("g1", "a2"): 1.0, ("g2", "a1"): 79.2, ("g2", "a2"): 0.8}
    )


def test_max_gebieden_per_aanbieder_one() -> None:
    # a1 may serve one gebied: the larger one saves more (100 * 10 > 80 * 10), so
    # a1 -> g1, a2 -> g2: 3.000 + 3.200 = 6.200 (not 5.400).
    res = oplossen(basis(max_gebieden_per_aanbieder=1))
    assert res.doelwaarde == pytest.approx(6_200.0)
    assert volumes(res) == pytest.approx({("g1", "a1"): 100.0, ("g2", "a2"): 80.0})


def test_paid_in_a_gebied_counts_as_active_there() -> None:
    # Only a2 may work in g2 (a1 is not allowed there), and a2 may serve one gebied.
    # A minimum bedrag for a2 in g1 would need a2 paid in g1 as well: two gebieden.
    # Paying without volume must not dodge the rule, so there is no allocation; the
    # elastic model drops the 2.000 euro minimum (cheaper than a 10.000 per extra
    # gebied slack on max_gebieden).
    data = basis(
        max_gebieden_per_aanbieder=1,
        minimum_bedrag=[{"aanbieder": "a2", "gebied": "g1", "bedrag": 2_000}],
    )
    data["historie"] = [
        h for h in data["historie"] if (h["aanbieder"], h["gebied"]) != ("a1", "g2")
    ]
    with pytest.raises(NoFeasibleAllocation) as info:
        allocate(case_from_dict(data))
    (conflict,) = info.value.conflicten
    assert (conflict.familie, conflict.sleutel) == ("minimum_bedrag", "a2")
    assert conflict.tekort == pytest.approx(2_000.0)
    assert "minimumbedrag" in str(info.value) and "€ 2.000,00" in str(info.value)


def test_verdeling_two_gebieden_by_hand() -> None:
    # Weights w = inwoners * (1 + 4 * aandeel_75plus + aandeel_laag_inkomen):
    #   g1: 10.000 * (1 + 0,4 + 0,1) = 15.000;  g2: 10.000 * (1 + 0,2) = 12.000.
    # Plafond 270.000: fair shares F1 = 270.000 * 15/27 = 150.000, F2 = 120.000.
    # One partner a1 at 30 euro/uur. g2 needs 4.500 uur = 135.000 > F2: overshoot 15.000.
    # Overige uitgaven in g1: 20.000 (buying 20.000 / 30 = 666,7 uur of g1's 3.000), so
    # g1's partner delivers 2.333,3 uur = 70.000 at the reëel tarief. max_opslag 0 (the
    # default): no more may be paid for that volume, and under verdeling no volume above
    # demand may be bought, so S1 = 90.000, undershoot 60.000; the room stays unspent.
    # doelwaarde = 60.000 + 15.000 + 1e-6 * 205.000 = 75.000,205.
    data = verdeling_twee_gebieden()
    res = oplossen(data, "verdeling")
    assert res.per_gebied["g1"] == pytest.approx(70_000.0)
    assert res.per_gebied["g2"] == pytest.approx(135_000.0)
    assert res.doelwaarde == pytest.approx(75_000.205, abs=1e-4)
    assert res.opslag == pytest.approx(0.0, abs=0.01)
    assert res.verdeling.loc["g1", "afwijking"] == pytest.approx(-60_000.0)
    assert res.verdeling.loc["g2", "eerlijk_deel"] == pytest.approx(120_000.0)


def test_verdeling_with_max_opslag_pays_the_opslag_on_volume_by_hand() -> None:
    # As above with max_opslag 0,5: g1's partner may get up to 1,5 x 70.000 = 105.000
    # for its 2.333,3 uur (effectief tarief 45 euro/uur, opslag 35.000). S1 = 125.000,
    # undershoot 25.000; g2 unchanged (overshoot 15.000); plafond 20.000 + 105.000 +
    # 135.000 = 260.000 <= 270.000. doelwaarde = 40.000 + 1e-6 * 240.000 = 40.000,24.
    data = verdeling_twee_gebieden()
    data["marktordening"] = {"max_opslag": 0.5}
    res = oplossen(data, "verdeling")
    rij = res.allocatie.loc[("g1", "a1", "HH")]
    assert rij["bedrag"] == pytest.approx(105_000.0)
    assert rij["volume"] == pytest.approx(7_000 / 3)
    assert rij["effectief_tarief"] == pytest.approx(45.0)
    assert rij["opslag"] == pytest.approx(35_000.0)
    assert res.allocatie.loc[("g2", "a1", "HH"), "opslag"] == pytest.approx(0.0, abs=0.01)
    assert res.opslag == pytest.approx(35_000.0)
    assert res.doelwaarde == pytest.approx(40_000.24, abs=1e-4)


def verdeling_twee_gebieden() -> dict[str, Any]:
    """The base case reduced to one partner a1 at 30 euro/uur, vraag 3.000 and 4.500 uur."""
    data = basis()
    data["aanbieders"].pop("a2")
    data["historie"] = [h for h in data["historie"] if h["aanbieder"] == "a1"]
    data["tarieven"] = {"HH": {"tarief": 30.0}}
    data["gebieden"]["g1"].update(aandeel_75plus=0.10, aandeel_laag_inkomen=0.10)
    data["gebieden"]["g2"].update(aandeel_75plus=0.05)
    for rij, uren in zip(data["vraag"], (3_000, 4_500), strict=True):
        rij["volume_per_client"]["gemiddelde"] = uren / 10
    data["kader"] = {
        "plafond": 270_000,
        "overige_uitgaven": [
            {"gebied": "g1", "product": "HH", "verdeling": "vast", "gemiddelde": 20_000}
        ],
    }
    return data
