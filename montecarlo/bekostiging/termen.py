"""A payment per cel as a weighted sum of a few arrays, summed per partner by products.

Every arrangement but the lumpsum pays per cel ``c`` (rows) and scenario (columns)::

    betaling_c = vast_c + sum_f w_fc × phi_f,c

with per-cel weights ``w_f`` (euro per unit of ``phi_f``, e.g. the tarief), per-cel
arrays ``phi_f`` (the volume, or a piecewise-linear part of it such as
``max(V - g E[V], 0)``) and a fixed part ``vast`` (euro). The payment per partner is then
``sum_{c of i} vast_c + sum_f w_f[cells of i] · phi_f[cells of i]``: a partner's cells are
consecutive rows, so that is one vector-matrix product per partner and term, and no pass
over the cel arrays is spent on multiplying by the tarief or on the per-partner sums.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.celvolume import Celvolume
from plafond.montecarlo.scenarios import Cellen, kolom
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Termen:
    """``betaling_c = vast_c + sum_f w_f,c phi_f,c`` (module docstring).

    Attributes
    ----------
    lineair
        Pairs ``(w_f, phi_f)``: weights per cel ``(N,)`` and the array ``(N, ...)``.
    vast
        Fixed payment per cel (euro), ``(N,)``, or None.
    """

    lineair: Sequence[tuple[FloatArray | float, FloatArray]]
    vast: FloatArray | None = None

    def per_cel(self, vorm: tuple[int, ...]) -> FloatArray:
        """The payment per cel (euro), of shape ``vorm`` (that of the cel arrays)."""
        uit = np.zeros(vorm)
        if self.vast is not None:
            uit += kolom(self.vast, len(vorm))
        for w, phi in self.lineair:
            uit += kolom(np.broadcast_to(w, vorm[:1]), len(vorm)) * np.asarray(phi)
        return uit

    def per_partner(self, cellen: Cellen, vorm: tuple[int, ...],
                    ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
        """The payment per partner (euro), ``(P, ...)`` for cel arrays of shape ``vorm``.

        A partner's cells are consecutive rows, so its sum of ``w_f phi_f`` is one
        vector-matrix product over its own rows (each cel array is read once). A term on
        the engine's volume (:class:`~montecarlo.celvolume.Celvolume`), or on it times a
        factor per line (:class:`PerLijn`), is summed from its factors without the cel
        array (:meth:`~montecarlo.celvolume.Celvolume.som`). ``ruimte``: scratch arrays
        (:mod:`montecarlo.werkruimte`); the result lives there.
        """
        p, n = len(cellen.partners), vorm[0]
        uit = leeg(ruimte, "termen.uit", (p, math.prod(vorm[1:])))
        nul = True  # uit holds nothing yet (the first factored term is written into it)
        grenzen = cellen.partner_grenzen
        for w, phi in self.lineair:
            w_ = w if isinstance(w, np.ndarray) and w.shape == (n,) else np.full(n, w, float)
            if isinstance(phi, Celvolume | PerLijn) or (
                isinstance(phi, Boven) and isinstance(phi.volume, Celvolume)
            ):
                if nul:
                    phi.som(w_, out=uit)
                else:
                    uit += phi.som(w_, out=leeg(ruimte, "termen.som", uit.shape))
                nul = False
                continue
            if nul:
                uit[...] = 0.0
                nul = False
            plat = np.asarray(phi).reshape(n, -1)
            for i in range(p):
                a, b = grenzen[i], grenzen[i + 1]
                if b > a:
                    uit[i] += w_[a:b] @ plat[a:b]
        if nul:
            uit[...] = 0.0
        if self.vast is not None:
            uit += np.bincount(cellen.partner, weights=self.vast, minlength=p)[:, None]
        return uit.reshape((p,) + vorm[1:])


@dataclass(frozen=True)
class PerLijn:
    """The engine's volume times a factor per line: ``V_c x_l(c)``, ``(N, m)`` array-like.

    Attributes
    ----------
    volume
        The cel volumes (:class:`~montecarlo.celvolume.Celvolume`).
    per_lijn
        ``x`` per line and scenario, ``(L, m)``.
    """

    volume: Celvolume
    per_lijn: FloatArray

    @property
    def shape(self) -> tuple[int, ...]:
        return self.volume.shape

    def som(self, gewicht: FloatArray, out: FloatArray | None = None) -> FloatArray:
        """``sum_{c of i} gewicht_c V_c x_l(c)`` per partner, ``(P, m)``."""
        return self.volume.som(gewicht, self.per_lijn, out)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> FloatArray:
        x = np.take(self.per_lijn, self.volume.plan.cel_lijn, axis=0)
        x *= np.asarray(self.volume)
        return x if dtype is None else x.astype(dtype, copy=False)


@dataclass(frozen=True)
class Boven:
    """The volume above a level per cel: ``max(V_c - drempel_c, 0)``, ``(N, ...)`` array-like.

    On the engine's volume (:class:`~montecarlo.celvolume.Celvolume`) its sum per partner
    is taken group by group without the cel array
    (:meth:`~montecarlo.celvolume.Celvolume.som_boven`).

    Attributes
    ----------
    volume
        The cel volumes (units), an array or a Celvolume.
    drempel
        The level per cel (units), ``(N,)``.
    """

    volume: FloatArray | Celvolume
    drempel: FloatArray

    @property
    def shape(self) -> tuple[int, ...]:
        return self.volume.shape

    def som(self, gewicht: FloatArray, out: FloatArray | None = None) -> FloatArray:
        """``sum_{c of i} gewicht_c max(V_c - drempel_c, 0)`` per partner, ``(P, m)``."""
        return self.volume.som_boven(gewicht, self.drempel, out)  # type: ignore[union-attr]

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> FloatArray:
        v = np.asarray(self.volume)
        x = np.subtract(v, kolom(self.drempel, v.ndim))
        np.maximum(x, 0.0, out=x)
        return x if dtype is None else x.astype(dtype, copy=False)
