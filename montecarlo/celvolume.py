"""The cel arrays of one block kept as their factors: volume and clients per cel.

:func:`montecarlo.levering.lever` splits each line's demand over the partner cells; a
cel's volume is then its line's partners' volume times its share times the fraction its
(partner, product) group keeps under capaciteit, and its clients are the line's clients
per unit of volume times that. :class:`Celvolume` and :class:`Clienten` keep those factors
(a few rows per line and group) and make the ``(N, m)`` arrays only when asked; the
arrangements' sums per partner (:mod:`montecarlo.bekostiging.termen`) are taken from the
factors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.levering import Leveringsplan, som_per_groep
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]


class Celvolume:
    """The volume per cel of one block, kept as its factors: ``V_c = w_c f_g(c) pv_l(c)``.

    With ``pv_l`` the partners' volume of line ``l`` ``(L, m)``, ``w_c`` the cel's share of
    it and ``f_g`` the fraction its (partner, product) group keeps under capaciteit
    ``(G, m)`` (1 without), a sum over a partner's cells of the volume times weights per
    cel ``a_c`` and per line ``x_l`` (:meth:`som`) is, for a dense plan, a small matrix
    product over lines and a sum over the partner's groups (consecutive rows)::

        sum_{c of i} a_c V_c x_l(c) = sum_{g of i} f_g sum_l A_gl (pv ⊙ x)_l,
        A_g(c),l(c) = a_c w_c

    so the ``(N, m)`` cel array is only made when an arrangement needs it per cel
    (``np.asarray``, once, in the worker's scratch arrays). With weights ``a_c = s t_c``
    (a multiple of the cel's tarief) and no ``x`` the sum is ``s`` times the partners' cost
    at the tarief, which :func:`lever` has already computed (``kosten``). For a plan of
    sorted cells (large cases) the cel array is the one :func:`lever` made. Array-like:
    ``shape``, ``ndim`` and ``__array__``.
    """

    def __init__(self, plan: Leveringsplan, lijn_volume: FloatArray,
                 behoud: FloatArray | None, cel: FloatArray | None = None,
                 ruimte: Werkruimte | None = None,
                 kosten: FloatArray | None = None) -> None:  # fmt: skip
        self.plan, self.lijn_volume, self.behoud, self.kosten = plan, lijn_volume, behoud, kosten
        self._cel, self._ruimte = cel, ruimte
        self.shape = (plan.cel_lijn.size, lijn_volume.shape[1])
        self.ndim = 2

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> FloatArray:
        if self._cel is None:
            plan = self.plan
            cel = np.take(self.lijn_volume, plan.cel_lijn, axis=0, mode="clip",
                          out=leeg(self._ruimte, "cel.volume", self.shape))  # fmt: skip
            cel *= plan.cel_gewicht[:, None]
            if self.behoud is not None:
                cel *= np.take(self.behoud, plan.groep_van_cel, axis=0, mode="clip",
                               out=leeg(self._ruimte, "cel.behoud", self.shape))  # fmt: skip
            self._cel = cel
        return self._cel if dtype is None else self._cel.astype(dtype, copy=False)

    def som(self, gewicht: FloatArray, per_lijn: FloatArray | None = None,
            out: FloatArray | None = None) -> FloatArray:  # fmt: skip
        """``sum_{c of i} gewicht_c V_c per_lijn_l(c)`` per partner ``(P, m)`` (class docstring).

        ``gewicht`` per cel ``(N,)``; ``per_lijn`` per line and scenario ``(L, m)`` or None (1);
        ``out``: where to write it.
        """
        if out is None:
            out = np.empty((self.plan.partners, self.shape[1]))
        plan, ruimte = self.plan, self._ruimte
        if per_lijn is None and self.kosten is not None:
            s = _veelvoud(gewicht, plan.cel_tarief)
            if s is not None:
                return np.multiply(self.kosten, s, out=out)
        if plan.dicht:
            u = self.lijn_volume
            if per_lijn is not None:
                u = np.multiply(u, per_lijn, out=leeg(ruimte, "celvolume.u", u.shape))
            a = np.zeros((plan.groep_start.size, plan.lijnen))
            a[plan.groep_van_cel, plan.cel_lijn] = gewicht * plan.cel_gewicht
            if self.behoud is None:
                return np.matmul(plan.partner_groep @ a, u, out=out)
            y = np.matmul(a, u, out=leeg(ruimte, "celvolume.y", self.behoud.shape))
            y *= self.behoud
            return som_per_groep(y, plan.partner_groep_start, plan.partners, uit=out)
        cel = np.asarray(self)
        w = np.multiply(cel, gewicht[:, None], out=leeg(ruimte, "celvolume.w", cel.shape))
        if per_lijn is not None:
            w *= np.take(per_lijn, plan.cel_lijn, axis=0, mode="clip",
                         out=leeg(ruimte, "celvolume.x", cel.shape))  # fmt: skip
        out[...] = som_per_groep(w, plan.partner_start, plan.partners, ruimte, "celvolume.p")
        return out

    def som_boven(self, gewicht: FloatArray, drempel: FloatArray,
                  out: FloatArray | None = None) -> FloatArray:  # fmt: skip
        """``sum_{c of i} gewicht_c max(V_c - drempel_c, 0)`` per partner ``(P, m)``.

        For a dense plan one (partner, product) group at a time, with the cel's share in the
        weight, ``gewicht_c w_c max(f_g pv_l(c) - drempel_c / w_c, 0)``: the group's lines
        (a view where they are evenly spaced) times ``f_g`` are made in a small scratch
        array (a few rows, in the cache) instead of the whole cel array.
        """
        plan, ruimte = self.plan, self._ruimte
        p, m = plan.partners, self.shape[1]
        if out is None:
            out = np.empty((p, m))
        if not plan.dicht:
            x = np.subtract(np.asarray(self), drempel[:, None],
                            out=leeg(ruimte, "celvolume.boven", self.shape))  # fmt: skip
            np.maximum(x, 0.0, out=x)
            x *= gewicht[:, None]
            out[...] = som_per_groep(x, plan.partner_start, p, ruimte, "celvolume.p")
            return out
        out[...] = 0.0
        # max(w f pv - d, 0) = w max(f pv - d / w, 0): the cel's share goes into the weight
        w = plan.cel_gewicht
        drempel = np.divide(drempel, w, out=np.zeros(w.size), where=w > 0)
        gewicht = gewicht * w
        eind = np.append(plan.groep_start[1:], plan.cel_lijn.size)
        rij = leeg(ruimte, "celvolume.rij", (m,))
        for g, (a, b) in enumerate(zip(plan.groep_start, eind, strict=True)):
            x = leeg(ruimte, "celvolume.groep", (b - a, m))
            lijnen = plan.groep_lijnen[g]
            bron = self.lijn_volume[lijnen] if isinstance(lijnen, slice) else np.take(
                self.lijn_volume, lijnen, axis=0, mode="clip", out=x)  # fmt: skip
            if self.behoud is not None:
                bron = np.multiply(bron, self.behoud[g], out=x)
            np.subtract(bron, drempel[a:b, None], out=x)
            np.maximum(x, 0.0, out=x)
            out[plan.cel_partner[a]] += np.matmul(gewicht[a:b], x, out=rij)
        return out


def _veelvoud(gewicht: FloatArray, tarief: FloatArray) -> float | None:
    """``s`` when ``gewicht`` is ``s × tarief`` to 1e-15 relative (per cel), else None."""
    if not tarief.size or not tarief[0]:
        return None
    s = float(gewicht[0] / tarief[0])
    st = s * tarief
    return s if (np.abs(np.subtract(gewicht, st)) <= 1e-15 * np.abs(st)).all() else None


class Clienten:
    """Clients per cel of one block: the line's clients in proportion to the cel's volume.

    ``N_c = rho_l(c) V_c`` with ``rho_l`` the clients per unit of volume of line ``l``
    ``(L, m)`` (0 where the line has no volume). Array-like as :class:`Celvolume`; the
    ``(N, m)`` array is made on first use.
    """

    def __init__(self, volume: Celvolume, per_volume: FloatArray,
                 ruimte: Werkruimte | None = None) -> None:  # fmt: skip
        self.volume, self.per_volume, self._ruimte = volume, per_volume, ruimte
        self.shape, self.ndim = volume.shape, 2
        self._cel: FloatArray | None = None

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> FloatArray:
        if self._cel is None:
            cel = np.take(self.per_volume, self.volume.plan.cel_lijn, axis=0, mode="clip",
                          out=leeg(self._ruimte, "cel.clienten", self.shape))  # fmt: skip
            cel *= np.asarray(self.volume)
            self._cel = cel
        return self._cel if dtype is None else self._cel.astype(dtype, copy=False)
