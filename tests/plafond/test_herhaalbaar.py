"""A run can be replayed from its own record, and the same seed gives the same bytes (10.4).

Also: JSON money to the cent, and displayed rows that add up to the displayed total
(issue 10.6).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile

import openpyxl
import pytest
from plafond.cases import bundled_path

import plafond
from plafond.cli import main

REF = "maastricht-heuvelland-2022"
GROOT = 9099034473765230225  # above 2^53: a float would give ...5232


def _json(capsys, *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_simulate_without_seed_records_a_run_that_replays(capsys):
    eerste = _json(capsys, "simulate", REF, "-n", "2048")
    run = eerste["run"]
    assert isinstance(run["seed"], int) and run["seed"] == eerste["seed"]
    assert run["scenarios"] == 2048 and run["methode"] == "mc"
    assert run["plafond_versie"] == plafond.__version__
    assert run["invoer_sha256"] == hashlib.sha256(bundled_path(REF).read_bytes()).hexdigest()
    tweede = _json(capsys, "simulate", REF, "-n", "2048", "--seed", str(run["seed"]))
    assert tweede == eerste


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_simulate_files_are_byte_identical_for_one_seed(suffix, tmp_path, capsys):
    paden = [tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"]
    for pad in paden:
        assert main(["simulate", REF, "-n", "2048", "--seed", str(GROOT), "-o", str(pad)]) == 0
    capsys.readouterr()
    assert paden[0].read_bytes() == paden[1].read_bytes()
    if suffix == ".xlsx":
        ws = openpyxl.load_workbook(paden[0])["run"]
        rijen = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
        assert rijen["seed"] == str(GROOT)
        assert rijen["invoer_sha256"] == hashlib.sha256(bundled_path(REF).read_bytes()).hexdigest()
        with zipfile.ZipFile(paden[0]) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = z.read("docProps/core.xml").decode()
        assert re.findall(r"<dcterms:\w+[^>]*>([^<]*)<", core) == ["1980-01-01T00:00:00Z"] * 2
    if suffix == ".csv":
        # the seed as its exact digits (the Dutch-Excel CSV separates by semicolons)
        assert re.search(rf"[,;]{GROOT}[,;\n]", paden[0].read_text(encoding="utf-8"))


@pytest.fixture
def snelle_gevoeligheid(monkeypatch):
    """The report command with 2^8 scenarios per tornado run (the CLI path stays real)."""
    from functools import partial

    import plafond.report

    monkeypatch.setattr(
        plafond.report, "maak_rapport", partial(plafond.report.maak_rapport, gevoeligheid_n=2**8)
    )


@pytest.mark.usefixtures("snelle_gevoeligheid")
def test_report_replays_from_its_aannames_to_the_byte(tmp_path, capsys):
    eerste, tweede = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["report", REF, "-o", str(eerste), "-n", "1024"]) == 0
    melding = capsys.readouterr().err
    wb = openpyxl.load_workbook(eerste)
    run = {r[1]: r[3] for r in wb["aannames"].iter_rows(min_row=2, values_only=True)}
    seed = run["seed"]
    assert isinstance(seed, str) and seed.isdigit() and f"--seed {seed}" in melding
    samenvatting = {r[0]: r[1] for r in wb["samenvatting"].iter_rows(values_only=True)}
    assert samenvatting["seed"] == seed
    assert run["sha256 invoerbestand"] == hashlib.sha256(bundled_path(REF).read_bytes()).hexdigest()
    herhaal = ["report", REF, "-n", str(run["scenario's"]), "--seed", seed, "--methode"]
    assert main([*herhaal, run["methode"], "-o", str(tweede), "--quiet"]) == 0
    assert eerste.read_bytes() == tweede.read_bytes()


@pytest.mark.usefixtures("snelle_gevoeligheid")
def test_report_html_is_byte_identical_for_one_seed(tmp_path):
    paden = [tmp_path / "a.html", tmp_path / "b.html"]
    for pad in paden:
        args = ["report", REF, "-o", str(pad), "-n", "1024", "--seed", str(GROOT), "--quiet"]
        assert main(args) == 0
    assert paden[0].read_bytes() == paden[1].read_bytes()
    assert f"seed {GROOT}" in paden[0].read_text(encoding="utf-8")


def _geld(d, sleutels, pad=""):
    """(path, value) of every number under a money key."""
    if isinstance(d, dict):
        for k, v in d.items():
            if k in sleutels and isinstance(v, int | float):
                yield f"{pad}.{k}", v
            elif k in sleutels and isinstance(v, list | dict):
                yield from ((f"{pad}.{k}", x) for x in (v.values() if isinstance(v, dict) else v))
            else:
                yield from _geld(v, sleutels, f"{pad}.{k}")
    elif isinstance(d, list):
        for i, v in enumerate(d):
            yield from _geld(v, sleutels, f"{pad}[{i}]")


def _tot_de_cent(x: float) -> bool:
    return round(x, 2) == x  # 1234.5600000001 and 13511.412058 are not


def test_json_money_is_rounded_to_the_cent_and_validate_foots(capsys):
    sim = _json(capsys, "simulate", REF, "-n", "2048", "--seed", "1", "--kans", "0.1")
    geld = {"plafond", "lumpsum", "uitgaven", "verwachte_overschrijding", "p95", "verwacht",
            "se", "cvar95_overschrijding", "verwachte_kosten", "verwacht_resultaat",
            "plafond_bij_kans", "plafond_bij_kans_ci95"}  # fmt: skip
    waarden = list(_geld(sim, geld))
    assert len(waarden) > 40
    assert [p for p, x in waarden if not _tot_de_cent(x)] == []
    assert 0 < sim["overschrijdingskans"] < 1 and not _tot_de_cent(sim["overschrijdingskans"])
    opt = _json(capsys, "optimize", REF)
    assert all(_tot_de_cent(r["bedrag"]) and _tot_de_cent(r["tarief"]) for r in opt["allocatie"])
    assert _tot_de_cent(opt["totaal"]) and _tot_de_cent(opt["plafond"])
    for naam in ("maastricht-heuvelland-2022", "heerlen-2020", "zaanstad"):
        v = _json(capsys, "validate", naam)
        centen = {k: round(x * 100) for k, x in v["lumpsum_per_aanbieder"].items()}
        assert all(_tot_de_cent(x) for x in v["lumpsum_per_aanbieder"].values())
        assert sum(centen.values()) == round(v["lumpsum"] * 100)
        a, b, r, c = (round(v[k] * 100) for k in
                      ("plafond", "lumpsum", "reeds_betaald", "overige_uitgaven"))  # fmt: skip
        assert a - b - r == c


def _cent(tekst: str) -> int:
    """'€ 1.234,56' (or '-€ ...') → 123456."""
    teken = -1 if tekst.strip().startswith("-") else 1
    return teken * int(re.sub(r"[^\d]", "", tekst))


def _bedragen(regel: str) -> list[int]:
    return [_cent(b) for b in re.findall(r"-?€ [\d.]+,\d\d", regel)]


@pytest.mark.parametrize("naam", ["maastricht-heuvelland-2022", "emmen", "utrecht", "zaanstad"])
def test_validate_tables_foot_to_the_cent(naam, capsys):
    assert main(["validate", naam]) == 0
    blokken = capsys.readouterr().out.split("\n\n")
    kader = [_bedragen(r)[0] for r in blokken[1].splitlines()[2:]]
    a, b, *r, c = kader  # R (reeds betaald) only where the case has it
    assert a == b + sum(r) + c
    partners = [_bedragen(r)[0] for r in blokken[2].splitlines()[2:]]
    assert sum(partners) == b
    rijen = [_bedragen(r) for r in blokken[3].splitlines()[2:]]
    *delen, totaal = rijen
    for plafond_, lumpsum, *reeds, overige in rijen:
        assert plafond_ == lumpsum + sum(reeds) + overige
    assert totaal[-1] == c and totaal[1] == b and sum(totaal[2:-1]) == sum(r)
    assert [sum(k) for k in zip(*delen, strict=True)] == totaal
    assert totaal[1] == b


def test_report_partner_tables_foot_to_the_cent(tmp_path):
    """Full report and a pack: the rows shown add up to the totaal shown, and B and C of
    the samenvatting are that totaal and A − B, to the cent."""
    from dataclasses import replace

    from plafond.cases import load_case

    from plafond.report import maak_rapport, schrijf_excel

    volledig = maak_rapport(load_case(REF), n=1024, seed=2, gevoeligheid_n=256)
    kolommen = ["lumpsum", "terugvordering verwacht", "kosten volume tegen reëel tarief",
                "resultaat verwacht"]  # fmt: skip
    for r in (volledig, replace(volledig, partner="vvg")):
        pad = tmp_path / f"{r.partner}.xlsx"
        schrijf_excel(r, pad)
        wb = openpyxl.load_workbook(pad)
        ws = wb["partners"]
        kop = [c.value for c in ws[1]]
        rijen = [dict(zip(kop, w, strict=False)) for w in ws.iter_rows(min_row=2, values_only=True)]
        *delen, totaal = rijen
        assert totaal["aanbieder"] == "totaal" and len(delen) == (5 if r.partner is None else 2)
        for k in kolommen:
            assert all(_tot_de_cent(d[k]) for d in rijen), k
            assert sum(round(d[k] * 100) for d in delen) == round(totaal[k] * 100), k
        s = {w[0]: w[1] for w in wb["samenvatting"].iter_rows(values_only=True)}
        assert round(s["B  lumpsum partners"] * 100) == round(totaal["lumpsum"] * 100)
        a, b = round(s["A  budgetplafond"] * 100), round(s["B  lumpsum partners"] * 100)
        assert a - b == round(s["C  budget overige uitgaven (A − B)"] * 100)
        verwacht = s["verwachte terugvordering, alle partners"]
        assert round(verwacht * 100) == round(totaal["terugvordering verwacht"] * 100)


@pytest.mark.parametrize("naam", ["maastricht-heuvelland-2022", "heerlen-2020"])
def test_simulate_partner_lumpsums_foot_to_b(naam, capsys):
    """The terminal table's lumpsums add up to the lumpsum B it shows, to the cent."""
    assert main(["simulate", naam, "-n", "1024", "--seed", "1"]) == 0
    uit = capsys.readouterr().out
    (b,) = [_bedragen(r)[0] for r in uit.splitlines() if r.startswith("lumpsum B")]
    blok = uit.split("\n\n")[2].splitlines()[2:]
    assert sum(_bedragen(r)[0] for r in blok) == b
