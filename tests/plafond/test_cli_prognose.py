"""`plafond prognose` and `plafond simulate` over a term through the CLI; realisation errors."""

from __future__ import annotations

import json

from plafond.cases.bundled import bundled_path

from plafond.cli import main

CASE = "heerlen-2020"
VOORBEELD = bundled_path(CASE).parent / "realisatie" / "heerlen-2020-6m.csv"


def test_prognose_json_and_warning(capsys):
    assert main(["prognose", CASE, "--realisatie", str(VOORBEELD), "-n", "4096", "--seed", "3",
                 "--json"]) == 0  # fmt: skip
    d = json.loads(capsys.readouterr().out)
    assert d["realisatie"]["maanden"] == 6 and d["realisatie"]["tot"] == "2020-06-30"
    assert set(d["voorschotten"]) == set(d["terugvordering"])
    v = d["voorschotten"]["lid-thuiszorg"]
    # two quarters begun by June, in whole cents; the first quarters take the cents left over
    kw_c, l_c = round(v["per_kwartaal"] * 100), round(v["lumpsum"] * 100)
    assert kw_c == l_c // 4
    assert round(v["betaald"] * 100) == 2 * kw_c + min(l_c - 4 * kw_c, 2)
    assert {"overschrijdingskans", "verwachte_overschrijding", "exploitatie"} <= set(d)
    assert main(["prognose", CASE, "--realisatie", str(VOORBEELD), "-n", "4096", "--seed", "3",
                 "--tot", "2020-03-31"]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("Op basis van 3 maanden: overschrijdingskans ")


def test_bad_realisation_one_line_per_error_exit_2(tmp_path, capsys):
    f = tmp_path / "r.csv"
    f.write_text("periode,gebied,aanbieder,product,volume,bedrag\n"
                 "2020-01,heerlen-centrum,lid-ggz,BGI,10,\n"
                 "2021-02,heerlen-centrum,lid-ggz,BGI,10,\n"
                 "2020-03,nergens,lid-ggz,BGI,10,\n"
                 "2020-04,heerlen-centrum,lid-ggz,BGI,-1,\n", encoding="utf-8")  # fmt: skip
    assert main(["prognose", CASE, "--realisatie", str(f), "-n", "16"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(r.startswith(f"fout: {f}: rij ") for r in err)
    assert "buiten het contractjaar 2020" in err[0] and "'nergens'" in err[1]
    assert "rij 5.volume" in err[2]


def test_template_realisatie_reads_back(tmp_path, capsys):
    f = tmp_path / "r.xlsx"
    assert main(["template", str(f), "--realisatie", "--case", CASE]) == 0
    capsys.readouterr()
    assert main(["prognose", CASE, "--realisatie", str(f), "-n", "1024", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["realisatie"]["maanden"] == 1


def test_simulate_term_text(capsys):
    assert main(["simulate", CASE, "-n", "2048", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Looptijd 4 jaar" in out and "2023" in out and "kans terugval PxQ" in out


def test_excel_dates_and_headers_are_read(tmp_path, capsys):
    import datetime

    import openpyxl

    f = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Periode", "gebied", "aanbieder", "product", "volume", "bedrag"])
    ws.append([datetime.datetime(2020, 2, 1), "hoensbroek", "lid-nah", "BGI", None, 6030.0])
    wb.save(f)
    assert main(["prognose", CASE, "--realisatie", str(f), "-n", "1024", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["realisatie"] == {"tot": "2020-02-29", "maanden": 2, "bedrag": 6030.0}
