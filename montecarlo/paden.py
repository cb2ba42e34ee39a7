"""The deterministic paths of a contract of ``looptijd`` T years (:mod:`montecarlo.jaren`).

Index, nacalculatie and taakstelling per year, the marginal of the yearly demand growth,
and the lumpsum rule, read from a case's ``kader.jaren`` (cases/README.md); the structural
price level ``F_t`` and the taakstelling factor ``K_t`` follow from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.verdelingen import Marginaal

if TYPE_CHECKING:
    from plafond.cases.schema import Kader

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Paden:
    """The deterministic paths of a term of ``T`` years (fractions, index 0 = year 1).

    Attributes
    ----------
    indexatie
        Provisional index ``i_t``, ``(T,)`` (0 in year 1: it is in the case's lumpsum).
    nacalculatie
        Final minus provisional index ``n_t``, ``(T,)``, paid in year t + 1.
    taakstelling
        Extra taakstelling ``k_t``, ``(T,)`` (0 in year 1).
    groei
        Marginal of the yearly demand growth, or None (no growth).
    lumpsum
        ``"index"`` or ``"omzet"``.
    overloop
        Underspend of year t raises the plafond of year t + 1.
    terugval
        Threshold of the fall-back (fraction of the cumulative lumpsum), or None.
    """

    indexatie: FloatArray
    nacalculatie: FloatArray
    taakstelling: FloatArray
    groei: Marginaal | None = None
    lumpsum: str = "index"
    overloop: bool = False
    terugval: float | None = None

    @property
    def jaren(self) -> int:
        """Number of years ``T``."""
        return self.indexatie.size

    @property
    def niveau(self) -> FloatArray:
        """``F_t``: the structural price level of year t relative to year 1, ``(T,)``."""
        n_vorig = np.concatenate([[0.0], self.nacalculatie[:-1]])
        return np.cumprod((1.0 + self.indexatie) * (1.0 + n_vorig))

    @property
    def korting(self) -> FloatArray:
        """``K_t``: the cumulative taakstelling factor, ``(T,)``."""
        return np.cumprod(1.0 - self.taakstelling)

    @property
    def loonindex(self) -> FloatArray:
        """``prod_{s=2..t}(1 + i_s)``: the provisional index path on the cost, ``(T,)``."""
        return np.cumprod(1.0 + self.indexatie)


def _pad(waarde: float | tuple[float, ...] | None, lengte: int, standaard: float) -> FloatArray:
    if waarde is None:
        return np.full(lengte, standaard)
    if isinstance(waarde, tuple):
        return np.asarray(waarde, dtype=np.float64)
    return np.full(lengte, float(waarde))


def paden_uit(kader: Kader) -> Paden:
    """The :class:`Paden` of a case's ``kader`` (``kader.jaren``; cases/README.md)."""
    from plafond.montecarlo.model import marginaal

    t, j = kader.looptijd, kader.jaren
    return Paden(
        indexatie=np.concatenate([[0.0], _pad(j.indexatie, t - 1, kader.indexatie)]),
        nacalculatie=_pad(j.nacalculatie, t, 0.0),
        taakstelling=np.concatenate([[0.0], _pad(j.taakstelling, t - 1, 0.0)]),
        groei=None if j.groei is None else marginaal(j.groei),
        lumpsum=j.lumpsum,
        overloop=j.overloop,
        terugval=j.terugval,
    )
