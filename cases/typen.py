"""The value types every case table shares: euros, counts, fractions, ids, frozen rows.

Each is a pydantic ``Annotated`` type whose validator gives a one-line Dutch message (the
loaders put the file and field in front of it). Used by :mod:`cases.schema` and
:mod:`cases.levering`; the leading underscores say they are for the case tables only.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _eindig(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("moet een eindig getal zijn (geen NaN of oneindig)")
    return value


def _niet_negatief(value: float) -> float:
    _eindig(value)
    if value < 0:
        raise ValueError("mag niet negatief zijn; toegestaan: 0 of meer")
    return value


def _fractie(value: float) -> float:
    _eindig(value)
    if 1 < value <= 100:
        raise ValueError(
            f"is een fractie tussen 0 en 1, geen percentage; "
            f"schrijf {value / 100:g} voor {value:g} %"
        )
    if not 0 <= value <= 1:
        raise ValueError("moet een fractie tussen 0 en 1 zijn")
    return value


def _positieve_fractie(value: float) -> float:
    _fractie(value)
    if value == 0:
        raise ValueError("moet groter dan 0 zijn (een fractie in (0, 1])")
    return value


Bedrag = Annotated[float, AfterValidator(_niet_negatief)]
"""Money in euros, >= 0."""
Aantal = Annotated[float, AfterValidator(_niet_negatief)]
"""A volume or count (uur, dagdeel, clienten), >= 0."""
Fractie = Annotated[float, AfterValidator(_fractie)]
"""A share in [0, 1]; 0.075 means 7,5 %."""
Id = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^\s/][^/]*$")]


class _Rij(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
