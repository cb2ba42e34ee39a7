"""A cooperative as one contract partner: the rule acts on it, its leden share its amount.

Hand figures to the cent (array level and a small case with fixed spending), the leden's
amounts against a second formulation (the cooperative as one partner of a rule without
groups), the leden against a run without the cooperative, the se of the cooperative
against one computed from its per-scenario amounts, validation, and Excel.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from plafond.cases import load_case
from plafond.cases.excel_schrijven import write_workbook
from plafond.cases.load import case_from_dict
from plafond.montecarlo import schatters, simulate
from plafond.montecarlo.model import bouw_model
from plafond.montecarlo.risicodeling import Regel, terugvordering

from plafond.cli import main


def _met_cooperatie(data: dict[str, Any], sleutel: Any = "lumpsum") -> dict[str, Any]:
    """The worked example with a third partner p3 and p1, p2 as cooperative ``co``."""
    d = copy.deepcopy(data)
    d["aanbieders"]["p3"] = {"naam": "Partner 3", "rol": "partner"}
    d["historie"].append({"aanbieder": "p3", "gebied": "stad", "product": "BGI", "omzet": 500_000})
    d["aanbieders"]["p1"]["cooperatie"] = "co"
    d["aanbieders"]["p2"]["cooperatie"] = "co"
    d["cooperaties"] = {"co": {"naam": "Coöperatie", "sleutel": sleutel}}
    return d


def _zonder_cooperatie(d: dict[str, Any]) -> dict[str, Any]:
    d = copy.deepcopy(d)
    d.pop("cooperaties")
    for a in d["aanbieders"].values():
        a.pop("cooperatie", None)
    return d


# --- the rule on arrays ----------------------------------------------------------------------

#: Partners a, b (the cooperative) and p: lumpsum 600 000, 400 000 and 1 000 000 euro; the
#: pot's key 0,1 / 0,3 / 0,6; half the overschrijding to the partners; cap 6 % of lumpsum.
LUMPSUM = np.array([600_000.0, 400_000.0, 1_000_000.0])


def _regel(groep: bool) -> Regel:
    return Regel(
        plafond=np.array([2_100_000.0]),
        gewichten=np.array([[0.1, 0.3, 0.6]]),
        aandeel_partners=0.5,
        maximum=0.06 * LUMPSUM,
        groep=np.array([0, 0, 1]) if groep else None,
        sleutel=np.array([0.25, 0.75, 1.0]) if groep else None,
    )


def test_hand_example_the_cap_acts_on_the_cooperative_not_on_its_leden():
    # S = 2 300 000,03: O = 200 000,03, the partners' half 100 000,015 -> 10 000 002 cents.
    # Contract partners co (0,1 + 0,3) and p (0,6): 4 000 000,8 and 6 000 001,2 cents; the
    # one cent left goes to the larger remainder (co): co 4 000 001, p 6 000 001.
    # Caps: co 6 % of 1 000 000 = 60 000 (not binding); p 60 000 (binding: 60 000,00).
    # co's key 0,25 / 0,75: 1 000 000,25 and 3 000 000,75 cents, the cent to b.
    s = np.array([[2_300_000.03]])
    t = terugvordering(s, _regel(groep=True))[:, 0]
    assert t.tolist() == [10_000.00, 30_000.01, 60_000.00]
    # b alone would be capped at 6 % of its 400 000 = 24 000: without the cooperative the
    # pot's key gives a 1 000 000,2, b 3 000 000,6 (+1 cent), p 6 000 001,2 cents, capped.
    t_los = terugvordering(s, _regel(groep=False))[:, 0]
    assert t_los.tolist() == [10_000.00, 24_000.00, 60_000.00]


def test_hand_example_the_cooperatives_cap_binds_and_its_leden_share_it():
    # S = 2 500 000: O = 400 000, half = 200 000; co 0,4 -> 80 000 > cap 60 000; p 120 000
    # > cap 60 000. co's 60 000 by 0,25 / 0,75: a 15 000, b 45 000 (b above its own 24 000).
    t = terugvordering(np.array([[2_500_000.0]]), _regel(groep=True))[:, 0]
    assert t.tolist() == [15_000.00, 45_000.00, 60_000.00]


def test_leden_add_up_to_the_cooperative_of_a_rule_without_groups():
    # two pots, an underspend shared too (negative amounts), a cap; the cooperative (leden
    # 0, 2, 3) as one partner of an ungrouped rule is the second formulation
    rng = np.random.default_rng(13)
    gewichten = np.array([[0.2, 0.1, 0.3, 0.0, 0.4], [0.1, 0.3, 0.1, 0.25, 0.25]])
    maximum = np.array([9_000.0, 4_000.0, 7_000.0, 3_000.0, 8_000.0])
    gedeeld = dict(plafond=np.array([500_000.0, 300_000.0]), aandeel_partners=0.6,
                   onderschrijding=0.3)  # fmt: skip
    groep = Regel(gewichten=gewichten, maximum=maximum, groep=np.array([0, 1, 0, 0, 2]),
                  sleutel=np.array([0.5, 1.0, 0.3, 0.2, 1.0]), **gedeeld)  # fmt: skip
    samen = np.array([[1, 0, 1, 1, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 1]], dtype=float).T
    plat = Regel(gewichten=gewichten @ samen, maximum=maximum @ samen, **gedeeld)
    s = np.round(rng.normal([[500_000.0], [300_000.0]], 40_000.0, (2, 4000)), 2)
    t, t_plat = terugvordering(s, groep), terugvordering(s, plat)
    leden_c = np.round(t[[0, 2, 3]] * 100.0)
    np.testing.assert_array_equal(leden_c.sum(axis=0), np.round(t_plat[0] * 100.0))
    np.testing.assert_array_equal(t[[1, 4]], t_plat[[1, 2]])
    assert (t_plat[0] < 0).any() and (np.abs(t_plat[0]) >= 0.5 * 16_000).any()  # both sides
    # each lid within a cent of its key times the cooperative's amount
    assert np.abs(t[[0, 2, 3]] - np.array([[0.5], [0.3], [0.2]]) * t_plat[0]).max() < 0.01


# --- a case with fixed spending ----------------------------------------------------------


def test_case_with_fixed_spending_to_the_cent(worked_example):
    # f = 1,0387 x 0,925 = 0,9607975. Lumpsums: p1 2 000 000 f + 100 000 = 2 021 595,
    # p2 960 797,50, p3 480 398,75 (B = 3 462 791,25); A = 4 100 000 f + 100 000 =
    # 4 039 269,75; C = 640 000 (vast). O = B + C - A = 63 521,50, half 31 760,75.
    # co = p1 + p2 gets ~86 % (27 355 euro), p3 ~14 % (4 406 euro): both above the cap of
    # 0,9 % of lumpsum: co 0,009 x 2 982 392,50 = 26 841,5325 -> 26 841,53, p3 4 323,58875
    # -> 4 323,58. co's key 1/2, 1/2: 1 342 076,5 cents each, the cent to p1 (listed first).
    data = _met_cooperatie(worked_example, sleutel={"p1": 0.5, "p2": 0.5})
    data["kader"]["risicodeling"]["maximum"] = 0.009
    case = case_from_dict(data, "<test>")
    res = simulate(case, 256, seed=1)
    assert res.plafond == pytest.approx(4_039_269.75, abs=1e-6)
    assert res.lumpsum == pytest.approx(3_462_791.25, abs=1e-6)
    t = res.terugvordering
    assert t["verwacht"].round(2).tolist() == [13_420.77, 13_420.76, 4_323.58]
    assert t["se"].tolist() == pytest.approx([0.0, 0.0, 0.0], abs=1e-4)  # float noise only
    # p2 receives more than 0,9 % of its own lumpsum (8 647,18): the cap is the cooperative's
    assert t.loc["p2", "verwacht"] > 0.009 * 960_797.50
    co = res.to_dict()["cooperaties"]["co"]
    assert co == {"naam": "Coöperatie", "leden": ["p1", "p2"], "lumpsum": 2_982_392.5,
                  "terugvordering": {"verwacht": 26_841.53, "se": 0.0}}  # fmt: skip


def test_model_groups_and_key_from_the_case(worked_example):
    case = case_from_dict(_met_cooperatie(worked_example), "<test>")
    regel = bouw_model(case).regel
    assert regel.groep.tolist() == [0, 0, 1]
    # key lumpsum: p1 2 021 595 and p2 960 797,50 of their 2 982 392,50
    assert regel.sleutel.tolist() == pytest.approx([2_021_595 / 2_982_392.5,
                                                    960_797.5 / 2_982_392.5, 1.0])  # fmt: skip
    zonder = bouw_model(case_from_dict(_zonder_cooperatie(_met_cooperatie(worked_example)), "x"))
    assert zonder.regel.groep is None and zonder.regel.sleutel is None
    assert (
        "cooperaties"
        not in simulate(
            case_from_dict(_zonder_cooperatie(_met_cooperatie(worked_example)), "x"), 64, seed=1
        ).to_dict()
    )


def test_key_lumpsum_without_cap_gives_the_leden_the_run_without_cooperative(worked_example):
    # with one pot, key lumpsum and no cap, each lid's share of the cooperative is its
    # share of the pot: the same amounts up to the two roundings (< 2 cents per scenario),
    # and all partners together exactly the same
    data = _met_cooperatie(worked_example)
    data["kader"]["overige_uitgaven"][0] = {"gebied": "stad", "product": "BGI",
                                           "verdeling": "normaal", "gemiddelde": 640_000,
                                           "sd": 60_000}  # fmt: skip
    met = simulate(case_from_dict(data, "<met>"), 4096, seed=5)
    zonder = simulate(case_from_dict(_zonder_cooperatie(data), "<zonder>"), 4096, seed=5)
    assert met.terugvordering["verwacht"].sum() > 1_000.0  # the rule does act
    verschil = (met.terugvordering["verwacht"] - zonder.terugvordering["verwacht"]).abs()
    assert verschil.max() < 0.02
    assert met.terugvordering["verwacht"].sum() == pytest.approx(
        zonder.terugvordering["verwacht"].sum(), abs=1e-6
    )
    # the cooperative's se against one from its per-scenario amounts (one pot: the amount
    # is a function of total spending; the ungrouped rule with co as one partner)
    regel = bouw_model(case_from_dict(data, "<met>")).regel
    samen = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    plat = Regel(plafond=regel.plafond, gewichten=regel.gewichten @ samen,
                 aandeel_partners=regel.aandeel_partners)  # fmt: skip
    t_co = terugvordering(met.uitgaven_per_scenario, plat)[0]
    gem, se = schatters.gemiddelde_se(float(t_co.sum()), float(t_co @ t_co), t_co.size)
    tabel = met.cooperaties.loc["co"]
    assert tabel["verwacht"] == pytest.approx(gem, abs=1e-6)
    assert tabel["se"] == pytest.approx(se, abs=2 * 0.01 / np.sqrt(t_co.size) + 1e-9)


# --- validation and Excel ----------------------------------------------------------------


def _met(fn):
    def mutate(d: dict[str, Any]) -> dict[str, Any]:
        fn(d)
        return d

    return mutate


FOUTEN = [
    (_met(lambda d: d["aanbieders"]["p3"].update(cooperatie="onbekend")),
     "aanbieders[p3].cooperatie: onbekende coöperatie 'onbekend'"),
    (_met(lambda d: d["aanbieders"]["overig"].update(cooperatie="co")),
     "aanbieders[overig].cooperatie: 'overig' heeft rol overig; alleen een partner"),
    (_met(lambda d: d["cooperaties"]["co"].update(sleutel={"p1": 0.5, "p2": 0.4})),
     "cooperaties[co].sleutel: de aandelen tellen op tot 0.9"),
    (_met(lambda d: d["cooperaties"]["co"].update(sleutel={"p1": 0.5, "p2": 0.3, "p3": 0.2})),
     "cooperaties[co].sleutel.p3: 'p3' is geen lid van 'co'"),
    (_met(lambda d: d["cooperaties"]["co"].update(sleutel={"p1": 1.0})),
     "cooperaties[co].sleutel: geen aandeel voor lid 'p2'"),
    (_met(lambda d: d["cooperaties"].update(leeg={"naam": "Leeg"})),
     "cooperaties[leeg]: de coöperatie heeft geen leden"),
    (_met(lambda d: d["cooperaties"].update(p3={"naam": "Dubbel"})),
     "cooperaties[p3]: id is ook een aanbieder"),
    (_met(lambda d: d["cooperaties"]["co"].update(sleutel="omzet")),
     "cooperaties"),
    (_met(lambda d: d["cooperaties"]["co"].update(sleutel={"p1": 1.5, "p2": -0.5})),
     "cooperaties"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "fragment"), FOUTEN)
def test_validation_errors_give_one_line(mutate, fragment, worked_example, write_yaml, capsys):
    path = write_yaml(mutate(_met_cooperatie(worked_example)))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert fragment in err, err


def test_a_lid_of_another_cooperative_in_the_key_is_refused(worked_example, write_yaml, capsys):
    data = _met_cooperatie(worked_example, sleutel={"p1": 0.5, "p2": 0.3, "p3": 0.2})
    data["aanbieders"]["p3"]["cooperatie"] = "tweede"
    data["cooperaties"]["tweede"] = {"naam": "Tweede"}
    assert main(["validate", str(write_yaml(data))]) == 2
    err = capsys.readouterr().err
    assert "cooperaties[co].sleutel.p3: 'p3' is geen lid van 'co'" in err, err


@pytest.mark.parametrize("sleutel", ["lumpsum", {"p1": 0.7, "p2": 0.3}])
def test_yaml_excel_round_trip(sleutel, worked_example, write_yaml, tmp_path):
    case = load_case(write_yaml(_met_cooperatie(worked_example, sleutel=sleutel)))
    terug = load_case(write_workbook(case, tmp_path / "case.xlsx"))
    assert terug == case and terug.cooperaties[0].sleutel == sleutel


def test_excel_refuses_both_kinds_of_key(worked_example, write_yaml, tmp_path, capsys):
    import openpyxl

    case = load_case(write_yaml(_met_cooperatie(worked_example, sleutel={"p1": 0.7, "p2": 0.3})))
    pad = write_workbook(case, tmp_path / "case.xlsx")
    wb = openpyxl.load_workbook(pad)
    ws = wb["cooperaties"]
    assert [c.value for c in ws[1]] == ["id", "naam", "sleutel", "sleutel_p1", "sleutel_p2"]
    ws["C2"] = "lumpsum"
    wb.save(pad)
    assert main(["validate", str(pad)]) == 2
    err = capsys.readouterr().err
    assert "cooperaties[Excel-rij 2].sleutel: geef sleutel lumpsum óf" in err, err


def test_simulate_and_report_show_the_cooperative(worked_example, write_yaml, tmp_path, capsys):
    # the fixed-spending case above: the cooperative repays its cap, 26 841,53 euro
    data = _met_cooperatie(worked_example, sleutel={"p1": 0.5, "p2": 0.5})
    data["kader"]["risicodeling"]["maximum"] = 0.009
    pad = str(write_yaml(data))
    assert main(["simulate", pad, "-n", "256", "--seed", "1"]) == 0
    uit = capsys.readouterr().out
    rij = next(r for r in uit.splitlines() if r.startswith("co (Coöperatie)"))
    assert "€ 2.982.392,50" in rij and "€ 26.841,53 (€ 0,00)" in rij
    import openpyxl

    xlsx = tmp_path / "s.xlsx"
    assert main(["simulate", pad, "-n", "256", "--seed", "1", "-o", str(xlsx)]) == 0
    blad = openpyxl.load_workbook(xlsx)["cooperaties"]
    kop = ["cooperatie", "naam", "leden", "lumpsum", "verwacht", "se"]
    assert [c.value for c in blad[1]] == kop
    assert blad["C2"].value == "p1, p2" and round(blad["E2"].value, 2) == 26_841.53
    capsys.readouterr()
    html = tmp_path / "r.html"
    opties = ["-n", "256", "--seed", "1", "--zonder-gevoeligheid", "--quiet"]
    assert main(["report", pad, "-o", str(html), *opties]) == 0
    tekst = html.read_text(encoding="utf-8")
    assert "coöperaties (één contractpartner" in tekst and "€ 26.841,53" in tekst
    # a partner pack does not show the cooperative (it would sum the other leden)
    assert main(["report", pad, "-o", str(html), "--partner", "p1", *opties]) == 0
    assert "coöperaties (één contractpartner" not in html.read_text(encoding="utf-8")
