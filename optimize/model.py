"""The Pyomo model: one ``define_*`` function per constraint family.

Notation (all sums over allowed combinations only; k = (g, a, p)):

- ``v_k`` volume, eenheden; ``b_k`` bedrag, euro; ``t_k`` reëel tarief, euro/eenheid;
- ``D_gp`` demand left after overige (``vraag - overige_volume``), eenheden;
- ``C`` expected overige uitgaven, euro; ``A`` plafond, euro.

Every family is an integer-indexed Pyomo ``Constraint`` named after the family, so a
row's dual maps back to domain ids through :class:`ModelIndex`. Rows are built from
sparse index groups with ``LinearExpression``; never over all G x A x P.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression

from .probleem import AllocationProblem

__all__ = ["Doel", "ModelIndex", "build_model", "VERDELING_EPSILON"]

#: weight of total cost as tie-break in the verdeling and dekking objectives (per euro)
VERDELING_EPSILON = 1e-6
#: penalty, in euro, per unit of slack on a count constraint in the elastic model
TELLING_STRAF = 1e4


class Doel(str, Enum):
    """The objective: ``kosten``, ``verdeling`` or ``dekking``."""

    KOSTEN = "kosten"
    VERDELING = "verdeling"
    DEKKING = "dekking"


@dataclass(frozen=True, eq=False)
class ModelIndex:
    """Maps each family's integer row index to domain indices.

    ``rijen[familie]`` is an int array: for dekking/verdeling the flat index
    ``g * P + p`` (verdeling: ``g``), for capaciteit ``a * P + p``, for reeel_tarief the
    combination k, for transitie and max_gebieden the aanbieder ``a``, for
    min/max_aanbieders the gebied ``g``, for minimum_bedrag the rule's position.
    """

    rijen: dict[str, np.ndarray]
    gewicht_dekking: np.ndarray  # euro per eenheid of tekort, per dekking row


def _groepen(sleutel: np.ndarray, rijen: np.ndarray) -> list[np.ndarray]:
    """For each key in ``rijen``, the positions in ``sleutel`` holding it."""
    order = np.argsort(sleutel, kind="stable")
    gesorteerd = sleutel[order]
    start = np.searchsorted(gesorteerd, rijen, side="left")
    eind = np.searchsorted(gesorteerd, rijen, side="right")
    return [order[s:e] for s, e in zip(start.tolist(), eind.tolist(), strict=True)]


def _lineair(coefs: Sequence[float], variabelen: Sequence[object]) -> LinearExpression:
    return LinearExpression(linear_coefs=list(coefs), linear_vars=list(variabelen))


def _rijen(
    m: pyo.ConcreteModel,
    naam: str,
    termen: Sequence[tuple[list[float], list[object]]],
    lb: Sequence[float | None] | float | None,
    ub: Sequence[float | None] | float | None,
) -> None:
    """Add family ``naam`` with rows ``lb_i <= sum coefs_i * vars_i <= ub_i``."""
    n = len(termen)
    lbs = lb if isinstance(lb, (list, tuple, np.ndarray)) else [lb] * n
    ubs = ub if isinstance(ub, (list, tuple, np.ndarray)) else [ub] * n

    def regel(_m: pyo.ConcreteModel, i: int) -> tuple:
        coefs, variabelen = termen[i]
        return (lbs[i], _lineair(coefs, variabelen), ubs[i])

    m.add_component(naam, pyo.Constraint(range(n), rule=regel))


def _slack(m: pyo.ConcreteModel, naam: str, n: int, straf: np.ndarray | float) -> list | None:
    """Elastic slack variables for a family (None when not elastic)."""
    if not m.elastisch:
        return None
    var = pyo.Var(range(n), domain=pyo.NonNegativeReals)
    m.add_component(f"slack_{naam}", var)
    straffen = np.broadcast_to(np.asarray(straf, dtype=float), (n,))
    m.strafterm.extend(zip(straffen.tolist(), var.values(), strict=True))
    return list(var.values())


def define_variables(m: pyo.ConcreteModel, pr: AllocationProblem) -> None:
    """Volume ``v_k >= 0`` (eenheden) and bedrag ``b_k >= 0`` (euro) per combination."""
    m.volume = pyo.Var(range(pr.n_combos), domain=pyo.NonNegativeReals)
    m.bedrag = pyo.Var(range(pr.n_combos), domain=pyo.NonNegativeReals)
    m.v = list(m.volume.values())
    m.b = list(m.bedrag.values())


def define_dekking(m: pyo.ConcreteModel, pr: AllocationProblem, doel: Doel) -> ModelIndex:
    """Demand of every gebied and product is covered.

    .. math:: \\sum_a v_{gap} + s_{gp} \\ge D_{gp} \\quad \\forall (g, p): D_{gp} > 0

    with shortfall ``s_gp >= 0`` (eenheden) only under doel ``dekking``. A row with no
    allowed aanbieder is kept only when it has a shortfall variable.
    """
    n_p = len(pr.producten)
    rest = pr.vraag_rest.ravel()
    sleutel = pr.combo_gebied * n_p + pr.combo_product
    kandidaten = np.flatnonzero(rest > 0)
    groepen = _groepen(sleutel, kandidaten)
    if doel is not Doel.DEKKING:
        houd = np.array([g.size > 0 for g in groepen], dtype=bool)
        kandidaten = kandidaten[houd]
        groepen = [g for g, h in zip(groepen, houd.tolist(), strict=True) if h]
    # reference tarief of each product: mean reëel tarief over its combinations
    som = np.bincount(pr.combo_product, weights=pr.tarief, minlength=n_p)
    aantal = np.bincount(pr.combo_product, minlength=n_p)
    tref = np.where(aantal > 0, som / np.maximum(aantal, 1), 1.0)
    gewicht = tref[kandidaten % n_p]
    n = len(kandidaten)
    extra: list[list[object]] = [[] for _ in range(n)]
    if doel is Doel.DEKKING and not m.elastisch:
        m.tekort = pyo.Var(range(n), domain=pyo.NonNegativeReals)
        for i, var in enumerate(m.tekort.values()):
            extra[i].append(var)
        m.doelterm.extend(zip(gewicht.tolist(), m.tekort.values(), strict=True))
    slack = _slack(m, "dekking", n, 2.0 * gewicht)
    if slack is not None:
        for i, var in enumerate(slack):
            extra[i].append(var)
    v = m.v
    termen = [
        ([1.0] * (idx.size + len(e)), [v[k] for k in idx.tolist()] + e)
        for idx, e in zip(groepen, extra, strict=True)
    ]
    _rijen(m, "dekking", termen, rest[kandidaten].tolist(), None)
    return ModelIndex(rijen={"dekking": kandidaten}, gewicht_dekking=gewicht)


def define_reeel_tarief(m: pyo.ConcreteModel, pr: AllocationProblem) -> np.ndarray:
    """Never fund a volume below its reëel tarief.

    .. math:: b_k - t_k v_k \\ge 0 \\quad \\forall k
    """
    t = pr.tarief.tolist()
    termen = [([1.0, -t[k]], [m.b[k], m.v[k]]) for k in range(pr.n_combos)]
    _rijen(m, "reeel_tarief", termen, 0.0, None)
    return np.arange(pr.n_combos)


def define_max_opslag(m: pyo.ConcreteModel, pr: AllocationProblem) -> np.ndarray:
    """Pay only for volume delivered, at most ``max_opslag`` above its reëel tarief.

    .. math:: b_k - (1 + \\rho) t_k v_k \\le 0 \\quad \\forall k

    With :math:`\\rho` = ``max_opslag`` (default 0). A combination without volume gets
    nothing, under every doel.
    """
    t = ((1.0 + pr.max_opslag) * pr.tarief).tolist()
    termen = [([1.0, -t[k]], [m.b[k], m.v[k]]) for k in range(pr.n_combos)]
    _rijen(m, "max_opslag", termen, None, 0.0)
    return np.arange(pr.n_combos)


def define_vraag_max(m: pyo.ConcreteModel, pr: AllocationProblem) -> np.ndarray:
    """Under doel verdeling: no volume above the demand of a gebied and product.

    .. math:: \\sum_a v_{gap} \\le D_{gp} \\quad \\forall (g, p) \\text{ with a combination}

    Without it the objective could meet a gebied's fair share by buying volume nobody
    asks for; the room under the plafond can then only go to an opslag (max_opslag).
    """
    n_p = len(pr.producten)
    sleutel = pr.combo_gebied * n_p + pr.combo_product
    rijen = np.unique(sleutel)
    groepen = _groepen(sleutel, rijen)
    termen = [([1.0] * idx.size, [m.v[k] for k in idx.tolist()]) for idx in groepen]
    _rijen(m, "vraag_max", termen, None, pr.vraag_rest.ravel()[rijen].tolist())
    return rijen


def define_capaciteit(m: pyo.ConcreteModel, pr: AllocationProblem) -> np.ndarray:
    """Volume per aanbieder and product within its capaciteit.

    .. math:: \\sum_g v_{gap} \\le c_{ap} \\quad \\forall (a, p): c_{ap} < \\infty
    """
    n_p = len(pr.producten)
    sleutel = pr.combo_aanbieder * n_p + pr.combo_product
    cap = pr.capaciteit.ravel()
    rijen = np.intersect1d(np.unique(sleutel), np.flatnonzero(np.isfinite(cap)))
    groepen = _groepen(sleutel, rijen)
    slack = _slack(m, "capaciteit", len(rijen), pr.tarief.mean() if pr.n_combos else 1.0)
    termen = []
    for i, idx in enumerate(groepen):
        coefs, variabelen = [1.0] * idx.size, [m.v[k] for k in idx.tolist()]
        if slack is not None:
            coefs, variabelen = coefs + [-1.0], variabelen + [slack[i]]
        termen.append((coefs, variabelen))
    _rijen(m, "capaciteit", termen, None, cap[rijen].tolist())
    return rijen


def define_plafond(m: pyo.ConcreteModel, pr: AllocationProblem) -> np.ndarray:
    """All bedragen plus expected overige uitgaven within the plafond.

    .. math:: \\sum_k b_k + C + R \\le A  \\quad (R: reeds_betaald)
    """
    coefs, variabelen = [1.0] * pr.n_combos, list(m.b)
    slack = _slack(m, "plafond", 1, 1.0)
    if slack is not None:
        coefs, variabelen = coefs + [-1.0], variabelen + slack
    _rijen(m, "plafond", [(coefs, variabelen)], None, pr.budget)
    return np.zeros(1, dtype=np.int64)


def define_marktordening(m: pyo.ConcreteModel, pr: AllocationProblem) -> dict[str, np.ndarray]:
    """Market rules; the first three need binaries ``y_ga`` (aanbieder a active in g).

    .. math::
        v_{gap} &\\le M_{gap}\\, y_{ga}, \\quad M_{gap} = D_{gp}
            &\\text{(koppeling)}\\\\
        b_{gap} &\\le (A - C)\\, y_{ga} &\\text{(koppeling: paid means active)}\\\\
        \\sum_g y_{ga} &\\le k_a &\\text{(max_gebieden)}\\\\
        n_{\\min} \\le \\sum_a y_{ga} &\\le n_{\\max} &\\text{(min/max_aanbieders)}\\\\
        \\sum_p v_{gap} &\\ge \\delta_g\\, y_{ga},\\ \\delta_g = 0.01 \\min_p D_{gp}
            &\\text{(activiteit: active means delivering)}\\\\
        \\sum_{k \\in S_i} b_k &\\ge \\underline{B}_i &\\text{(minimum_bedrag)}
    """
    rijen: dict[str, np.ndarray] = {}
    n_a = len(pr.aanbieders)
    if pr.heeft_binairen:
        paar_sleutel = pr.combo_gebied * n_a + pr.combo_aanbieder
        paren, paar_van_combo = np.unique(paar_sleutel, return_inverse=True)
        budget = max(pr.budget, 0.0)  # no b_k can exceed it: a valid big-M for bedrag
        m.actief = pyo.Var(range(paren.size), domain=pyo.Binary)
        y = list(m.actief.values())
        groot = pr.vraag_rest[pr.combo_gebied, pr.combo_product].tolist()
        pk = paar_van_combo.tolist()
        # rows 0..K-1 couple the volume, rows K..2K-1 the bedrag: an aanbieder paid in
        # a gebied is active there, even without volume (verdeling may top up spending)
        termen = [([1.0, -groot[k]], [m.v[k], y[pk[k]]]) for k in range(pr.n_combos)]
        termen += [([1.0, -budget], [m.b[k], y[pk[k]]]) for k in range(pr.n_combos)]
        _rijen(m, "koppeling", termen, None, 0.0)
        rijen["koppeling"] = np.tile(np.arange(pr.n_combos), 2)
        paar_g, paar_a = paren // n_a, paren % n_a
        if np.isfinite(pr.max_gebieden).any():
            rij = np.flatnonzero(np.isfinite(pr.max_gebieden))
            rij = np.intersect1d(rij, np.unique(paar_a))
            groepen = _groepen(paar_a, rij)
            slack = _slack(m, "max_gebieden", rij.size, TELLING_STRAF)
            termen = [_som(idx, y, slack, i, -1.0) for i, idx in enumerate(groepen)]
            _rijen(m, "max_gebieden", termen, None, pr.max_gebieden[rij].tolist())
            rijen["max_gebieden"] = rij
        for naam, grens in (
            ("min_aanbieders", pr.min_aanbieders_per_gebied),
            ("max_aanbieders", pr.max_aanbieders_per_gebied),
        ):
            if grens is None:
                continue
            rij = np.unique(paar_g)
            groepen = _groepen(paar_g, rij)
            teken = 1.0 if naam == "min_aanbieders" else -1.0
            slack = _slack(m, naam, rij.size, TELLING_STRAF)
            termen = [_som(idx, y, slack, i, teken) for i, idx in enumerate(groepen)]
            lb, ub = (float(grens), None) if teken > 0 else (None, float(grens))
            _rijen(m, naam, termen, lb, ub)
            rijen[naam] = rij
        if pr.min_aanbieders_per_gebied is not None:
            rest = pr.vraag_rest
            delta = 0.01 * np.where(rest > 0, rest, np.inf).min(axis=1)
            delta = np.where(np.isfinite(delta), delta, 0.0)
            groepen = _groepen(paar_van_combo, np.arange(paren.size))
            termen = [
                ([1.0] * idx.size + [-float(delta[paar_g[j]])], [m.v[k] for k in idx] + [y[j]])
                for j, idx in enumerate(groepen)
            ]
            _rijen(m, "activiteit", termen, 0.0, None)
            rijen["activiteit"] = np.arange(paren.size)
    if pr.minimum_bedrag:
        slack = _slack(m, "minimum_bedrag", len(pr.minimum_bedrag), 1.0)
        termen = []
        for i, regel in enumerate(pr.minimum_bedrag):
            kies = pr.combo_aanbieder == regel.aanbieder
            if regel.gebied is not None:
                kies &= pr.combo_gebied == regel.gebied
            if regel.product is not None:
                kies &= pr.combo_product == regel.product
            termen.append(_som(np.flatnonzero(kies), m.b, slack, i, 1.0))
        _rijen(m, "minimum_bedrag", termen, [r.bedrag for r in pr.minimum_bedrag], None)
        rijen["minimum_bedrag"] = np.arange(len(pr.minimum_bedrag))
    return rijen


def _som(idx: np.ndarray, var: list, slack: list | None, i: int, teken: float) -> tuple:
    coefs, variabelen = [1.0] * idx.size, [var[k] for k in idx.tolist()]
    if slack is not None:
        coefs, variabelen = coefs + [teken], variabelen + [slack[i]]
    return coefs, variabelen


def define_transitie(m: pyo.ConcreteModel, pr: AllocationProblem) -> dict[str, np.ndarray]:
    """Each aanbieder with a lumpsum ``L_a`` keeps its bedrag within the band ``beta``.

    .. math:: (1-\\beta) L_a \\le \\sum_{g,p} b_{gap} \\le (1+\\beta) L_a
              \\quad \\forall a: L_a > 0

    Two one-sided families (transitie_min, transitie_max), so each has its own dual.
    """
    if pr.transitie_band is None:
        return {}
    rij = np.flatnonzero(pr.lumpsum > 0)
    groepen = _groepen(pr.combo_aanbieder, rij)
    band = float(pr.transitie_band)
    uit: dict[str, np.ndarray] = {}
    for naam, factor, teken in (
        ("transitie_min", 1 - band, 1.0),
        ("transitie_max", 1 + band, -1.0),
    ):
        slack = _slack(m, naam, rij.size, 1.0)
        termen = [_som(idx, m.b, slack, i, teken) for i, idx in enumerate(groepen)]
        grens = (factor * pr.lumpsum[rij]).tolist()
        _rijen(m, naam, termen, *((grens, None) if teken > 0 else (None, grens)))
        uit[naam] = rij
    return uit


def define_doel(m: pyo.ConcreteModel, pr: AllocationProblem, doel: Doel) -> np.ndarray | None:
    """The objective (minimised), in euro.

    - kosten: :math:`\\min \\sum_k b_k`.
    - verdeling: fair share :math:`F_g = A\\, w_g / \\sum w`; spending per gebied
      :math:`S_g = \\sum_{a,p} b_{gap} + C_g = F_g + o^+_g - o^-_g`;
      :math:`\\min \\sum_g (o^+_g + o^-_g) + \\epsilon \\sum_k b_k`.
    - dekking: :math:`\\min \\sum_{gp} \\bar t_p s_{gp} + \\epsilon \\sum_k b_k`, the
      shortfall valued at the product's mean reëel tarief (so uur and dagdeel add up).
    - elastic model: :math:`\\min \\sum` penalty x slack, the doel ignored.
    """
    rij = None
    if m.elastisch:
        termen = m.strafterm
    elif doel is Doel.KOSTEN:
        termen = [(1.0, b) for b in m.b]
    else:
        termen = list(m.doelterm) + [(VERDELING_EPSILON, b) for b in m.b]
        if doel is Doel.VERDELING:
            n_g = len(pr.gebieden)
            rij = np.arange(n_g)
            m.boven = pyo.Var(rij.tolist(), domain=pyo.NonNegativeReals)
            m.onder = pyo.Var(rij.tolist(), domain=pyo.NonNegativeReals)
            boven, onder = list(m.boven.values()), list(m.onder.values())
            eerlijk = pr.plafond * pr.gewicht / pr.gewicht.sum()
            rechts = eerlijk - pr.overige_uitgaven.sum(axis=1)
            groepen = _groepen(pr.combo_gebied, rij)
            regels = [
                (
                    [1.0] * idx.size + [-1.0, 1.0],
                    [m.b[k] for k in idx.tolist()] + [boven[g], onder[g]],
                )
                for g, idx in enumerate(groepen)
            ]
            _rijen(m, "verdeling", regels, rechts.tolist(), rechts.tolist())
            termen += [(1.0, x) for x in boven + onder]
    coefs, variabelen = zip(*termen, strict=True) if termen else ((), ())
    m.doel = pyo.Objective(expr=_lineair(coefs, variabelen), sense=pyo.minimize)
    return rij


def build_model(
    pr: AllocationProblem, doel: Doel | str = Doel.KOSTEN, *, elastisch: bool = False
) -> tuple[pyo.ConcreteModel, ModelIndex]:
    """Build the allocation model; reads as a table of contents of the families.

    Parameters
    ----------
    pr : AllocationProblem
    doel : Doel or str
        ``kosten``, ``verdeling`` or ``dekking``.
    elastisch : bool
        Add a penalised slack to every family except reeel_tarief and minimise the
        penalties (finding which constraints conflict, and by how much).

    Returns
    -------
    (ConcreteModel, ModelIndex)
    """
    doel = Doel(doel)
    with PauseGC():
        m = pyo.ConcreteModel(name=pr.naam)
        m.elastisch = elastisch
        m.strafterm, m.doelterm = [], []
        define_variables(m, pr)
        index = define_dekking(m, pr, doel)
        rijen = dict(index.rijen)
        rijen["reeel_tarief"] = define_reeel_tarief(m, pr)
        rijen["max_opslag"] = define_max_opslag(m, pr)
        if doel is Doel.VERDELING:
            rijen["vraag_max"] = define_vraag_max(m, pr)
        rijen["capaciteit"] = define_capaciteit(m, pr)
        rijen["plafond"] = define_plafond(m, pr)
        rijen.update(define_marktordening(m, pr))
        rijen.update(define_transitie(m, pr))
        verdeling = define_doel(m, pr, doel)
        if verdeling is not None:
            rijen["verdeling"] = verdeling
    return m, ModelIndex(rijen=rijen, gewicht_dekking=index.gewicht_dekking)
