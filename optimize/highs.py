"""Pyomo -> HiGHS: compile to a sparse matrix, one ``passModel``, solve, keep duals.

Pyomo's shipped HiGHS interfaces translate the model expression by expression; here
``LinearStandardFormCompiler`` (mixed form: each constraint one row with its own
sense) compiles it to scipy.sparse arrays, which go to highspy in one ``passModel``.
For a MILP the integer solution is fixed and the LP re-solved, so the reported duals
are conditional on the chosen gebieden (marked ``duals_bron="milp_vast"``).
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from dataclasses import dataclass
from enum import Enum

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

__all__ = ["Status", "SolverOpties", "Matrix", "Oplossing", "compileer", "los_op"]


class Status(str, Enum):
    """Outcome of a solve."""

    OPTIMAAL = "optimaal"
    ONHAALBAAR = "onhaalbaar"
    ONBEGRENSD = "onbegrensd"
    TIJDSLIMIET = "tijdslimiet"
    NUMERIEK = "numeriek_probleem"


@dataclass(frozen=True)
class SolverOpties:
    """Solver options.

    Attributes
    ----------
    tijdslimiet : float
        Seconds for the main solve.
    tijdslimiet_uitleg : float
        Seconds for explaining infeasibility (IIS or elastic model).
    iis_max_rijen : int
        Models with more rows get the elastic model instead of an IIS.
    ipm_vanaf_rijen : int
        LPs (no marktordening binaries) with more rows are solved by HiGHS's interior
        point method with crossover (a basic solution and duals, as from the simplex):
        on a 50.000-row LP it proves infeasibility in ~6 s, where the dual simplex did
        not within 60 s, and solves the feasible LP as fast.
    mip_gap : float
        Relative MIP gap (fraction).
    threads : int or None
        HiGHS threads; None: HiGHS default.
    log : bool
        Print the HiGHS log.
    """

    tijdslimiet: float = 120.0
    tijdslimiet_uitleg: float = 20.0
    iis_max_rijen: int = 20_000
    ipm_vanaf_rijen: int = 20_000
    mip_gap: float = 1e-6
    threads: int | None = None
    log: bool = False


@dataclass(frozen=True, eq=False)
class Matrix:
    """The compiled model: a HighsLp plus row and column maps back to Pyomo."""

    lp: highspy.HighsLp
    rij_familie: tuple[str, ...]  # family (component name) per row
    rij_index: np.ndarray  # integer index (or position) within the family, per row
    kolommen: tuple  # Pyomo VarData per column
    offset: float
    is_mip: bool


@dataclass(frozen=True, eq=False)
class Oplossing:
    """Raw solution: column values, row activities and duals (None for none)."""

    status: Status
    doelwaarde: float
    x: np.ndarray
    activiteit: np.ndarray
    rij_dual: np.ndarray | None
    duals_bron: str  # "lp", "milp_vast" or "geen"
    seconden: float


def compileer(m: pyo.ConcreteModel) -> Matrix:
    """Compile a linear Pyomo model to a ``HighsLp`` (column-wise sparse matrix)."""
    vorm = LinearStandardFormCompiler().write(m, mixed_form=True)
    a = vorm.A.tocsc()
    n_rij, n_kol = a.shape
    kolommen = tuple(vorm.columns)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_kol, n_rij
    lp.col_cost_ = np.asarray(vorm.c.toarray()[0] if n_kol else [], dtype=float)
    inf = highspy.kHighsInf
    grenzen = np.array([v.bounds for v in kolommen], dtype=float).reshape(-1, 2)  # None: nan
    lp.col_lower_ = np.where(np.isnan(grenzen[:, 0]), -inf, grenzen[:, 0])
    lp.col_upper_ = np.where(np.isnan(grenzen[:, 1]), inf, grenzen[:, 1])
    zin = np.fromiter((s for _, s in vorm.rows), dtype=np.int64, count=n_rij)
    rhs = np.asarray(vorm.rhs, dtype=float)
    lp.row_lower_ = np.where(zin <= 0, rhs, -inf)
    lp.row_upper_ = np.where(zin >= 0, rhs, inf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n_kol, n_rij
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    geheel = np.array([v.is_integer() for v in kolommen], dtype=bool)  # binary included
    if geheel.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if g else highspy.HighsVarType.kContinuous
            for g in geheel.tolist()
        ]
    families, indices = _rij_families(vorm.rows)
    return Matrix(
        lp=lp,
        rij_familie=families,
        rij_index=indices,
        kolommen=kolommen,
        offset=float(vorm.c_offset[0]) if np.size(vorm.c_offset) else 0.0,
        is_mip=bool(geheel.any()),
    )


def _rij_families(rijen: list) -> tuple[tuple[str, ...], np.ndarray]:
    """The family (component name) and index of every compiled row ``(constraint, sense)``.

    A family with integer indices keeps its index; one over a product of sets (tuples) gets
    its position among the family's rows; a scalar constraint 0. The compiler emits a
    component's rows together, so the work is per run of rows of one component.
    """
    componenten = [con.parent_component() for con, _ in rijen]
    families: list[str] = []
    indices = np.zeros(len(rijen), dtype=np.int64)
    volgnummer: dict[str, int] = {}
    begin = 0
    for comp, groep in itertools.groupby(componenten):
        aantal = sum(1 for _ in groep)
        naam = comp.local_name
        families.extend([naam] * aantal)
        eerste = volgnummer.get(naam, 0)
        volgnummer[naam] = eerste + aantal
        if comp.is_indexed():
            eigen = [rijen[i][0].index() for i in range(begin, begin + aantal)]
            geheel = all(isinstance(i, int) for i in eigen)
            indices[begin : begin + aantal] = eigen if geheel else range(eerste, eerste + aantal)
        begin += aantal
    return tuple(families), indices


_banner_gezien = False


def _highs_zonder_banner() -> highspy.Highs:
    """A Highs instance; the first one per process prints a banner on C-level stdout,
    which would corrupt ``--json`` output and clutter stderr, so fd 1 points at the null
    device meanwhile."""
    global _banner_gezien
    if _banner_gezien:
        return highspy.Highs()
    sys.stdout.flush()
    bewaard = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        sys.stdout.flush()
        os.dup2(bewaard, 1)
        os.close(bewaard)
    _banner_gezien = True
    return h


def nieuwe_highs(opties: SolverOpties, tijdslimiet: float) -> highspy.Highs:
    """A silent Highs instance with the time limit and options set."""
    h = _highs_zonder_banner()
    h.setOptionValue("output_flag", bool(opties.log))
    h.setOptionValue("time_limit", float(tijdslimiet))
    h.setOptionValue("mip_rel_gap", float(opties.mip_gap))
    if opties.threads is not None:
        h.setOptionValue("threads", int(opties.threads))
    return h


_STATUS = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAAL,
    highspy.HighsModelStatus.kInfeasible: Status.ONHAALBAAR,
    highspy.HighsModelStatus.kUnbounded: Status.ONBEGRENSD,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: Status.ONHAALBAAR,
    highspy.HighsModelStatus.kTimeLimit: Status.TIJDSLIMIET,
}


def los_op(matrix: Matrix, opties: SolverOpties = SolverOpties()) -> Oplossing:
    """Solve the compiled model; for a MILP re-solve the LP with integers fixed."""
    begin = time.perf_counter()
    h = nieuwe_highs(opties, opties.tijdslimiet)
    if not matrix.is_mip and matrix.lp.num_row_ > opties.ipm_vanaf_rijen:
        # not for a MIP: there solver="ipm" would drop the integrality
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
    h.passModel(matrix.lp)
    h.run()
    status = _STATUS.get(h.getModelStatus(), Status.NUMERIEK)
    if status is Status.TIJDSLIMIET and h.getInfo().primal_solution_status == 2:
        status = Status.TIJDSLIMIET  # a feasible but unproven solution: still reported
    elif status is not Status.OPTIMAAL:
        leeg = np.zeros(0)
        return Oplossing(status, np.nan, leeg, leeg, None, "geen", time.perf_counter() - begin)
    sol = h.getSolution()
    x = np.asarray(sol.col_value, dtype=float)
    activiteit = np.asarray(sol.row_value, dtype=float)
    duals, bron = None, "geen"
    if not matrix.is_mip and sol.dual_valid:
        duals, bron = np.asarray(sol.row_dual, dtype=float), "lp"
    elif matrix.is_mip and status is Status.OPTIMAAL:
        duals = _duals_vast(matrix, x, opties)
        bron = "milp_vast" if duals is not None else "geen"
    doelwaarde = float(h.getInfo().objective_function_value) + matrix.offset
    return Oplossing(status, doelwaarde, x, activiteit, duals, bron, time.perf_counter() - begin)


def _duals_vast(matrix: Matrix, x: np.ndarray, opties: SolverOpties) -> np.ndarray | None:
    """Duals of the LP with every integer column fixed at its MILP value."""
    lp = matrix.lp
    geheel = np.array([t == highspy.HighsVarType.kInteger for t in lp.integrality_], dtype=bool)
    vast = highspy.HighsLp()
    for veld in ("num_col_", "num_row_", "col_cost_", "row_lower_", "row_upper_", "a_matrix_"):
        setattr(vast, veld, getattr(lp, veld))
    onder = np.asarray(lp.col_lower_, dtype=float).copy()
    boven = np.asarray(lp.col_upper_, dtype=float).copy()
    onder[geheel] = boven[geheel] = np.round(x[geheel])
    vast.col_lower_, vast.col_upper_ = onder, boven
    h = nieuwe_highs(opties, opties.tijdslimiet)
    h.passModel(vast)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    sol = h.getSolution()
    return np.asarray(sol.row_dual, dtype=float) if sol.dual_valid else None


def kolom_posities(matrix: Matrix, variabelen: list) -> np.ndarray:
    """Column position of each Pyomo variable in ``matrix``; -1 when compiled away."""
    positie = {id(v): i for i, v in enumerate(matrix.kolommen)}
    return np.array([positie.get(id(v), -1) for v in variabelen], dtype=np.int64)
