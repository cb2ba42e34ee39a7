"""The promise to a user with a bad case, as one assertion shared by the corpus and the properties.

Every command on every input ends with exit 0, 2 or 3 (130 when interrupted); on 2 exactly
one line on stderr, starting ``fout:``; never a traceback; no output file left when the
command fails; ``--json`` output is valid JSON (no NaN); and ``validate`` accepts nothing
that ``optimize``, ``simulate`` or ``report`` then refuses with 2.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from plafond.cli import main


def draai(argv: Sequence[str]) -> tuple[int, str, str]:
    """Run ``plafond argv`` in-process; (exit code, stdout, stderr). A bug fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        except Exception:  # exit 1: a bug, which the promise excludes
            raise AssertionError(
                f"plafond {' '.join(argv)} gaf een traceback:\n{traceback.format_exc()}"
            ) from None
    return code, out.getvalue(), err.getvalue()


def _geen_nan(text: str) -> Any:
    def weiger(constant: str) -> None:
        raise AssertionError(f"ongeldige JSON: {constant}")

    return json.loads(text, parse_constant=weiger)


def belofte(argv: Sequence[str], uitvoer: Path | None = None) -> tuple[int, str, str]:
    """Run a command and assert the promise (module docstring); returns what it gave."""
    code, out, err = draai(argv)
    assert code in (0, 2, 3), (argv, code, err)
    assert "Traceback" not in err, err
    if code == 2:
        assert out == "", f"stdout bij exit 2: {out[:200]!r}"
        regels = err.strip().splitlines()
        assert len(regels) == 1 and regels[0].startswith("fout: "), (argv, err)
    if code != 0 and uitvoer is not None:
        assert not uitvoer.exists(), f"{uitvoer} bleef achter na exit {code}"
        assert not list(uitvoer.parent.glob(f".{uitvoer.name}.*")), "tijdelijk bestand bleef achter"
    if code == 0 and "--json" in argv:
        _geen_nan(out)
    return code, out, err


def schrijf_case(data: Any, pad: Path) -> Path:
    """Write plain data (or raw text or bytes) as a case file."""
    if isinstance(data, bytes):
        pad.write_bytes(data)
    elif isinstance(data, str):
        pad.write_text(data, encoding="utf-8")
    else:
        pad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return pad


def volledig(pad: Path, tmp: Path, *, report: bool = False) -> int:
    """``validate`` a case; when it passes, every later command must accept it too.

    Returns the exit code of validate.
    """
    code, _, _ = belofte(["validate", str(pad)])
    if code != 0:
        code_json, _, _ = belofte(["validate", str(pad), "--json"])
        assert code_json == code
        return code
    belofte(["validate", str(pad), "--json"])
    uit = tmp / "verdeling.json"
    code_o, _, err = belofte(["optimize", str(pad), "--json", "-o", str(uit)], uit)
    assert code_o in (0, 3), f"validate nam aan wat optimize weigert: {err}"
    code_s, out, err = belofte(["simulate", str(pad), "-n", "256", "--seed", "1", "--json"])
    assert code_s == 0, f"validate nam aan wat simulate weigert: {err}"
    assert _geen_nan(out)["scenarios"] == 256
    if report:
        rapport = tmp / "rapport.xlsx"
        code_r, _, err = belofte(
            ["report", str(pad), "-n", "256", "--seed", "1", "--quiet", "-o", str(rapport)],
            rapport,
        )
        assert code_r in (0, 3), f"validate nam aan wat report weigert: {err}"
    return code


def zet(data: dict, pad: Sequence[Any], waarde: Any) -> dict:
    """A deep copy of ``data`` with the leaf at ``pad`` set to ``waarde`` (mappings made)."""
    nieuw = copy.deepcopy(data)
    node: Any = nieuw
    for deel in pad[:-1]:
        node = node.setdefault(deel, {}) if isinstance(node, dict) else node[deel]
    node[pad[-1]] = waarde
    return nieuw
