"""plafond: size, allocate and stress-test Wmo care budgets.

The one public face for notebooks::

    import plafond
    case = plafond.load_case("maastricht-heuvelland-2022")
    plafond.framework.kader(case).to_dict()
"""

from importlib.metadata import PackageNotFoundError, version

from cases import Case, CaseError, bundled_case_names, case_from_dict, framework, load_case

try:
    __version__ = version("plafond")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = [
    "Case",
    "CaseError",
    "__version__",
    "bundled_case_names",
    "case_from_dict",
    "framework",
    "load_case",
]
