"""The seed-002 rules in the case, each to the cent against a hand computation (issue 10.7).

Base: DOMAIN.md's worked example (one gebied "stad" in gemeente Stad, product BGI, p1 omzet
2.000.000, p2 1.000.000, overig 600.000; indexatie 3,87 %, taakstelling 7,5 %, so the
factor is 1,0387 × 0,925 = 0,9607975; p1 has an opslag of 100.000).
"""

from __future__ import annotations

import copy

import pytest
from plafond.cases import CaseError, case_from_dict, framework

F = 1.0387 * 0.925


def _kader(data):
    return framework.kader(case_from_dict(data))


def test_opslag_indexed_and_by_switch_subject_to_the_taakstelling(worked_example):
    # 100.000 × 1,0387 = 103.870,00; with the taakstelling × 0,925 = 96.079,75.
    # p1: 2.000.000 × 0,9607975 = 1.921.595,00 plus the opslag.
    for switch, opslag in ((False, 103_870.00), (True, 96_079.75)):
        data = copy.deepcopy(worked_example)
        data["kader"]["opslagen"][0].update(indexeren=True, taakstelling_toepassen=switch)
        fw = _kader(data)
        assert round(fw.lumpsum_per_aanbieder["p1"], 2) == round(1_921_595.00 + opslag, 2)
        # A: all historie 3.600.000 × 0,9607975 = 3.458.871,00 plus the opslag
        assert round(fw.plafond, 2) == round(3_458_871.00 + opslag, 2)
    # without switches the amount is taken as given (the old behaviour)
    assert round(_kader(worked_example).lumpsum_per_aanbieder["p1"], 2) == 2_021_595.00


def test_uitsluiting_takes_a_share_of_overige_historie_and_c_out_of_a(worked_example):
    # 20 % of overig's 600.000 out: 480.000 × 0,9607975 = 461.182,80 (was 576.478,50), so
    # A = 1.921.595,00 + 960.797,50 + 461.182,80 + 100.000 = 3.443.575,30; B unchanged
    # 2.982.392,50; C budget 461.182,80. The C forecast 640.000 becomes 512.000.
    data = copy.deepcopy(worked_example)
    data["kader"]["uitsluitingen"] = [
        {"gemeente": "Stad", "product": "BGI", "aandeel": 0.2, "omschrijving": "70+"}
    ]
    case = case_from_dict(data)
    fw = framework.kader(case)
    assert round(fw.plafond, 2) == 3_443_575.30
    assert round(fw.lumpsum, 2) == 2_982_392.50
    assert round(fw.overige_uitgaven, 2) == 461_182.80
    assert fw.per_gemeente_product.loc[("Stad", "BGI"), "uitgesloten"] == pytest.approx(120_000)
    (c,) = framework.overige_uitgaven(case)
    assert c.gemiddelde == pytest.approx(512_000.0)
    # naming a partner takes its omzet out of A and its lumpsum, and leaves C alone
    data["kader"]["uitsluitingen"][0]["aanbieder"] = "p2"
    case = case_from_dict(data)
    fw = framework.kader(case)
    # p2: 800.000 × 0,9607975 = 768.638,00
    assert round(fw.lumpsum_per_aanbieder["p2"], 2) == 768_638.00
    assert round(fw.plafond, 2) == round(3_558_871.00 - 192_159.50, 2)
    assert framework.overige_uitgaven(case)[0].gemiddelde == pytest.approx(640_000.0)


def test_reeds_betaald_is_deducted_from_the_lumpsum(worked_example):
    # p2 was already paid 60.000,00: lumpsum 960.797,50 − 60.000,00 = 900.797,50. A stays
    # 3.558.871,00; B = 2.021.595,00 + 900.797,50 = 2.922.392,50; C = A − B − 60.000 =
    # 576.478,50 as before.
    data = copy.deepcopy(worked_example)
    data["kader"]["reeds_betaald"] = [{"aanbieder": "p2", "bedrag": 60_000}]
    fw = _kader(data)
    assert round(fw.lumpsum_per_aanbieder["p2"], 2) == 900_797.50
    assert round(fw.plafond, 2) == 3_558_871.00
    assert round(fw.lumpsum, 2) == 2_922_392.50
    assert round(fw.reeds_betaald, 2) == 60_000.00
    assert round(fw.overige_uitgaven, 2) == 576_478.50
    data["kader"]["reeds_betaald"][0]["bedrag"] = 1_000_000  # more than its lumpsum
    with pytest.raises(CaseError, match="reeds_betaald"):
        case_from_dict(data)
    data["kader"]["reeds_betaald"][0].update(aanbieder="overig", bedrag=1)
    with pytest.raises(CaseError, match="geen partner"):
        case_from_dict(data)


def test_reeds_betaald_spending_and_exploitatie_in_the_simulation(worked_example):
    # C is fixed at 640.000: spending 2.922.392,50 + 60.000 + 640.000 = 3.622.392,50, the
    # same as without the deduction (the 60.000 was paid), so the overschrijding stays
    # 63.521,50 and the partners bear 31.760,75, now pro rata 2.021.595,00 : 900.797,50:
    # p1 21.968,36 and p2 9.792,39 (largest remainder in cents: 2.196.835,9 → ...).
    from plafond.montecarlo import simulate

    data = copy.deepcopy(worked_example)
    data["kader"]["reeds_betaald"] = [{"aanbieder": "p2", "bedrag": 60_000}]
    res = simulate(case_from_dict(data), 64, seed=1)
    assert res.verwachte_overschrijding == pytest.approx(63_521.50, abs=0.005)
    p1 = 3_176_075 * 2_021_595.00 / 2_922_392.50  # cents
    assert res.terugvordering.loc["p1", "verwacht"] == pytest.approx(round(p1) / 100, abs=0.005)
    assert res.terugvordering["verwacht"].sum() == pytest.approx(31_760.75, abs=0.005)
    # the partner's income in its exploitatie is its lumpsum plus what it was already paid
    e = res.exploitatie.loc["p2"]
    inkomen = (
        e["verwacht_resultaat"] + e["verwachte_kosten"] + res.terugvordering.loc["p2", "verwacht"]
    )
    assert inkomen == pytest.approx(900_797.50 + 60_000.0, abs=0.01)


def _potten_case(verdeelsleutel: str, plafonds: list[dict]) -> dict:
    """Two gemeenten (Stad, Dorp) × two products, partner p1 everywhere."""
    data = {
        "naam": "potten",
        "jaar": 2024,
        "producten": {"BGI": {"naam": "BGI"}, "BGG": {"naam": "BGG", "eenheid": "dagdeel"}},
        "gebieden": {
            "stad": {"gemeente": "Stad", "inwoners": 1},
            "dorp": {"gemeente": "Dorp", "inwoners": 1},
        },
        "aanbieders": {
            "p1": {"naam": "P1", "rol": "partner"},
            "overig": {"naam": "O", "rol": "overig"},
        },
        "tarieven": {"BGI": {"tarief": 60.0}, "BGG": {"tarief": 40.0}},
        "historie": [
            {"aanbieder": "p1", "gebied": g, "product": p, "omzet": omzet}
            for g, p, omzet in [("stad", "BGI", 300_000), ("stad", "BGG", 200_000),
                                ("dorp", "BGI", 100_000), ("dorp", "BGG", 50_000)]
        ],
        "kader": {
            "overige_uitgaven": [
                {"gebied": g, "product": p, "verdeling": "vast", "gemiddelde": c}
                for g, p, c in [("stad", "BGI", 90_000), ("stad", "BGG", 10_000),
                                ("dorp", "BGI", 30_000), ("dorp", "BGG", 40_000)]
            ],
            "plafonds": plafonds,
            "risicodeling": {"aandeel_partners": 0.5, "verdeelsleutel": verdeelsleutel},
        },
    }  # fmt: skip
    return data


GP_PLAFONDS = [
    {"gemeente": "Stad", "product": "BGI", "plafond": 380_000.00},
    {"gemeente": "Stad", "product": "BGG", "plafond": 230_000.00},
    {"gemeente": "Dorp", "product": "BGI", "plafond": 120_000.00},
    {"gemeente": "Dorp", "product": "BGG", "plafond": 70_000.00},
]


@pytest.mark.parametrize(
    "sleutel, over, potten",
    [
        # spending per gemeente × product: 390.000, 210.000, 130.000, 90.000 against the
        # given 380.000, 230.000, 120.000, 70.000: overruns 10.000, 0, 10.000, 20.000.
        ("gemeente_product", 40_000.0,
         {"Dorp/BGI": 120_000.0, "Dorp/BGG": 70_000.0,
          "Stad/BGI": 380_000.0, "Stad/BGG": 230_000.0}),
        # per product: BGI 520.000 vs 500.000 (+20.000); BGG 300.000 vs 300.000 (0)
        ("product", 20_000.0, {"BGI": 500_000.0, "BGG": 300_000.0}),
        # per gemeente: Stad 600.000 vs 610.000 (0); Dorp 220.000 vs 190.000 (+30.000)
        ("gemeente", 30_000.0, {"Dorp": 190_000.0, "Stad": 610_000.0}),
        # one pot: 820.000 vs 800.000
        ("lumpsum", 20_000.0, {"regio": 800_000.0}),
    ],
)  # fmt: skip
def test_pots_per_product_and_gemeente_product_with_given_plafonds(sleutel, over, potten):
    from plafond.montecarlo import simulate

    case = case_from_dict(_potten_case(sleutel, GP_PLAFONDS))
    fw = framework.kader(case)
    assert fw.plafond == pytest.approx(800_000.0)
    assert dict(zip(fw.potten.ids, fw.potten.plafond, strict=True)) == pytest.approx(potten)
    res = simulate(case, 64, seed=1)
    assert res.verwachte_overschrijding == pytest.approx(over, abs=0.005)
    assert res.terugvordering.loc["p1", "verwacht"] == pytest.approx(over / 2, abs=0.005)


def test_pot_plafonds_given_per_product(worked_example):
    from plafond.montecarlo import simulate

    rijen = [{"product": "BGI", "plafond": 505_000}, {"product": "BGG", "plafond": 300_000}]
    case = case_from_dict(_potten_case("product", rijen))
    res = simulate(case, 64, seed=1)
    assert res.per_pot["plafond"].to_dict() == {"BGI": 505_000.0, "BGG": 300_000.0}
    assert res.verwachte_overschrijding == pytest.approx(15_000.0, abs=0.005)


@pytest.mark.parametrize(
    "sleutel, rijen, melding",
    [
        ("gemeente_product", [{"gemeente": "Stad", "plafond": 1}], "verkeerde niveau"),
        ("gemeente", GP_PLAFONDS[:3], "pot Dorp/BGG heeft 0 plafonds"),
        ("gemeente", [{"gemeente": "Ergens", "product": "BGI", "plafond": 1}], "onbekend gemeente"),
    ],
)
def test_pot_plafonds_refused_with_one_line(sleutel, rijen, melding):
    with pytest.raises(CaseError, match=melding):
        case_from_dict(_potten_case(sleutel, rijen))
    data = _potten_case("gemeente", GP_PLAFONDS)
    data["kader"]["plafond"] = 700_000
    with pytest.raises(CaseError, match="som van kader.plafonds"):
        case_from_dict(data)


def test_new_keys_round_trip_through_excel(tmp_path, worked_example):
    import openpyxl
    from plafond.cases import load_case
    from plafond.cases.excel_schrijven import write_workbook

    data = _potten_case("gemeente_product", GP_PLAFONDS)
    data["kader"]["opslagen"] = [
        {"aanbieder": "p1", "gebied": "stad", "product": "BGI", "bedrag": 1_000,
         "indexeren": True, "taakstelling_toepassen": True}
    ]  # fmt: skip
    data["kader"]["uitsluitingen"] = [{"gemeente": "Dorp", "product": "BGG", "aandeel": 0.1}]
    data["kader"]["reeds_betaald"] = [{"aanbieder": "p1", "bedrag": 5_000, "gebied": "dorp"}]
    case = case_from_dict(data)
    pad = write_workbook(case, tmp_path / "potten.xlsx")
    assert load_case(pad) == case
    # a Dutch user writes ja/nee in the switch columns
    wb = openpyxl.load_workbook(pad)
    ws = wb["opslagen"]
    kop = [c.value for c in ws[1]]
    ws.cell(2, kop.index("taakstelling_toepassen") + 1, "nee")
    wb.save(pad)
    (opslag,) = load_case(pad).kader.opslagen
    assert opslag.indexeren is True and opslag.taakstelling_toepassen is False
