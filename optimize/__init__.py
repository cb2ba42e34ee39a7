"""How to split the budget: a Pyomo model solved by HiGHS, with duals and explanations.

Public API
----------
allocate(case, doel="kosten")        -> Allocatie      (from a cases.Case)
allocate_problem(problem, doel)      -> Allocatie      (from plain arrays)
AllocationProblem, MinimumBedrag     the array form of a problem
Allocatie, Tijden, Status, Doel, SolverOpties
NoFeasibleAllocation, Conflict, SolveFailed
"""

from __future__ import annotations

from plafond.cases import Case

from .highs import SolverOpties, Status
from .model import Doel, build_model
from .onhaalbaar import Conflict, NoFeasibleAllocation
from .oplossen import SolveFailed, allocate_problem
from .probleem import AllocationProblem, MinimumBedrag
from .resultaat import Allocatie, Tijden
from .uit_case import problem_from_case


def allocate(
    case: Case, doel: Doel | str = Doel.KOSTEN, *, opties: SolverOpties | None = None
) -> Allocatie:
    """Allocate the budget of a case; see :func:`allocate_problem`.

    Parameters
    ----------
    case : cases.Case
    doel : {"kosten", "verdeling", "dekking"}
    opties : SolverOpties, optional

    Raises
    ------
    NoFeasibleAllocation
        With the conflicting constraints in domain words (exit code 3 on the CLI).
    """
    return allocate_problem(problem_from_case(case), doel, opties=opties)


__all__ = [
    "Allocatie",
    "AllocationProblem",
    "Conflict",
    "Doel",
    "MinimumBedrag",
    "NoFeasibleAllocation",
    "SolveFailed",
    "SolverOpties",
    "Status",
    "Tijden",
    "allocate",
    "allocate_problem",
    "problem_from_case",
    "build_model",
]
