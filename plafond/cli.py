"""The `plafond` command: one subcommand per module in :mod:`plafond.commands`.

Exit codes: 0 done; 2 the input is wrong (one line on stderr); 3 the problem has no
solution (the explanation on stderr); 130 interrupted (Ctrl-C; no output file); 1 anything
else (a bug: the traceback is shown).
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import warnings
from collections.abc import Sequence
from typing import Any

from plafond.cases import CaseError
from plafond.cases.files import uitgestelde_schrijfacties, vastleggen

#: Subcommands, in the order `plafond --help` lists them (modules in plafond/commands/).
COMMANDS = ["cases", "validate", "template", "optimize", "simulate", "report"]

EXIT_OK, EXIT_BUG, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a single line for usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for engels, nederlands in _VERTALING:
            message = message.replace(engels, nederlands)
        sys.stderr.write(f"fout: {self.prog}: {message}\n")
        raise SystemExit(EXIT_INPUT)


#: argparse's usage errors in the users' language (fragments, replaced in order).
_VERTALING = (
    ("the following arguments are required", "verplicht maar niet gegeven"),
    ("invalid choice", "ongeldige keuze"),
    ("(choose from", "(kies uit"),
    ("invalid int value", "geen geheel getal"),
    ("invalid float value", "geen getal"),
    ("unrecognized arguments", "onbekende argumenten"),
    ("expected one argument", "verwacht een waarde"),
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from plafond import __version__

    parser = _Parser(prog="plafond", description="Wmo-budgetten: kader, verdeling en risico.")
    parser.add_argument("--version", action="version", version=f"plafond {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"plafond.commands.{name}").add_parser(sub)
    return parser


class _Onderbreking:
    """SIGINT (Ctrl-C) for one run: remembered, and raised as KeyboardInterrupt until the commit.

    Remembering it means an interrupt that some library swallows still ends the run with
    130 and no output; during the commit of the output files it is only remembered, so the
    files are either all renamed or none.
    """

    def __init__(self) -> None:
        self.gezien = False
        self.vastleggen = False
        self._vorige: Any = None

    def __call__(self, signum: int, frame: Any) -> None:
        self.gezien = True
        if not self.vastleggen:
            raise KeyboardInterrupt

    def __enter__(self) -> _Onderbreking:
        if threading.current_thread() is threading.main_thread():
            self._vorige = signal.signal(signal.SIGINT, self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._vorige is not None:
            signal.signal(signal.SIGINT, self._vorige)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Output files are written atomically and renamed only when the command has succeeded
    and was not interrupted; warnings (e.g. a text cut at Excel's cell limit) go to stderr,
    one line each, after a successful run.
    """
    with _Onderbreking() as onderbreking:
        try:
            return _run(argv, onderbreking)
        except KeyboardInterrupt:
            sys.stderr.write("afgebroken\n")
            return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None, onderbreking: _Onderbreking) -> int:
    args = build_parser().parse_args(argv)
    with uitgestelde_schrijfacties(), warnings.catch_warnings(record=True) as gevangen:
        warnings.simplefilter("always", UserWarning)
        try:
            code = int(args.run(args) or EXIT_OK)
            _vastleggen(onderbreking)
        except CaseError as exc:
            sys.stderr.write(f"fout: {exc}\n")
            return EXIT_INPUT
        except BrokenPipeError:  # e.g. `plafond ... --json | head`
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            _vastleggen(onderbreking)
            return EXIT_OK
        except OSError as exc:  # e.g. a full disk; the message names the file
            sys.stderr.write(f"fout: {exc.filename or ''}: {exc.strerror or exc}\n")
            return EXIT_INPUT
        except Exception as exc:
            optimize = sys.modules.get("plafond.optimize")  # only a run that imported it
            if optimize is not None and isinstance(exc, optimize.NoFeasibleAllocation):
                sys.stderr.write(f"geen oplossing: {exc}\n")
                return EXIT_INFEASIBLE
            raise
    for melding in dict.fromkeys(str(w.message) for w in gevangen):
        sys.stderr.write(f"waarschuwing: {melding}\n")
    return code


def _vastleggen(onderbreking: _Onderbreking) -> None:
    """Commit the run's output files, unless an interrupt was seen (then raise it)."""
    onderbreking.vastleggen = True
    try:
        if onderbreking.gezien:
            raise KeyboardInterrupt
        vastleggen()
    finally:
        onderbreking.vastleggen = False


if __name__ == "__main__":
    sys.exit(main())
