"""Who delivers the demand: partners up to their capaciteit, the overige by share, spill.

For every vraag line ``j`` (a gebied × product) with total volume ``V_j`` (units) in a
scenario and the overige's share ``s_j`` (fixed, or drawn):

1. The partners deliver ``(1 - s_j) V_j``, split by ``w_ij``: partner ``i``'s share of the
   partners' historie omzet in that gebied and product (a line without partner historie
   goes to the overige whole: ``s_j = 1``). A *cel* is a (line, partner) with ``w_ij > 0``.
2. Capaciteit: per partner and product the cells' volumes add up to
   ``T_ip = sum_j (1 - s_j) V_j w_ij``; with capaciteit ``K_ip`` each of those cells keeps
   the fraction ``f_ip = min(1, K_ip / T_ip)``, and ``(1 - f_ip)`` of it *spills*.
3. The spill of line ``j`` goes to the overige of that line (``bij_capaciteit: overige``)
   or to the wachtlijst (``wachtlijst``: not delivered, not paid).
4. The overige volume is ``s_j V_j`` plus the spill; they are paid per unit at
   ``(1 - aandeel_pgb) tarief_zin + aandeel_pgb tarief_pgb``, so C follows demand. A line
   whose gebied × product has a C line given directly (``kader.overige_uitgaven``) pays its
   overige nothing here: the given line replaces it (the two are never added).

The partners' cost is the cell volume × the partner's reëel tarief (× (1 + prijsschok),
applied by the engine). Everything is a function of ``(L, m)`` arrays (lines ×
scenarios), no loop over scenarios; the cells are sorted by (partner, product), so the sums
per capaciteit group and per partner run over contiguous rows (:func:`som_per_groep`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.verdelingen import Marginaal
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

if TYPE_CHECKING:
    from plafond.montecarlo.celvolume import Celvolume

#: Dense products serve cases whose (partners + groups) × lines is at most this many times
#: the number of cells; larger cases work on the sorted cells.
DICHT_FACTOR = 4


def _als_slice(index: IntArray) -> slice | IntArray:
    """``index`` as a slice when it is an increasing arithmetic sequence (rows taken from it
    are then a view, not a copy), else ``index`` itself."""
    if index.size and (index.size == 1 or (np.diff(index) == index[1] - index[0]).all()):
        stap = int(index[1] - index[0]) if index.size > 1 else 1
        if stap > 0:
            return slice(int(index[0]), int(index[-1]) + 1, stap)
    return index


@dataclass(frozen=True)
class Leveringsplan:
    """The static arrays of who delivers what (one case), ``L`` lines and ``N`` cells.

    Attributes
    ----------
    aandeel
        Fixed overige share per line, shape ``(L,)`` (used where no random share is given).
    aandeel_random
        ``(line, marginal)`` pairs of lines with an uncertain share; each takes one
        independent normal score (after the volumes).
    overig_tarief
        Euro paid per overige unit per line (0 where C is given directly), ``(L,)``.
    overig_reeel
        Reëel tarief of the overige aanbieder per line (their cost per unit), ``(L,)``.
    lijn_pot
        Pot of every line (index into the rule's plafond), ``(L,)``.
    cel_lijn, cel_partner
        Line and partner of every cell, ``(N,)``, sorted by (partner, product).
    cel_gewicht
        ``w_ij``: the cell's share of the partners' volume of its line, ``(N,)``.
    cel_tarief
        The partner's reëel tarief for the line's product (euro per unit), ``(N,)``.
    groep_start, groep_capaciteit
        First cell of every (partner, product) group and its capaciteit (units; inf for
        none), ``(G,)``.
    wachtlijst
        True: spill goes to the wachtlijst; False: to the overige.
    partners
        Number of partners ``P``.
    """

    aandeel: FloatArray
    aandeel_random: tuple[tuple[int, Marginaal], ...]
    overig_tarief: FloatArray
    overig_reeel: FloatArray
    lijn_pot: IntArray
    cel_lijn: IntArray
    cel_partner: IntArray
    cel_gewicht: FloatArray
    cel_tarief: FloatArray
    groep_start: IntArray
    groep_capaciteit: FloatArray
    wachtlijst: bool
    partners: int
    groep_van_cel: IntArray = field(init=False, repr=False)
    lijn_volgorde: IntArray = field(init=False, repr=False)
    lijn_start: IntArray = field(init=False, repr=False)
    partner_start: IntArray = field(init=False, repr=False)
    dicht: bool = field(init=False, repr=False)
    partner_matrix: FloatArray = field(init=False, repr=False)
    groep_matrix: FloatArray = field(init=False, repr=False)
    groep_tarief_matrix: FloatArray = field(init=False, repr=False)
    partner_groep: FloatArray = field(init=False, repr=False)
    groep_lijnen: tuple[slice | IntArray, ...] = field(init=False, repr=False)
    partner_groep_start: IntArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = self.cel_lijn.size
        lengtes = np.diff(np.append(self.groep_start, n))
        object.__setattr__(self, "groep_van_cel", np.repeat(np.arange(lengtes.size), lengtes))
        volgorde = np.argsort(self.cel_lijn, kind="stable").astype(np.intp)
        object.__setattr__(self, "lijn_volgorde", volgorde)
        start = np.searchsorted(self.cel_lijn[volgorde], np.arange(self.aandeel.size))
        object.__setattr__(self, "lijn_start", start.astype(np.intp))
        object.__setattr__(self, "partner_start", partner_start(self.cel_partner, self.partners))
        lijnen, groepen = self.aandeel.size, self.groep_start.size
        dicht = (self.partners + groepen) * lijnen <= DICHT_FACTOR * max(n, 1)
        object.__setattr__(self, "dicht", dicht)
        pm = np.zeros((self.partners, lijnen))
        gm = np.zeros((groepen, lijnen))
        gt = np.zeros((groepen, lijnen))
        pg = np.zeros((self.partners, groepen))
        if self.dicht:
            np.add.at(pm, (self.cel_partner, self.cel_lijn), self.cel_gewicht * self.cel_tarief)
            np.add.at(gm, (self.groep_van_cel, self.cel_lijn), self.cel_gewicht)
            np.add.at(gt, (self.groep_van_cel, self.cel_lijn), self.cel_gewicht * self.cel_tarief)
            pg[self.cel_partner[self.groep_start], np.arange(groepen)] = 1.0
        object.__setattr__(self, "partner_matrix", pm)
        object.__setattr__(self, "groep_matrix", gm)
        object.__setattr__(self, "groep_tarief_matrix", gt)
        object.__setattr__(self, "partner_groep", pg)
        groep_partner = self.cel_partner[self.groep_start]
        object.__setattr__(self, "partner_groep_start", partner_start(groep_partner, self.partners))
        grenzen = np.append(self.groep_start, n)
        object.__setattr__(self, "groep_lijnen", tuple(
            _als_slice(self.cel_lijn[a:b]) for a, b in zip(grenzen[:-1], grenzen[1:], strict=True)
        ))  # fmt: skip

    @property
    def lijnen(self) -> int:
        """Number of vraag lines ``L``."""
        return self.aandeel.size

    @property
    def dimensies(self) -> int:
        """Normal scores this plan takes per scenario (one per random share)."""
        return len(self.aandeel_random)

    @cached_property
    def begrensd(self) -> bool:
        """True when some partner has a finite capaciteit."""
        return bool(np.isfinite(self.groep_capaciteit).any())


@dataclass(frozen=True)
class Geleverd:
    """Who delivered the demand of one block of scenarios (``m`` columns).

    Attributes
    ----------
    partner_kosten
        Cost of each partner's volume at its reëel tarief, before any price shock (euro),
        ``(P, m)``.
    overig_volume
        Volume of the overige per line (units), ``(L, m)``.
    wachtlijst
        Volume on the wachtlijst per line (units), ``(L, m)``, or None when spill goes to
        the overige.
    cel_volume
        Volume per cell (units), ``(N, m)``, as a :class:`~montecarlo.celvolume.Celvolume`,
        when asked for; else None.
    """

    partner_kosten: FloatArray
    overig_volume: FloatArray
    wachtlijst: FloatArray | None
    cel_volume: Celvolume | None = None


def som_per_groep(waarden: FloatArray, start: IntArray, groepen: int,
                  ruimte: Werkruimte | None = None, naam: str = "groep",
                  uit: FloatArray | None = None) -> FloatArray:  # fmt: skip
    """Sums of contiguous row groups: rows ``start[g]:start[g + 1]`` of ``waarden``.

    ``start`` is non-decreasing with ``groepen`` entries; an empty group sums to 0. One
    ``np.add.reduce`` per group over a contiguous slice: measured ten times faster than
    ``np.add.reduceat`` along the first axis (which also gets empty groups wrong), and
    twice as fast as a product with a 0/1 matrix. ``uit``: where to write (else ``ruimte``).
    """
    if uit is None:
        uit = leeg(ruimte, naam, (groepen,) + waarden.shape[1:])
    eind = np.append(start[1:], waarden.shape[0])
    for g in range(groepen):
        a, b = int(start[g]), int(eind[g])
        if b - a == 1:
            uit[g] = waarden[a]
        elif b > a:
            np.add.reduce(waarden[a:b], axis=0, out=uit[g])
        else:
            uit[g] = 0.0
    return uit


def partner_start(cel_partner: IntArray, partners: int) -> IntArray:
    """First cell of every partner (cells sorted by partner), ``(P,)``."""
    return np.searchsorted(cel_partner, np.arange(partners)).astype(np.intp)


def aandelen(plan: Leveringsplan, z: FloatArray | None, m: int,
             ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """The overige share per line and scenario, ``(L, m)``; ``z``: one score per random line."""
    s = leeg(ruimte, "levering.aandeel", (plan.lijnen, m))
    s[...] = plan.aandeel[:, None]
    for k, (lijn, marg) in enumerate(plan.aandeel_random):
        s[lijn] = marg.uit_normaal(z[k])
    return np.clip(s, 0.0, 1.0, out=s)


def lever(plan: Leveringsplan, volume: FloatArray, aandeel: FloatArray,
          ruimte: Werkruimte | None = None, *, cellen: bool = False) -> Geleverd:  # fmt: skip
    """Split the volume of every line over partner cells, overige and wachtlijst.

    Parameters
    ----------
    plan
        The case's :class:`Leveringsplan`.
    volume
        Total demand per line and scenario (units), ``(L, m)``.
    aandeel
        Overige share per line and scenario, ``(L, m)`` (:func:`aandelen`).
    ruimte
        Scratch arrays (:mod:`montecarlo.werkruimte`); the result lives there.
    cellen
        Also return the volume per cell.

    Returns
    -------
    Geleverd
        Partner cost, overige volume, wachtlijst (and cell volumes); module docstring.

    Notes
    -----
    The capaciteit step is done only in the scenarios where some group exceeds its
    capaciteit (most often a few), so its cost is small where capaciteit rarely binds.
    With few lines and partners the partners' sums are small dense matrix products
    (``plan.dicht``), else sums over the sorted cells.
    """
    n_cel, m = plan.cel_lijn.size, volume.shape[1]
    pv = np.subtract(1.0, aandeel, out=leeg(ruimte, "levering.pdeel", volume.shape))
    pv *= volume
    overig = np.multiply(aandeel, volume, out=leeg(ruimte, "levering.overig", volume.shape))
    cel = None
    if not plan.dicht:
        cel = leeg(ruimte, "levering.cel", (n_cel, m))
        np.take(pv, plan.cel_lijn, axis=0, out=cel, mode="clip")
        cel *= plan.cel_gewicht[:, None]
    kosten = leeg(ruimte, "levering.kosten", (plan.partners, m))
    if plan.dicht:
        np.matmul(plan.partner_matrix, pv, out=kosten)
    else:
        ck = np.multiply(cel, plan.cel_tarief[:, None], out=leeg(ruimte, "lev.ck", cel.shape))
        kosten = som_per_groep(ck, plan.partner_start, plan.partners, ruimte, "levering.kosten")
    wacht = None
    if plan.wachtlijst:
        wacht = leeg(ruimte, "lev.wacht", volume.shape)
        wacht[...] = 0.0
    behoud = None
    if plan.begrensd and n_cel and plan.dicht:
        behoud = _capaciteit_dicht(plan, pv, kosten, overig, wacht, ruimte)
    elif plan.begrensd and n_cel:
        totaal = som_per_groep(cel, plan.groep_start, plan.groep_start.size, ruimte, "lev.totaal")
        kolommen = np.flatnonzero((totaal > plan.groep_capaciteit[:, None]).any(axis=0))
        if kolommen.size:
            _capaciteit(plan, pv, totaal, kolommen, cel, kosten, overig, wacht, ruimte)
    celvolume = None
    if cellen:
        from plafond.montecarlo.celvolume import Celvolume  # it builds on this module

        celvolume = Celvolume(plan, pv, behoud, cel, ruimte, kosten)
    return Geleverd(kosten, overig, wacht, celvolume)


def _capaciteit_dicht(plan: Leveringsplan, pv: FloatArray, kosten: FloatArray,
                      overig: FloatArray, wacht: FloatArray | None,
                      ruimte: Werkruimte | None = None) -> FloatArray:  # fmt: skip
    """Capaciteit for few lines and partners, with small dense products, in place.

    With ``M`` (groups × lines) the partner shares ``w_ij`` per group, ``M_t`` the same
    times the tarief and ``Q`` (partners × groups) the group's partner: group volume
    ``T = M pv``, kept fraction ``f = min(1, K / T)``, partner cost ``Q (f ⊙ M_t pv)``
    and spill per line ``pv ⊙ (Mᵀ (1 − f))``; the cells keep ``f`` of their volume
    (returned, ``(G, m)``, for :class:`~montecarlo.celvolume.Celvolume`).
    """
    g, m = plan.groep_start.size, pv.shape[1]
    totaal = np.matmul(plan.groep_matrix, pv, out=leeg(ruimte, "capd.t", (g, m)))
    behoud = leeg(ruimte, "capd.f", (g, m))
    behoud[...] = 1.0
    np.divide(plan.groep_capaciteit[:, None], totaal, out=behoud,
              where=totaal > plan.groep_capaciteit[:, None])  # fmt: skip
    groep_kosten = np.matmul(plan.groep_tarief_matrix, pv, out=totaal)
    groep_kosten *= behoud
    som_per_groep(groep_kosten, plan.partner_groep_start, plan.partners, uit=kosten)
    spill = np.subtract(1.0, behoud, out=groep_kosten)
    deel = np.matmul(plan.groep_matrix.T, spill, out=leeg(ruimte, "capd.l", pv.shape))
    deel *= pv
    (wacht if wacht is not None else overig)[...] += deel
    return behoud


def _capaciteit(plan: Leveringsplan, pv: FloatArray, totaal: FloatArray, kolommen: IntArray,
                cel: FloatArray | None, kosten: FloatArray, overig: FloatArray,
                wacht: FloatArray | None, ruimte: Werkruimte | None = None) -> None:  # fmt: skip
    """Apply capaciteit in the scenarios ``kolommen``: spill, in place in the arrays given.

    When most scenarios bind, all columns are done in place (no gathered copies).
    """
    alle = 3 * kolommen.size > pv.shape[1]
    k = pv.shape[1] if alle else kolommen.size
    n_cel = plan.cel_lijn.size
    t = totaal if alle else totaal[:, kolommen]
    behoud = leeg(ruimte, "cap.behoud", t.shape)
    behoud[...] = 1.0
    np.divide(plan.groep_capaciteit[:, None], t, out=behoud, where=t > 0)
    np.minimum(behoud, 1.0, out=behoud)
    c = leeg(ruimte, "cap.c", (n_cel, k))
    if alle and cel is not None:
        c[...] = cel
    else:
        np.take(pv if alle else pv[:, kolommen], plan.cel_lijn, axis=0, out=c, mode="clip")
        c *= plan.cel_gewicht[:, None]
    spill = leeg(ruimte, "cap.spill", (n_cel, k))
    np.take(behoud, plan.groep_van_cel, axis=0, out=spill, mode="clip")
    np.subtract(1.0, spill, out=spill)
    spill *= c
    gewogen = np.multiply(spill, plan.cel_tarief[:, None], out=leeg(ruimte, "cap.w", spill.shape))
    per_partner = som_per_groep(gewogen, plan.partner_start, plan.partners, ruimte, "cap.p")
    np.take(spill, plan.lijn_volgorde, axis=0, out=gewogen, mode="clip")
    per_lijn = som_per_groep(gewogen, plan.lijn_start, plan.lijnen, ruimte, "cap.l")
    if alle:
        kosten -= per_partner
        (wacht if wacht is not None else overig)[...] += per_lijn
        if cel is not None:
            np.subtract(c, spill, out=cel)
        return
    kosten[:, kolommen] -= per_partner
    if wacht is not None:
        wacht[:, kolommen] = per_lijn
    else:
        overig[:, kolommen] += per_lijn
    if cel is not None:
        cel[:, kolommen] = c - spill
