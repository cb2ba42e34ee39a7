"""`plafond frontier` and `plafond regel` on the command line: JSON, files, bad input."""

from __future__ import annotations

import json

import openpyxl

from plafond.cli import main


def test_frontier_json_keys_and_range(capsys):
    argv = ["frontier", "maastricht-heuvelland-2022", "-n", "16384", "--seed", "2", "--json",
            "--van", "12000000", "--tot", "14500000", "--stappen", "6"]  # fmt: skip
    assert main(argv) == 0
    d = json.loads(capsys.readouterr().out)
    assert {"case", "scenarios", "seed", "punten"} <= set(d)
    assert [p["plafond"] for p in d["punten"]] == [12e6 + 5e5 * i for i in range(6)]
    kansen = [p["overschrijdingskans"] for p in d["punten"]]
    assert kansen == sorted(kansen, reverse=True) and kansen[0] == 1.0
    for p in d["punten"]:
        assert {"interval", "verwachte_overschrijding", "terugvordering",
                "terugvordering_totaal"} <= set(p)  # fmt: skip
        assert abs(sum(t["verwacht"] for t in p["terugvordering"].values())
                   - p["terugvordering_totaal"]) < 0.03  # fmt: skip


def test_frontier_files_hold_the_plot(tmp_path, capsys):
    xlsx, html = tmp_path / "f.xlsx", tmp_path / "f.html"
    for pad in (xlsx, html):
        assert main(["frontier", "maastricht-heuvelland-2022", "-n", "16384", "--seed", "2",
                     "--stappen", "4", "-o", str(pad)]) == 0  # fmt: skip
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["frontier", "terugvordering", "grafiek"]
    assert len(wb["grafiek"]._images) == 1 and wb["frontier"].max_row == 5
    tekst = html.read_text(encoding="utf-8")
    assert "data:image/png;base64," in tekst and "<table>" in tekst


def test_regel_json_and_bad_values(tmp_path, capsys):
    argv = ["regel", "maastricht-heuvelland-2022", "-n", "16384", "--seed", "2",
            "--aandeel", "0.5,1", "--drempel", "0", "--maximum", "geen,0.01", "--max-kans",
            "0.3", "--reserve", "50000", "--json"]  # fmt: skip
    assert main(argv) == 0
    d = json.loads(capsys.readouterr().out)
    assert len(d["regels"]) == 4 and d["grenzen"]["max_kans"] == 0.3
    assert d["voldoen"] == sum(r["voldoet"] for r in d["regels"])
    assert [r["maximum"] for r in d["regels"]] == [None, 0.01, None, 0.01]
    uit = tmp_path / "r.xlsx"
    assert main(["regel", "maastricht-heuvelland-2022", "--aandeel", "1.5", "-o", str(uit)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--aandeel" in err and not uit.exists()
    assert main(["frontier", "maastricht-heuvelland-2022", "--stappen", "0"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
