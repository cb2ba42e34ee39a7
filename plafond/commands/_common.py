"""Pieces every subcommand shares: the CASE argument, JSON on stdout, output files."""

from __future__ import annotations

import argparse
import contextlib
import json
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


def add_case_argument(parser: argparse.ArgumentParser) -> None:
    """Add the positional CASE: a .yaml/.yml/.xlsx path or the name of a bundled case."""
    parser.add_argument(
        "case", metavar="CASE", help="pad naar .yaml/.yml/.xlsx of naam van een meegeleverde case"
    )


def load_case_from_args(args: argparse.Namespace) -> Case:
    """Load the case named by ``args.case`` (raises CaseError on bad input)."""
    return load_case(args.case)


def print_json(obj: Any) -> None:
    """Print ``obj`` as JSON on stdout, and nothing else."""
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


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


def add_simulatie_arguments(parser: argparse.ArgumentParser) -> None:
    """Add -n, --seed and --methode (shared by simulate and report)."""
    parser.add_argument(
        "-n", type=int, default=SCENARIOS, help="aantal scenario's (standaard 2^17)"
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
