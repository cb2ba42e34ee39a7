"""What a partner pack may show: the partner's own data, case totals, the others as a group.

A partner pack (``--partner ID``) goes to one partner across the negotiating table. It holds
that partner's own inputs and results, the case-wide totals (A, demand, the rule) and the
other partners only as one aggregate, "andere partners samen", and only in a form from
which no single other partner's figure can be read or recovered by subtraction:

- The group is shown only while it holds at least two other partners with a lumpsum
  (:attr:`Pakket.groep`). With one other partner (a case of two partners) the group *is*
  that partner, so it is withheld everywhere, and with it every total from which it
  follows by subtraction: B, the budget of C (A − B), the terugvordering and exploitatie of
  all partners, the forecast of C (spending − C would give B) and the tornado's p10/p90 of
  the C lines. The pack then shows A and, beside the partner's own lumpsum, "andere partner
  en overige uitgaven samen" (A minus the own lumpsum).
- Per gebied and product the group appears only in cells where it holds at least two
  partners (:func:`groep_cellen`); the other cells are merged into one row
  ("samengevoegd"), topped up with the smallest shown cells until it too holds two.
- The case's inputs on the aannames sheet are *filtered*, not pseudonymised
  (:func:`filter_invoer`): rows of other partners (aanbieders, historie, opslagen,
  werkgebied, tarieven, minimum_bedrag, keys of a sleutel) are left out, historie keeps
  only the partner's own rows, and free text that names another partner is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from plafond.cases import Case

#: Label of the other partners taken together in a partner pack.
ANDEREN = "andere partners samen"
#: Label of the merged cells of the group (gebied column).
SAMENGEVOEGD = "samengevoegd"
#: In a pack of a two-partner case: the other partner merged with the overige uitgaven.
ANDERE_EN_OVERIG = "andere partner en overige uitgaven samen"
#: Contributions below this (euro) do not count as a partner being in a cell.
DREMPEL_BEDRAG = 0.005


@dataclass(frozen=True)
class Pakket:
    """Who a partner pack is for and what it may show of the others.

    Attributes
    ----------
    partner
        The partner the pack is for.
    anderen
        The other partners' ids, in case order.
    groep
        True when at least two other partners have a lumpsum: only then may "andere
        partners samen" (and totals over all partners) appear.
    """

    partner: str
    anderen: tuple[str, ...]
    groep: bool


def pakket(case: Case, partner: str, lumpsum: Mapping[str, float]) -> Pakket:
    """The :class:`Pakket` of ``partner`` given the lumpsum per partner (euro) reported."""
    anderen = tuple(a for a in case.partners() if a != partner)
    met_lumpsum = [a for a in anderen if lumpsum.get(a, 0.0) > DREMPEL_BEDRAG]
    return Pakket(partner=partner, anderen=anderen, groep=len(met_lumpsum) >= 2)


def groep_cellen(anderen: pd.DataFrame) -> pd.DataFrame:
    """The other partners' allocation summed so that every row holds two partners or more.

    Parameters
    ----------
    anderen
        Rows gebied, aanbieder, product, bedrag (euro), volume (eenheden) of the other
        partners.

    Returns
    -------
    DataFrame
        Columns gebied, product, bedrag, volume. One row per (gebied, product) where at
        least two partners have a bedrag; the remaining cells are summed into one row with
        gebied "samengevoegd" (product: the product if they share one, else "samen"), to
        which the smallest shown cells are added until it holds two partners. Empty when
        fewer than two partners have any bedrag.
    """
    actief = anderen[anderen["bedrag"] > DREMPEL_BEDRAG]
    if actief["aanbieder"].nunique() < 2:
        return pd.DataFrame(columns=["gebied", "product", "bedrag", "volume"])
    cellen = actief.groupby(["gebied", "product"], sort=False).agg(
        bedrag=("bedrag", "sum"), volume=("volume", "sum"), wie=("aanbieder", frozenset)
    )
    veilig = cellen[cellen["wie"].map(len) >= 2]
    rest = cellen[cellen["wie"].map(len) < 2]
    while len(rest) and len(frozenset().union(*rest["wie"])) < 2:
        kleinste = veilig["bedrag"].idxmin()  # top up with the smallest shown cell
        rest = pd.concat([rest, veilig.loc[[kleinste]]])
        veilig = veilig.drop(index=[kleinste])
    uit = veilig.reset_index()[["gebied", "product", "bedrag", "volume"]]
    if len(rest):
        producten = rest.index.get_level_values("product").unique()
        een = len(producten) == 1
        samen = {
            "gebied": SAMENGEVOEGD,
            "product": producten[0] if een else "samen",
            "bedrag": float(rest["bedrag"].sum()),
            "volume": float(rest["volume"].sum()) if een else float("nan"),
        }
        uit = pd.concat([uit, pd.DataFrame([samen])], ignore_index=True)
    return uit


def _woorden(case: Case, partner: str) -> re.Pattern[str] | None:
    """A regex matching any other partner's id or naam as a whole word, ignoring case."""
    woorden = [
        w.strip()
        for a in case.aanbieders
        if a.rol == "partner" and a.id != partner
        for w in (a.id, a.naam)
        if w.strip()
    ]
    if not woorden:
        return None
    delen = "|".join(re.escape(w) for w in sorted(set(woorden), key=len, reverse=True))
    return re.compile(rf"(?<![0-9A-Za-zÀ-ÿ_])(?:{delen})(?![0-9A-Za-zÀ-ÿ_])", re.I)


def noemt_andere(tekst: str, case: Case, partner: str) -> bool:
    """Whether ``tekst`` names another partner (id or naam as a word, ignoring case)."""
    p = _woorden(case, partner)
    return p is not None and p.search(tekst) is not None


def vrije_tekst(tekst: str, case: Case, partner: str) -> str:
    """``tekst``, or "" when it names another partner (free text is left out, not edited)."""
    return "" if noemt_andere(tekst, case, partner) else tekst


_WEG = object()


def _filter(waarde: Any, andere: set[str], patroon: re.Pattern[str] | None, eigen: str) -> Any:
    """``waarde`` without what belongs to another partner (:data:`_WEG` to drop it)."""
    if isinstance(waarde, str):
        if waarde in andere or (patroon is not None and patroon.search(waarde)):
            return _WEG
        return waarde
    if isinstance(waarde, Mapping):
        if waarde.get("rol") == "partner" and waarde.get("id") != eigen:
            return _WEG
        if "aanbieder" in waarde and waarde["aanbieder"] in andere:
            return _WEG
        uit = {}
        for k, v in waarde.items():
            if k in andere:
                continue
            gefilterd = _filter(v, andere, patroon, eigen)
            if gefilterd is not _WEG:
                uit[k] = gefilterd
        return uit
    if isinstance(waarde, list | tuple):
        return [g for v in waarde if (g := _filter(v, andere, patroon, eigen)) is not _WEG]
    return waarde


def filter_invoer(data: Mapping[str, Any], case: Case, p: Pakket) -> dict[str, Any]:
    """The case's inputs (``Case.model_dump(mode="json")``) as the pack may show them.

    Left out: every row of another partner (aanbieders, tarieven, opslagen, werkgebied,
    minimum_bedrag, any row with its ``aanbieder``), keys of a mapping that are another
    partner's id (a sleutel), every historie row but the partner's own, and every text
    that names another partner. Without a group (:attr:`Pakket.groep` false) also the
    forecast of the overige uitgaven, so that B cannot be recovered as spending − C.
    """
    andere = set(p.anderen)
    uit = _filter(dict(data), andere, _woorden(case, p.partner), p.partner)
    uit["historie"] = [h for h in uit.get("historie", []) if h.get("aanbieder") == p.partner]
    if not p.groep and "kader" in uit:
        uit["kader"] = {k: v for k, v in uit["kader"].items() if k != "overige_uitgaven"}
    return uit


def alleen(frame: pd.DataFrame, kolom: str, toegestaan: Iterable[str]) -> pd.DataFrame:
    """The rows of ``frame`` whose ``kolom`` is in ``toegestaan``."""
    return frame[frame[kolom].isin(list(toegestaan))].reset_index(drop=True)
