"""Pieces every subcommand shares: the CASE argument, JSON on stdout, output files."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plafond.cases import Case, CaseError, load_case
from plafond.fmt import procent

#: As montecarlo.STANDAARD_N and montecarlo.METHODES (a test checks they agree); kept here
#: so that building the parser does not import scipy and every command starts quickly.
SCENARIOS = 2**17
METHODES = ("mc", "sobol", "lhs")
#: Most scenarios of one run: the run keeps one float (8 bytes) per scenario and pot, so
#: 2^26 scenarios hold 512 MB per pot.
MAX_SCENARIOS = 2**26


def add_case_argument(parser: argparse.ArgumentParser) -> None:
    """Add the positional CASE: a .yaml/.yml/.xlsx path or the name of a bundled case."""
    parser.add_argument(
        "case", metavar="CASE", help="pad naar .yaml/.yml/.xlsx of naam van een meegeleverde case"
    )


def load_case_from_args(args: argparse.Namespace) -> Case:
    """Load the case named by ``args.case`` (raises CaseError on bad input)."""
    return load_case(args.case)


def json_veilig(obj: Any) -> Any:
    """``obj`` with every NaN or infinite float as None: valid JSON (``null``).

    A figure that is undefined (the share of a lumpsum of 0, a standard error from one
    scenario) is written as ``null``, never as ``NaN``.
    """
    if isinstance(obj, dict):
        return {k: json_veilig(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_veilig(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def json_tekst(obj: Any) -> str:
    """``obj`` as indented JSON text (:func:`json_veilig`), with a final newline."""
    return json.dumps(json_veilig(obj), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout, and nothing else."""
    sys.stdout.write(json_tekst(obj))


def check_output_suffix(path: str, allowed: tuple[str, ...]) -> Path:
    """The output path, if its suffix is one of ``allowed`` (e.g. ('.xlsx', '.csv'))."""
    out = Path(path)
    if out.suffix.lower() not in allowed:
        raise CaseError(
            path, "", f"onbekend uitvoertype {out.suffix!r}; toegestaan: {', '.join(allowed)}"
        )
    return out


class Balk:
    """A one-line progress bar on stderr: ``Balk("simuleren")(done, total)``."""

    def __init__(self, label: str = "simuleren") -> None:
        self.label = label
        self.start = time.perf_counter()

    def __call__(self, gedaan: int, totaal: int) -> None:
        deel = gedaan / totaal
        vol = int(30 * deel)
        sys.stderr.write(
            f"\r{self.label} [{'#' * vol}{'.' * (30 - vol)}] {procent(deel, 0):>6} "
            f"{time.perf_counter() - self.start:5.1f} s"
        )
        if gedaan >= totaal:
            sys.stderr.write("\n")
        sys.stderr.flush()


def aantal_scenarios(tekst: str) -> int:
    """``-n``: a whole number of scenario's from 1 to :data:`MAX_SCENARIOS` (argparse type)."""
    try:
        n = int(tekst)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"het aantal scenario's moet een geheel getal zijn, niet {tekst!r}"
        ) from None
    if not 1 <= n <= MAX_SCENARIOS:
        grens = f"{MAX_SCENARIOS:,}".replace(",", ".")
        raise argparse.ArgumentTypeError(
            f"het aantal scenario's moet van 1 tot en met {grens} (2^26) zijn, niet {n}"
        )
    return n


def add_simulatie_arguments(parser: argparse.ArgumentParser) -> None:
    """Add -n, --seed and --methode (shared by simulate and report)."""
    parser.add_argument(
        "-n",
        type=aantal_scenarios,
        default=SCENARIOS,
        help="aantal scenario's (standaard 2^17, hoogstens 2^26)",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed (geheel getal >= 0)")
    parser.add_argument("--methode", choices=METHODES, default="mc", help="steekproef")


@contextlib.contextmanager
def simulatie_meldingen(bron: str) -> Iterator[None]:
    """Run a simulation for the command line.

    Its warnings (e.g. Sobol off a power of two) go to stderr, one line each; a ValueError
    about the arguments (n, seed, kans) becomes a CaseError, so exit 2 with one line.
    """
    with warnings.catch_warnings(record=True) as gevangen:
        warnings.simplefilter("always", UserWarning)
        try:
            yield
        except CaseError:
            raise
        except ValueError as exc:
            raise CaseError(bron, "", str(exc)) from None
        finally:
            for w in gevangen:
                sys.stderr.write(f"waarschuwing: {w.message}\n")
