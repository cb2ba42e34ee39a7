"""The console entry point: Ctrl-C while Python loads plafond ends with 130, not a traceback.

``pip`` writes a ``plafond`` script that imports this module and calls :func:`main`. It
imports nothing heavy itself (``plafond/__init__`` loads its names on first use), so an
interrupt during the import of numpy, pandas or pydantic is caught here — also when the
library turns the interrupt into an error of its own (numpy re-raises any exception during
its import as an ImportError): what counts is that SIGINT arrived. From then on
:func:`plafond.cli.main` handles interrupts (exit 130, no output file).
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

#: Exit code of an interrupted run (as in :mod:`plafond.cli`).
ONDERBROKEN = 130


def main() -> int:
    """Load the command line and run it; 130 with one line when interrupted while loading."""
    ontvangen = False

    def bij_sigint(signum: int, frame: FrameType | None) -> None:
        nonlocal ontvangen
        ontvangen = True
        raise KeyboardInterrupt

    vorige = signal.signal(signal.SIGINT, bij_sigint)
    try:
        from plafond.cli import main as opdracht
    except BaseException:
        if ontvangen:
            sys.stderr.write("afgebroken\n")
            return ONDERBROKEN
        raise
    finally:
        signal.signal(signal.SIGINT, vorige)
    try:
        if ontvangen:  # arrived after the import, before the command line took over
            raise KeyboardInterrupt
        return opdracht()
    except KeyboardInterrupt:  # in the instant before plafond.cli installs its own handler
        sys.stderr.write("afgebroken\n")
        return ONDERBROKEN


if __name__ == "__main__":
    sys.exit(main())
