"""The frontier and the rule's design: every point equals simulate with that plafond/rule set.

The reference values come from ``simulate`` on a case whose YAML data has the plafond (or
rule) written in, independently of the frontier's own evaluation; the worked example of
DOMAIN.md is checked by hand.
"""

from __future__ import annotations

import copy
import math
import os
from fractions import Fraction

import numpy as np
import plafond.montecarlo as mc
import pytest
import yaml
from plafond.cases import bundled_path, case_from_dict
from plafond.montecarlo.frontier import Grenzen, frontier, regelontwerp

N, SEED = 2**15, 7


def _referentie_data() -> dict:
    return yaml.safe_load(bundled_path("maastricht-heuvelland-2022").read_text(encoding="utf-8"))


def _gelijk_aan_simulatie(punt: dict, sim: dict) -> None:
    assert punt["overschrijdingskans"] == sim["overschrijdingskans"]
    assert punt["interval"] == sim["overschrijdingskans_ci95"]
    for k in ("verwachte_overschrijding", "verwachte_overschrijding_se", "cvar95_overschrijding"):
        assert punt[k] == round(sim[k], 2), k
    totaal = 0.0
    for a, t in sim["terugvordering"].items():
        for k in ("verwacht", "se", "p95"):
            assert punt["terugvordering"][a][k] == round(t[k], 2), (a, k)
        assert punt["terugvordering"][a]["kans"] == t["kans"]
        totaal += t["verwacht"]
    assert punt["terugvordering_totaal"] == round(totaal, 2)
    assert punt["netto_kosten"] == round(sim["uitgaven"]["gemiddelde"] - totaal, 2)


def test_frontier_points_equal_simulate_with_that_plafond():
    data = _referentie_data()
    plafonds = [12_950_000.0, 13_067_038.65, 13_400_000.0]
    res = frontier(case_from_dict(data), plafonds, n=N, seed=SEED).to_dict()
    assert res["scenarios"] == N and res["seed"] == SEED
    for plafond, punt in zip(plafonds, res["punten"], strict=True):
        d = copy.deepcopy(data)
        d["kader"]["plafond"] = plafond
        sim = mc.simulate(case_from_dict(d), N, seed=SEED).to_dict()
        assert punt["plafond"] == plafond
        _gelijk_aan_simulatie(punt, sim)


def _twee_gemeenten(worked_example: dict) -> dict:
    """The worked example split over two gemeenten, random C, one pot per gemeente."""
    d = worked_example
    d["gebieden"]["dorp"] = {"gemeente": "Dorp", "inwoners": 20000}
    d["historie"] += [
        {"aanbieder": "p1", "gebied": "dorp", "product": "BGI", "omzet": 500_000},
        {"aanbieder": "p2", "gebied": "dorp", "product": "BGI", "omzet": 700_000},
        {"aanbieder": "overig", "gebied": "dorp", "product": "BGI", "omzet": 300_000},
    ]
    d["vraag"].append(
        {"gebied": "dorp", "product": "BGI",
         "clienten": {"verdeling": "negbin", "gemiddelde": 200, "cv": 0.1},
         "volume_per_client": {"verdeling": "gamma", "gemiddelde": 90, "cv": 0.4}}
    )  # fmt: skip
    d["kader"]["overige_uitgaven"] = [
        {"gebied": "stad", "product": "BGI", "verdeling": "lognormaal", "gemiddelde": 640_000,
         "cv": 0.15},
        {"gebied": "dorp", "product": "BGI", "verdeling": "gamma", "gemiddelde": 330_000,
         "cv": 0.2},
    ]  # fmt: skip
    d["kader"]["risicodeling"] = {
        "aandeel_partners": 0.5, "verdeelsleutel": "gemeente", "maximum": 0.02,
        "onderschrijding": 0.25, "drempel": 0.005,
    }  # fmt: skip
    return d


def test_frontier_with_pots_cap_and_onderschrijding_equals_simulate(worked_example):
    data = _twee_gemeenten(worked_example)
    plafonds = [4_900_000.0, 5_050_000.0]
    res = frontier(case_from_dict(data), plafonds, n=N, seed=SEED).to_dict()
    for plafond, punt in zip(plafonds, res["punten"], strict=True):
        assert any(t["verwacht"] != 0 for t in punt["terugvordering"].values())
        d = copy.deepcopy(data)
        d["kader"]["plafond"] = plafond
        _gelijk_aan_simulatie(punt, mc.simulate(case_from_dict(d), N, seed=SEED).to_dict())


def _grootste_rest(totaal_c: int, gewichten: list[Fraction]) -> list[int]:
    """Largest-remainder split in cents, ties to the first listed (hand method)."""
    ruw = [w * totaal_c for w in gewichten]
    deel = [math.floor(x) for x in ruw]
    volgorde = sorted(range(len(ruw)), key=lambda i: (-(ruw[i] - deel[i]), i))
    for i in volgorde[: totaal_c - sum(deel)]:
        deel[i] += 1
    return deel


def test_frontier_of_the_worked_example_by_hand(worked_example):
    """C fixed at 640.000: spending 3.622.392,50 in every scenario (DOMAIN.md)."""
    case = case_from_dict(worked_example)
    plafonds = [3_558_871.00, 3_600_000.00, 3_700_000.00]
    res = frontier(case, plafonds, n=1000, seed=1)
    p = res.punten
    assert p["overschrijdingskans"].tolist() == [1.0, 1.0, 0.0]
    assert p["verwachte_overschrijding"].round(2).tolist() == [63_521.50, 22_392.50, 0.0]
    lumpsum = [Fraction(202_159_500), Fraction(96_079_750)]  # cents
    gewichten = [x / sum(lumpsum) for x in lumpsum]
    for i, over_c in enumerate([6_352_150, 2_239_250, 0]):
        deel = _grootste_rest(math.floor(Fraction(over_c, 2) + Fraction(1, 2)), gewichten)
        t = res.terugvordering.loc[i]
        assert t.loc["p1", "verwacht"] == pytest.approx(deel[0] / 100, abs=1e-9)
        assert t.loc["p2", "verwacht"] == pytest.approx(deel[1] / 100, abs=1e-9)
    assert res.terugvordering.loc[0, "p1"]["verwacht"] == pytest.approx(21_528.81)
    assert res.terugvordering.loc[0, "p2"]["verwacht"] == pytest.approx(10_231.94)
    assert p["netto_kosten"].iloc[0] == pytest.approx(3_622_392.50 - 31_760.75)


def test_rule_grid_equals_simulate_with_that_rule():
    data = _referentie_data()
    res = regelontwerp(case_from_dict(data), [0.3, 1.0], [0.0, 0.01], [None, 0.004],
                       n=N, seed=SEED)  # fmt: skip
    regels = res.to_dict()["regels"]
    assert len(regels) == 8
    for r in (regels[1], regels[6]):  # (0.3, 0, 0.004) and (1.0, 0.01, None)
        d = copy.deepcopy(data)
        rd = d["kader"]["risicodeling"]
        rd.update(aandeel_partners=r["aandeel_partners"], drempel=r["drempel"],
                  maximum=r["maximum"])  # fmt: skip
        _gelijk_aan_simulatie(r | {"plafond": None},
                              mc.simulate(case_from_dict(d), N, seed=SEED).to_dict())  # fmt: skip


def test_net_overrun_probability_against_the_exceedance_function():
    """Aandeel 1/2, no drempel or cap: the net overrun is floor(O/2) cents, so it exceeds a
    reserve R exactly when spending exceeds A + 2R + 1 cent; aandeel 1: never (reserve 0)."""
    case = case_from_dict(_referentie_data())
    reserve = 40_000.0
    res = regelontwerp(case, [0.5, 1.0], [0.0], [None], Grenzen(reserve=reserve), n=N,
                       seed=SEED)  # fmt: skip
    a = res.plafond
    sim = mc.simulate(case, N, seed=SEED)
    grens_c = round(a * 100) + 2 * round(reserve * 100) + 1  # spending in cents must exceed it
    verwacht = float(sim.overschrijdingskans_bij(np.array([(grens_c + 0.5) / 100]))[0])
    assert res.regels["kans_netto"].iloc[0] == verwacht
    nul = regelontwerp(case, [1.0], [0.0], [None], Grenzen(reserve=0.0), n=N, seed=SEED)
    assert nul.regels["kans_netto"].iloc[0] == 0.0
    assert nul.regels["netto_overschrijding"].iloc[0] == 0.0


def test_limits_select_exactly_the_rules_that_meet_them():
    case = case_from_dict(_referentie_data())
    raster = ([0.3, 0.5, 0.7, 0.9], [0.0, 0.01], [None])
    # limits inside the range the grid reaches, so that some rules pass and some fail
    vrij = regelontwerp(case, *raster, Grenzen(reserve=50_000.0), n=N, seed=SEED).regels
    max_kans = float(vrij["kans_netto"].max())
    max_terug = float(vrij["max_aandeel_lumpsum"].median())
    g = Grenzen(max_kans=max_kans, max_terugvordering=max_terug, reserve=50_000.0)
    res = regelontwerp(case, *raster, g, n=N, seed=SEED)
    r = res.regels
    verwacht = (r["kans_netto"] <= max_kans) & (r["max_aandeel_lumpsum"] <= max_terug)
    assert r["voldoet"].tolist() == verwacht.tolist()
    assert 0 < r["voldoet"].sum() < len(r)  # the limits bind: some pass, some fail
    per_partner = res.terugvordering["aandeel_lumpsum"].to_numpy().reshape(len(r), -1)
    assert r["max_aandeel_lumpsum"].tolist() == per_partner.max(axis=1).tolist()


def test_rules_give_the_same_sums_in_pieces_and_in_worker_processes(monkeypatch):
    """The tail in pieces, and the rules in forked workers, change nothing."""
    from plafond.montecarlo import evaluatie, kandidaten, werkverdeling

    case = case_from_dict(_referentie_data())
    sc = evaluatie.trek(case, N, seed=SEED)
    regels = [kandidaten.regel_bij_plafond(sc, p) for p in (12_900_000.0, 13_150_000.0)]
    regels.append(kandidaten.regel_met(sc, regels[1], aandeel_partners=0.6, drempel=0.01,
                                      maximum=0.004))  # fmt: skip
    hoog = kandidaten.regel_bij_plafond(sc, 13_500_000.0)
    regels.append(kandidaten.met(hoog, onderschrijding=0.3))  # every scenario moves money
    heel = werkverdeling.evalueer_alle(sc, regels, reserve=10_000.0)  # one piece, one process
    assert evaluatie.STUK_ELEMENTEN // len(sc.partners) >= N
    monkeypatch.setattr(evaluatie, "STUK_ELEMENTEN", 300 * len(sc.partners))
    monkeypatch.setattr(werkverdeling, "PROCESSEN_VANAF", 1)
    for a, b in zip(heel, werkverdeling.evalueer_alle(sc, regels, reserve=10_000.0), strict=True):
        for veld in a.__dataclass_fields__:
            x, y = np.asarray(getattr(a, veld)), np.asarray(getattr(b, veld))
            if veld.endswith("kwadraat"):
                np.testing.assert_allclose(x, y, rtol=1e-12)
            else:
                assert np.array_equal(x, y, equal_nan=True), veld
    assert heel[3].t_som.min() < 0 < heel[2].t_kans.min()  # payments to and from partners
    # the groups split the rules, every rule once; the rule over every scenario alone
    groepen = werkverdeling._groepen(sc, regels, 2)
    assert sorted(i for g in groepen for i in g) == list(range(len(regels)))
    assert [3] in groepen


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked children only where fork exists")
def test_an_error_in_a_forked_child_reaches_the_caller(monkeypatch):
    """A rule that fails in the child raises the child's own error here, and the child is
    waited for (no process left behind)."""
    from plafond.montecarlo import evaluatie, kandidaten, werkverdeling

    case = case_from_dict(_referentie_data())
    sc = evaluatie.trek(case, N, seed=SEED)
    regels = [kandidaten.regel_bij_plafond(sc, p) for p in (12_900_000.0, 13_150_000.0)]
    ouder, echt = os.getpid(), werkverdeling.evalueer

    def alleen_hier(*args, **kwargs):
        if os.getpid() != ouder:
            raise ValueError("kapot in het kind")
        return echt(*args, **kwargs)

    kinderen, fork = [], os.fork

    def fork_en_onthoud() -> int:
        pid = fork()
        if pid:
            kinderen.append(pid)
        return pid

    monkeypatch.setattr(werkverdeling, "evalueer", alleen_hier)
    monkeypatch.setattr(werkverdeling, "PROCESSEN_VANAF", 1)
    monkeypatch.setattr(os, "fork", fork_en_onthoud)
    with pytest.raises(ValueError, match="kapot in het kind"):
        werkverdeling.evalueer_alle(sc, regels)
    assert len(kinderen) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(kinderen[0], os.WNOHANG)  # already waited for: no such child any more


@pytest.mark.parametrize("partners", [3, 40])
def test_partner_sums_row_by_row_and_at_once(partners):
    from plafond.montecarlo.evaluatie import _partner_sommen

    deel = np.floor(np.random.default_rng(partners).uniform(-50, 300, (partners, 999)))
    som, kwadraat, kans = _partner_sommen(deel)
    assert np.array_equal(som, [sum(map(float, r)) for r in deel])
    assert np.array_equal(kwadraat, [sum(float(x) ** 2 for x in r) for r in deel])
    assert np.array_equal(kans, [sum(1 for x in r if x > 0) for r in deel])
