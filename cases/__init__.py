"""What the problem is: the Case, its validation, reading and writing, and the framework."""

from cases import framework
from cases.bundled import bundled_case_names, bundled_path
from cases.errors import CaseError
from cases.load import case_from_dict, load_case
from cases.schema import Case
from cases.verdeling import Verdeling

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
