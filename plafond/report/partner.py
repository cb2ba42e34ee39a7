"""A partner pack shows one partner's figures; other partners never by id or naam.

The tables of :mod:`plafond.report.inhoud` already group the other partners ("andere
partners samen"). What may still name them is free text and the inputs on the aannames
sheet (historie rows, opslagen, a sleutel). :func:`anonimiseer` replaces every other
partner's id and naam, as a whole word and ignoring case, by "andere partner 1", "andere
partner 2", ... in every text cell, column name and index label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from plafond.cases import Case
from plafond.xlsx import Tabel


def vervangingen(case: Case, partner: str) -> dict[str, str]:
    """Other partners' ids and namen → their alias ("andere partner k", in case order)."""
    uit: dict[str, str] = {}
    anderen = [a for a in case.aanbieders if a.rol == "partner" and a.id != partner]
    for k, a in enumerate(anderen, start=1):
        alias = f"andere partner {k}"
        uit[a.id] = alias
        if a.naam.strip():
            uit[a.naam] = alias
    return uit


def patroon(vervanging: Mapping[str, str]) -> re.Pattern[str] | None:
    """One regex matching any key as a whole word (longest first), case-insensitive."""
    if not vervanging:
        return None
    delen = sorted(vervanging, key=len, reverse=True)
    alternatieven = "|".join(re.escape(d) for d in delen)
    return re.compile(rf"(?<![0-9A-Za-zÀ-ÿ_])(?:{alternatieven})(?![0-9A-Za-zÀ-ÿ_])", re.I)


def vervang_tekst(tekst: str, vervanging: Mapping[str, str]) -> str:
    """``tekst`` with every key of ``vervanging`` replaced by its alias."""
    p = patroon(vervanging)
    if p is None:
        return tekst
    lager = {k.lower(): v for k, v in vervanging.items()}
    return p.sub(lambda m: lager[m.group(0).lower()], tekst)


def _cel(v: Any, vervanging: Mapping[str, str]) -> Any:
    return vervang_tekst(v, vervanging) if isinstance(v, str) else v


def anonimiseer_frame(frame: pd.DataFrame, vervanging: Mapping[str, str]) -> pd.DataFrame:
    """A copy of ``frame`` with the aliases in every text cell, column and index label."""
    uit = frame.map(lambda v: _cel(v, vervanging))
    uit.columns = [_cel(c, vervanging) for c in uit.columns]
    if isinstance(uit.index, pd.MultiIndex):
        uit.index = uit.index.map(lambda t: tuple(_cel(x, vervanging) for x in t))
    else:
        uit.index = [_cel(x, vervanging) for x in uit.index]
        uit.index.name = frame.index.name
    return uit


def anonimiseer(tabel: Tabel, vervanging: Mapping[str, str]) -> Tabel:
    """:func:`anonimiseer_frame` on a Tabel, keeping its formats."""
    formaten = {_cel(k, vervanging): v for k, v in tabel.formaten.items()}
    return Tabel(anonimiseer_frame(tabel.frame, vervanging), formaten)
