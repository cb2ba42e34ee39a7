"""Numbers as a Dutch reader expects them: € 1.441.196,25 and 7,5 %."""

from __future__ import annotations

import math


def getal(x: float, decimalen: int = 2) -> str:
    """Format a number with Dutch separators: 1.441.196,25."""
    if not math.isfinite(x):
        return "–"
    text = f"{x:,.{decimalen}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def euro(x: float, decimalen: int = 2) -> str:
    """Format euros in Dutch notation: ``euro(1441196.25) == '€ 1.441.196,25'``."""
    if x < 0:
        return "-€ " + getal(-x, decimalen)
    return "€ " + getal(x, decimalen)


def procent(x: float, decimalen: int = 1) -> str:
    """Format a fraction as a Dutch percentage: ``procent(0.075) == '7,5 %'``."""
    return getal(100 * x, decimalen) + " %"


def tabel(headers: list[str], rows: list[list[str]], rechts: set[int] | None = None) -> str:
    """A plain-text table for the terminal; columns in ``rechts`` (by index) align right.

    By default every column but the first aligns right (labels left, numbers right).
    """
    rechts = set(range(1, len(headers))) if rechts is None else rechts
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            str(c).rjust(w) if i in rechts else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
