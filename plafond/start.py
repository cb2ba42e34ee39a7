"""The console entry point: Ctrl-C while Python loads plafond ends with 130, not a traceback.

``pip`` writes a ``plafond`` script that imports this module and calls :func:`main`. It
imports nothing heavy itself (``plafond/__init__`` loads its names on first use), so an
interrupt during the import of numpy, pandas or pydantic is caught here; from then on
:func:`plafond.cli.main` handles interrupts (exit 130, no output file).
"""

from __future__ import annotations

import sys

#: Exit code of an interrupted run (as in :mod:`plafond.cli`).
ONDERBROKEN = 130


def main() -> int:
    """Load the command line and run it; 130 with one line when interrupted while loading."""
    try:
        from plafond.cli import main as opdracht
    except KeyboardInterrupt:
        sys.stderr.write("afgebroken\n")
        return ONDERBROKEN
    return opdracht()


if __name__ == "__main__":
    sys.exit(main())
