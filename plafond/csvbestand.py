"""CSV files: for a Dutch Excel by default, or plain for scripts (``--csv-formaat machine``).

A Dutch Excel opens a CSV by double-click only when it is written the way its locale reads:
``;`` between fields, a decimal comma, UTF-8 with a byte-order mark (otherwise "€" and "ë"
arrive garbled), money rounded to the cent. The machine format is what pandas and every
script expects: ``,`` and a decimal point, UTF-8 without BOM, full precision.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from plafond.cases.files import safe_cell

FORMATEN = ("excel", "machine")


def add_csv_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--csv-formaat excel|machine`` (only used when -o is a .csv)."""
    parser.add_argument(
        "--csv-formaat",
        choices=FORMATEN,
        default="excel",
        help="bij -o F.csv: excel (; en decimale komma, voor Nederlandse Excel) "
        "of machine (, en decimale punt, voor scripts)",
    )


def schrijf_csv(
    frame: pd.DataFrame, pad: Path, *, formaat: str = "excel", geld: Iterable[str] = ()
) -> None:
    """Write ``frame`` (its index not included) to ``pad`` as CSV.

    Parameters
    ----------
    frame
        The table; text cells pass through :func:`cases.files.safe_cell` (no formulas).
    pad
        The file (wrap the call in :func:`cases.files.atomic_write`).
    formaat
        ``"excel"`` (``;``, decimal comma, UTF-8 with BOM, the columns ``geld`` rounded to
        the cent) or ``"machine"`` (``,``, decimal point, UTF-8, full precision).
    geld
        Columns in euro.
    """
    frame = frame.copy()
    for kolom in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[kolom]):  # object or str dtype
            frame[kolom] = frame[kolom].map(lambda v: safe_cell(v) if isinstance(v, str) else v)
    if formaat == "machine":
        frame.to_csv(pad, index=False, encoding="utf-8")
        return
    for kolom in geld:
        if kolom in frame.columns:
            frame[kolom] = frame[kolom].astype(float).round(2)
    frame.to_csv(pad, index=False, sep=";", decimal=",", encoding="utf-8-sig")
