"""met_waarden: a case with dotted keys set, validated again."""

from __future__ import annotations

import pytest
from plafond.cases import CaseError, framework, load_case
from plafond.cases.wijzig import met_waarden


def test_sets_nested_kader_keys_and_keeps_the_rest():
    case = load_case("maastricht-heuvelland-2022")
    nieuw = met_waarden(case, {"kader.plafond": 13_500_000,
                               "kader.risicodeling.aandeel_partners": 0.3})  # fmt: skip
    assert framework.kader(nieuw).plafond == 13_500_000
    assert nieuw.kader.risicodeling.aandeel_partners == 0.3
    assert nieuw.historie == case.historie and case.kader.plafond is None


@pytest.mark.parametrize(
    ("waarden", "tekst"),
    [
        ({"kader.plafond.x": 1}, "geen tabel"),
        ({"historie.omzet": 1}, "geen tabel"),
        ({"kader.risicodeling.aandeel_partners": 1.5}, "aandeel_partners"),
    ],
)
def test_bad_keys_and_values_are_one_line_case_errors(waarden, tekst):
    with pytest.raises(CaseError, match=tekst):
        met_waarden(load_case("maastricht-heuvelland-2022"), waarden)
