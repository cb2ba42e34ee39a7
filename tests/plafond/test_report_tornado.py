"""montecarlo.gevoeligheid.tornado: one input at a time, common random numbers."""

from __future__ import annotations

import pytest
from plafond.cases import case_from_dict
from plafond.montecarlo.gevoeligheid import tornado


def _case(spreiding: dict[str, dict]) -> dict:
    """Three gebieden, one partner each; one overige-uitgaven line per gebied as given."""
    gebieden = list(spreiding)
    return {
        "naam": "tornado",
        "jaar": 2024,
        "producten": {"BGI": {"naam": "Begeleiding individueel"}},
        "gebieden": {g: {"gemeente": "Stad", "inwoners": 20000} for g in gebieden},
        "aanbieders": {
            "p1": {"naam": "Partner", "rol": "partner"},
            "overig": {"naam": "Overige", "rol": "overig"},
        },
        "tarieven": {"BGI": {"tarief": 60.0}},
        "historie": [
            {"aanbieder": a, "gebied": g, "product": "BGI", "omzet": omzet}
            for g in gebieden
            for a, omzet in (("p1", 1_000_000), ("overig", 500_000))
        ],
        "kader": {
            "overige_uitgaven": [
                {"gebied": g, "product": "BGI", **spec} for g, spec in spreiding.items()
            ],
            "correlatie": {"binnen_gemeente": 0.3},
        },
    }


@pytest.fixture(scope="module")
def resultaat():
    case = case_from_dict(
        _case(
            {
                "vast": {"verdeling": "vast", "gemiddelde": 520_000},
                "smal": {"verdeling": "lognormaal", "gemiddelde": 520_000, "cv": 0.05},
                "breed": {"verdeling": "lognormaal", "gemiddelde": 520_000, "cv": 0.30},
            }
        )
    )
    return tornado(case, 2**12, seed=3)


def test_an_input_without_spread_has_zero_effect(resultaat):
    rij = resultaat.set_index("invoer").loc["overige uitgaven vast/BGI"]
    assert rij["laag"] == rij["hoog"] == 520_000
    assert rij["effect"] == 0.0


def test_the_widest_c_line_ranks_first_and_effects_are_sorted(resultaat):
    assert resultaat["invoer"].iloc[0] == "overige uitgaven breed/BGI"
    assert list(resultaat["effect"].abs()) == sorted(resultaat["effect"].abs(), reverse=True)
    smal = resultaat.set_index("invoer").loc["overige uitgaven smal/BGI"]
    assert smal["effect"] > 0  # more C spending, more overschrijding
    assert set(resultaat["soort"]) == {"overige_uitgaven", "correlatie"}
    assert resultaat["basis"].nunique() == 1


def test_same_seed_same_table():
    case = case_from_dict(
        _case(
            {
                "a": {"verdeling": "gamma", "gemiddelde": 500_000, "cv": 0.2},
                "b": {"verdeling": "normaal", "gemiddelde": 500_000, "cv": 0.1},
            }
        )
    )
    een, twee = tornado(case, 2**11, seed=5), tornado(case, 2**11, seed=5)
    assert een.equals(twee)


def test_only_the_widest_lines_are_varied_and_the_rest_counted():
    from plafond.montecarlo.gevoeligheid import MAX_INVOER

    spreiding = {
        f"w{i}": {"verdeling": "lognormaal", "gemiddelde": 100_000, "cv": 0.01 * (i + 1)}
        for i in range(MAX_INVOER + 4)
    }
    tabel = tornado(case_from_dict(_case(spreiding)), 2**10, seed=1)
    c_rijen = tabel[tabel["soort"] == "overige_uitgaven"]["invoer"]
    # the widest lines are those with the largest cv: w4 … w13
    assert sorted(c_rijen) == sorted(f"overige uitgaven w{i}/BGI" for i in range(4, 14))
    assert tabel.attrs["weggelaten"] == 4


def test_scenarios_per_run_stay_within_the_budget():
    from plafond.montecarlo.gevoeligheid import BUDGET, MIN_N, scenarios_per_run

    assert scenarios_per_run(2**14, 23, 10) == 2**14  # small case: n itself
    m = scenarios_per_run(2**14, 23, 1000)
    assert m == 2**11 and 23 * 1000 * m <= BUDGET < 23 * 1000 * 2 * m  # largest power of two
    assert scenarios_per_run(2**14, 23, 10**7) == MIN_N
    assert scenarios_per_run(100, 23, 10**7) == 100


def test_demand_lines_are_inputs_when_demand_drives_spending():
    """Demand-driven C: each vraag line's clienten is an input; one without spread has
    effect 0 (common random numbers), more clienten means more overschrijding."""
    from plafond.cases import load_case

    data = load_case("maastricht-heuvelland-2022").model_dump()
    assert not data["kader"]["overige_uitgaven"]  # C follows demand in this case
    vast = data["vraag"][2]
    vast["clienten"] = {"verdeling": "vast", "gemiddelde": vast["clienten"]["gemiddelde"]}
    tabel = tornado(case_from_dict(data), 2**10, seed=2).set_index("invoer")
    vraag = tabel[tabel["soort"] == "vraag"]
    assert len(vraag) == len(data["vraag"])
    label = f"vraag {vast['gebied']}/{vast['product']} (cliënten)"
    assert vraag.loc[label, "laag"] == vraag.loc[label, "hoog"]
    assert vraag.loc[label, "effect"] == 0.0
    assert (vraag.drop(label)["effect"] > 0).all()
    # the factor model's correlation is moved too: independence gives a smaller overrun
    corr = tabel[tabel["soort"] == "correlatie"].iloc[0]
    assert corr["overschrijding_laag"] < corr["basis"] < corr["overschrijding_hoog"]
