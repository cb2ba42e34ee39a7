"""Numbers as people type them in the Netherlands: ``0,10``, ``7,5%``, ``€ 1.234,56``.

One reader, :func:`lees_getal`, serves the command line (``--kans 0,10``) and the Excel
reader (a text cell ``7,5%`` in a number column). YAML keeps its own numbers: there a
quoted ``"0,0387"`` is refused with the hint to write 0.0387 (:mod:`cases.errors`).
"""

from __future__ import annotations

import re

#: An optional euro sign, a sign, digits with optional thousands dots, an optional decimal
#: comma, an optional percent sign; or a plain number with a decimal point.
_NL = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
_PUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def lees_getal(tekst: str) -> float | None:
    """The number in ``tekst``, or None when it is not one.

    A comma is the decimal sign (dots before it group thousands: ``1.234,5``); without a
    comma a dot is the decimal sign (``0.10``), as Python writes it. A trailing ``%``
    divides by 100; a leading ``€`` and spaces (also non-breaking) are ignored.

    Examples
    --------
    >>> lees_getal("0,10"), lees_getal("7,5 %"), lees_getal("€ 1.234,56"), lees_getal("0.2")
    (0.1, 0.075, 1234.56, 0.2)
    """
    t = tekst.strip().replace("\u00a0", " ").replace("\u202f", " ")
    t = t.removeprefix("€").strip()
    procent = t.endswith("%")
    t = t.removesuffix("%").replace(" ", "")
    if _NL.fullmatch(t) and ("," in t or "." not in t):
        waarde = float(t.replace(".", "").replace(",", "."))
    elif _PUNT.fullmatch(t):
        waarde = float(t)
    else:
        return None
    return waarde / 100 if procent else waarde


def getal_argument(tekst: str) -> float:
    """An argparse ``type``: a number in Dutch or Python notation (``0,10``, ``0.10``, ``10%``).

    Raises
    ------
    ValueError
        Not a number (argparse turns it into a one-line usage error).
    """
    waarde = lees_getal(tekst)
    if waarde is None:
        raise ValueError(tekst)
    return waarde


getal_argument.__name__ = "getal"  # argparse names the type in its message: "geen getal"
