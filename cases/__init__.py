"""What the problem is: the Case, its validation, reading and writing, and the framework."""

from plafond.cases import framework
from plafond.cases.bundled import bundled_case_names, bundled_path
from plafond.cases.errors import CaseError
from plafond.cases.load import case_from_dict, load_case
from plafond.cases.schema import Case
from plafond.cases.verdeling import Verdeling

__all__ = [
    "Case",
    "CaseError",
    "Verdeling",
    "bundled_case_names",
    "bundled_path",
    "case_from_dict",
    "framework",
    "load_case",
]
