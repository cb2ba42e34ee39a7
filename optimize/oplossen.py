"""Build, solve, extract: the three steps behind :func:`allocate_problem`."""

from __future__ import annotations

import time

from .highs import SolverOpties, Status, compileer, kolom_posities, los_op
from .model import Doel, build_model
from .onhaalbaar import Conflict, NoFeasibleAllocation, verklaar, voorcontroles
from .probleem import AllocationProblem
from .resultaat import Allocatie, extraheer

__all__ = ["allocate_problem", "SolveFailed"]


class SolveFailed(RuntimeError):
    """HiGHS stopped without a usable answer (time limit, numerical trouble) — not
    a proof of infeasibility."""


def allocate_problem(
    pr: AllocationProblem,
    doel: Doel | str = Doel.KOSTEN,
    *,
    opties: SolverOpties | None = None,
) -> Allocatie:
    """Allocate the budget of ``pr`` optimally for ``doel``.

    Parameters
    ----------
    pr : AllocationProblem
    doel : {"kosten", "verdeling", "dekking"}
    opties : SolverOpties, optional

    Returns
    -------
    Allocatie

    Raises
    ------
    NoFeasibleAllocation
        Pre-checks or HiGHS prove there is no allocation; carries the conflicts.
    SolveFailed
        Time limit without a feasible solution, or numerical trouble.
    """
    doel = Doel(doel)
    opties = opties or SolverOpties()
    conflicten = voorcontroles(pr, doel)
    if conflicten:
        raise NoFeasibleAllocation(pr.naam, conflicten)
    t0 = time.perf_counter()
    m, index = build_model(pr, doel)
    t1 = time.perf_counter()
    matrix = compileer(m)
    t2 = time.perf_counter()
    opl = los_op(matrix, opties)
    t3 = time.perf_counter()
    if opl.status is Status.ONHAALBAAR:
        raise verklaar(pr, doel, matrix, index, opties)
    if opl.status is Status.ONBEGRENSD:
        raise NoFeasibleAllocation(
            pr.naam, (Conflict("doel", "", float("inf"), "", "het doel is onbegrensd"),)
        )
    if opl.x.size == 0:
        raise SolveFailed(
            f"HiGHS stopte zonder bruikbare oplossing ({opl.status.value}) voor {pr.naam}"
        )
    kolommen = {
        "volume": kolom_posities(matrix, m.v),
        "bedrag": kolom_posities(matrix, m.b),
    }
    if m.component("tekort") is not None:
        kolommen["tekort"] = kolom_posities(matrix, list(m.tekort.values()))
    return extraheer(pr, doel, index, kolommen, matrix, opl, (t1 - t0, t2 - t1, t3 - t2))
