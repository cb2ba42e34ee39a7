"""The `plafond` command: one subcommand per module in :mod:`plafond.commands`.

Exit codes: 0 done; 2 the input is wrong (one line on stderr); 3 the problem has no
solution (the explanation on stderr); 130 interrupted (Ctrl-C; no output file); 1 anything
else (a bug: the traceback is shown).
"""

from __future__ import annotations

import argparse
import contextlib
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
COMMANDS = [
    "cases",
    "validate",
    "template",
    "optimize",
    "simulate",
    "vergelijk",
    "prognose",
    "frontier",
    "regel",
    "sweep",
    "report",
]

EXIT_OK, EXIT_BUG, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class _Opmaak(argparse.HelpFormatter):
    """argparse's help layout, with the commands' help beside even the longest name.

    argparse measures the commands at the indent of ``OPDRACHT`` but prints them one step
    further in, so a name as long as ``vergelijk`` had its help pushed to the next line.
    """

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            for sub in self._iter_indented_subactions(action):
                lengte = len(self._format_action_invocation(sub)) + self._current_indent
                self._action_max_length = max(self._action_max_length, lengte + 2)


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch help, exit code 2 and a single line for usage errors."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _Opmaak)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def format_usage(self) -> str:
        return _nederlands(super().format_usage())

    def format_help(self) -> str:
        return _nederlands(super().format_help())

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
    ("invalid getal value", "geen getal"),
    ("unrecognized arguments", "onbekende argumenten"),
    ("expected one argument", "verwacht een waarde"),
)


#: argparse's own words in its help text (Python 3.10+ says "options", 3.9 "optional
#: arguments").
_HULP = (
    ("usage: ", "gebruik: "),
    ("positional arguments:", "argumenten:"),
    ("optional arguments:", "opties:"),
    ("options:", "opties:"),
    ("show program's version number and exit", "toon het versienummer en stop"),
)


def _nederlands(tekst: str) -> str:
    for engels, nederlands in _HULP:
        tekst = tekst.replace(engels, nederlands)
    return tekst


def _utf8_uitvoer() -> None:
    """Write stdout and stderr as UTF-8 when their encoding cannot hold our text.

    Under a C/POSIX locale with ``PYTHONUTF8=0`` (or a Windows pipe in cp1252, which lacks
    "−") printing "€" or "−" would fail; UTF-8 is what every current terminal and editor
    reads.
    """
    for stroom in (sys.stdout, sys.stderr):
        codering = getattr(stroom, "encoding", None) or "ascii"
        try:
            "€ − ≥ ë".encode(codering)
        except (UnicodeEncodeError, LookupError):
            with contextlib.suppress(AttributeError, ValueError):
                stroom.reconfigure(encoding="utf-8")  # type: ignore[union-attr]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from plafond import __version__

    parser = _Parser(
        prog="plafond",
        description="Wmo-budgetten: kader, verdeling en risico.",
        epilog="Hulp bij een opdracht: plafond OPDRACHT --help",
    )
    parser.add_argument("--version", action="version", version=f"plafond {__version__}")
    sub = parser.add_subparsers(
        dest="command", title="opdrachten", metavar="OPDRACHT", parser_class=_Parser
    )
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
    """Run the command line; returns the exit code (no command: the short help, 0).

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
    _utf8_uitvoer()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # no command: the short help
        sys.stdout.write(parser.format_help())
        return EXIT_OK
    with uitgestelde_schrijfacties(), warnings.catch_warnings(record=True) as gevangen:
        warnings.simplefilter("always", UserWarning)
        try:
            code = int(args.run(args) or EXIT_OK)
            _vastleggen(onderbreking)
        except CaseError as exc:
            sys.stderr.write(f"fout: {exc}\n")
            return EXIT_INPUT
        except BrokenPipeError:  # e.g. `plafond ... --json | head`
            sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - at exit
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
