"""Workbooks a Dutch user can fill in, read and print; CSV that a Dutch Excel opens."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import plafond.montecarlo as montecarlo
import pytest
from babel.numbers import format_decimal
from openpyxl.utils import get_column_letter
from plafond.cases import load_case
from plafond.cases.excel_schrijven import write_workbook
from plafond.cases.excel_template import write_template
from plafond.cases.excel_voorbeeld import HINT_FRACTIE

from plafond.cli import main
from plafond.report import maak_rapport, schrijf_excel

REF = "maastricht-heuvelland-2022"


@pytest.fixture(scope="module")
def sjabloon(tmp_path_factory):
    pad = tmp_path_factory.mktemp("sjabloon") / "case.xlsx"
    write_template(pad)
    return openpyxl.load_workbook(pad)


@pytest.fixture(scope="module")
def werkmappen(tmp_path_factory, sjabloon):
    """Every kind of workbook plafond writes, small."""
    d = tmp_path_factory.mktemp("werkmappen")
    case = load_case(REF)
    r = maak_rapport(case, n=2**12, seed=4, gevoeligheid_n=2**10)
    schrijf_excel(r, d / "rapport.xlsx")
    write_workbook(case, d / "case.xlsx")
    assert main(["simulate", REF, "-n", "2048", "--seed", "11", "-o", str(d / "sim.xlsx")]) == 0
    assert main(["optimize", REF, "-o", str(d / "opt.xlsx")]) == 0
    namen = ("rapport", "case", "sim", "opt")
    return {"sjabloon": sjabloon} | {n: openpyxl.load_workbook(d / f"{n}.xlsx") for n in namen}


def _dutch_excel_text(value: float, number_format: str) -> str:
    """What a Dutch Excel shows, rendered by babel's CLDR nl_NL (independent of our code)."""
    deel = number_format.split(";")[0]
    euro = "€" in deel
    patroon = re.sub(r'\[\$€-413\]|"€"|\s', "", deel)
    if "%" in patroon:
        return format_decimal(value * 100, format=patroon.replace("%", ""), locale="nl_NL") + "%"
    tekst = format_decimal(value, format=patroon, locale="nl_NL")
    return f"€ {tekst}" if euro else tekst


def test_no_hashes_at_the_written_column_widths(werkmappen):
    gezien = 0
    for naam, wb in werkmappen.items():
        for ws in wb.worksheets:
            for kolom in ws.iter_cols(min_row=2):
                for cel in kolom:
                    v = cel.value
                    if isinstance(v, bool) or not isinstance(v, int | float):
                        continue
                    if cel.number_format in ("General", "@"):
                        continue
                    tekst = _dutch_excel_text(v, cel.number_format)
                    breedte = ws.column_dimensions[get_column_letter(cel.column)].width
                    assert breedte >= len(tekst) + 1, (naam, ws.title, cel.coordinate, tekst)
                    gezien += 1
    assert gezien > 200


def test_every_sheet_of_every_workbook_prints(werkmappen):
    for naam, wb in werkmappen.items():
        for ws in wb.worksheets:
            plaats = (naam, ws.title)
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, plaats
            assert ws.sheet_properties.pageSetUpPr.fitToPage, plaats
            assert ws.print_title_rows == "$1:$1", plaats
            assert "&P" in ws.oddFooter.right.text and ws.oddFooter.center.text == "&D", plaats
            breed = sum(
                ws.column_dimensions[get_column_letter(j)].width or 8.43
                for j in range(1, ws.max_column + 1)
            )
            verwacht = "landscape" if breed > 95 else "portrait"
            assert ws.page_setup.orientation == verwacht, plaats
    assert REF in werkmappen["rapport"]["partners"].oddFooter.left.text


def _validaties(ws) -> dict[str, object]:
    """Header → the data validation covering its column (row 2), or the key's value cell."""
    uit = {}
    for dv in ws.data_validations.dataValidation:
        for bereik in dv.sqref.ranges:
            kolom, rij = bereik.min_col, bereik.min_row
            kop = ws.cell(1, kolom).value if ws.cell(1, 1).value != "sleutel" else None
            sleutel = kop if kop is not None else ws.cell(rij, 1).value
            uit[sleutel] = dv
    return uit


def test_template_has_dropdowns_for_codes_and_references(sjabloon):
    rol = _validaties(sjabloon["aanbieders"])["rol"]
    assert rol.type == "list" and rol.formula1 == '"partner,overig"'
    verdeling = _validaties(sjabloon["overige_uitgaven"])["verdeling"]
    assert verdeling.type == "list" and "lognormaal" in verdeling.formula1
    for blad in ("tarieven", "historie", "vraag", "opslagen", "overige_uitgaven"):
        v = _validaties(sjabloon[blad])
        assert v["product"].formula1.startswith("=producten!$A$2"), blad
        assert v["gebied" if blad != "tarieven" else "aanbieder"].type == "list", blad
    assert _validaties(sjabloon["historie"])["aanbieder"].formula1.startswith("=aanbieders!$A$2")
    assert _validaties(sjabloon["vraag"])["clienten_verdeling"].type == "list"
    kader = _validaties(sjabloon["kader"])
    assert "gemeente" in kader["risicodeling.verdeelsleutel"].formula1
    # the id columns the references point at really hold the ids
    assert sjabloon["producten"]["A1"].value == "id" and sjabloon["gebieden"]["A1"].value == "id"


def test_template_fractions_have_a_range_and_the_hint(sjabloon):
    kader = _validaties(sjabloon["kader"])
    for sleutel in ("indexatie", "taakstelling", "risicodeling.aandeel_partners"):
        dv = kader[sleutel]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "1")
        assert dv.prompt == HINT_FRACTIE == "schrijf 0,075 voor 7,5 %"
    assert kader["correlatie.binnen_gemeente"].formula1 == "-1"
    tarief = _validaties(sjabloon["tarieven"])
    assert tarief["werkgeverslasten"].type == "decimal" and tarief["productiviteit"].formula2 == "1"
    assert _validaties(sjabloon["gebieden"])["aandeel_75plus"].prompt == HINT_FRACTIE
    # the example itself passes its own validations
    for rij in sjabloon["kader"].iter_rows(min_row=2):
        if rij[0].value in ("indexatie", "taakstelling") and rij[1].value is not None:
            assert 0 <= rij[1].value <= 1


def test_template_example_is_plausible(tmp_path):
    pad = tmp_path / "v.xlsx"
    write_template(pad)
    res = montecarlo.simulate(load_case(pad), 2**13, seed=2)
    e = res.exploitatie.iloc[0]
    # the partner's lumpsum pays for what it delivers: a modest surplus, rarely a loss
    assert 0 < e["verwacht_resultaat"] < 0.25 * e["lumpsum"]
    assert e["kans_verlies"] < 0.2
    # an overrun is possible but not the rule (with demand-driven C about 6 %)
    assert 0.02 < res.overschrijdingskans < 0.7


def test_simulate_workbook_kans_as_percent_and_seed_as_text(werkmappen):
    ws = werkmappen["sim"]["samenvatting"]
    rijen = {r[0].value: r[1] for r in ws.iter_rows(min_row=2)}
    assert rijen["seed"].value == "11" and isinstance(rijen["seed"].value, str)
    assert rijen["overschrijdingskans"].number_format.endswith("%")
    assert rijen["overschrijdingskans_ci95_laag"].number_format.endswith("%")
    assert "€" in rijen["plafond"].number_format and rijen["scenarios"].number_format == "#,##0"


def test_big_seed_stays_exact_in_the_workbook(tmp_path):
    seed = 5549105865002510000
    uit = tmp_path / "s.xlsx"
    assert main(["simulate", REF, "-n", "1024", "--seed", str(seed), "-o", str(uit)]) == 0
    rijen = {r[0].value: r[1].value for r in openpyxl.load_workbook(uit)["samenvatting"].rows}
    assert rijen["seed"] == str(seed)


@pytest.mark.parametrize("opdracht", ["simulate", "optimize"])
def test_csv_opens_in_a_dutch_locale_and_the_machine_csv_stays(opdracht, tmp_path):
    nl, machine = tmp_path / "nl.csv", tmp_path / "machine.csv"
    extra = ["-n", "2048", "--seed", "5"] if opdracht == "simulate" else []
    assert main([opdracht, REF, *extra, "-o", str(nl)]) == 0
    assert main([opdracht, REF, *extra, "-o", str(machine), "--csv-formaat", "machine"]) == 0
    ruw = nl.read_bytes()
    assert ruw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads it as UTF-8
    a = pd.read_csv(nl, sep=";", decimal=",", encoding="utf-8-sig")
    b = pd.read_csv(machine)
    assert not machine.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(a.columns) == list(b.columns) and len(a) == len(b) > 3
    geld = ["bedrag"] if opdracht == "optimize" else ["terugvordering_verwacht", "exploitatie_se"]
    for k in geld:
        assert a[k].dtype == float
        assert (a[k] == b[k].round(2)).all(), k  # money to the cent
        tekst = ruw.decode("utf-8-sig").splitlines()[1]
        assert re.search(r";\d+,\d{1,2}(;|$)", tekst)
    kans = "terugvordering_kans" if opdracht == "simulate" else "volume"
    assert a[kans].to_numpy() == pytest.approx(b[kans].to_numpy(), rel=1e-12)
