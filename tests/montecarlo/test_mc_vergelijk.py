"""vergelijk: lumpsum equals simulate, pxq's mean by hand, paired differences, the JSON."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from plafond.cases import load_case
from plafond.montecarlo import simulate, vergelijk

from tests.montecarlo.test_mc_levering import _case

N = 2**14
REF = "maastricht-heuvelland-2022"


@pytest.fixture(scope="module")
def ref():
    case = load_case(REF)
    return case, vergelijk(case, N, seed=5), simulate(case, N, seed=5)


def test_lumpsum_reproduces_simulate(ref):
    case, v, s = ref
    assert v.simulatie.to_dict() == s.to_dict()
    g = v.gemeente.loc["lumpsum"]
    assert g["kans_boven_plafond"] == s.overschrijdingskans
    netto = s.uitgaven["gemiddelde"] - s.terugvordering["verwacht"].sum()
    assert g["verwacht"] == pytest.approx(netto, rel=1e-12)
    a = v.aanbieders.loc["lumpsum"]
    e = s.exploitatie
    np.testing.assert_allclose(a["resultaat"], e["verwacht_resultaat"], rtol=1e-12)
    np.testing.assert_allclose(a["se"], e["se"], rtol=1e-7)
    np.testing.assert_array_equal(a["kans_verlies"], e["kans_verlies"])
    np.testing.assert_allclose(a["kosten"], e["verwachte_kosten"], rtol=1e-12)
    # the partner's income: its lumpsum plus what it was already paid (kader.reeds_betaald)
    reeds = pd.Series(0.0, index=e.index)
    for r in case.kader.reeds_betaald:
        reeds[r.aanbieder] += r.bedrag
    assert reeds.sum() > 0  # the reference case has one, so this is tested
    np.testing.assert_allclose(a["betaling"],
                               e["lumpsum"] + reeds - s.terugvordering["verwacht"],
                               rtol=1e-12)  # fmt: skip


def test_pxq_mean_is_expected_volume_times_tarief():
    # E[V] = 1000 × 100 per gebied; partners 0.8 of it at 50, overige 0.2 at 50 (ZIN/PGB)
    v = vergelijk(_case(plafond=1e7), N, seed=2, varianten=["pxq"])
    g = v.gemeente.loc["pxq"]
    assert abs(g["verwacht"] - 1e7) < 4 * g["se"]
    b = v.aanbieders.loc["pxq"]
    # p1: 0.8 × (0.6 + 0.5) × 1e5 × 50; pxq pays exactly the cost: result 0
    assert abs(b.loc["p1", "betaling"] - 4.4e6) < 4 * g["se"]
    np.testing.assert_allclose(b["resultaat"], 0.0, atol=1e-6)


def test_paired_differences_equal_separate_runs():
    case = _case(plafond=8.1e6)
    samen = vergelijk(case, N, seed=9, varianten=["pxq", "lumpsum", "staffel"])
    apart = {k: vergelijk(case, N, seed=9, varianten=[k]).gemeente.loc[k, "verwacht"]
             for k in ("pxq", "lumpsum", "staffel")}  # fmt: skip
    for r in samen.verschillen.itertuples():
        assert r.verwacht == pytest.approx(apart[r.naar] - apart[r.van], rel=1e-9, abs=1e-6)
    # common random numbers: far smaller se than the difference of independent runs
    d = samen.verschillen.set_index(["van", "naar"]).loc[("pxq", "lumpsum")]
    onafhankelijk = np.hypot(samen.gemeente.loc["pxq", "se"], samen.gemeente.loc["lumpsum", "se"])
    assert d["se"] < onafhankelijk


def test_json_has_the_keys_of_the_issue(ref):
    _, v, _ = ref
    d = json.loads(json.dumps(v.to_dict()))
    assert {"case", "scenarios", "seed", "methode", "varianten", "verschillen"} <= set(d)
    assert [x["naam"] for x in d["varianten"]] == ["pxq", "lumpsum", "populatie"]
    x = d["varianten"][0]
    assert set(x["gemeente"]) == {"verwacht", "se", "sd", "p95", "cvar95", "kans_boven_plafond"}
    assert set(x["aanbieders"]["levanto"]) == {"betaling", "kosten", "resultaat", "se",
                                               "kans_verlies", "p5_resultaat"}  # fmt: skip
    assert len(d["verschillen"]) == 3
    assert x["gemeente"]["verwacht"] == round(x["gemeente"]["verwacht"], 2)
    with pytest.raises(ValueError, match="onbekende variant"):
        vergelijk(load_case(REF), 16, seed=1, varianten=["bestaat_niet"])


ZES = ["pxq", "lumpsum", "populatie", "tweedelig", "staffel", "bandbreedte"]


class _Alles:
    """A collector that keeps G and R of every scenario (the second formulation)."""

    rijen = 0

    def __init__(self, functies, n, p):
        self.functies = functies
        self.g = np.empty((len(functies), n))
        self.r = np.empty((len(functies), p, n))

    def __call__(self, sc, kosten, begin, eind):
        c = sc.overige.sum(axis=0)
        for k, f in enumerate(self.functies):
            b = f(sc, None)
            self.g[k, begin:eind] = b.sum(axis=0) + c
            self.r[k, :, begin:eind] = b - kosten
        return np.zeros(0)


def test_streamed_figures_equal_those_of_every_scenario_kept():
    # the collector keeps G, sums of R and the lower part of R; the tables must equal the
    # figures computed with numpy from every scenario's G and R
    from plafond.montecarlo.model import bouw_model
    from plafond.montecarlo.motor import draai
    from plafond.montecarlo.risicodeling import centen
    from plafond.montecarlo.vergelijk import _functie, kies_varianten

    case, n = load_case(REF), 3 * 2**13 + 77  # strooms of unequal length
    v = vergelijk(case, n, seed=11, varianten=ZES)
    model = bouw_model(case)
    gekozen = kies_varianten(case, ZES)
    alles = _Alles([_functie(x, case, model) for x in gekozen.values()], n, len(model.partners))
    draai(model, n, seed=11, extra=alles)
    np.testing.assert_array_equal(v.kosten_per_scenario, alles.g)
    for k, naam in enumerate(ZES):
        g, r = alles.g[k], alles.r[k]
        rij = v.gemeente.loc[naam]
        assert rij["verwacht"] == pytest.approx(g.mean(), rel=1e-12)
        assert rij["sd"] == pytest.approx(g.std(ddof=1), rel=1e-6)
        assert rij["p95"] == np.quantile(g, 0.95)
        assert rij["cvar95"] == pytest.approx(np.sort(g)[-int(np.ceil(0.05 * n)):].mean(),
                                              rel=1e-12)  # fmt: skip
        assert rij["kans_boven_plafond"] == np.mean(centen(g) > centen(v.plafond))
        a = v.aanbieders.loc[naam]
        np.testing.assert_allclose(a["resultaat"], r.mean(axis=1), rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(a["se"], r.std(axis=1, ddof=1) / np.sqrt(n), rtol=1e-6,
                                   atol=1e-6)  # fmt: skip
        np.testing.assert_array_equal(a["kans_verlies"], (r < 0).mean(axis=1))
        np.testing.assert_array_equal(a["p5_resultaat"], np.quantile(r, 0.05, axis=1))
        sd_a = v.risico.loc[naam, "sd_aanbieders"]
        assert sd_a == pytest.approx(r.sum(axis=0).std(ddof=1), rel=1e-6, abs=1e-6)
    for x in v.verschillen.itertuples():
        d = alles.g[ZES.index(x.naar)] - alles.g[ZES.index(x.van)]
        assert x.verwacht == pytest.approx(d.mean(), rel=1e-9, abs=1e-4)
        assert x.se == pytest.approx(d.std(ddof=1) / np.sqrt(n), rel=1e-5, abs=1e-6)


def test_too_small_a_lower_part_runs_again_with_every_value(monkeypatch):
    # with 1 % kept per stroom the p5 cannot be read from it: vergelijk runs once more,
    # keeping every value, and the figures are those of the normal run
    import importlib

    vg = importlib.import_module("plafond.montecarlo.vergelijk")
    case = load_case(REF)
    gewoon = vergelijk(case, N, seed=3, varianten=["pxq", "staffel"]).to_dict()
    runs = []
    echt = vg._eens
    monkeypatch.setattr(vg, "_eens", lambda *a: runs.append(a[-1]) or echt(*a))
    monkeypatch.setattr(vg, "KANDIDATEN", 0.01)
    assert vergelijk(case, N, seed=3, varianten=["pxq", "staffel"]).to_dict() == gewoon
    assert runs == [0.01, 1.0]
