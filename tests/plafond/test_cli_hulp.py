"""The command line for a new user: help in Dutch, a version, and text on any locale."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from plafond import __version__
from plafond.cli import COMMANDS, build_parser, main

#: argparse's English, which must not reach the user.
ENGELS = ("usage:", "show this help", "options:", "positional arguments", "optional arguments")


def test_no_arguments_prints_short_help_and_exits_0(capsys):
    assert main([]) == 0
    uit = capsys.readouterr()
    assert uit.err == ""
    for naam in COMMANDS:
        assert f"\n    {naam} " in uit.out
    assert uit.out.startswith("gebruik: plafond") and "plafond OPDRACHT --help" in uit.out


@pytest.mark.parametrize("opdracht", [[], *([c] for c in COMMANDS)])
def test_every_help_is_dutch(opdracht, capsys):
    with pytest.raises(SystemExit) as exc:
        main([*opdracht, "--help"])
    assert exc.value.code == 0
    uit = capsys.readouterr().out
    assert uit.startswith("gebruik: ") and "toon deze hulp en stop" in uit
    for woord in ENGELS:
        assert woord not in uit.lower(), woord


def test_every_option_has_a_dutch_help_text():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for naam, p in sub.choices.items():
        for actie in p._actions:
            assert actie.help, (naam, actie.dest)
            assert "the " not in actie.help.lower() and "show " not in actie.help.lower()


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"plafond {__version__}"


def test_output_under_a_c_locale_without_utf8_mode():
    """A C locale with PYTHONUTF8=0 makes stdout ASCII: "€" failed there before.

    The output there is byte for byte the output in a UTF-8 locale.
    """

    def _validate(**extra: str) -> subprocess.CompletedProcess:
        env = {**os.environ, **extra}
        env.pop("PYTHONIOENCODING", None)
        return subprocess.run(
            [sys.executable, "-m", "plafond.cli", "validate", "maastricht-heuvelland-2022"],
            capture_output=True,
            env=env,
            timeout=60,
        )

    r = _validate(PYTHONUTF8="0", LC_ALL="C", LANG="C")
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert "€ " in r.stdout.decode("utf-8")
    assert r.stdout == _validate(PYTHONUTF8="1", LC_ALL="C.UTF-8", LANG="C.UTF-8").stdout
