"""A case with some values changed (a plafond, a rule parameter): validated like any case.

Used by the frontier's checks, the rule design and the sweep, where one key of a case is
set to another value (``{"kader.plafond": 13_000_000}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plafond.cases.errors import CaseError
from plafond.cases.load import case_from_dict
from plafond.cases.schema import Case


def met_waarden(case: Case, waarden: Mapping[str, Any], bron: str | None = None) -> Case:
    """``case`` with the dotted keys of ``waarden`` set, validated and checked again.

    Parameters
    ----------
    case
        A validated Case.
    waarden
        Dotted key (``kader.plafond``, ``kader.risicodeling.aandeel_partners``) -> value.
        Every part of the path but the last must be a table (mapping) of the case.
    bron
        Name for error messages (default: the case's naam).

    Raises
    ------
    CaseError
        For a key that is not a table of the case, or a value the schema refuses.
    """
    bron = bron or case.naam
    data = case.model_dump()
    for sleutel, waarde in waarden.items():
        delen = sleutel.split(".")
        doel: Any = data
        for i, deel in enumerate(delen[:-1]):
            volgende = doel.get(deel) if isinstance(doel, dict) else None
            if volgende is None and isinstance(doel, dict) and deel in _TABELLEN:
                volgende = doel.setdefault(deel, {})
            if not isinstance(volgende, dict):
                pad = ".".join(delen[: i + 1])
                raise CaseError(bron, sleutel, f"{pad} is geen tabel van de case")
            doel = volgende
        doel[delen[-1]] = waarde
    return case_from_dict(data, bron=bron)


#: Tables that may be absent from a dump (all their fields at default) yet can be set.
_TABELLEN = ("kader", "risicodeling", "correlatie", "marktordening")
