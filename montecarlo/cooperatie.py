"""Cooperaties: several partners (leden) as one contract partner of the risk rule.

The engine's partner axis stays the leden; the rule groups them (``Regel.groep``,
:mod:`montecarlo.risicodeling`): it acts on the cooperative, whose terugvordering is
split over its leden by its key. :func:`groepen` builds those arrays from a case,
:func:`tabel` the per-cooperative figures of a result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

if TYPE_CHECKING:
    from plafond.cases import Case


def groepen(
    case: Case, partners: list[str], lumpsum: NDArray[np.float64]
) -> tuple[NDArray[np.intp] | None, NDArray[np.float64] | None]:
    """The contract partner of every partner and its share in it (``Regel.groep, sleutel``).

    Parameters
    ----------
    case
        A validated Case.
    partners
        The partners in model order.
    lumpsum
        Lumpsum per partner (euro), shape ``(P,)``: the key of a cooperative with sleutel
        ``lumpsum`` is each lid's share of their sum (equal shares when that sum is 0, e.g.
        an allocation that gives its leden nothing).

    Returns
    -------
    groep, sleutel
        Shape ``(P,)`` each, numbered by first member; ``(None, None)`` without cooperaties
        (the rule then acts on the partners as they are, bit for bit as before).
    """
    if not case.cooperaties:
        return None, None
    van = {a.id: a.cooperatie for a in case.aanbieders}
    sleutels = {c.id: c.sleutel for c in case.cooperaties}
    wie = [van.get(a) or f"partner:{a}" for a in partners]
    nummer: dict[str, int] = {}
    groep = np.array([nummer.setdefault(w, len(nummer)) for w in wie], dtype=np.intp)
    sleutel = np.ones(len(partners))
    for c, g in nummer.items():
        if c not in sleutels:
            continue
        leden = np.flatnonzero(groep == g)
        if sleutels[c] == "lumpsum":
            totaal = float(lumpsum[leden].sum())
            deel = lumpsum[leden] / totaal if totaal > 0 else np.full(leden.size, 1 / leden.size)
        else:
            deel = np.array([float(sleutels[c][partners[i]]) for i in leden])
        sleutel[leden] = deel
    return groep, sleutel


def tabel(case: Case, terugvordering: pd.DataFrame) -> pd.DataFrame | None:
    """Per cooperative: naam, leden, lumpsum and expected terugvordering with its se.

    The cooperative's terugvordering ``T_c`` is the sum of its leden's, scenario by
    scenario, exactly (the split is in whole cents), so ``verwacht`` is the sum of the
    leden's means. Its standard error is the sum of the leden's: each lid receives
    ``T_i = s_i T_c + r_i`` with a fixed key ``s_i >= 0`` and a rounding rest
    ``|r_i| < 1`` cent, so the leden's amounts are perfectly correlated up to a cent and
    ``sd(T_c) = sum_i s_i sd(T_c) = sum_i sd(T_i)`` within ``sum_i sd(r_i) < P_c`` cents
    (``P_c`` leden); divided by ``sqrt(n)`` like every se. (The engine keeps per-partner
    sums of ``T`` and ``T²`` only, not the cross products a direct estimate would need.)

    Parameters
    ----------
    case
        The validated Case.
    terugvordering
        ``SimulatieResultaat.terugvordering`` (indexed by aanbieder: lumpsum, verwacht,
        se; euro).

    Returns
    -------
    DataFrame or None
        Indexed by ``cooperatie``: naam, leden (tuple of ids), lumpsum, verwacht, se
        (euro); None without cooperaties.
    """
    if not case.cooperaties:
        return None
    rijen = []
    for c in case.cooperaties:
        leden = tuple(a.id for a in case.aanbieders if a.cooperatie == c.id)
        deel = terugvordering.reindex(list(leden), fill_value=0.0)
        rijen.append({
            "naam": c.naam,
            "leden": leden,
            "lumpsum": float(deel["lumpsum"].sum()),
            "verwacht": float(deel["verwacht"].sum()),
            "se": float(deel["se"].sum()),
        })  # fmt: skip
    return pd.DataFrame(rijen, index=pd.Index([c.id for c in case.cooperaties], name="cooperatie"))
