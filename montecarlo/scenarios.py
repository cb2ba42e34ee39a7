"""The scenario arrays every arrangement works on: volume and clients per cel, per scenario.

A *cel* is one gebied × aanbieder (partner) × product. Per block of ``m`` scenarios the
engine hands the arrangements (:mod:`montecarlo.bekostiging`) a :class:`Scenarios`:
volume and clients per cel, ``(N, m)``, and the overige uitgaven C per pot, ``(K, m)``
(the partners' cost is the engine's own, per partner: no arrangement needs it per cel).
The static description of the cells is :class:`Cellen`. Scenarios run along the *last*
axis and the cells along the first, so a later time axis (years) can be put in between
(``(N, J, m)``) and every static per-cel array broadcasts as ``x[:, None]`` or
``x.reshape(-1, *([1] * (ndim - 1)))`` (:func:`kolom`); a risk-aware optimisation can take
the same arrays as its sample.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

if TYPE_CHECKING:
    from plafond.montecarlo.celvolume import Celvolume, Clienten
    from plafond.montecarlo.risicodeling import Regel


@dataclass(frozen=True)
class Cellen:
    """The static description of the ``N`` cells of a case (sorted by partner, product).

    Attributes
    ----------
    partner, gebied, product
        Index of the cel's partner, gebied and product, ``(N,)`` (into the name tuples).
    tarief
        The partner's reëel tarief for the product (euro per unit), ``(N,)``.
    verwacht_volume
        Expected volume of the cel without capaciteit limits (units), ``(N,)``.
    volume_per_client
        Mean volume per client of the cel's vraag line (units), ``(N,)``.
    partners, gebieden, producten
        Ids along each axis.
    """

    partner: IntArray
    gebied: IntArray
    product: IntArray
    tarief: FloatArray
    verwacht_volume: FloatArray
    volume_per_client: FloatArray
    partners: tuple[str, ...]
    gebieden: tuple[str, ...] = ()
    producten: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for naam in ("partner", "gebied", "product"):
            object.__setattr__(self, naam, np.asarray(getattr(self, naam), dtype=np.intp))
        for naam in ("tarief", "verwacht_volume", "volume_per_client"):
            object.__setattr__(self, naam, np.asarray(getattr(self, naam), dtype=np.float64))
        if np.any(np.diff(self.partner) < 0):
            raise ValueError("cellen moeten op partner gesorteerd zijn")

    @property
    def aantal(self) -> int:
        """Number of cells ``N``."""
        return self.partner.size

    @property
    def verwachte_kosten(self) -> FloatArray:
        """Expected cost per cel at the reëel tarief (euro), ``(N,)``."""
        return self.verwacht_volume * self.tarief

    @cached_property
    def partner_grenzen(self) -> IntArray:
        """``(P + 1,)``: partner ``i``'s cells are rows ``grenzen[i]:grenzen[i + 1]``."""
        return np.searchsorted(self.partner, np.arange(len(self.partners) + 1)).astype(np.intp)


def kolom(x: FloatArray, ndim: int) -> FloatArray:
    """A per-cel array ``(N,)`` shaped to broadcast against ``(N, ...)`` of ``ndim`` axes."""
    return np.asarray(x).reshape(-1, *([1] * (ndim - 1)))


@dataclass(frozen=True)
class Scenarios:
    """Scenario arrays of one block (cells first, scenarios last).

    The engine's arrays live in its worker's scratch space: valid while the block is being
    evaluated, overwritten by the worker's next block (copy what must outlive it).

    Attributes
    ----------
    volume
        Volume delivered per cel (units), ``(N, m)``: an array, or from the engine a
        :class:`~montecarlo.celvolume.Celvolume` (array-like, kept as its factors per line
        and group, with a fast sum per partner).
    clienten
        Clients per cel (the line's clients in proportion to the cel's volume), ``(N, m)``:
        an array, or from the engine a :class:`~montecarlo.celvolume.Clienten`.
    overige
        Overige uitgaven C per pot (euro), ``(K, m)``: paid per unit whatever the
        partners' arrangement.
    terugvordering
        The case's own rule on this block's spending ``B + C``, as the engine computed it
        for ``simulate``'s figures (:class:`Terugvordering`), or None. The lumpsum
        arrangement takes it instead of running the rule again.
    """

    volume: FloatArray | Celvolume
    clienten: FloatArray | Clienten
    overige: FloatArray
    terugvordering: Terugvordering | None = None


@dataclass(frozen=True)
class Terugvordering:
    """The rule's terugvordering of one block, where it is non-zero.

    Attributes
    ----------
    regel
        The rule it was computed with (:class:`~montecarlo.risicodeling.Regel`).
    overige
        The C ``(K, m)`` it was computed on (with the model's B): a user checks identity.
    wie
        The scenarios with a non-zero terugvordering (indices, ascending).
    euro
        The terugvordering per partner there (euro), ``(P, len(wie))``.
    """

    regel: Regel
    overige: FloatArray
    wie: IntArray
    euro: FloatArray
