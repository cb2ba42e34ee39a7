"""The partner pack shows no other partner's id, naam or figure, in any form (issue 10.1).

For every bundled case and every partner, the pack (every cell and the docProps of the
workbook, the text of the HTML, the data behind the plots) is searched for each other
partner's id and naam (as a word), and for each of its figures — historie omzet (per row
and in total), capaciteit, lumpsum (per gebied and product, and in total, computed here
from the case file by the rule of DOMAIN.md), expected terugvordering, its se and p95, and
the exploitatie figures of the full report — as a number in a cell (exact, to the cent or
to the euro) and as Dutch text ("1.234.567,89", "1.234.568", "1,2 mln").

Speed: one simulation per case (2^10 scenarios) serves all its packs (the pack is a view
of the same results), the tornado runs on at most three C lines (it shows only C lines
and correlations, never a partner), and the sweep writes the HTML without rendering the
PNGs (the plots' data is searched instead; one pack is rendered in full below).
"""

from __future__ import annotations

import base64
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import yaml
from plafond.cases import bundled_path, load_case
from plafond.montecarlo import gevoeligheid

from plafond.fmt import getal
from plafond.report import html as html_mod
from plafond.report import maak, maak_rapport, render_html, schrijf_excel
from plafond.report.partner import groep_cellen
from plafond.report.tabellen import figuurdata

CASES = ("maastricht-heuvelland-2022", "emmen", "groningen", "heerlen-2020", "utrecht", "zaanstad")
N, SEED = 2**10, 3


def _ruw(naam: str) -> dict:
    return yaml.safe_load(bundled_path(naam).read_text(encoding="utf-8"))


def _partners(ruw: dict) -> list[str]:
    return [a for a, v in ruw["aanbieders"].items() if v["rol"] == "partner"]


def _getallen(x) -> list[float]:
    """Every number in plain data."""
    if isinstance(x, bool):
        return []
    if isinstance(x, int | float):
        return [float(x)]
    if isinstance(x, dict):
        return [g for v in x.values() for g in _getallen(v)]
    if isinstance(x, list):
        return [g for v in x for g in _getallen(v)]
    return []


def _lumpsum_cellen(ruw: dict, wie: str) -> dict[tuple[str, str], float]:
    """Lumpsum of ``wie`` per (gebied, product) by DOMAIN.md's rule, from the case file."""
    k = ruw.get("kader", {})
    factor = (1 + k.get("indexatie", 0.0)) * (1 - k.get("taakstelling", 0.0))
    cel: dict[tuple[str, str], float] = {}
    for h in ruw.get("historie", []):
        if h["aanbieder"] == wie:
            cel[(h["gebied"], h["product"])] = cel.get((h["gebied"], h["product"]), 0.0)
            cel[(h["gebied"], h["product"])] += h["omzet"] * factor
    for o in k.get("opslagen", []):
        if o["aanbieder"] == wie:
            cel[(o["gebied"], o["product"])] = cel.get((o["gebied"], o["product"]), 0.0)
            cel[(o["gebied"], o["product"])] += o["bedrag"]
    return cel


def _geheimen(ruw: dict, rapport, wie: str) -> set[float]:
    """The figures of partner ``wie``: from the case file by hand, and the full report."""
    cel = _lumpsum_cellen(ruw, wie)
    omzet = [h["omzet"] for h in ruw.get("historie", []) if h["aanbieder"] == wie]
    uit = {*omzet, sum(omzet), *cel.values(), sum(cel.values())}
    uit |= set(_getallen(ruw["aanbieders"][wie].get("capaciteit", {})))
    t = rapport.simulatie.terugvordering.loc[wie]
    e = rapport.simulatie.exploitatie.loc[wie]
    uit |= {t["verwacht"], t["se"], t["p95"]}
    uit |= {e["verwachte_kosten"], e["verwacht_resultaat"], e["se"], e["verwacht_tekort"]}
    return {float(x) for x in uit if abs(x) >= 100.0}  # smaller ones collide by chance


def _groepssommen(ruw: dict, anderen: list[str]) -> set[float]:
    """Lumpsum of the others per (gebied, product) where two or more of them are."""
    cellen: dict[tuple[str, str], list[float]] = {}
    for a in anderen:
        for sleutel, bedrag in _lumpsum_cellen(ruw, a).items():
            cellen.setdefault(sleutel, []).append(bedrag)
    return {sum(b) for b in cellen.values() if len([x for x in b if x > 0]) >= 2}


def _eigen_getallen(ruw: dict, rapport, partner: str) -> set[float]:
    """What the pack may show anyway: the partner's own figures, the shared inputs, and the
    others' sums per cell where two or more are (a coincidence with one partner's figure
    is then no leak: the bundled figures are round, 300.000 in one cell equals 180.000 +
    120.000 in another)."""
    gedeeld = {k: v for k, v in ruw.items() if k not in ("aanbieders", "historie")}
    gedeeld["kader"] = {k: v for k, v in ruw.get("kader", {}).items() if k != "opslagen"}
    anderen = [a for a in _partners(ruw) if a != partner]
    uit = set(_getallen(gedeeld)) | _geheimen(ruw, rapport, partner)
    uit |= _allocatie_geheimen(rapport, partner)
    eigen = _lumpsum_cellen(ruw, partner)  # and its sums per gebied and per product
    for i in (0, 1):
        for waarde in {k[i] for k in eigen}:
            uit.add(sum(b for k, b in eigen.items() if k[i] == waarde))
    if len(anderen) >= 2:  # the group's cells and the case totals A, B, C
        s = rapport.simulatie
        uit |= _groepssommen(ruw, anderen) | {s.plafond, s.lumpsum, s.plafond - s.lumpsum}
    # the tornado is case-wide (its inputs in clienten or euro, their effect on the total
    # overschrijding): a whole-euro match with one partner's figure is a coincidence
    t = rapport.gevoeligheid
    if t is not None:
        kolommen = ["laag", "hoog", "overschrijding_laag", "overschrijding_hoog", "effect"]
        uit |= {float(x) for x in t[kolommen].to_numpy().ravel()}
    return {round(x, 2) for x in uit} | {float(round(x)) for x in uit}


def _vormen(x: float) -> list[str]:
    """Dutch text of a figure: to the cent, to the euro, in millions with one decimal."""
    vormen = [getal(x, 2)] + ([getal(x, 0)] if abs(x) >= 1000 else [])
    if abs(x) >= 1e6:
        vormen.append(f"{getal(x / 1e6, 1)} mln")
    return vormen


def _teksten_en_getallen(pad: Path) -> tuple[list[str], list[float]]:
    wb = openpyxl.load_workbook(pad)
    teksten, getallen = list(wb.sheetnames), []
    for ws in wb:
        for rij in ws.iter_rows(values_only=True):
            for v in rij:
                if isinstance(v, str):
                    teksten.append(v)
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    getallen.append(float(v))
    with zipfile.ZipFile(pad) as z:
        teksten += [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("docProps/")]
    return teksten, getallen


def _plotdata(r) -> tuple[list[str], list[float]]:
    teksten, getallen = [], []
    for frame in figuurdata(r).values():
        teksten += [str(x) for x in (*frame.columns, *frame.index)]
        for kolom in frame.columns:
            for v in frame[kolom]:
                (teksten if isinstance(v, str) else getallen).append(v)
    return teksten, [float(g) for g in getallen]


def _zichtbaar(html: str) -> str:
    html = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]*", "", html)
    return re.sub(r"<style>.*?</style>", "", html, flags=re.S)


#: A number in Dutch notation ("1.234.567,89", "1.234.568", "1,2 mln") within text.
_GETAL = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*(?:,\d+)?(?: mln)?(?![\d]|\.\d)")


def _tokens(tekst: str) -> set[str]:
    """The Dutch numbers in ``tekst``; a figure to the cent also as its whole euros."""
    uit = set(_GETAL.findall(tekst))
    return uit | {t.split(",")[0] for t in uit if "," in t and not t.endswith("mln")}


def _lekken(teksten, getallen, woorden, geheimen, toegestaan) -> list[str]:
    """Every other partner's word or figure found (empty: nothing leaks)."""
    tekst = "\n".join(teksten)
    gevonden = [w for w in woorden if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", tekst, re.I)]
    afgerond = {round(g, 2) for g in getallen} | {float(round(g)) for g in getallen}
    tokens = _tokens(tekst)
    for x in geheimen:
        if round(x, 2) in toegestaan or float(round(x)) in toegestaan:
            continue  # the same figure belongs to the partner itself or to the case
        if round(x, 2) in afgerond or float(round(x)) in afgerond:
            gevonden.append(f"getal {x!r}")
        gevonden += [f"tekst {v!r}" for v in _vormen(x) if v in tokens]
    return gevonden


@pytest.fixture(scope="module")
def rapporten():
    """One full report per bundled case (the tornado on at most three C lines)."""
    echt = gevoeligheid.tornado

    def licht(case, n, **kw):
        lijnen = case.kader.overige_uitgaven[:3]
        return echt(case.model_copy(update={"kader": case.kader.model_copy(
            update={"overige_uitgaven": lijnen})}), n, **kw)  # fmt: skip

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(maak, "tornado", licht)
        uit = {
            c: maak_rapport(load_case(c), n=N, seed=SEED, gevoeligheid_n=2**8, bron=f"/x/{c}.yaml")
            for c in CASES
        }
        uit["optimaal"] = maak_rapport(
            load_case(CASES[0]), allocatie="optimaal", n=N, seed=SEED, gevoeligheid_n=2**8
        )
        return uit


def _allocatie_geheimen(rapport, wie: str) -> set[float]:
    """An allocation's bedrag of ``wie`` per cell, per gebied, per product and in total."""
    v = rapport.verdeling.reset_index()
    v = v[v["aanbieder"] == wie]
    uit = {*v["bedrag"], v["bedrag"].sum()}
    uit |= set(v.groupby("gebied")["bedrag"].sum()) | set(v.groupby("product")["bedrag"].sum())
    return {float(x) for x in uit if abs(x) >= 100.0}


@pytest.mark.parametrize("naam", [*CASES, "optimaal"])
def test_no_other_partner_leaks_into_any_pack(naam, rapporten, tmp_path, monkeypatch):
    geen_plots = dict.fromkeys(k for k, _, _ in html_mod.FIGUREN)
    monkeypatch.setattr(html_mod, "figuren", lambda r: geen_plots)
    monkeypatch.setattr(html_mod, "png_data", lambda fig, dpi=110: "data:image/png;base64,")
    monkeypatch.setattr(html_mod, "breed_en_smal", lambda fig: ("data:,", "data:,"))
    ruw, volledig = _ruw(CASES[0] if naam == "optimaal" else naam), rapporten[naam]
    partners = _partners(ruw)
    for partner in partners:
        r = replace(volledig, partner=partner)
        anderen = [a for a in partners if a != partner]
        woorden = [w for a in anderen for w in (a, ruw["aanbieders"][a]["naam"])]
        geheimen = {x for a in anderen for x in _geheimen(ruw, volledig, a)}
        geheimen |= {x for a in anderen for x in _allocatie_geheimen(volledig, a)}
        if len(anderen) == 1:  # the complement: B − own lumpsum is the other's lumpsum
            s = volledig.simulatie
            geheimen |= {s.lumpsum, s.plafond - s.lumpsum}
            geheimen.add(float(s.terugvordering["verwacht"].sum()))
        toegestaan = _eigen_getallen(ruw, volledig, partner)
        pad = tmp_path / f"{partner}.xlsx"
        schrijf_excel(r, pad)
        teksten, getallen = _teksten_en_getallen(pad)
        assert any(partner in t for t in teksten)
        assert _lekken(teksten, getallen, woorden, geheimen, toegestaan) == [], (partner, "xlsx")
        html = _zichtbaar(render_html(r))
        assert partner in html
        assert _lekken([html], [], woorden, geheimen, toegestaan) == [], (partner, "html")
        teksten, getallen = _plotdata(r)
        assert _lekken(teksten, getallen, woorden, geheimen, toegestaan) == [], (partner, "plot")


def test_the_check_finds_the_leaks_of_a_full_report(rapporten, tmp_path):
    """The search is not blind: the full report shows every partner's figures."""
    naam = "maastricht-heuvelland-2022"
    ruw, r = _ruw(naam), rapporten[naam]
    schrijf_excel(r, tmp_path / "vol.xlsx")
    teksten, getallen = _teksten_en_getallen(tmp_path / "vol.xlsx")
    geheimen = _geheimen(ruw, r, "summa")
    gevonden = _lekken(teksten, getallen, ["summa"], geheimen, set())
    assert "summa" in gevonden and len(gevonden) > len(geheimen) // 2


def test_two_partners_show_no_group_and_no_b(rapporten, tmp_path):
    """utrecht has two partners: "andere partners samen" would be the other one."""
    r = replace(rapporten["utrecht"], partner="buurtteamorganisatie")
    schrijf_excel(r, tmp_path / "u.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "u.xlsx")
    alles = [v for ws in wb for rij in ws.iter_rows(values_only=True) for v in rij]
    assert "andere partners samen" not in alles and "totaal" not in alles
    rijen = {rij[0]: rij[1] for rij in wb["samenvatting"].iter_rows(values_only=True)}
    eigen = r.simulatie.terugvordering.loc["buurtteamorganisatie", "lumpsum"]
    sleutel = "andere partner en overige uitgaven samen (A − eigen lumpsum)"
    assert rijen[sleutel] == pytest.approx(r.simulatie.plafond - eigen)
    assert not any(str(k).startswith(("B ", "C ")) for k in rijen)
    aannames = [rij for rij in wb["aannames"].iter_rows(values_only=True)]
    assert not any(rij[0] == "kader" and "overige_uitgaven" in str(rij[2]) for rij in aannames)
    assert {rij[1] for rij in aannames if rij[0] == "historie"} <= {
        f"buurtteamorganisatie/{g}/BGI" for g in {h["gebied"] for h in _ruw("utrecht")["historie"]}
    }


def test_a_full_pack_html_with_its_plots_names_no_other_partner(rapporten):
    r = replace(rapporten["maastricht-heuvelland-2022"], partner="radar")
    html = render_html(r)
    plaatjes = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    assert len(plaatjes) >= 5  # the plots are drawn (twice: wide and for phones)
    teksten = [_zichtbaar(html)] + [base64.b64decode(p).decode("utf-8") for p in plaatjes]
    for woord in ("levanto", "summa", "vvg", "sgl", "Stichting Levanto"):
        for tekst in teksten:
            assert not re.search(rf"\b{woord}\b", tekst, re.I), woord


def _cel(g, a, p, bedrag):
    return {"gebied": g, "aanbieder": a, "product": p, "bedrag": bedrag, "volume": bedrag / 10}


def test_group_cells_merge_every_cell_of_one_partner():
    """Hand case: g1/BGI holds x and y; g2/BGI and g3/BGG only x; g4/BGI x and z.

    The cells of x alone (300 + 400) hold one partner, so the smallest shown cell (g4,
    30 + 20 = 50) joins them: rows g1/BGI 100 + 200 and samengevoegd 750 over both products.
    """
    import pandas as pd

    frame = pd.DataFrame(
        [
            _cel("g1", "x", "BGI", 100.0),
            _cel("g1", "y", "BGI", 200.0),
            _cel("g2", "x", "BGI", 300.0),
            _cel("g3", "x", "BGG", 400.0),
            _cel("g4", "x", "BGI", 30.0),
            _cel("g4", "z", "BGI", 20.0),
            _cel("g5", "y", "BGI", 0.0),
        ]
    )
    uit = groep_cellen(frame)
    assert list(zip(uit["gebied"], uit["product"], uit["bedrag"], strict=True)) == [
        ("g1", "BGI", 300.0),
        ("samengevoegd", "samen", 750.0),
    ]
    assert groep_cellen(frame[frame["aanbieder"] == "x"]).empty
