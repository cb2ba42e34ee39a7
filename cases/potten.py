"""The pots of the risk rule: the region, or one per gemeente, product or gemeente × product.

Which kind follows ``risicodeling.verdeelsleutel``; each pot has its own plafond (given in
``kader.plafonds``, or derived per pot from historie and opslagen and scaled so that the
pots add up to A), its own spending and its own claw-back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from plafond.cases.schema import Case


@dataclass(frozen=True, eq=False)
class Potten:
    """The pots of the risk rule: each has its own plafond, spending and claw-back.

    Attributes
    ----------
    soort
        ``regio`` (verdeelsleutel lumpsum or sleutel), ``gemeente``, ``product`` or
        ``gemeente_product``.
    ids
        Pot names: "regio", a gemeente, a product, or "GEMEENTE/PRODUCT".
    plafond
        Plafond per pot (euro), shape (K,): given in ``kader.plafonds``, else derived per
        pot from historie and opslagen, scaled so the pots add up to A.
    gegeven
        True when the pot plafonds come from ``kader.plafonds``.
    van
        (gebied, product) → pot index, for every gebied and product of the case.
    """

    soort: str
    ids: tuple[str, ...]
    plafond: np.ndarray
    gegeven: bool
    van: Mapping[tuple[str, str], int]


def pot_soort(case: Case) -> str:
    """The kind of pot of the case's verdeelsleutel (see :class:`Potten`)."""
    vs = case.kader.risicodeling.verdeelsleutel
    return vs if vs in ("gemeente", "product", "gemeente_product") else "regio"


def pot_naam(soort: str, gemeente: str | None, product: str | None) -> str:
    """The id of the pot of a gemeente and product, for a kind of pot."""
    return {
        "regio": "regio",
        "gemeente": gemeente,
        "product": product,
        "gemeente_product": f"{gemeente}/{product}",
    }[soort]


def potten(case: Case, plafond: float, derived: pd.Series) -> Potten:
    """The pots of ``case`` with their plafonds (euro).

    ``derived`` is the derived plafond per (gemeente, product) of :func:`kader`; A is
    ``plafond``. Pots are listed sorted by gemeente, in case order of the producten.
    """
    soort = pot_soort(case)
    gemeente_van = case.gemeente_van()
    producten = [p.id for p in case.producten]
    gemeenten = sorted(set(gemeente_van.values()))
    if soort == "regio":
        ids = ["regio"]
    elif soort == "gemeente":
        ids = gemeenten
    elif soort == "product":
        ids = producten
    else:
        ids = [f"{g}/{p}" for g in gemeenten for p in producten]
    van = {
        (g, p): ids.index(pot_naam(soort, gemeente_van[g], p))
        for g in gemeente_van
        for p in producten
    }
    afgeleid = np.zeros(len(ids))
    for (gem, prod), bedrag in derived.items():
        afgeleid[ids.index(pot_naam(soort, gem, prod))] += float(bedrag)
    gegeven = bool(case.kader.plafonds)
    if gegeven:
        pot_plafond = np.zeros(len(ids))
        for r in case.kader.plafonds:
            pot_plafond[ids.index(pot_naam(soort, r.gemeente, r.product))] += float(r.plafond)
    elif afgeleid.sum() > 0:
        pot_plafond = afgeleid * (plafond / afgeleid.sum())
    else:
        pot_plafond = np.full(len(ids), plafond / len(ids))
    # a pot without historie, opslag or C line that nobody uses still has a (zero) plafond
    return Potten(soort, tuple(ids), pot_plafond, gegeven, van)


def lumpsum_per_pot(case: Case, potten_: Potten, bedragen: pd.Series) -> pd.DataFrame:
    """Euros indexed (aanbieder, gebied, product) summed per partner (rows) and pot (columns).

    Partners in case order, every partner a row (0 where it has nothing).
    """
    partners = list(case.partners())
    rij = {a: i for i, a in enumerate(partners)}
    som = np.zeros((len(partners), len(potten_.ids)))
    for (a, g, p), bedrag in bedragen.items():
        if a in rij:
            som[rij[a], potten_.van[g, p]] += float(bedrag)
    return pd.DataFrame(som, index=partners, columns=list(potten_.ids))
