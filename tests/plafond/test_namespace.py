"""One import namespace: a user's own folders cases/, optimize/, montecarlo/ never shadow ours.

The repository keeps cases/, optimize/ and montecarlo/ at its top, but they install as
plafond.cases, plafond.optimize and plafond.montecarlo. Checked from a folder that holds
decoy sub-folders of those names (with YAML files inside), with the editable install the
tests run under and with a regular (non-editable) install into a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERIC = ("cases", "optimize", "montecarlo")

#: Every command that takes a case, short runs, each with `--json` where it exists.
COMMANDS = (
    ["cases"],
    ["validate", "zaanstad", "--json"],
    ["optimize", "zaanstad", "--json"],
    ["simulate", "zaanstad", "-n", "256", "--seed", "1", "--json"],
)


def _decoy_folder(tmp_path: Path) -> Path:
    work = tmp_path / "werkmap"
    for name in GENERIC:
        (work / name).mkdir(parents=True)
        (work / name / "mijn-case.yaml").write_text("naam: eigen\n", encoding="utf-8")
        # a folder that *would* import as a package if it were first on the path
        (work / name / "__init__.py").write_text("raise ImportError('decoy')\n", encoding="utf-8")
    return work


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import sys; from plafond.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=300,
    )


def _check_everything(cwd: Path, env: dict[str, str]) -> None:
    probe = "import plafond, plafond.cases, plafond.optimize, plafond.montecarlo; print('ok')"
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=cwd, env=env, capture_output=True, encoding="utf-8"
    )
    assert proc.returncode == 0, proc.stderr
    for args in COMMANDS:
        proc = _run(args, cwd, env)
        assert proc.returncode == 0, (args, proc.stderr)
        if "--json" in args:
            json.loads(proc.stdout)
    out = cwd / "r.html"
    proc = _run(["report", "zaanstad", "-n", "256", "--seed", "1", "-o", str(out)], cwd, env)
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0


def test_no_generic_top_level_package_is_installed(tmp_path: Path):
    """From an empty folder, none of the generic names can be imported; ours can."""
    probe = (
        "import importlib.util as u, plafond.cases as c; "
        f"print([u.find_spec(n) is None for n in {GENERIC!r}], c.__name__)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, encoding="utf-8"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["[True,", "True,", "True]", "plafond.cases"]


def test_editable_install_works_beside_decoy_folders(tmp_path: Path):
    work = _decoy_folder(tmp_path)
    _check_everything(work, dict(os.environ))


def test_regular_install_works_beside_decoy_folders(tmp_path: Path):
    target = tmp_path / "site"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        capture_output=True,
        encoding="utf-8",
        timeout=600,
    )
    assert build.returncode == 0, build.stderr
    for name in GENERIC:
        assert not (target / name).exists(), f"{name}/ installed at top level"
    assert (target / "plafond" / "cases" / "data" / "zaanstad.yaml").is_file()
    work = _decoy_folder(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(target), PYTHONNOUSERSITE="1")
    proc = subprocess.run(
        [sys.executable, "-c", "import plafond; print(plafond.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        encoding="utf-8",
    )
    assert proc.stdout.strip().startswith(str(target)), proc.stdout + proc.stderr
    _check_everything(work, env)
