"""`plafond cases` and `plafond validate` through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from plafond.cases import bundled_case_names, framework, load_case

from plafond.cli import main
from plafond.fmt import euro, procent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "plafond.cli", *args], capture_output=True, encoding="utf-8", cwd="/"
    )


def test_dutch_notation():
    assert euro(1_441_196.25) == "€ 1.441.196,25"
    assert euro(0.5) == "€ 0,50"
    assert euro(-1234.5) == "-€ 1.234,50"
    assert procent(0.075) == "7,5 %"


def test_at_least_four_bundled_cases_each_validates_with_a_bron():
    names = bundled_case_names()
    assert len(names) >= 4, names
    for name in names:
        case = load_case(name)
        assert "illustratief" in case.bron.lower(), name
        assert "seed" in case.bron.lower(), name
        fw = framework.kader(case)
        assert fw.plafond >= fw.lumpsum > 0


def test_cases_lists_every_bundled_case_from_any_directory():
    result = _run("cases")
    assert result.returncode == 0, result.stderr
    for name in bundled_case_names():
        assert name in result.stdout


def test_validate_prints_a_b_c_in_dutch_notation():
    result = _run("validate", "maastricht-heuvelland-2022")
    assert result.returncode == 0, result.stderr
    fw = framework.kader(load_case("maastricht-heuvelland-2022"))
    for amount in (fw.plafond, fw.lumpsum, fw.overige_uitgaven):
        assert euro(amount) in result.stdout
    for partner in ("levanto", "summa", "vvg", "radar", "sgl"):
        assert partner in result.stdout


def test_validate_json_is_only_json_and_matches_the_framework(capsys):
    assert main(["validate", "maastricht-heuvelland-2022", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    fw = framework.kader(load_case("maastricht-heuvelland-2022"))
    assert out == fw.to_dict()
    assert sum(out["lumpsum_per_aanbieder"].values()) == pytest.approx(out["lumpsum"], abs=0.005)
    # A = B + R + C (R: reeds betaald, deducted from the lumpsum but spent within A)
    deel = out["lumpsum"] + out["reeds_betaald"] + out["overige_uitgaven"]
    assert out["plafond"] == pytest.approx(deel, abs=0.005)


def test_usage_error_is_exit_2():
    result = _run("validate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_output_into_a_missing_folder_is_one_line_exit_2(tmp_path, capsys):
    target = tmp_path / "bestaat-niet" / "sjabloon.xlsx"
    assert main(["template", str(target)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "map bestaat niet" in err
    assert not target.parent.exists()


def test_import_plafond_is_the_public_face():
    import plafond.optimize as optimize

    import plafond

    case = plafond.load_case("maastricht-heuvelland-2022")
    assert plafond.allocate is optimize.allocate
    result = plafond.simulate(case, n=2**10, seed=3)
    assert result.plafond == pytest.approx(framework.kader(case).plafond)
    with pytest.raises(AttributeError):
        _ = plafond.bestaat_niet


def test_parser_constants_agree_with_the_packages():
    # The command line keeps copies so that `plafond --help` imports neither scipy nor Pyomo.
    import plafond.montecarlo as montecarlo
    import plafond.optimize as optimize

    from plafond.commands import _common
    from plafond.commands import optimize as optimize_command

    assert _common.SCENARIOS == montecarlo.STANDAARD_N
    assert tuple(_common.METHODES) == tuple(montecarlo.METHODES)
    assert tuple(d.value for d in optimize.Doel) == optimize_command.DOELEN


def test_validate_does_not_import_the_solver_or_scipy():
    code = (
        "import sys; from plafond.cli import main; main(['validate', "
        "'maastricht-heuvelland-2022', '--json']);"
        "print(sorted(m for m in ('pyomo', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, encoding="utf-8")
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_written_files_get_the_usual_permissions(tmp_path):
    import os

    from plafond.cases.files import atomic_write

    old = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "rapport.txt", lambda p: p.write_text("x"))
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_usage_errors_are_one_dutch_line():
    result = _run("simulate", "maastricht-heuvelland-2022", "--methode", "foo")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ongeldige keuze" in lines[0] and "'sobol'" in lines[0]
