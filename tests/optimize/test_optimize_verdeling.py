"""Doel verdeling never pays for zero volume, and every output names the opslag (issue 10.2).

Before the fix, maastricht-heuvelland-2022 --doel verdeling paid radar € 49.672,96 in
Meerssen for 0 dagdelen, and heerlen-2020 paid a member € 119,66 per uur against a reëel
tarief of € 60,30, with no column saying so.
"""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from plafond.cases import load_case
from plafond.optimize import allocate


@pytest.mark.parametrize("naam", ["maastricht-heuvelland-2022", "heerlen-2020"])
def test_verdeling_pays_only_volume_at_the_reeel_tarief(naam) -> None:
    res = allocate(load_case(naam), doel="verdeling")
    t = res.allocatie
    # no payment without volume, and no effective tarief above the reëel tarief
    assert not ((t["bedrag"] > 0.005) & (t["volume"] < 1e-6)).any()
    assert (t["bedrag"] <= t["tarief"] * t["volume"] + 0.005).all()
    # the named columns are what they say, computed independently here
    assert t["opslag"].to_numpy() == pytest.approx(
        (t["bedrag"] - t["tarief"] * t["volume"]).to_numpy(), abs=0.005
    )
    assert t["effectief_tarief"].to_numpy() == pytest.approx((t["bedrag"] / t["volume"]).to_numpy())


def test_verdeling_fair_share_table_adds_up() -> None:
    case = load_case("maastricht-heuvelland-2022")
    res = allocate(case, doel="verdeling")
    v = res.verdeling
    # fair shares sum to A; spending is partners' bedrag plus expected C per gebied
    assert v["eerlijk_deel"].sum() == pytest.approx(res.plafond)
    assert v["uitgaven"].sum() == pytest.approx(res.totaal + res.overige_uitgaven)
    assert (v["afwijking"] == v["uitgaven"] - v["eerlijk_deel"]).all()
    assert allocate(case, doel="kosten").verdeling is None


def test_opslag_columns_in_every_output(tmp_path, capsys) -> None:
    from plafond.cli import main

    args = ["optimize", "maastricht-heuvelland-2022", "--doel", "verdeling"]
    assert main(args) == 0
    tekst = capsys.readouterr().out
    assert "effectief tarief" in tekst and "opslag boven reëel" in tekst
    assert "waarvan opslag boven reëel tarief" in tekst and "Eerlijk deel per gebied" in tekst
    assert main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"effectief_tarief", "opslag"} <= set(doc["allocatie"][0])
    assert doc["opslag"] == pytest.approx(sum(r["opslag"] for r in doc["allocatie"]))
    assert set(doc["verdeling"]) == {"maastricht", "meerssen", "valkenburg"}
    uit_csv, uit_xlsx = tmp_path / "v.csv", tmp_path / "v.xlsx"
    for uit in (uit_csv, uit_xlsx):
        assert main([*args, "-o", str(uit)]) == 0
    with uit_csv.open(encoding="utf-8-sig") as f:  # the Dutch CSV: BOM and semicolons
        assert {"effectief_tarief", "opslag"} <= set(next(csv.reader(f, delimiter=";")))
    wb = load_workbook(uit_xlsx, read_only=True)
    kop = [c.value for c in next(wb["allocatie"].iter_rows(max_row=1))]
    assert {"effectief_tarief", "opslag"} <= set(kop)
    assert "verdeling" in wb.sheetnames
    wb.close()
