"""`plafond report`: the workbook, the HTML report, the partner pack, atomic writes, the CLI."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import plafond.montecarlo as montecarlo
import plafond.optimize as optimize
import pytest
from plafond.cases import bundled_path, case_from_dict, framework, load_case

from plafond import report as rapport_mod
from plafond.cli import main
from plafond.report import maak_rapport, render_html, schrijf_excel, schrijf_html

REF = "maastricht-heuvelland-2022"
N, SEED, N_GEVOELIG = 2**13, 7, 2**11
SHEETS = ["samenvatting", "allocatie", "risico", "partners", "tarieven", "gevoeligheid", "aannames"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plafond.cli", *args], capture_output=True, encoding="utf-8", cwd="/"
    )


def _rapport(case, **kw):
    return maak_rapport(case, n=N, seed=SEED, gevoeligheid_n=N_GEVOELIG, **kw)


@pytest.fixture(scope="module")
def ref_case():
    return load_case(REF)


@pytest.fixture(scope="module")
def werkboek(ref_case, tmp_path_factory):
    """The full report with the optimised allocation, as a workbook."""
    pad = tmp_path_factory.mktemp("rapport") / "rapport.xlsx"
    schrijf_excel(_rapport(ref_case, allocatie="optimaal"), pad)
    return openpyxl.load_workbook(pad)


def _rijen(ws) -> dict[str, tuple]:
    """First column → the row's values (for label/value sheets)."""
    return {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None}


def _kop(ws) -> list:
    return [c.value for c in ws[1] if c.value is not None]


def test_workbook_has_the_dutch_sheets_with_frozen_headers(werkboek):
    assert werkboek.sheetnames == SHEETS
    assert _kop(werkboek["allocatie"])[:7] == [
        "gebied", "aanbieder", "naam", "product", "bedrag", "volume", "tarief"
    ]  # fmt: skip
    assert _kop(werkboek["partners"])[:4] == [
        "aanbieder", "naam", "lumpsum", "terugvordering verwacht"
    ]  # fmt: skip
    assert "overschrijdingskans" in _kop(werkboek["risico"])
    assert _kop(werkboek["aannames"]) == ["onderdeel", "rij", "veld", "waarde"]
    for ws in werkboek:
        assert ws.freeze_panes == "A2", ws.title


def test_workbook_cells_equal_independent_simulate_and_optimize(werkboek, ref_case):
    alloc = optimize.allocate(ref_case, doel="kosten")
    per_partner = alloc.allocatie["bedrag"].groupby(level="aanbieder").sum()
    res = montecarlo.simulate(ref_case, N, seed=SEED, lumpsum_per_aanbieder=per_partner.to_dict())
    s = _rijen(werkboek["samenvatting"])
    assert s["overschrijdingskans"][1] == pytest.approx(res.overschrijdingskans, abs=0)
    assert s["verwachte overschrijding"][1] == pytest.approx(res.verwachte_overschrijding)
    assert s["A  budgetplafond"][1] == pytest.approx(framework.kader(ref_case).plafond)
    assert s["B  lumpsum partners"][1] == pytest.approx(per_partner.sum())
    est, _, _ = res.plafond_voor_kans(0.05)
    assert s["plafond nodig voor 5% overschrijdingskans"][1] == pytest.approx(est)
    p = _rijen(werkboek["partners"])
    kop = _kop(werkboek["partners"])
    for a in ref_case.partners():
        rij = dict(zip(kop, p[a], strict=False))
        t = res.terugvordering.loc[a]
        # to the cent: the partners sheet shows footed cents (cases/README.md, Rounding)
        assert rij["terugvordering verwacht"] == pytest.approx(t["verwacht"], abs=0.01)
        assert rij["terugvordering p95"] == pytest.approx(t["p95"])
        assert rij["kans op terugvordering"] == pytest.approx(t["kans"])
    ws = werkboek["allocatie"]
    kop = _kop(ws)
    gezien = 0
    for waarden in ws.iter_rows(min_row=2, values_only=True):
        rij = dict(zip(kop, waarden, strict=False))
        verwacht = alloc.allocatie.loc[(rij["gebied"], rij["aanbieder"], rij["product"])]
        assert rij["bedrag"] == pytest.approx(verwacht["bedrag"])
        gezien += 1
    assert gezien == len(alloc.allocatie)


def test_workbook_formats_euro_and_percent(werkboek):
    ws = werkboek["partners"]
    kop = _kop(ws)
    lumpsum = ws.cell(row=2, column=kop.index("lumpsum") + 1)
    kans = ws.cell(row=2, column=kop.index("kans op terugvordering") + 1)
    assert "€" in lumpsum.number_format and "#,##0.00" in lumpsum.number_format
    assert kans.number_format.endswith("%")
    assert ws.column_dimensions["C"].width > 8


def test_aannames_hold_seed_n_methode_version_and_the_file_hash(tmp_path):
    uit = tmp_path / "r.xlsx"
    proc = _run("report", REF, "-o", str(uit), "-n", "4096", "--seed", "11", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    rijen = {
        (r[0], r[1], r[2]): r[3]
        for r in openpyxl.load_workbook(uit)["aannames"].iter_rows(min_row=2, values_only=True)
    }
    import plafond

    assert rijen[("run", "seed", None)] == "11"  # text: exact in Excel
    assert rijen[("run", "scenario's", None)] == 4096
    assert rijen[("run", "methode", None)] == "mc"
    assert rijen[("run", "plafond versie", None)] == plafond.__version__
    sha = hashlib.sha256(bundled_path(REF).read_bytes()).hexdigest()
    assert rijen[("run", "sha256 invoerbestand", None)] == sha
    assert rijen[("kader", None, "taakstelling")] == 0.075
    assert rijen[("historie", "levanto/maastricht/BGI", "omzet")] == 1_900_000
    assert any(k[0] == "regel" and k[1] == "risicodeling" for k in rijen)


@pytest.fixture
def kwaadaardig(worked_example):
    """The worked example with case text a spreadsheet or a browser would run."""
    worked_example["aanbieders"]["p1"]["naam"] = '=HYPERLINK("http://evil.example","klik")'
    worked_example["aanbieders"]["p2"]["naam"] = "+31 <script>alert(1)</script>"
    worked_example["aanbieders"]["overig"]["naam"] = "@SUM(A1:A9)"
    worked_example["bron"] = "-2+3 bron <script>alert(2)</script>"
    worked_example["toelichting"] = "=1+1"
    return case_from_dict(worked_example)


def test_formula_injection_is_neutralised_in_every_cell(kwaadaardig, tmp_path):
    pad = tmp_path / "k.xlsx"
    schrijf_excel(_rapport(kwaadaardig), pad)
    wb = openpyxl.load_workbook(pad)
    teksten = []
    for ws in wb:
        for rij in ws.iter_rows():
            for c in rij:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@")), (ws.title, c.value)
                    teksten.append(c.value)
    assert '\'=HYPERLINK("http://evil.example","klik")' in teksten
    assert "'+31 <script>alert(1)</script>" in teksten


def test_html_is_self_contained_with_six_plots(ref_case):
    html = render_html(_rapport(ref_case))
    assert "http://" not in html and "https://" not in html and 'src="//' not in html
    assert "<link" not in html and "<script" not in html
    assert html.count('<img src="data:image/svg+xml;base64,') == 6
    assert "@media print" in html and "viewport" in html


def test_html_escapes_case_text_and_loads_nothing(kwaadaardig):
    html = render_html(_rapport(kwaadaardig))
    assert "<script" not in html
    for attribuut in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert attribuut.startswith(("data:image/svg+xml;base64,", "#")), attribuut
    assert html.count('<img src="data:image/svg+xml;base64,') == 6
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


_SVG = r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"


def _zichtbaar(html: str) -> str:
    """The HTML without images, style and tags: what a reader can see."""
    html = re.sub(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", "", html)
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("partner", ["summa", "sgl"])
def test_partner_pack_names_no_other_partner(ref_case, partner, tmp_path):
    r = _rapport(ref_case, partner=partner)
    anderen = [a for a in ref_case.aanbieders if a.rol == "partner" and a.id != partner]
    verboden = [a.id.lower() for a in anderen] + [a.naam.lower() for a in anderen]
    schrijf_excel(r, tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    cellen = [str(c.value).lower() for ws in wb for rij in ws.iter_rows() for c in rij if c.value]
    assert any(partner in c for c in cellen)
    for woord in verboden:
        assert not any(woord in c for c in cellen), woord
    html = render_html(r)
    zonder_plaatjes = re.sub(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+", "", html).lower()
    assert partner in _zichtbaar(html).lower()
    for woord in verboden:  # as a word: the tag <summary> is not the partner summa
        assert not re.search(rf"\b{re.escape(woord)}\b", zonder_plaatjes), woord
    svgs = [base64.b64decode(d).decode("utf-8") for d in re.findall(_SVG, html)]
    tekst_in_plots = " ".join(re.sub(r"<[^>]+>", " ", svg) for svg in svgs).lower()
    assert partner in tekst_in_plots  # the plots name the partner, and no other
    for woord in verboden:
        assert not re.search(rf"\b{re.escape(woord)}\b", tekst_in_plots), woord


def test_partner_pack_shows_own_figures_and_the_others_together(ref_case, tmp_path):
    r = _rapport(ref_case, partner="summa")
    full = _rapport(ref_case)
    schrijf_excel(r, tmp_path / "p.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["partners"]
    kop = _kop(ws)
    rijen = {
        w[0]: dict(zip(kop, w, strict=False)) for w in ws.iter_rows(min_row=2, values_only=True)
    }
    assert list(rijen) == ["summa", "andere partners samen", "totaal"]
    t = full.simulatie.terugvordering
    assert rijen["summa"]["terugvordering verwacht"] == pytest.approx(t.loc["summa", "verwacht"])
    anderen = t.drop(index="summa")
    assert rijen["andere partners samen"]["lumpsum"] == pytest.approx(anderen["lumpsum"].sum())
    assert rijen["andere partners samen"]["kans op terugvordering"] is None


def test_unknown_partner_and_wrong_suffix_exit_2_and_write_nothing(tmp_path, capsys):
    uit = tmp_path / "x.xlsx"
    proc = _run("report", REF, "-o", str(uit), "--partner", "bestaatniet", "-n", "1024")
    assert proc.returncode == 2
    regels = proc.stderr.strip().splitlines()
    assert len(regels) == 1 and "levanto" in regels[0] and "sgl" in regels[0]
    assert main(["report", REF, "-o", str(tmp_path / "x.pdf")]) == 2
    assert ".html" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_html_with_partner_and_optimal_allocation(tmp_path):
    uit = tmp_path / "levanto.html"
    proc = _run(
        "report", REF, "--partner", "levanto", "--allocatie", "optimaal",
        "-o", str(uit), "-n", "4096", "--seed", "1", "--quiet",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    tekst = uit.read_text(encoding="utf-8")
    assert "Partnerrapport levanto" in tekst and "optimale verdeling" in tekst


def test_a_failure_mid_write_leaves_no_file(ref_case, tmp_path, monkeypatch):
    r = _rapport(ref_case)

    def half_werkboek(pad: Path, bladen, **_opties) -> None:
        pad.write_bytes(b"PK half")
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(rapport_mod.excel, "schrijf_werkboek", half_werkboek)
    with pytest.raises(RuntimeError):
        schrijf_excel(r, tmp_path / "r.xlsx")

    def kapotte_plot(*args, **kwargs):
        raise RuntimeError("plot faalt")

    monkeypatch.setattr(rapport_mod.html.plots, "tornado", kapotte_plot)
    with pytest.raises(RuntimeError):
        schrijf_html(r, tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []


def test_repr_html_of_the_results_is_escaped(worked_example):
    worked_example["naam"] = "<b>vet</b>".replace("/", "")  # ids may not hold a slash
    case = case_from_dict(worked_example)
    for obj in (
        framework.kader(case),
        optimize.allocate(case),
        montecarlo.simulate(case, 1024, seed=1),
    ):
        html = obj._repr_html_()
        assert "<table" in html and "&lt;b&gt;vet&lt;b&gt;" in html and "<b>" not in html


def test_risico_sheet_exceedance_is_monotone_and_matches_the_simulation(werkboek):
    ws = werkboek["risico"]
    kop = [c.value for c in ws[1]]
    j = kop.index("overschrijdingskans")
    kansen = [r[j] for r in ws.iter_rows(min_row=2, values_only=True) if r[j] is not None]
    assert len(kansen) >= 10
    assert np.all(np.diff(kansen) <= 0)


def test_partner_pack_plot_data_names_only_the_partner(ref_case):
    from plafond.report.tabellen import figuurdata

    data = figuurdata(_rapport(ref_case, partner="radar"))
    assert list(data["heatmap"].columns) == ["radar", "andere partners samen"]
    assert list(data["terugvordering"].index) == ["radar", "andere partners samen"]
