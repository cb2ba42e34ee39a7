"""Risk-aware allocation: scenario rows on top of the allocation model.

The scenarios come as plain arrays (:class:`RisicoScenarios`; the front door draws them
with montecarlo, which optimize never imports). In scenario s the gemeente spends

.. math::
    L_s = \\sum_k b_k + C_s + \\sum_{gp} p_{gp} (D^s_{gp} - o_{gps}), \\qquad
    o_{gps} \\le \\sum_a v_{gap}, \\; o_{gps} \\le D^s_{gp}

the partners' bedragen b, the overige uitgaven C_s, and the demand the partners cannot
deliver in s paid to the overige at price p per eenheid: o is what the partners deliver of
the demand D in s, at most their allocated volume v (so ``D - o`` is the shortfall
``max(0, D - sum v)``, or more, which never pays; o has no lower bound, as the shortfall
has no upper one: a bound there was measured to double HiGHS's time). The demand enters as
the upper bound of o and in the constant of L_s, so the rows hold no scenario data (filling
a Param over gebied × product × scenario cost more than the rest of the build).

On the overschrijding of the plafond A one of three constraints:

- ``kans`` α as CVaR (Rockafellar–Uryasev, an LP): :math:`\\eta + \\frac{1}{\\alpha S}
  \\sum_s z_s \\le A`, :math:`z_s \\ge L_s - \\eta`, :math:`z_s \\ge 0`. CVaR at level
  1 − α is at least the VaR, so the sample overschrijdingskans is at most α (a safe,
  convex stand-in for the chance constraint).
- ``kans`` α as a sample-average chance constraint (a MILP, for small S):
  :math:`L_s - A \\le M_s y_s`, :math:`\\sum_s y_s \\le \\lfloor \\alpha S \\rfloor`,
  y binary, with :math:`M_s` the largest L_s the plafond row allows.
- ``cvar`` X: the CVaR 95 % of the overschrijding at most X euro:
  :math:`\\eta + \\frac{1}{0.05 S} \\sum_s z_s \\le X`, :math:`z_s \\ge L_s - A - \\eta`,
  :math:`z_s, \\eta \\ge 0`.

Buffer volume (v above the expected demand) costs its reëel tarief in every scenario and
saves p per eenheid in the scenarios where demand comes above it, so it lowers the tail
only where p exceeds the partners' tarief; at equal prices no allocation spends less in
any scenario than the deterministic one, and a stricter risk is infeasible (exit 3).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from .highs import SolverOpties, Status, compileer, kolom_posities, los_op
from .model import Doel, ModelIndex, _groepen, _rijen, build_model
from .onhaalbaar import Conflict, NoFeasibleAllocation
from .probleem import AllocationProblem
from .resultaat import Allocatie, extraheer

__all__ = [
    "RisicoEis",
    "RisicoScenarios",
    "RisicoAllocatie",
    "allocate_risico",
    "bedrag_volume",
    "build_risico_model",
    "uitgaven",
]

#: CVaR level of the ``cvar`` form (fraction).
CVAR_NIVEAU = 0.95


@dataclass(frozen=True, eq=False)
class RisicoScenarios:
    """Scenario rows as plain arrays.

    Attributes
    ----------
    overige : ndarray, shape (S,)
        Overige uitgaven C_s per scenario (euro).
    vraag : ndarray, shape (S, G, P)
        Demand for the partners per scenario (eenheden).
    prijs_overig : ndarray, shape (G, P)
        What the overige are paid per eenheid the partners do not deliver (euro).
    """

    overige: np.ndarray
    vraag: np.ndarray
    prijs_overig: np.ndarray

    @property
    def n(self) -> int:
        """Number of scenarios S."""
        return int(self.overige.size)


@dataclass(frozen=True)
class RisicoEis:
    """The risk constraint: ``vorm`` "cvar_kans" or "binair" with ``kans`` α, or "cvar"
    with ``cvar`` (euro, CVaR 95 % of the overschrijding)."""

    vorm: str
    kans: float | None = None
    cvar: float | None = None

    def __post_init__(self) -> None:
        if self.vorm in ("cvar_kans", "binair"):
            if self.kans is None or not 0.0 < self.kans < 1.0:
                raise ValueError(f"kans moet tussen 0 en 1 liggen, niet {self.kans!r}")
        elif self.vorm == "cvar":
            if self.cvar is None or self.cvar < 0:
                raise ValueError(f"cvar moet een bedrag >= 0 zijn, niet {self.cvar!r}")
        else:
            raise ValueError(f"onbekende vorm {self.vorm!r}; toegestaan: cvar_kans, binair, cvar")


@dataclass(frozen=True, eq=False)
class RisicoAllocatie:
    """An allocation under a risk constraint, with its in-sample risk.

    Attributes
    ----------
    allocatie
        The :class:`~optimize.resultaat.Allocatie` (bedrag and volume per combination).
    eis
        The risk constraint.
    scenarios
        S, the number of scenario rows.
    overschrijdingskans, cvar95_overschrijding
        In sample, on the rows the model saw (fraction; euro).
    schaduwprijs
        Dual of the risk row (euro of doelwaarde per euro of the bound), or None.
    """

    allocatie: Allocatie
    eis: RisicoEis
    scenarios: int
    overschrijdingskans: float
    cvar95_overschrijding: float
    schaduwprijs: float | None

    def to_dict(self) -> dict:
        """The optimize JSON plus ``risico``: the constraint and the in-sample figures."""
        d = self.allocatie.to_dict()
        d["risico"] = {
            "vorm": self.eis.vorm,
            "kans": self.eis.kans,
            "cvar": self.eis.cvar,
            "scenarios": self.scenarios,
            "overschrijdingskans": self.overschrijdingskans,
            "cvar95_overschrijding": round(self.cvar95_overschrijding, 2),
            "schaduwprijs": self.schaduwprijs,
        }
        return d


def uitgaven(
    pr: AllocationProblem, bedrag: np.ndarray, volume: np.ndarray, sc: RisicoScenarios
) -> np.ndarray:
    """L_s for an allocation (bedrag, volume per combination) on scenario rows (euro, (S,)).

    The same formula as the model's rows, on arrays: the in-sample and the out-of-sample
    check of an allocation.
    """
    n_g, n_p = len(pr.gebieden), len(pr.producten)
    geleverd = np.zeros(n_g * n_p)
    np.add.at(geleverd, pr.combo_gebied * n_p + pr.combo_product, volume)
    tekort = np.maximum(sc.vraag.reshape(sc.n, -1) - geleverd[None, :], 0.0)
    return float(np.sum(bedrag)) + sc.overige + tekort @ sc.prijs_overig.ravel()


def _cvar(x: np.ndarray, niveau: float) -> float:
    k = max(1, math.ceil((1.0 - niveau) * x.size - 1e-9))
    return float(np.sort(x)[x.size - k :].mean())


@contextmanager
def _sjablonen() -> Iterator[None]:
    """Indexed constraints built inside are Pyomo templates: the rule is traced once and the
    standard-form compiler expands it for every index (Pyomo 6.10's
    ``TEMPLATIZE_CONSTRAINTS``; where that switch is missing, plain constraints: the same
    rows, slower). Measured for 1.000 scenarios: build and compile 0,35 -> 0,15 s."""
    from pyomo.core.base import constraint

    oud = getattr(constraint, "TEMPLATIZE_CONSTRAINTS", None)
    if oud is None:
        yield
        return
    constraint.TEMPLATIZE_CONSTRAINTS = True
    try:
        yield
    finally:
        constraint.TEMPLATIZE_CONSTRAINTS = oud


def _scenario_uitgaven(m: pyo.ConcreteModel, pr: AllocationProblem, sc: RisicoScenarios) -> None:
    """Variables o (delivered per gebied, product and scenario, at most the demand) and their
    rows, over the sets ``risico_J`` (gebied × product with partners) × ``risico_S``
    (scenarios); stores the constant of L_s per scenario on the model: C_s plus all demand
    at the overige price."""
    n_p, s_n = len(pr.producten), sc.n
    sleutel = pr.combo_gebied * n_p + pr.combo_product
    vraag = sc.vraag.reshape(s_n, -1)
    gp = np.flatnonzero(vraag.max(axis=0) > 0)
    groepen = _groepen(sleutel, gp)
    met = [i for i, g in enumerate(groepen) if g.size]
    prijs = sc.prijs_overig.ravel()
    m.risico_constante = sc.overige + vraag[:, gp] @ prijs[gp]
    m.risico_S = pyo.Set(initialize=range(s_n))
    m.risico_J = pyo.Set(initialize=range(len(met)))
    m.risico_groep = pyo.Set(m.risico_J, initialize={j: groepen[i].tolist()
                                                     for j, i in enumerate(met)})  # fmt: skip
    m.risico_prijs = pyo.Param(m.risico_J, mutable=True, initialize=dict(enumerate(
        prijs[gp[met]].tolist())))  # fmt: skip
    m.geleverd_s = pyo.Var(m.risico_J, m.risico_S, domain=pyo.Reals)
    # the demand as upper bounds, in the Var's index order (j, s): one attribute per column,
    # a fifth of what a Param over J × S costs to fill
    for o, d in zip(m.geleverd_s.values(), vraag[:, gp[met]].T.ravel().tolist(), strict=True):
        o.ub = d
    with _sjablonen():
        m.risico_levering = pyo.Constraint(m.risico_J, m.risico_S, rule=_levering_regel)


def _levering_regel(m: pyo.ConcreteModel, j: int, s: int) -> object:
    """The partners' volume in gebied × product j >= what they deliver there in s."""
    return sum(m.volume[k] for k in m.risico_groep[j]) - m.geleverd_s[j, s] >= 0.0


def _uitgaven_s(m: pyo.ConcreteModel, s: int) -> object:
    """L_s without its constant: the bedragen minus what the partners' delivery saves."""
    return sum(m.bedrag[k] for k in m.bedrag.index_set()) - sum(
        m.risico_prijs[j] * m.geleverd_s[j, s] for j in m.risico_J)  # fmt: skip


def _cvar_rijen(m: pyo.ConcreteModel, sc: RisicoScenarios, niveau: float, grens: float,
                plafond: float | None) -> None:  # fmt: skip
    """eta + sum z / ((1 - niveau) S) <= grens, z_s >= L_s - (plafond) - eta, z >= 0.

    Built on the shifted ``y_s = z_s - c_s``, with ``c_s`` the constant of ``L_s`` minus the
    plafond: the rows ``y_s + eta - (L_s - constant) >= 0`` then hold no scenario data, the
    data sits in the bounds ``y_s >= -c_s`` (one attribute per column, where a Param over the
    scenarios cost 5 ms at S = 1.000), and the CVaR row reads
    ``eta + w sum y <= grens - w sum c``. The same LP, shifted.
    """
    s_n = sc.n
    m.eta = pyo.Var(domain=pyo.Reals if plafond is None else pyo.NonNegativeReals)
    m.z_verschoven = pyo.Var(m.risico_S, domain=pyo.Reals)  # y_s = z_s - c_s (docstring)
    c = m.risico_constante - (0.0 if plafond is None else plafond)
    for y, c_s in zip(m.z_verschoven.values(), c.tolist(), strict=True):
        y.lb = -c_s
    with _sjablonen():
        m.risico_staart = pyo.Constraint(m.risico_S, rule=lambda m, s: (
            m.z_verschoven[s] + m.eta - _uitgaven_s(m, s) >= 0.0))  # fmt: skip
    w = 1.0 / ((1.0 - niveau) * s_n)
    _rijen(m, "risico", [([1.0] + [w] * s_n, [m.eta, *m.z_verschoven.values()])], None,
           grens - w * float(np.sum(c)))  # fmt: skip


def _binaire_rijen(m: pyo.ConcreteModel, pr: AllocationProblem, sc: RisicoScenarios,
                   kans: float) -> None:  # fmt: skip
    """L_s - A <= M_s y_s, sum y <= floor(kans S), y binary."""
    s_n = sc.n
    m.y = pyo.Var(m.risico_S, domain=pyo.Binary)
    # L_s - A at most, for b <= budget and o >= 0 (a negative o only adds cost, so no
    # solution worth having is cut off)
    groot = pr.budget + m.risico_constante - pr.plafond
    groot = np.maximum(groot, 0.0) + 1.0
    m.risico_groot = pyo.Param(m.risico_S, mutable=True, initialize=dict(enumerate(
        groot.tolist())))  # fmt: skip
    m.risico_boven = pyo.Param(m.risico_S, mutable=True, initialize=dict(enumerate(
        (pr.plafond - m.risico_constante).tolist())))  # fmt: skip
    with _sjablonen():
        m.risico_staart = pyo.Constraint(m.risico_S, rule=lambda m, s: (
            _uitgaven_s(m, s) - m.risico_groot[s] * m.y[s] <= m.risico_boven[s]))  # fmt: skip
    _rijen(m, "risico", [([1.0] * s_n, list(m.y.values()))], None,
           float(math.floor(kans * s_n + 1e-9)))  # fmt: skip


def _onhaalbaar(pr: AllocationProblem, sc: RisicoScenarios, eis: RisicoEis, status: Status,
                opties: SolverOpties) -> Conflict:  # fmt: skip
    """Why the risk is out of reach, with the deterministic allocation's figures beside it."""
    from .oplossen import allocate_problem

    grens = (f"overschrijdingskans <= {eis.kans}" if eis.kans is not None
             else f"CVaR 95% overschrijding <= {eis.cvar:.2f} euro")  # fmt: skip
    tekst = (f"geen verdeling haalt {grens} op {sc.n} scenario's binnen plafond en "
             f"capaciteit (HiGHS: {status.value})")  # fmt: skip
    try:
        det = allocate_problem(pr, opties=opties)
    except NoFeasibleAllocation:
        return Conflict("risico", "", float("nan"), "", tekst)
    b, v = bedrag_volume(pr, det)
    l_s = uitgaven(pr, b, v, sc)
    over = np.maximum(l_s - pr.plafond, 0.0)
    tekst += (f"; de deterministische verdeling heeft hier kans {np.mean(l_s > pr.plafond):.4f}"
              f" en CVaR 95% {_cvar(over, CVAR_NIVEAU):.2f} euro")  # fmt: skip
    return Conflict("risico", "", float("nan"), "", tekst)


def bedrag_volume(pr: AllocationProblem, res: Allocatie) -> tuple[np.ndarray, np.ndarray]:
    """Bedrag and volume per combination of ``pr`` from an Allocatie (0 where absent)."""
    tabel = res.allocatie
    namen = pd.MultiIndex.from_arrays([
        np.asarray(pr.gebieden, dtype=object)[pr.combo_gebied],
        np.asarray(pr.aanbieders, dtype=object)[pr.combo_aanbieder],
        np.asarray(pr.producten, dtype=object)[pr.combo_product],
    ])  # fmt: skip
    rij = tabel.reindex(namen).fillna(0.0)
    return rij["bedrag"].to_numpy(), rij["volume"].to_numpy()


def build_risico_model(
    pr: AllocationProblem, sc: RisicoScenarios, eis: RisicoEis, doel: Doel | str = Doel.KOSTEN
) -> tuple[pyo.ConcreteModel, ModelIndex]:
    """The allocation model of ``pr`` with the scenario rows and the risk constraint."""
    m, index = build_model(pr, doel)
    with PauseGC():
        _scenario_uitgaven(m, pr, sc)
        if eis.vorm == "cvar_kans":
            _cvar_rijen(m, sc, 1.0 - float(eis.kans), pr.plafond, None)
        elif eis.vorm == "cvar":
            _cvar_rijen(m, sc, CVAR_NIVEAU, float(eis.cvar), pr.plafond)
        else:
            _binaire_rijen(m, pr, sc, float(eis.kans))
    return m, index


def allocate_risico(
    pr: AllocationProblem,
    sc: RisicoScenarios,
    eis: RisicoEis,
    doel: Doel | str = Doel.KOSTEN,
    *,
    opties: SolverOpties | None = None,
) -> RisicoAllocatie:
    """Allocate ``pr`` for ``doel`` under the risk constraint ``eis`` on scenario rows ``sc``.

    Raises
    ------
    NoFeasibleAllocation
        When no allocation meets the risk (or the other constraints); exit 3 on the CLI.
    """
    doel, opties = Doel(doel), opties or SolverOpties()
    # no interior point for the scenario rows, however many: on this long, thin LP HiGHS's
    # dual simplex was 1,6-2,5 x faster at S = 4.000 and 8.000 (feasible, infeasible and
    # the cvar_kans form alike); the switch is for large allocation LPs
    opties = replace(opties, ipm_vanaf_rijen=sys.maxsize)
    g, p = len(pr.gebieden), len(pr.producten)
    if sc.vraag.shape != (sc.n, g, p) or sc.prijs_overig.shape != (g, p):
        raise ValueError("scenario's passen niet bij het probleem (vorm van vraag of prijs)")
    t0 = time.perf_counter()
    m, index = build_risico_model(pr, sc, eis, doel)
    t1 = time.perf_counter()
    matrix = compileer(m)
    t2 = time.perf_counter()
    opl = los_op(matrix, opties)
    t3 = time.perf_counter()
    if opl.status is not Status.OPTIMAAL or opl.x.size == 0:
        raise NoFeasibleAllocation(pr.naam, (_onhaalbaar(pr, sc, eis, opl.status, opties),))
    kolommen = {"volume": kolom_posities(matrix, m.v), "bedrag": kolom_posities(matrix, m.b)}
    res = extraheer(pr, doel, index, kolommen, matrix, opl, (t1 - t0, t2 - t1, t3 - t2))
    x = np.append(opl.x, 0.0)
    l_s = uitgaven(pr, x[kolommen["bedrag"]], x[kolommen["volume"]], sc)
    over = np.maximum(l_s - pr.plafond, 0.0)
    schaduw = None
    if opl.rij_dual is not None:
        rij = matrix.rijen("risico")
        schaduw = float(opl.rij_dual[rij[0]]) if rij.size else None
    return RisicoAllocatie(res, eis, sc.n, float(np.mean(l_s > pr.plafond)),
                           _cvar(over, CVAR_NIVEAU), schaduw)  # fmt: skip
