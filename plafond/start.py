"""The console entry point: Ctrl-C while Python loads plafond ends with 130, not a traceback.

``pip`` writes a ``plafond`` script that imports this module and calls :func:`main`. It
imports nothing heavy itself (``plafond/__init__`` loads its names on first use). While
numpy, pandas and pydantic load, SIGINT writes one line and ends the process at once with
130: nothing has been written yet, so there is nothing to clean up, and raising
``KeyboardInterrupt`` there is not safe (it can land in one of importlib's own callbacks,
where Python prints "Exception ignored" with a traceback and carries on, or numpy turns it
into an ImportError). From then on :func:`plafond.cli.main` handles interrupts (exit 130,
no output file).
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

#: Exit code of an interrupted run (as in :mod:`plafond.cli`).
ONDERBROKEN = 130


def _afgebroken_tijdens_laden(signum: int, frame: FrameType | None) -> None:
    """SIGINT while plafond loads: one line, exit 130 now (module docstring: why at once)."""
    sys.stderr.write("afgebroken\n")
    sys.stderr.flush()
    os._exit(ONDERBROKEN)


def main() -> int:
    """Load the command line and run it; 130 with one line when interrupted while loading."""
    vorige = signal.signal(signal.SIGINT, _afgebroken_tijdens_laden)
    try:
        from plafond.cli import main as opdracht
    finally:
        signal.signal(signal.SIGINT, vorige)
    try:
        return opdracht()
    except KeyboardInterrupt:  # in the instant before plafond.cli handles interrupts itself
        sys.stderr.write("afgebroken\n")
        return ONDERBROKEN


if __name__ == "__main__":
    sys.exit(main())
