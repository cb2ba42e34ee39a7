"""plafond: size, allocate and stress-test Wmo care budgets.

The one public face for notebooks::

    import plafond
    case = plafond.load_case("maastricht-heuvelland-2022")
    plafond.framework.kader(case)                 # A, B, C and the lumpsum per partner
    plafond.allocate(case, doel="kosten")         # optimize.allocate (Pyomo + HiGHS)
    plafond.simulate(case, n=2**16, seed=1)       # montecarlo.simulate

Every name is imported on first use, so the command line starts fast and an interrupt
while it loads is caught (:mod:`plafond.start`).
"""

from __future__ import annotations

_LAZY = {
    **{
        naam: ("plafond.cases", naam)
        for naam in (
            "Case",
            "CaseError",
            "bundled_case_names",
            "case_from_dict",
            "framework",
            "load_case",
        )
    },  # fmt: skip
    "allocate": ("plafond.optimize", "allocate"),
    "NoFeasibleAllocation": ("plafond.optimize", "NoFeasibleAllocation"),
    "simulate": ("plafond.montecarlo", "simulate"),
}


def _versie() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("plafond")
    except PackageNotFoundError:  # running from a source tree without installation
        return "0.0.0"


def __getattr__(name: str) -> object:
    if name == "__version__":
        return _versie()
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
