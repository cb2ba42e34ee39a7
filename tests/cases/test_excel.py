"""Excel case files: YAML and Excel give identical Cases; errors are one line; no formulas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from plafond.cases import bundled_case_names, case_from_dict, load_case
from plafond.cases.excel import read_workbook
from plafond.cases.excel_indeling import KEY_SHEETS, SHEETS, TABLES
from plafond.cases.excel_schrijven import write_workbook
from plafond.cases.excel_template import write_template
from plafond.cases.schema import Kader

from plafond.cli import main


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plafond.cli", *args],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.mark.parametrize("name", bundled_case_names())
def test_bundled_case_survives_excel(name: str, tmp_path: Path) -> None:
    case = load_case(name)
    path = write_workbook(case, tmp_path / f"{name}.xlsx")
    assert load_case(path) == case


def test_rich_case_survives_excel(worked_example: dict[str, Any], tmp_path: Path) -> None:
    """Every nested form: per-aanbieder tarief, matrix, sleutel, empirisch, optional sheets."""
    d = worked_example
    d["gebieden"]["dorp"] = {"gemeente": "Dorp", "inwoners": 9000, "aandeel_75plus": 0.12}
    d["tarieven"]["BGI"]["per_aanbieder"] = {"p2": {"cao_uurloon": 21.5, "productiviteit": 0.7}}
    d["vraag"][0]["clienten"] = {"verdeling": "empirisch", "waarden": [580, 600.5, 640]}
    d["vraag"].append(
        {
            "gebied": "dorp",
            "product": "BGI",
            "clienten": {"verdeling": "pert", "min": 50, "modus": 60, "max": 80},
            "volume_per_client": {"verdeling": "normaal", "gemiddelde": 90, "sd": 20},
        }
    )
    d["werkgebied"] = [{"aanbieder": "p1", "gebied": g, "product": "BGI"} for g in ("stad", "dorp")]
    d["kader"]["plafond"] = 4_000_000.5
    d["kader"]["correlatie"] = {"binnen_gemeente": 0.4, "matrix": {"stad": {"dorp": 0.3}}}
    d["kader"]["risicodeling"].update(verdeelsleutel="sleutel", sleutel={"p1": 2, "p2": 1})
    d["kader"]["prijsschok"] = {"verdeling": "empirisch", "waarden": [-0.004, 0.0076, 0.0162]}
    d["marktordening"] = {
        "max_gebieden_per_aanbieder": 2,
        "overige_dekken": False,
        "minimum_bedrag": [{"aanbieder": "p2", "bedrag": 50_000}],
    }
    case = case_from_dict(d)
    path = write_workbook(case, tmp_path / "rijk.xlsx")
    assert load_case(path) == case
    assert "correlatie" in openpyxl.load_workbook(path).sheetnames


@pytest.mark.parametrize(
    "schok",
    [
        {"verdeling": "normaal", "gemiddelde": -0.005, "sd": 0.015},
        {"verdeling": "pert", "min": -0.01, "modus": 0.0, "max": 0.03},
        {"verdeling": "vast", "gemiddelde": 0.02},
        None,
    ],
    ids=["normaal-negatief", "pert", "vast", "geen"],
)
def test_prijsschok_survives_excel(schok, worked_example: dict[str, Any], tmp_path: Path) -> None:
    """The shock is one key per parameter on sheet kader; all empty means no shock."""
    worked_example["kader"]["prijsschok"] = schok
    case = case_from_dict(worked_example)
    path = write_workbook(case, tmp_path / "schok.xlsx")
    keys = {r[0]: r[1] for r in openpyxl.load_workbook(path)["kader"].iter_rows(values_only=True)}
    assert keys["prijsschok.verdeling"] == (schok or {}).get("verdeling")
    assert load_case(path) == case
    assert load_case(path).kader.prijsschok == case.kader.prijsschok


def test_empty_cells_mean_defaults(worked_example: dict[str, Any], tmp_path: Path) -> None:
    case = case_from_dict(worked_example)
    path = write_workbook(case, tmp_path / "case.xlsx")
    wb = openpyxl.load_workbook(path)
    for row in wb["kader"].iter_rows(min_row=2):
        row[1].value = None  # every kader key left empty
    wb.save(path)
    data = read_workbook(path)
    assert "indexatie" not in data["kader"] and "risicodeling" not in data["kader"]
    kader = Kader(opslagen=case.kader.opslagen, overige_uitgaven=case.kader.overige_uitgaven)
    assert load_case(path).kader == kader


def test_template_is_a_valid_case_with_explanations(tmp_path: Path) -> None:
    path = write_template(tmp_path / "sjabloon.xlsx")
    case = load_case(path)
    assert case.naam == "voorbeeld" and len(case.producten) == 1
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "uitleg" and set(SHEETS) <= set(wb.sheetnames)
    for sheet in TABLES:
        # C follows demand in the example (levering); a direct C forecast is left empty, and
        # so is the optional cooperaties sheet (the example's one partner is in none)
        rijen = 1 if sheet in ("overige_uitgaven", "cooperaties") else 2
        assert wb[sheet].max_row >= rijen, f"no example row on sheet {sheet}"
    assert wb["overige_uitgaven"].max_row == 1 and wb["levering"].max_row >= 2
    explained = {(r[0], r[1]) for r in wb["uitleg"].iter_rows(min_row=2, values_only=True)}
    for sheet, (_, _, columns) in TABLES.items():
        assert {(sheet, c) for c in columns} <= explained
    for sheet, (_, keys) in KEY_SHEETS.items():
        assert {(sheet, k) for k in keys} <= explained
    assert all(r[4] for r in wb["uitleg"].iter_rows(min_row=2, values_only=True))
    assert wb["historie"]["D2"].number_format == '"€" #,##0.00'
    assert wb["historie"].freeze_panes == "A2"


def _mutated(tmp_path: Path, mutate) -> Path:
    path = write_workbook(load_case("maastricht-heuvelland-2022"), tmp_path / "case.xlsx")
    wb = openpyxl.load_workbook(path)
    mutate(wb)
    wb.save(path)
    return path


def _set(wb, sheet: str, cell: str, value: Any) -> None:
    wb[sheet][cell].value = value


# (what is wrong, mutation, fragments the one line on stderr must contain)
BROKEN = [
    ("missing sheet", lambda wb: wb.remove(wb["historie"]), ["historie: blad ontbreekt", "vraag"]),
    (
        "missing column",
        lambda wb: wb["historie"].delete_cols(4),
        ["historie.omzet: kolom ontbreekt", "toegestaan: aanbieder, gebied, product, omzet"],
    ),
    (
        "text in a number cell",
        lambda wb: _set(wb, "historie", "D4", "veel"),
        ["historie[Excel-rij 4].omzet", "moet een getal zijn", "'veel'"],
    ),
]


@pytest.mark.parametrize("what, mutate, fragments", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_workbook_is_one_line_exit_2(what, mutate, fragments, tmp_path: Path) -> None:
    result = _cli("validate", str(_mutated(tmp_path, mutate)))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    "mutate, fragment",
    [
        (lambda wb: _set(wb, "historie", "E1", "omzett"), "historie.omzett: onbekende kolom"),
        (lambda wb: _set(wb, "kader", "B3", 7.5), "kader.taakstelling: is een fractie"),
        (lambda wb: _set(wb, "kader", "A20", "foo"), "kader.foo: onbekende sleutel"),
        (lambda wb: _set(wb, "case", "B3", None), "case.jaar: ontbreekt"),
        (lambda wb: _set(wb, "vraag", "E3", "x"), "vraag[Excel-rij 3].clienten_cv"),
        (lambda wb: _set(wb, "aanbieders", "E2", -3), "aanbieders[levanto].capaciteit_BGI"),
        (lambda wb: _set(wb, "opslagen", "B2", "nergens"), "opslagen[Excel-rij 2].gebied"),
        (lambda wb: _set(wb, "historie", "G3", 5), "historie[Excel-rij 3]: waarde in een kolom"),
        (
            lambda wb: [
                _set(wb, "historie", f"{c}5", wb["historie"][f"{c}4"].value) for c in "ABC"
            ],
            "historie[Excel-rij 5]: dubbele regel",
        ),
        (
            lambda wb: _set(wb, "kader", "B7", -1.5),
            "kader.prijsschok.gemiddelde: een schok van -1.5 is -100 % of minder",
        ),
        (
            lambda wb: _set(wb, "kader", "A8", "prijsschok.cv"),
            "kader.prijsschok.cv: onbekende sleutel",
        ),
        (
            lambda wb: _set(wb, "vraag", "J3", "1; twee"),
            "vraag[Excel-rij 3].clienten_waarden: '1; twee' is geen lijst van getallen",
        ),
    ],
)
def test_errors_name_sheet_row_and_column(mutate, fragment: str, tmp_path: Path, capsys) -> None:
    assert main(["validate", str(_mutated(tmp_path, mutate))]) == 2
    err = capsys.readouterr().err
    assert fragment in err and len(err.strip().splitlines()) == 1, err


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "kapot.xlsx"
    path.write_text("geen zip", encoding="utf-8")
    result = _cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "geen geldig Excel-bestand" in result.stderr


FORMULAS = {"naam": "=1+1", "bron": "+cmd|' /C calc'!A0", "aanbieder": "@SUM(A1:A9)"}


def test_formula_injection_is_neutralised(worked_example: dict[str, Any], tmp_path: Path) -> None:
    worked_example.update(naam=FORMULAS["naam"], bron=FORMULAS["bron"])
    worked_example["aanbieders"]["p1"]["naam"] = FORMULAS["aanbieder"]
    worked_example["gebieden"]["stad"]["gemeente"] = "-2+3"
    case = case_from_dict(worked_example)
    path = write_workbook(case, tmp_path / "case.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = [wb["case"]["B2"], wb["case"]["B4"], wb["aanbieders"]["B2"], wb["gebieden"]["B2"]]
    expected = [*FORMULAS.values(), "-2+3"]
    for cell, text in zip(cells, expected, strict=True):
        assert cell.data_type != "f" and cell.value == "'" + text
    assert load_case(path) == case  # the neutralising quote is removed on reading


def test_template_command_writes_a_file(tmp_path: Path) -> None:
    path = tmp_path / "nieuw.xlsx"
    result = _cli("template", str(path))
    assert result.returncode == 0, result.stderr
    assert load_case(path).naam == "voorbeeld"


def test_template_command_refuses_and_converts(tmp_path: Path, capsys) -> None:
    assert main(["template", str(tmp_path / "case.csv")]) == 2
    path = tmp_path / "zaak.xlsx"
    path.write_bytes(b"mijn ingevulde werkmap")
    assert main(["template", str(path)]) == 2
    assert path.read_bytes() == b"mijn ingevulde werkmap"
    assert "--overschrijven" in capsys.readouterr().err
    name = bundled_case_names()[0]
    assert main(["template", str(path), "--case", name, "--overschrijven"]) == 0
    assert load_case(path) == load_case(name)
