"""`plafond report` shows the bekostigingsvergelijking when the case has varianten."""

from __future__ import annotations

import openpyxl
import pytest
from plafond.cases import load_case
from plafond.cases.levering import Variant
from plafond.montecarlo import vergelijk

from plafond.report import maak_rapport, render_html, schrijf_excel

REF = "maastricht-heuvelland-2022"


def test_report_has_the_comparison_only_with_varianten(tmp_path):
    case = load_case(REF)
    zonder = maak_rapport(case, n=2048, seed=3, gevoeligheid_n=256)
    assert zonder.vergelijking is None
    assert "Bekostigingsvergelijking" not in render_html(zonder)
    varianten = {"pxq": Variant(soort="pxq"), "lumpsum": Variant(soort="lumpsum")}
    met_case = case.model_copy(update={"varianten": varianten})
    met = maak_rapport(met_case, n=2048, seed=3, gevoeligheid_n=256)
    assert "Bekostigingsvergelijking" in render_html(met)
    v = vergelijk(met_case, 2048, seed=3)
    assert met.vergelijking.loc["pxq", "verwacht"] == pytest.approx(
        v.gemeente.loc["pxq", "verwacht"]
    )
    pad = schrijf_excel(met, tmp_path / "r.xlsx")
    assert "bekostiging" in openpyxl.load_workbook(pad).sheetnames
