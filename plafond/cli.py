"""The `plafond` command: one subcommand per module in :mod:`plafond.commands`.

Exit codes: 0 done; 2 the input is wrong (one line on stderr); 3 the problem has no
solution (the explanation on stderr); 1 anything else (a bug: the traceback is shown).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from plafond.cases import CaseError

#: Subcommands, in the order `plafond --help` lists them (modules in plafond/commands/).
COMMANDS = [
    "cases",
    "validate",
    "template",
    "optimize",
    "simulate",
    "frontier",
    "regel",
    "sweep",
    "report",
]

EXIT_OK, EXIT_BUG, EXIT_INPUT, EXIT_INFEASIBLE = 0, 1, 2, 3


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or EXIT_OK)
    except CaseError as exc:
        sys.stderr.write(f"fout: {exc}\n")
        return EXIT_INPUT
    except BrokenPipeError:  # e.g. `plafond ... --json | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except OSError as exc:  # an output file that cannot be written: a bad -o path
        sys.stderr.write(f"fout: {exc.filename or ''}: kan niet schrijven: {exc.strerror}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("afgebroken\n")
        return 130
    except Exception as exc:
        optimize = sys.modules.get("plafond.optimize")  # only a run that imported it can fail so
        if optimize is not None and isinstance(exc, optimize.NoFeasibleAllocation):
            sys.stderr.write(f"geen oplossing: {exc}\n")
            return EXIT_INFEASIBLE
        raise


if __name__ == "__main__":
    sys.exit(main())
