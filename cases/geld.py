"""Money for display and JSON: to the cent, and parts that add up to their total.

Computation keeps floats (euro); only what is shown or written is rounded here. The rule
(documented in cases/README.md): a total is rounded to the cent; its parts are rounded by
the largest-remainder method, so the rounded parts add up to the rounded total exactly —
each part is its value rounded down or up to the cent, and the cents still missing go to
the parts with the largest remainders (ties: the first part). A difference (C = A − B) is
taken from the rounded figures.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np


def centen(x: float) -> float:
    """``x`` euro rounded to the cent (no -0.0): ``centen(1234.5600000001) == 1234.56``."""
    return round(float(x), 2) + 0.0


def verdeel_centen(delen: Sequence[float] | np.ndarray, totaal: float | None = None) -> np.ndarray:
    """Round ``delen`` (euro) to cents that add up to ``totaal`` rounded to the cent.

    Parameters
    ----------
    delen
        The parts, euro (any sign).
    totaal
        The total they must foot to, euro; None: their own sum.

    Returns
    -------
    ndarray
        The parts in euro, each a whole number of cents, summing to ``centen(totaal)``.
    """
    c = np.round(np.asarray(delen, dtype=float) * 100.0, 6)  # 0.29 * 100 is 28.999...
    if c.size == 0:
        return c
    doel = round(centen(float(np.sum(c) / 100.0) if totaal is None else totaal) * 100)
    onder = np.floor(c)
    rest = c - onder
    tekort = int(doel - onder.sum())
    volgorde = np.argsort(-rest, kind="stable") if tekort >= 0 else np.argsort(rest, kind="stable")
    stap = 1.0 if tekort >= 0 else -1.0
    erbij = np.zeros_like(c)
    heel, over = divmod(abs(tekort), c.size)
    erbij += stap * heel
    erbij[volgorde[:over]] += stap
    return (onder + erbij) / 100.0 + 0.0


def rond_geld(data: Any, sleutels: Collection[str], *, overslaan: Collection[str] = ()) -> Any:
    """Plain data with every number under a key in ``sleutels`` rounded to the cent.

    A key in ``sleutels`` rounds all numbers below it (a mapping per aanbieder, a list of
    bounds); other mappings and lists are searched further, except keys in ``overslaan``.
    """
    if isinstance(data, Mapping):
        return {
            k: (
                v
                if k in overslaan
                else _alles(v)
                if k in sleutels
                else rond_geld(v, sleutels, overslaan=overslaan)
            )
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [rond_geld(v, sleutels, overslaan=overslaan) for v in data]
    return data


def _alles(v: Any) -> Any:
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int | float | np.floating | np.integer):
        return centen(float(v)) if np.isfinite(v) else v
    if isinstance(v, Mapping):
        return {k: _alles(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_alles(x) for x in v]
    return v
