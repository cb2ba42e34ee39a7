"""The financial framework against figures computed by hand, to the cent."""

from __future__ import annotations

import pytest
from plafond.cases import case_from_dict, framework
from plafond.cases.schema import Tarief


def test_worked_example_of_domain_md_to_the_cent(worked_example):
    # DOMAIN.md: P1 2.000.000 × 1,0387 × 0,925 = 1.921.595,00 + opslag 100.000;
    # P2 1.000.000 → 960.797,50; overige 600.000 → 576.478,50; A = 3.558.871,00.
    fw = framework.kader(case_from_dict(worked_example))
    assert fw.lumpsum_per_aanbieder["p1"] == pytest.approx(2_021_595.00, abs=0.005)
    assert fw.lumpsum_per_aanbieder["p2"] == pytest.approx(960_797.50, abs=0.005)
    assert fw.lumpsum == pytest.approx(2_982_392.50, abs=0.005)
    assert fw.plafond == pytest.approx(3_558_871.00, abs=0.005)
    assert fw.overige_uitgaven == pytest.approx(576_478.50, abs=0.005)
    assert not fw.plafond_gegeven


def test_lumpsum_without_opslag(worked_example):
    worked_example["kader"]["opslagen"] = []
    fw = framework.kader(case_from_dict(worked_example))
    assert fw.lumpsum_per_aanbieder["p1"] == pytest.approx(1_921_595.00, abs=0.005)
    assert fw.plafond == pytest.approx(3_458_871.00, abs=0.005)


def test_given_plafond_sets_a_and_c(worked_example):
    worked_example["kader"]["plafond"] = 4_000_000
    fw = framework.kader(case_from_dict(worked_example))
    assert fw.plafond == 4_000_000
    assert fw.plafond_gegeven
    assert fw.overige_uitgaven == pytest.approx(4_000_000 - 2_982_392.50, abs=0.005)


def test_lumpsum_rows_per_gebied_and_product_sum_to_partner_totals(worked_example):
    case = case_from_dict(worked_example)
    rows = framework.lumpsum_regels(case)
    assert rows.loc[("p1", "stad", "BGI"), "opslag"] == 100_000
    assert rows["lumpsum"].sum() == pytest.approx(framework.kader(case).lumpsum, abs=1e-6)


def test_partner_without_historie_gets_zero_lumpsum(worked_example):
    worked_example["aanbieders"]["p3"] = {"naam": "Nieuw", "rol": "partner"}
    fw = framework.kader(case_from_dict(worked_example))
    assert fw.lumpsum_per_aanbieder["p3"] == 0.0


def test_published_tarief_example_about_38_euro():
    # DOMAIN.md: wage cost 24,68/h, productivity 80 %, overhead 20 % → about 38/h:
    # 24,68 / 0,8 = 30,85; × 1,2 = 37,02.
    t = Tarief(product="BGI", cao_uurloon=24.68, productiviteit=0.8, overhead=0.2)
    assert framework.opbouw(t)["tarief"] == pytest.approx(37.02, abs=1e-9)


def test_tarief_build_up_every_step_by_hand():
    t = Tarief(
        product="BGG",
        cao_uurloon=20.0,
        toeslagen=0.1,  # 22,00
        werkgeverslasten=0.25,  # 27,50
        productiviteit=0.5,  # 55,00
        reiskosten=5.0,  # 60,00
        overhead=0.1,  # 66,00
        risico_opslag=0.05,  # 69,30
        uren_per_eenheid=0.5,  # 34,65
    )
    steps = framework.opbouw(t)
    expected = [20.0, 22.0, 27.5, 55.0, 60.0, 66.0, 69.3, 34.65]
    assert list(steps.values()) == pytest.approx(expected, abs=1e-9)
    assert list(steps) == [name for name, _ in framework.OPBOUW_STAPPEN]


def test_aanbieder_specific_tarief_wins(worked_example):
    worked_example["tarieven"]["BGI"]["per_aanbieder"] = {"p2": {"tarief": 65.0}}
    case = case_from_dict(worked_example)
    assert framework.tarief(case, "BGI", "p2") == 65.0
    assert framework.tarief(case, "BGI", "p1") == 60.0
    assert framework.tarief(case, "BGI") == 60.0


def test_expected_volume_is_product_of_means(worked_example):
    volume = framework.verwacht_volume(case_from_dict(worked_example))
    assert volume[("stad", "BGI")] == pytest.approx(600 * 90)


def test_validate_json_has_exactly_the_design_keys(worked_example):
    d = framework.kader(case_from_dict(worked_example)).to_dict()
    assert set(d) == {
        "case",
        "plafond",
        "lumpsum",
        "overige_uitgaven",
        "lumpsum_per_aanbieder",
        "tarieven",
        "reeds_betaald",
        "potten",
    }
    assert d["reeds_betaald"] == 0.0 and d["potten"] == {"regio": d["plafond"]}
    assert d["tarieven"] == {"BGI": 60.0}
    assert sum(d["lumpsum_per_aanbieder"].values()) == pytest.approx(d["lumpsum"])


def test_case_is_immutable_down_to_its_mappings(worked_example):
    from pydantic import ValidationError

    case = case_from_dict(worked_example)
    with pytest.raises(ValidationError):
        case.naam = "anders"
    with pytest.raises(TypeError):
        case.aanbieders[0].capaciteit["BGI"] = 0
    assert isinstance(case.historie, tuple)
    changed = case.model_copy(update={"jaar": 2023})
    assert changed.jaar == 2023 and case.jaar == 2022
