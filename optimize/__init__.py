"""How to split the budget: a Pyomo model solved by HiGHS, with duals and explanations.

Public API
----------
allocate(case, doel="kosten")        -> Allocatie      (from a cases.Case)
allocate_problem(problem, doel)      -> Allocatie      (from plain arrays)
AllocationProblem, MinimumBedrag     the array form of a problem
Allocatie, Tijden, Status, Doel, SolverOpties
NoFeasibleAllocation, Conflict, SolveFailed
"""

from .highs import SolverOpties, Status
from .model import Doel, build_model
from .onhaalbaar import Conflict, NoFeasibleAllocation
from .oplossen import SolveFailed, allocate_problem
from .probleem import AllocationProblem, MinimumBedrag
from .resultaat import Allocatie, Tijden

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
    "allocate_problem",
    "build_model",
]
