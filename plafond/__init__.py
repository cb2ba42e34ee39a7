"""plafond: size, allocate and stress-test Wmo care budgets.

The one public face for notebooks::

    import plafond
    case = plafond.load_case("maastricht-heuvelland-2022")
    plafond.framework.kader(case)                 # A, B, C and the lumpsum per partner
    plafond.allocate(case, doel="kosten")         # optimize.allocate (Pyomo + HiGHS)
    plafond.simulate(case, n=2**16, seed=1)       # montecarlo.simulate

``allocate`` and ``simulate`` are imported on first use, so the command line starts fast.
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from plafond.cases import Case, CaseError, bundled_case_names, case_from_dict, framework, load_case

try:
    __version__ = version("plafond")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

_LAZY = {
    "allocate": ("plafond.optimize", "allocate"),
    "NoFeasibleAllocation": ("plafond.optimize", "NoFeasibleAllocation"),
    "simulate": ("plafond.montecarlo", "simulate"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'plafond' has no attribute {name!r}")


__all__ = [
    "Case",
    "CaseError",
    "NoFeasibleAllocation",
    "__version__",
    "allocate",
    "bundled_case_names",
    "case_from_dict",
    "framework",
    "load_case",
    "simulate",
]
