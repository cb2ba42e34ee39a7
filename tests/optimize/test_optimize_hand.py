"""Hand-solved 2 gebieden x 2 aanbieders x 1 product instances.

Instance (all four combinations allowed, one product "p" in uur):
    tarief a1 = 50, a2 = 60 euro/uur in both gebieden
    vraag  g1 = 100, g2 = 80 uur;  capaciteit a1 = 120 uur, a2 unlimited

kosten, plafond 20.000:
    a1 is cheaper, so it runs at capaciteit: 120 uur; a2 covers the other 180 - 120 = 60.
    cost = 120 * 50 + 60 * 60 = 6.000 + 3.600 = 9.600 euro.
    dual dekking[g]: one more uur of demand in either gebied is bought from a2: +60.
    dual capaciteit[a1]: one more uur of a1 replaces one uur of a2: 50 - 60 = -10.
    dual plafond: slack of 10.400 euro, so 0.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from plafond.optimize import AllocationProblem, NoFeasibleAllocation, allocate_problem


def probleem(plafond: float) -> AllocationProblem:
    return AllocationProblem(
        gebieden=("g1", "g2"),
        aanbieders=("a1", "a2"),
        producten=("p",),
        combo_gebied=[0, 0, 1, 1],
        combo_aanbieder=[0, 1, 0, 1],
        combo_product=[0, 0, 0, 0],
        tarief=[50.0, 60.0, 50.0, 60.0],
        vraag=[[100.0], [80.0]],
        capaciteit=[[120.0], [np.inf]],
        plafond=plafond,
        eenheden=("uur",),
        naam="hand",
    )


def test_kosten_optimum_and_duals() -> None:
    res = allocate_problem(probleem(20_000.0), "kosten")
    assert res.doelwaarde == pytest.approx(9_600.0)
    assert res.per_aanbieder["a1"] == pytest.approx(6_000.0)
    assert res.per_aanbieder["a2"] == pytest.approx(3_600.0)
    sp = res.schaduwprijzen
    assert sp["dekking", "g1/p"] == pytest.approx(60.0)
    assert sp["dekking", "g2/p"] == pytest.approx(60.0)
    assert sp["capaciteit", "a1/p"] == pytest.approx(-10.0)
    assert sp["plafond", ""] == pytest.approx(0.0)
    assert "capaciteit[a1/p]" in res.bindend
    assert "plafond" not in res.bindend
    d = res.to_dict()
    assert d["schaduwprijzen"]["capaciteit"]["a1/p"] == pytest.approx(-10.0)
    assert d["totaal"] == pytest.approx(9_600.0)
    assert {r["aanbieder"] for r in d["allocatie"]} == {"a1", "a2"}


def test_precheck_in_euros_when_even_the_cheapest_cover_is_too_dear() -> None:
    # cheapest cover ignoring capaciteit: 180 uur * 50 = 9.000 > plafond 8.000
    with pytest.raises(NoFeasibleAllocation) as info:
        allocate_problem(probleem(8_000.0), "kosten")
    tekst = str(info.value)
    assert "€ 9.000,00" in tekst and "€ 8.000,00" in tekst and "€ 1.000,00 te kort" in tekst


def test_conflict_found_by_solver_named_with_amount() -> None:
    # 9.000 passes the pre-check, but capaciteit forces 9.600: the plafond is 600 short.
    # Elastic model: exceeding the plafond costs 600 (penalty 1/euro), cheaper than
    # dropping 10 uur of demand (2 * 55 per uur) or 60 uur over capaciteit (55 per uur).
    with pytest.raises(NoFeasibleAllocation) as info:
        allocate_problem(probleem(9_000.0), "kosten")
    exc = info.value
    (conflict,) = exc.conflicten
    assert conflict.familie == "plafond"
    assert conflict.tekort == pytest.approx(600.0)
    assert "€ 600,00" in str(exc)
    assert "plafond" in exc.iis and "capaciteit[a1/p]" in exc.iis


def test_dekking_covers_what_the_plafond_buys() -> None:
    # budget 9.000: a1 120 uur for 6.000; 3.000 left buys 50 uur of a2; shortfall 10 uur.
    res = allocate_problem(probleem(9_000.0), "dekking")
    assert res.tekort.sum() == pytest.approx(10.0)
    assert res.totaal == pytest.approx(9_000.0)


def test_transitie_band_forces_a2_up() -> None:
    # a2 lumpsum 10.000, band 10 %: a2 must get at least 9.000 euro. Once a2 is paid
    # 9.000 anyway, its volume costs nothing extra up to 9.000 / 60 = 150 uur, so a2
    # covers 150 uur and a1 the other 30 uur (1.500): total 10.500.
    # dual transitie_min[a2]: one more euro for a2 buys 1/60 uur, so a1 delivers 1/60
    # uur less: +1 - 50/60 = 1/6 euro per euro.
    pr = dataclasses.replace(probleem(20_000.0), lumpsum=[0.0, 10_000.0], transitie_band=0.1)
    res = allocate_problem(pr, "kosten")
    assert res.doelwaarde == pytest.approx(10_500.0)
    assert res.per_aanbieder["a2"] == pytest.approx(9_000.0)
    assert res.schaduwprijzen["transitie_min", "a2"] == pytest.approx(1 / 6)
