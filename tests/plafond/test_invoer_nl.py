"""Dutch numbers where people type them: the command line, Excel text cells, YAML's hint."""

from __future__ import annotations

import json

import openpyxl
import pytest
from plafond.cases import CaseError, load_case
from plafond.cases.excel import read_workbook, tekst_getallen
from plafond.cases.excel_template import write_template
from plafond.cases.getallen import lees_getal

from plafond.cli import main


@pytest.mark.parametrize(
    ("tekst", "waarde"),
    [
        ("0,10", 0.10),
        ("0.10", 0.10),
        ("7,5%", 0.075),
        ("7,5 %", 0.075),
        ("10%", 0.10),
        ("€ 1.234,56", 1234.56),
        ("-0,5", -0.5),
        ("1.234", 1.234),  # no comma: a dot is the decimal point, as Python writes it
        ("1e-3", 0.001),
    ],
)
def test_lees_getal_reads_dutch_and_python_notation(tekst, waarde):
    assert lees_getal(tekst) == pytest.approx(waarde, rel=1e-15)


@pytest.mark.parametrize("tekst", ["", "x", "1,2,3", "1.23.4", "12,5 mln", "0,1%%"])
def test_lees_getal_refuses_what_is_no_number(tekst):
    assert lees_getal(tekst) is None


def test_kans_with_decimal_comma_equals_decimal_point(capsys):
    uit = []
    for kans in ("0,10", "0.10"):
        args = ["simulate", "maastricht-heuvelland-2022", "-n", "2048", "--seed", "3"]
        assert main([*args, "--kans", kans, "--json"]) == 0
        uit.append(json.loads(capsys.readouterr().out))
    assert uit[0]["kans"] == 0.1 and uit[0] == uit[1]


def test_kans_not_a_number_is_one_line_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "maastricht-heuvelland-2022", "--kans", "tien"])
    assert exc.value.code == 2
    fout = capsys.readouterr().err
    assert fout.count("\n") == 1 and "geen getal" in fout and "'tien'" in fout


def _template_met(tmp_path, kader: dict[str, str]):
    pad = tmp_path / "case.xlsx"
    write_template(pad)
    wb = openpyxl.load_workbook(pad)
    for rij in wb["kader"].iter_rows(min_row=2):
        if rij[0].value in kader:
            rij[1].value = kader[rij[0].value]
    wb["gebieden"]["D2"] = "9%"  # aandeel_75plus as text
    wb.save(pad)
    return pad


def test_excel_text_cells_read_as_numbers_and_echoed(tmp_path, capsys):
    pad = _template_met(tmp_path, {"indexatie": "3,87%", "taakstelling": "0,075"})
    assert openpyxl.load_workbook(pad)["gebieden"]["D1"].value == "aandeel_75plus"
    data = read_workbook(pad)
    assert data["kader"]["indexatie"] == pytest.approx(0.0387, rel=1e-12)
    assert data["kader"]["taakstelling"] == 0.075
    assert data["gebieden"][0]["aandeel_75plus"] == pytest.approx(0.09, rel=1e-12)
    assert load_case(pad).kader.taakstelling == 0.075
    gelezen = {p: (t, w) for p, t, w in tekst_getallen(pad)}
    assert gelezen["kader.indexatie"][0] == "3,87%"
    assert gelezen["gebieden[Excel-rij 2].aandeel_75plus"][1] == pytest.approx(0.09)
    assert main(["validate", str(pad)]) == 0
    uit = capsys.readouterr().out
    assert "tekstcel gelezen als getal" in uit and "3,87%" in uit and "0,0387" in uit


def test_excel_text_that_is_no_number_still_fails_on_its_cell(tmp_path):
    pad = _template_met(tmp_path, {"indexatie": "drie procent"})
    with pytest.raises(CaseError) as exc:
        read_workbook(pad)
    assert "indexatie" in str(exc.value)


def test_yaml_keeps_numbers_and_refuses_a_decimal_comma_with_the_fix(write_yaml, worked_example):
    worked_example["kader"]["indexatie"] = "0,0387"
    with pytest.raises(CaseError) as exc:
        load_case(write_yaml(worked_example))
    melding = str(exc.value)
    assert "kader.indexatie" in melding and "schrijf 0.0387" in melding
    worked_example["kader"]["indexatie"] = 0.0387
    assert load_case(write_yaml(worked_example)).kader.indexatie == 0.0387
