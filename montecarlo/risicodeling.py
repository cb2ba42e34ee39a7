"""The risk-sharing rule, written once as a pure function on arrays (euros, to the cent).

For every *pot* (the whole region, or one gemeente when the verdeelsleutel is ``gemeente``)
with plafond ``A`` and spending ``S`` (all amounts rounded to whole cents, half a cent up):

1. ``overschrijding O = max(0, S - A)``; ``onderschrijding U = max(0, A - S)``.
2. The drempel ``D = drempel * A``. ``franchise``: nothing is clawed back while ``O <= D``;
   above it, the whole ``O`` counts. ``eigen_risico``: only ``O - D`` counts. The same
   drempel acts on ``U`` when an onderschrijding is shared.
3. The partners' share: ``aandeel_partners * grondslag(O) - onderschrijding * grondslag(U)``,
   rounded to the cent. A negative amount is a payment *to* the partners.
4. Split over the partners by the pot's weights (pro rata lumpsum, a given key, or the
   lumpsums within the gemeente) with the largest-remainder method in cents, so the parts
   add up to the partners' share exactly; ties go to the partner listed first.
5. Summed over pots, then each partner's amount is capped at ``maximum * its lumpsum``
   (in absolute value, rounded down to the cent). What a cap cuts off is *not*
   redistributed over the other partners: the gemeente bears it.

Cooperaties (``Regel.groep``). A cooperative is *one* contract partner for several leden
(the engine's partner axis stays the leden). With groups the rule acts on the contract
partners ``c`` (a cooperative, or a partner on its own): for pot ``k`` the weight of ``c``
is ``w_kc = sum_{i in c} w_ki``; steps 1–4 split each pot's share over the contract
partners with these weights; step 5 sums over pots and caps ``c`` at
``M_c = sum_{i in c} maximum_i`` (with ``maximum_i = maximum * lumpsum_i`` that is
``maximum`` times the cooperative's lumpsum). Then (6) the cents ``T_c`` of a cooperative
are split over its leden by its key ``s_i`` (``sum_{i in c} s_i = 1``) with the same
largest-remainder split, so ``sum_{i in c} T_i = T_c`` exactly and
``|T_i - s_i T_c| < 1`` cent; ties go to the lid listed first. A partner on its own keeps
``T_c``. Without groups (``groep`` None) steps 1–5 are applied to the partners as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Regel:
    """The risk rule of a case in arrays.

    Attributes
    ----------
    plafond
        Plafond ``A`` per pot, shape ``(K,)`` (euro).
    gewichten
        Verdeelsleutel per pot and partner, shape ``(K, P)``; each row sums to 1, or is
        all zero for a pot without partner lumpsum (nothing is clawed back there: the
        gemeente bears that pot's overschrijding).
    aandeel_partners
        Fraction of the (counted) overschrijding the partners bear.
    drempel
        Fraction of ``A`` (per pot) under which nothing is clawed back.
    drempel_soort
        ``"franchise"`` or ``"eigen_risico"`` (module docstring).
    maximum
        Cap per partner in euro, shape ``(P,)``, or None for no cap.
    onderschrijding
        Fraction of an underspend paid to the partners.
    groep
        Contract partner of every partner, shape ``(P,)``, numbered ``0..G-1`` in the order
        of their first member (a cooperative and its leden share a number), or None: every
        partner is its own contract partner (module docstring, cooperaties).
    sleutel
        With ``groep``: each partner's fraction of its contract partner's amount, shape
        ``(P,)``, summing to 1 within every group (1 for a partner on its own).
    """

    plafond: FloatArray
    gewichten: FloatArray
    aandeel_partners: float = 0.5
    drempel: float = 0.0
    drempel_soort: Literal["franchise", "eigen_risico"] = "franchise"
    maximum: FloatArray | None = None
    onderschrijding: float = 0.0
    groep: NDArray[np.intp] | None = None
    sleutel: FloatArray | None = None

    def __post_init__(self) -> None:
        plafond = np.atleast_1d(np.asarray(self.plafond, dtype=np.float64))
        gewichten = np.atleast_2d(np.asarray(self.gewichten, dtype=np.float64))
        if gewichten.shape[0] != plafond.shape[0]:
            raise ValueError("gewichten moeten één rij per pot (plafond) hebben")
        sommen = gewichten.sum(axis=1, keepdims=True)
        if np.any(gewichten < 0) or not np.any(sommen > 0):
            raise ValueError("de verdeelsleutel moet niet-negatief zijn met een positieve som")
        sommen = np.where(sommen > 0, sommen, 1.0)  # a pot without partner: all zeros
        if self.drempel_soort not in ("franchise", "eigen_risico"):
            raise ValueError("drempel_soort moet franchise of eigen_risico zijn")
        object.__setattr__(self, "plafond", plafond)
        object.__setattr__(self, "gewichten", gewichten / sommen)
        if self.maximum is not None:
            object.__setattr__(self, "maximum", np.asarray(self.maximum, dtype=np.float64))
        if (self.groep is None) != (self.sleutel is None):
            raise ValueError("groep en sleutel horen bij elkaar: geef ze allebei of geen van beide")
        if self.groep is not None:
            groep = np.asarray(self.groep, dtype=np.intp)
            sleutel = np.asarray(self.sleutel, dtype=np.float64)
            p = gewichten.shape[1]
            eerste = np.unique(groep, return_index=True)[1]
            if (
                groep.shape != (p,)
                or sleutel.shape != (p,)
                or not np.array_equal(groep[np.sort(eerste)], np.arange(eerste.size))
            ):
                raise ValueError("groep: één nummer 0..G-1 per partner, op volgorde van eerste lid")
            som = np.bincount(groep, weights=sleutel)
            if np.any(sleutel < 0) or not np.allclose(som, 1.0, rtol=0.0, atol=1e-6):
                raise ValueError("sleutel: niet-negatief en per groep samen 1")
            object.__setattr__(self, "groep", groep)
            object.__setattr__(self, "sleutel", sleutel)

    @property
    def partners(self) -> int:
        """Number of partners ``P``."""
        return self.gewichten.shape[1]

    @property
    def contractpartners(self) -> int:
        """Number of contract partners ``G`` (``P`` without groups)."""
        return self.partners if self.groep is None else int(self.groep.max()) + 1

    def per_contractpartner(self) -> tuple[FloatArray, FloatArray | None]:
        """The pots' weights ``(K, G)`` and the caps ``(G,)`` (euro) of the contract partners.

        Sums over each group's members (module docstring, cooperaties); without groups the
        rule's own arrays.
        """
        if self.groep is None:
            return self.gewichten, self.maximum
        g = self.contractpartners
        lid = np.zeros((self.partners, g))
        lid[np.arange(self.partners), self.groep] = 1.0
        maximum = None if self.maximum is None else self.maximum @ lid
        return self.gewichten @ lid, maximum


def centen(bedrag: FloatArray | float, out: FloatArray | None = None) -> FloatArray:
    """Euros to whole cents (as floats), half a cent rounded up; ``out`` to write into."""
    if out is None:
        return np.floor(np.asarray(bedrag, dtype=np.float64) * 100.0 + 0.5)
    np.multiply(bedrag, 100.0, out=out)
    out += 0.5
    return np.floor(out, out=out)


def grens_centen(a_c: float) -> float:
    """The largest amount ``x`` (euro) with ``centen(x) <= a_c``, for whole cents ``a_c``.

    :func:`centen` is non-decreasing (each floating-point step is), so ``centen(g) > a_c``
    exactly when ``g > x``: one comparison per value instead of the conversion. ``x`` is
    found from ``(a_c + 0.5) / 100`` in a few floating-point steps.
    """
    x = (float(a_c) + 0.5) / 100.0
    while centen(x) > a_c:
        x = float(np.nextafter(x, -np.inf))
    while centen(float(np.nextafter(x, np.inf))) <= a_c:
        x = float(np.nextafter(x, np.inf))
    return x


def _grondslag(verschil_c: FloatArray, drempel_c: float, soort: str) -> FloatArray:
    """What counts of an overschrijding (or onderschrijding) ``verschil_c >= 0``, in place."""
    if soort == "eigen_risico":
        verschil_c -= drempel_c
        return np.maximum(verschil_c, 0.0, out=verschil_c)
    if drempel_c > 0.0:
        verschil_c[verschil_c <= drempel_c] = 0.0
    return verschil_c


#: Up to this many partners the ranks come from pairwise comparisons (P(P − 1)/2 vectorised
#: comparisons, fastest for few partners); above it from a stable sort per scenario
#: (O(P log P)), so a rule over a thousand partners stays fast. Both give the same ranks.
PAREN_TOT = 16


def _rang(
    rest: FloatArray, paren_tot: int = PAREN_TOT, ruimte: Werkruimte | None = None
) -> NDArray[np.integer]:
    """Rank of every partner (row) among the remainders per scenario (column), ``(P, n)``.

    Rank 0 is the largest remainder; equal remainders rank in the order the partners are
    listed. With few partners: partner i < j outranks j unless j's remainder is strictly
    larger, so every j starts at the number of partners before it and moves one rank per
    pair where j wins. With many: a stable descending sort of each column. ``ruimte``:
    scratch arrays (the ranks are one of them, valid until the next call with it).
    """
    p, n = rest.shape
    if p <= paren_tot:
        rang = leeg(ruimte, "rang.rang", (p, n), np.int8)
        rang[...] = np.arange(p, dtype=np.int8)[:, None]
        wint = leeg(ruimte, "rang.wint", (n,), np.bool_)
        een = wint.view(np.int8)  # the same bytes as 0/1: adds without a cast
        for i in range(p):
            for j in range(i + 1, p):
                np.greater(rest[j], rest[i], out=wint)
                rang[i] += een
                rang[j] -= een
        return rang
    volgorde = np.argsort(-rest, axis=0, kind="stable")
    rang = np.empty((p, n), dtype=np.intp)
    np.put_along_axis(rang, volgorde, np.arange(p, dtype=np.intp)[:, None], axis=0)
    return rang


def verdeel_centen(
    totaal_c: FloatArray, gewichten: FloatArray, ruimte: Werkruimte | None = None
) -> FloatArray:
    """Split whole-cent totals over partners so the parts add up exactly.

    Parameters
    ----------
    totaal_c
        Totals in cents, shape ``(n,)`` (may be negative).
    gewichten
        Weights per partner, shape ``(P,)``, summing to 1.
    ruimte
        Scratch arrays, or None. With them the result is one of them too: valid until the
        next call with the same ``ruimte``.

    Returns
    -------
    ndarray
        Cents per partner, shape ``(P, n)``; columns sum to ``totaal_c``.
    """
    p, n = gewichten.size, totaal_c.size
    negatief = n > 0 and totaal_c.min() < 0.0
    absoluut = np.abs(totaal_c, out=leeg(ruimte, "verdeel.abs", (n,))) if negatief else totaal_c
    ruw = np.multiply(
        gewichten[:, None], absoluut[None, :], out=leeg(ruimte, "verdeel.ruw", (p, n))
    )
    deel = np.floor(ruw, out=leeg(ruimte, "verdeel.deel", (p, n)))
    rest = np.subtract(absoluut, deel.sum(axis=0), out=leeg(ruimte, "verdeel.rest", (n,)))
    ruw -= deel  # the remainders
    # rank of each partner among the remainders: larger ones first, ties to the first listed
    rang = _rang(ruw, ruimte=ruimte)
    rest_r = leeg(ruimte, "verdeel.rest_r", (n,), rang.dtype)  # 0..P-1: the ranks' own type
    rest_r[...] = rest  # compares without a cast per element
    deel += np.less(rang, rest_r, out=leeg(ruimte, "verdeel.krijgt", (p, n), np.bool_))
    if negatief:
        deel *= np.sign(totaal_c)[None, :]
    return deel


def terugvordering_compact(
    uitgaven_c: FloatArray, regel: Regel, ruimte: Werkruimte | None = None
) -> tuple[NDArray[np.intp], FloatArray]:
    """The rule on spending in whole cents: where something is clawed back, and how much.

    Parameters
    ----------
    uitgaven_c
        Spending per pot and scenario in whole cents (:func:`centen`), shape ``(K, n)``.
    regel
        The rule (:class:`Regel`).
    ruimte
        Scratch arrays (:mod:`montecarlo.werkruimte`), or None.

    Returns
    -------
    wie, deel_c
        The scenarios with a non-zero partners' share (indices, ascending) and the cents
        per partner there, shape ``(P, len(wie))`` (negative: paid to the partner). All
        other scenarios have zero for every partner.
    """
    a_c = centen(regel.plafond)
    d_c = centen(regel.drempel * regel.plafond)
    gewichten, maximum = regel.per_contractpartner()
    n, pots = uitgaven_c.shape[1], uitgaven_c.shape[0]
    totaal = None if pots == 1 else np.zeros((gewichten.shape[1], n))
    for pot in range(pots):
        verschil = np.subtract(uitgaven_c[pot], a_c[pot], out=leeg(ruimte, "regel.verschil", (n,)))
        over = np.maximum(verschil, 0.0, out=leeg(ruimte, "regel.over", (n,)))
        deel_c = _grondslag(over, d_c[pot], regel.drempel_soort)
        deel_c *= regel.aandeel_partners
        deel_c += 0.5
        np.floor(deel_c, out=deel_c)
        if regel.onderschrijding > 0.0:
            np.negative(verschil, out=verschil)
            onder = _grondslag(
                np.maximum(verschil, 0.0, out=verschil), d_c[pot], regel.drempel_soort
            )
            deel_c -= np.floor(regel.onderschrijding * onder + 0.5)
        # only scenarios with something to split (most often a minority) go through the split
        if not gewichten[pot].any():
            wie, te_verdelen = np.zeros(0, np.intp), deel_c[:0]
        elif np.count_nonzero(deel_c) == n:  # the tail alone, as the frontier passes it
            wie, te_verdelen = np.arange(n), deel_c
        else:
            wie = np.flatnonzero(deel_c)
            te_verdelen = np.take(deel_c, wie)
        deel = verdeel_centen(te_verdelen, gewichten[pot], ruimte)
        if totaal is not None:  # the split lives in ``ruimte``: add it up before the next pot
            totaal[:, wie] += deel
    if totaal is not None:
        wie = np.flatnonzero(totaal.any(axis=0))
        deel = totaal[:, wie]
    if maximum is not None:
        cap = np.floor(maximum * 100.0 + 1e-6)[:, None]
        np.clip(deel, -cap, cap, out=deel)
    if regel.groep is not None:
        deel = _naar_leden(deel, regel)
    return wie, deel


def _naar_leden(deel_c: FloatArray, regel: Regel) -> FloatArray:
    """Each contract partner's cents ``(G, m)`` split over its members ``(P, m)`` by the key.

    Largest remainder (:func:`verdeel_centen`), so the members' cents add up to the
    contract partner's exactly; a partner on its own takes its row unchanged.
    """
    groep = regel.groep
    assert groep is not None and regel.sleutel is not None
    uit = np.empty((regel.partners, deel_c.shape[1]))
    for c in range(deel_c.shape[0]):
        leden = np.flatnonzero(groep == c)
        if leden.size == 1:
            uit[leden[0]] = deel_c[c]
        else:
            uit[leden] = verdeel_centen(deel_c[c], regel.sleutel[leden])
    return uit


def terugvordering(uitgaven: FloatArray, regel: Regel) -> FloatArray:
    """Terugvordering per partner per scenario (euro; negative: paid to the partner).

    Parameters
    ----------
    uitgaven
        Spending per pot and scenario, shape ``(K, n)``, or ``(n,)`` for one pot (euro).
    regel
        The rule (:class:`Regel`).

    Returns
    -------
    ndarray
        Shape ``(P, n)``, whole cents expressed in euro.
    """
    s_c = centen(np.atleast_2d(np.asarray(uitgaven, dtype=np.float64)))
    wie, deel_c = terugvordering_compact(s_c, regel)
    totaal = np.zeros((regel.partners, s_c.shape[1]))
    totaal[:, wie] = deel_c / 100.0
    return totaal


def pot_overschrijding(
    uitgaven_c: FloatArray, plafond: FloatArray, out: FloatArray | None = None
) -> FloatArray:
    """The overschrijding the rule acts on: the sum over pots of ``max(0, S_k - A_k)``.

    Parameters
    ----------
    uitgaven_c
        Spending per pot and scenario in whole cents (:func:`centen`), shape ``(K, n)``.
    plafond
        Plafond per pot (euro), shape ``(K,)``.
    out
        Array of shape ``(n,)`` to write into, or None.

    Returns
    -------
    ndarray
        Euro (whole cents), shape ``(n,)``. With one pot: ``max(0, S - A)``. An underspend
        in one pot does not offset an overrun in another.
    """
    a_c = centen(np.asarray(plafond, dtype=np.float64))
    n = uitgaven_c.shape[1]
    over = np.zeros(n) if out is None else out
    over[...] = 0.0
    for k in range(uitgaven_c.shape[0]):
        over += np.maximum(uitgaven_c[k] - a_c[k], 0.0)
    over /= 100.0
    return over


def overschrijding(
    uitgaven: FloatArray, plafond: float, out: FloatArray | None = None
) -> FloatArray:
    """``max(0, uitgaven - plafond)`` in euro (whole cents); ``out`` to write into."""
    over = centen(uitgaven, out=out)
    over -= centen(plafond)
    np.maximum(over, 0.0, out=over)
    over /= 100.0
    return over
