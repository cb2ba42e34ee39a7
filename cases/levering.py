"""Case tables for who delivers the demand (``levering``) and the arrangements (``varianten``).

Kept apart from :mod:`cases.schema` so the tables of demand-driven spending and of the
financing arrangements read as one unit; :class:`~cases.schema.Case` has one field for each.
"""

from __future__ import annotations

from typing import Literal

from plafond.cases.typen import Bedrag, Fractie, Id, _Rij
from plafond.cases.verdeling import Verdeling
from pydantic import model_validator


class OverigeLevering(_Rij):
    """How much of the demand of a product (in one gebied, or all) the overige deliver.

    ``aandeel``: the overige's share of the volume (a fraction; a ``verdeling`` for an
    uncertain share, clipped to [0, 1]); None takes their share of the historie omzet there.
    ``tarief_zin`` / ``tarief_pgb``: euro per unit paid for zorg in natura and for PGB
    (default: the reëel tarief of the overige aanbieder); ``aandeel_pgb``: share of the
    overige volume paid as PGB.
    """

    product: Id
    gebied: Id | None = None
    aandeel: Verdeling | None = None
    tarief_zin: Bedrag | None = None
    tarief_pgb: Bedrag | None = None
    aandeel_pgb: Fractie = 0.0

    @model_validator(mode="after")
    def _pgb_tarief(self) -> OverigeLevering:
        if self.aandeel_pgb > 0 and self.tarief_pgb is None:
            raise ValueError("aandeel_pgb > 0 vraagt een tarief_pgb (euro per eenheid)")
        return self


class Levering(_Rij):
    """Who delivers the demand: the overige's shares and tarieven, and spill at capaciteit.

    ``bij_capaciteit``: demand a partner cannot deliver above its capaciteit goes to the
    ``overige`` (paid at their tarief, so part of C) or to a ``wachtlijst`` (not delivered,
    not paid, reported as volume).
    """

    bij_capaciteit: Literal["overige", "wachtlijst"] = "overige"
    overige: tuple[OverigeLevering, ...] = ()


SOORTEN = ("pxq", "lumpsum", "populatie", "tweedelig", "staffel", "bandbreedte")


class Gewichten(_Rij):
    """Population weights of :mod:`montecarlo.bekostiging.populatie` (weight per inwoner)."""

    basis: Bedrag = 1.0
    aandeel_75plus: Bedrag = 4.0
    aandeel_85plus: Bedrag = 4.0
    aandeel_laag_inkomen: Bedrag = 2.0


class Variant(_Rij):
    """One financing arrangement to compare (``soort`` and its parameters).

    Parameters by soort (fractions unless said otherwise):

    - ``pxq``: none.
    - ``lumpsum``: none (the case's own lumpsum and risicodeling).
    - ``populatie``: ``totaal`` (euro, default the lumpsum B), ``gewichten``, ``corridor``
      (fraction of the budget, default none), ``nacalculatie`` (share settled outside the
      corridor, default 1).
    - ``tweedelig``: ``vast`` (share of the expected cost paid as a fixed part),
      ``variabel`` (fraction of the tarief paid per unit; default ``1 - vast``).
    - ``staffel``: ``grenzen`` (volume steps as fractions of the expected volume, rising)
      and ``tarieven`` (fraction of the tarief per step; one more than ``grenzen``).
    - ``bandbreedte``: ``minimum``, ``maximum`` (hours per client as fractions of the mean
      volume per client), ``boven`` (share paid of hours above the maximum),
      ``evaluatie`` (the band is reset after three months).
    """

    soort: Literal["pxq", "lumpsum", "populatie", "tweedelig", "staffel", "bandbreedte"]
    totaal: Bedrag | None = None
    gewichten: Gewichten = Gewichten()
    corridor: Fractie | None = None
    nacalculatie: Fractie = 1.0
    vast: Fractie = 0.5
    variabel: Bedrag | None = None
    grenzen: tuple[Bedrag, ...] = (1.0,)
    tarieven: tuple[Bedrag, ...] = (1.0, 0.8)
    minimum: Bedrag = 0.8
    maximum: Bedrag = 1.2
    boven: Fractie = 0.5
    evaluatie: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Variant:
        if self.soort == "staffel":
            if len(self.tarieven) != len(self.grenzen) + 1:
                raise ValueError("staffel: tarieven vraagt één waarde meer dan grenzen")
            if list(self.grenzen) != sorted(set(self.grenzen)):
                raise ValueError("staffel: grenzen moeten strikt oplopen")
        if self.soort == "bandbreedte" and not self.minimum <= 1.0 <= self.maximum:
            raise ValueError("bandbreedte: vereist minimum <= 1 <= maximum")
        return self
