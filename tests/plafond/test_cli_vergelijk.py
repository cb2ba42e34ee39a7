"""`plafond vergelijk`: JSON equal to the API's, Excel and HTML files, bad input."""

from __future__ import annotations

import json

import openpyxl
from plafond.cases import load_case
from plafond.montecarlo import vergelijk

from plafond.cli import main

CASE = "maastricht-heuvelland-2022"


def test_json_equals_the_api(capsys):
    assert main(["vergelijk", CASE, "-n", "2048", "--seed", "4", "--json",
                 "--varianten", "pxq,lumpsum,bandbreedte"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    api = vergelijk(load_case(CASE), 2048, seed=4, varianten=["pxq", "lumpsum", "bandbreedte"])
    assert out == json.loads(json.dumps(api.to_dict()))


def test_excel_and_html(tmp_path, capsys):
    xlsx, page = tmp_path / "v.xlsx", tmp_path / "v.html"
    assert main(["vergelijk", CASE, "-n", "1024", "--seed", "1", "-o", str(xlsx)]) == 0
    wb = openpyxl.load_workbook(xlsx)
    assert {"gemeente", "aanbieders", "verschillen"} <= set(wb.sheetnames)
    assert wb["gemeente"].max_row == 4  # header + pxq, lumpsum, populatie
    assert main(["vergelijk", CASE, "-n", "1024", "--seed", "1", "-o", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "Bekostigingsvergelijking" in text and text.count("data:image/png;base64,") == 2
    assert "kosten gemeente" in capsys.readouterr().out


def test_unknown_variant_is_one_line_exit_2(tmp_path, capsys):
    target = tmp_path / "v.xlsx"
    assert main(["vergelijk", CASE, "-n", "16", "--varianten", "pxq,foo", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "onbekende variant 'foo'" in err
    assert not target.exists()
