"""One stroom of scenarios: how a block of normal scores becomes spending and cost.

The arithmetic of the engine (:mod:`montecarlo.motor`) for one piece of a stroom, apart
from the loop over strooms and workers: the per-run plan (:class:`_Plan`, the marginals
and the copula's folded factor, computed once), the scores → correlated lines → marginals
→ volumes → delivery → spending per pot and cost per partner (:func:`_scenarios`), and the
stroom's sums of the rule and the partners' results (:func:`_stroom_sommen`), in the row
order of :data:`_ALGEMEEN` and :data:`_PARTNER`. Everything is written into the worker's
scratch arrays (:mod:`montecarlo.werkruimte`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.celvolume import Clienten
from plafond.montecarlo.copula import factor
from plafond.montecarlo.levering import aandelen, lever
from plafond.montecarlo.lijnen import Lijnen, gevouwen_factor
from plafond.montecarlo.risicodeling import centen, pot_overschrijding, terugvordering_compact
from plafond.montecarlo.scenarios import Scenarios
from plafond.montecarlo.steekproef import STROOM
from plafond.montecarlo.vraag import totale_volumes
from plafond.montecarlo.werkruimte import Werkruimte

if TYPE_CHECKING:
    from plafond.montecarlo.motor import Model

FloatArray = NDArray[np.float64]

#: Names of the per-stroom sums, in row order; ``P`` partner rows follow per name in _PARTNER.
_ALGEMEEN = ("o", "o2", "o_kans")
_PARTNER = ("t", "t2", "t_kans", "r", "r2", "r_verlies", "r_tekort")


@dataclass(frozen=True)
class _Plan:
    """What every block needs besides the model, computed once per run.

    Attributes
    ----------
    lijnen
        The transforms of the copula's lines: overige, then the clients of each vraag line.
    factor
        The copula factor with each line's affine scale folded in (``(k, k)``).
    verschuiving
        Each line's affine shift, shape ``(k, 1)``.
    volume_mu, volume_sd
        Mean and sd of the volume per client of each vraag line.
    breedte
        Scenarios per piece (:func:`stuk_breedte`).
    sommen
        False: only the spending is wanted; the per-stroom sums (the rule, the partners'
        results) are skipped and ``Ruw.sommen`` holds zeros.
    """

    lijnen: Lijnen
    factor: FloatArray
    verschuiving: FloatArray
    volume_mu: FloatArray
    volume_sd: FloatArray
    breedte: int = STROOM
    sommen: bool = True


#: Work-array budget per worker (floats): a stroom whose arrays would exceed it is done in
#: pieces of a fixed width (a power of two, at least :data:`MIN_STUK`).
WERKGEHEUGEN = 2**24
MIN_STUK = 2**7


def stuk_breedte(model: Model) -> int:
    """Scenarios per piece for ``model``: a whole stroom unless its arrays exceed the budget.

    The floats per scenario are estimated from the scores, the lines and the cells (the
    largest work arrays: a few per cel, a few per line).
    """
    cellen = 0 if model.levering is None else model.levering.cel_lijn.size
    per_scenario = (model.dimensies + 4 * cellen + 6 * (len(model.overige) + len(model.vraag))
                    + 4 * model.lumpsum.size)  # fmt: skip
    breedte = STROOM
    while breedte > MIN_STUK and breedte * per_scenario > WERKGEHEUGEN:
        breedte //= 2
    return breedte


def _plan(model: Model, sommen: bool = True) -> _Plan:
    lijnen = Lijnen(model.overige + tuple(lijn.clienten for lijn in model.vraag))
    if model.factormodel is not None:
        gevouwen = np.zeros((0, 0))  # the factor model folds the scale in itself
    else:
        l_factor = factor(model.correlatie) if model.correlatie.size else np.zeros((0, 0))
        gevouwen = gevouwen_factor(l_factor, lijnen)
    return _Plan(
        lijnen=lijnen,
        factor=gevouwen,
        verschuiving=lijnen.verschuiving[:, None],
        volume_mu=np.array([lijn.volume_gemiddelde for lijn in model.vraag]),
        volume_sd=np.array([lijn.volume_sd for lijn in model.vraag]),
        breedte=stuk_breedte(model),
        sommen=sommen,
    )


def _scenario_waarden(
    model: Model, z: FloatArray, plan: _Plan, ruimte: Werkruimte
) -> tuple[FloatArray, FloatArray]:
    """Spending per pot ``(K, m)`` and cost per partner ``(P, m)`` for normal scores ``z``.

    Both live in ``ruimte``: valid until its next use.
    """
    uitgaven, kosten, _ = _scenarios(model, z, plan, ruimte)
    return uitgaven, kosten


def plan(model: Model) -> _Plan:
    """The per-model arrays the engine derives once (marginals, folded factor)."""
    return _plan(model)


class _Opname:
    """A :class:`Voorwaarde` that changes nothing and keeps a copy of the volume it sees."""

    def __init__(self, partners: int) -> None:
        self.kosten = np.zeros(partners)
        self.gezien: FloatArray | None = None

    def volume(self, v: FloatArray) -> None:
        self.gezien = v.copy()


def spending_en_volume(
    model: Model, z: FloatArray, plan_: _Plan, ruimte: Werkruimte
) -> tuple[FloatArray, FloatArray]:
    """Spending per pot ``(K, m)`` (euro, in ``ruimte``) and the total volume of every vraag
    line ``(L, m)`` (units, a copy) for normal scores ``z``: the engine's own draws, for
    users of the scenarios outside the engine (the risk-aware allocation)."""
    opname = _Opname(model.lumpsum.size)
    uitgaven, _, _ = _scenarios(model, z, plan_, ruimte, voorwaarde=opname)
    volume = opname.gezien if opname.gezien is not None else np.zeros((0, z.shape[1]))
    return uitgaven, volume


class Voorwaarde(Protocol):
    """A condition on the scenarios (:mod:`montecarlo.prognose`): what is realised already.

    ``volume(v)`` replaces the simulated volume per vraag line ``(L, m)`` in place by the
    volume still to come; ``kosten`` ``(P,)`` is the partners' realised cost (euro), added
    to every scenario's cost.
    """

    kosten: FloatArray

    def volume(self, v: FloatArray) -> None: ...


def _scenarios(
    model: Model,
    z: FloatArray,
    plan: _Plan,
    ruimte: Werkruimte,
    *,
    cellen: bool = False,
    schaal: FloatArray | None = None,
    voorwaarde: Voorwaarde | None = None,
) -> tuple[FloatArray, FloatArray, Scenarios | None]:
    """As :func:`_scenario_waarden`, plus the cel arrays when ``cellen`` (and a plan exists).

    ``schaal``: a factor per scenario ``(m,)`` on every line's volume before delivery (the
    cumulative demand growth of a later contract year, :mod:`montecarlo.jaren`).
    ``voorwaarde``: the realisations so far (:class:`Voorwaarde`).
    """
    nc, nv = len(model.overige), len(model.vraag)
    k0 = model.copula_dimensies
    m = z.shape[1]
    if model.factormodel is not None:
        waarden = model.factormodel.toepassen(z[:k0], plan.lijnen.schaal,
                                              out=ruimte("waarden", (nc + nv, m)))  # fmt: skip
    else:
        waarden = np.matmul(plan.factor, z[:k0], out=ruimte("waarden", (nc + nv, m)))
    waarden += plan.verschuiving
    plan.lijnen.uit_voorgeschaald(waarden, ruimte)
    uitgaven = ruimte("uitgaven", (model.vaste_uitgaven.size, m))
    if model.vaste_uitgaven.size == 1:
        np.add.reduce(waarden[:nc], axis=0, keepdims=True, out=uitgaven)
    else:
        uitgaven[...] = 0.0
        for i, pot in enumerate(model.overige_pot):
            uitgaven[pot] += waarden[i]
    kosten = ruimte("kosten", (model.lumpsum.size, m))
    if not nv:
        uitgaven += model.vaste_uitgaven[:, None]
        kosten[...] = 0.0
        return uitgaven, kosten, None
    volume = totale_volumes(waarden[nc:], z[k0 : k0 + nv], plan.volume_mu, plan.volume_sd, ruimte)
    if schaal is not None:
        volume *= schaal
    if voorwaarde is not None:
        voorwaarde.volume(volume)
    schok = _schok(model, z, k0 + nv + (model.levering.dimensies if model.levering else 0),
                   ruimte)  # fmt: skip
    lp = model.levering
    if lp is None:
        uitgaven += model.vaste_uitgaven[:, None]
        np.matmul(model.kosten, volume, out=kosten)
        if schok is not None:
            kosten *= schok
        return uitgaven, kosten, None
    s = aandelen(lp, z[k0 + nv : k0 + nv + lp.dimensies], m, ruimte)
    geleverd = lever(lp, volume, s, ruimte, cellen=cellen)
    if uitgaven.shape[0] == 1:
        uitgaven[0] += np.dot(lp.overig_tarief, geleverd.overig_volume)
    else:
        c_lijn = geleverd.overig_volume * lp.overig_tarief[:, None]
        np.add.at(uitgaven, lp.lijn_pot, c_lijn)
    overige = uitgaven.copy() if cellen else None
    uitgaven += model.vaste_uitgaven[:, None]
    kosten[...] = geleverd.partner_kosten
    if schok is not None:
        kosten *= schok
    if voorwaarde is not None:
        kosten += voorwaarde.kosten[:, None]
    if not cellen:
        return uitgaven, kosten, None
    # the cel arrays live in ``ruimte`` (valid until the worker's next piece, which is all
    # the arrangements need); a cel's clients are its line's in proportion to its volume
    per_eenheid = np.maximum(waarden[nc:], 0.0, out=ruimte("cel.n_lijn", volume.shape))
    np.divide(per_eenheid, volume, out=per_eenheid, where=volume > 0)  # else × a cel volume 0
    cel_volume = geleverd.cel_volume
    return uitgaven, kosten, Scenarios(cel_volume, Clienten(cel_volume, per_eenheid, ruimte),
                                       overige)  # fmt: skip


def _schok(model: Model, z: FloatArray, rij: int, ruimte: Werkruimte) -> FloatArray | float | None:
    """``1 + prijsschok`` per scenario (from score row ``rij``), a constant, or None."""
    if model.prijsschok is None:
        return None
    if not model.schok_random:
        return 1.0 + model.prijsschok.gemiddelde
    s = model.prijsschok.uit_normaal(z[rij], uit=ruimte("schok", (z.shape[1],)))
    s += 1.0
    return s


def _regel(model: Model, per_pot: FloatArray,
           ruimte: Werkruimte) -> tuple[FloatArray, NDArray[np.intp], FloatArray]:  # fmt: skip
    """The rule on one stroom's spending per pot: (spending in whole cents, ``wie``, the
    terugvordering per partner there in euro) (:func:`terugvordering_compact`)."""
    s_c = centen(per_pot, out=ruimte("sommen.centen", per_pot.shape))
    wie, terug = terugvordering_compact(s_c, model.regel, ruimte)
    terug /= 100.0
    return s_c, wie, terug


def _stroom_sommen(
    model: Model,
    per_pot: FloatArray,
    totaal: FloatArray,
    kosten: FloatArray,
    ruimte: Werkruimte,
    regel: tuple[FloatArray, NDArray[np.intp], FloatArray] | None = None,
) -> FloatArray:
    """The sums of one stroom, in the row order of :data:`_ALGEMEEN` and :data:`_PARTNER`.

    The rule runs once, in whole cents (:func:`_regel`, or its result ``regel``); the
    terugvordering is non-zero only in the scenarios ``wie``, so its sums are taken there.
    """
    s_c, wie, terug = _regel(model, per_pot, ruimte) if regel is None else regel
    over = pot_overschrijding(s_c, model.regel.plafond, out=ruimte("sommen.over", totaal.shape))
    # resultaat = lumpsum - kosten - terug; terug is zero outside ``wie``, so the sums are
    # those of lumpsum - kosten, corrected in the scenarios ``wie`` only
    inkomen = model.lumpsum if model.reeds_betaald is None else model.lumpsum + model.reeds_betaald
    basis = np.subtract(inkomen[:, None], kosten, out=ruimte("sommen.basis", kosten.shape))
    verlies = np.less(basis, 0.0, out=ruimte("sommen.verlies", kosten.shape, np.bool_))
    tekort = np.minimum(basis, 0.0, out=ruimte("sommen.tekort", kosten.shape))
    r_som, r_kwadraat = basis.sum(axis=1), np.einsum("ij,ij->i", basis, basis)
    r_verlies, r_tekort = np.count_nonzero(verlies, axis=1), -tekort.sum(axis=1)
    if wie.size:
        b = np.take(basis, wie, axis=1)
        r = b - terug
        r_som -= terug.sum(axis=1)
        r_kwadraat += np.einsum("ij,ij->i", r, r) - np.einsum("ij,ij->i", b, b)
        r_verlies += np.count_nonzero(r < 0.0, axis=1) - np.count_nonzero(b < 0.0, axis=1)
        r_tekort -= np.minimum(r, 0.0).sum(axis=1) - np.minimum(b, 0.0).sum(axis=1)
    return np.concatenate(
        [
            [over.sum(), np.dot(over, over), np.count_nonzero(over)],
            terug.sum(axis=1),
            np.einsum("ij,ij->i", terug, terug),
            np.count_nonzero(terug > 0, axis=1),
            r_som,
            r_kwadraat,
            r_verlies,
            r_tekort,
        ]
    )
