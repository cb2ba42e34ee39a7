"""Pyomo -> HiGHS: compile to a sparse matrix, one ``passModel``, solve, keep duals.

Pyomo's shipped HiGHS interfaces translate the model expression by expression; here
``LinearStandardFormCompiler`` (mixed form: each constraint one row with its own
sense) compiles it to scipy.sparse arrays, which go to highspy in one ``passModel``.
For a MILP the integer solution is fixed and the LP re-solved, so the reported duals
are conditional on the chosen gebieden (marked ``duals_bron="milp_vast"``).
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
import time
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter, itemgetter

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse
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
    """The compiled model as arrays (a column-wise sparse matrix), plus row and column maps
    back to Pyomo.

    The arrays go to HiGHS through highspy's array ``passModel`` (:meth:`laad`): filling a
    ``HighsLp``'s matrix fields converts element by element (10 ms for 63.000 nonzeros).
    """

    kosten: np.ndarray  # objective coefficient per column
    kolom_onder: np.ndarray  # column bounds, -kHighsInf / kHighsInf for none
    kolom_boven: np.ndarray
    rij_onder: np.ndarray  # row bounds, -kHighsInf / kHighsInf for none
    rij_boven: np.ndarray
    a: scipy.sparse.csc_array  # rows x columns
    geheel: np.ndarray  # bool per column: integer (binary included)
    rij_familie: tuple[str, ...]  # family (component name) per row
    rij_index: np.ndarray  # integer index (or position) within the family, per row
    kolommen: tuple  # Pyomo VarData per column
    offset: float

    @functools.cached_property
    def familie_rijen(self) -> dict[str, np.ndarray]:
        """The rows of each family (positions, ascending)."""
        delen: dict[str, list[np.ndarray]] = {}
        begin = 0
        for naam, groep in itertools.groupby(self.rij_familie):  # a family's rows come in runs
            eind = begin + sum(1 for _ in groep)
            delen.setdefault(naam, []).append(np.arange(begin, eind))
            begin = eind
        return {naam: np.concatenate(d) for naam, d in delen.items()}

    def rijen(self, familie: str) -> np.ndarray:
        """The rows of ``familie`` (positions, ascending; empty when it has none)."""
        return self.familie_rijen.get(familie, np.zeros(0, dtype=np.intp))

    @property
    def n_rijen(self) -> int:
        """Number of rows."""
        return int(self.a.shape[0])

    @property
    def is_mip(self) -> bool:
        """Whether any column is integer."""
        return bool(self.geheel.any())

    def laad(self, h: highspy.Highs, *, onder: np.ndarray | None = None,
             boven: np.ndarray | None = None, lp: bool = False) -> highspy.HighsStatus:  # fmt: skip
        """Pass the model to ``h`` in one call, optionally with other column bounds, or
        (``lp``) with every column continuous."""
        n_rij, n_kol = self.a.shape
        return h.passModel(
            n_kol, n_rij, int(self.a.nnz), int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize), 0.0, self.kosten,
            self.kolom_onder if onder is None else onder,
            self.kolom_boven if boven is None else boven,
            self.rij_onder, self.rij_boven, self.a.indptr[:-1], self.a.indices, self.a.data,
            # 0 continuous, 1 integer (highspy's HighsVarType)
            np.zeros(n_kol, dtype=np.int32) if lp else self.geheel.astype(np.int32),
        )  # fmt: skip

    @functools.cached_property
    def lp(self) -> highspy.HighsLp:
        """The same model as a ``HighsLp`` (for a caller that wants one object)."""
        h = _highs_zonder_banner()
        h.setOptionValue("output_flag", False)
        self.laad(h)
        return h.getLp()


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
    """Compile a linear Pyomo model to a :class:`Matrix` (column-wise sparse matrix)."""
    vorm = LinearStandardFormCompiler().write(m, mixed_form=True)
    a = scipy.sparse.csc_array(vorm.A)
    a.indptr, a.indices = a.indptr.astype(np.int32), a.indices.astype(np.int32)
    a.data = a.data.astype(float)
    kolommen = tuple(vorm.columns)
    inf = highspy.kHighsInf
    grenzen, geheel = _kolommen(kolommen)
    zin = np.fromiter(map(itemgetter(1), vorm.rows), dtype=np.int64, count=a.shape[0])
    rhs = np.asarray(vorm.rhs, dtype=float)
    families, indices = _rij_families(vorm.rows)
    return Matrix(
        kosten=np.asarray(vorm.c.toarray()[0] if a.shape[1] else [], dtype=float),
        kolom_onder=np.where(np.isnan(grenzen[:, 0]), -inf, grenzen[:, 0]),
        kolom_boven=np.where(np.isnan(grenzen[:, 1]), inf, grenzen[:, 1]),
        rij_onder=np.where(zin <= 0, rhs, -inf),
        rij_boven=np.where(zin >= 0, rhs, inf),
        a=a,
        geheel=geheel,
        rij_familie=families,
        rij_index=indices,
        kolommen=kolommen,
        offset=float(vorm.c_offset[0]) if np.size(vorm.c_offset) else 0.0,
    )


def _kolommen(kolommen: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Bounds (lower, upper; nan for none) and integrality (binary included) per column.

    ``VarData.bounds`` and ``is_integer`` resolve the domain column by column (12 ms for
    7.000 columns); here each distinct domain is resolved once, and bounds stored as plain
    numbers are read as arrays: the bound is the tighter of it and the domain's. Any other
    bound (a Param, an expression) sends the whole model through ``bounds``.
    """
    try:
        domeinen = list(map(attrgetter("_domain"), kolommen))
        onder = list(map(attrgetter("_lb"), kolommen))
        boven = list(map(attrgetter("_ub"), kolommen))
    except AttributeError:  # another Pyomo's VarData
        domeinen = None
    getallen = {type(None), int, float}
    if domeinen is None or not (set(map(type, onder)) | set(map(type, boven))) <= getallen:
        return (np.array([v.bounds for v in kolommen], dtype=float).reshape(-1, 2),
                np.array([v.is_integer() for v in kolommen], dtype=bool))  # fmt: skip
    ids = np.fromiter(map(id, domeinen), dtype=np.int64, count=len(domeinen))
    _, eerste, wie = np.unique(ids, return_index=True, return_inverse=True)
    per_domein = np.array([(*domeinen[i].bounds(), kolommen[i].is_integer()) for i in eerste],
                          dtype=float).reshape(-1, 3)  # fmt: skip
    grenzen = np.empty((len(kolommen), 2))
    grenzen[:, 0] = np.fmax(np.array(onder, dtype=float), per_domein[wie, 0])
    grenzen[:, 1] = np.fmin(np.array(boven, dtype=float), per_domein[wie, 1])
    return grenzen, per_domein[wie, 2] == 1.0


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
            # a product of sets has tuple indices: positions, without asking every row
            eigen = [rijen[i][0].index() for i in range(begin, begin + aantal)] if (
                comp.dim() == 1) else []  # fmt: skip
            geheel = bool(eigen) and all(isinstance(i, int) for i in eigen)
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
    if not matrix.is_mip and matrix.n_rijen > opties.ipm_vanaf_rijen:
        # not for a MIP: there solver="ipm" would drop the integrality
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
    matrix.laad(h)
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
    onder, boven = matrix.kolom_onder.copy(), matrix.kolom_boven.copy()
    onder[matrix.geheel] = boven[matrix.geheel] = np.round(x[matrix.geheel])
    h = nieuwe_highs(opties, opties.tijdslimiet)
    matrix.laad(h, onder=onder, boven=boven, lp=True)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    sol = h.getSolution()
    return np.asarray(sol.row_dual, dtype=float) if sol.dual_valid else None


def kolom_posities(matrix: Matrix, variabelen: list) -> np.ndarray:
    """Column position of each Pyomo variable in ``matrix``; -1 when compiled away."""
    positie = {id(v): i for i, v in enumerate(matrix.kolommen)}
    return np.array([positie.get(id(v), -1) for v in variabelen], dtype=np.int64)
