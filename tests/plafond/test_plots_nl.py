"""Plots people read: Dutch tick labels, names, short amounts, the waterfall, the tornado."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plafond.montecarlo as montecarlo
import pytest
from babel.numbers import format_currency, format_decimal, format_percent
from plafond.cases import load_case

from plafond import fmt, plots
from plafond.cli import main
from plafond.report import maak_rapport, render_html
from plafond.report.html import figuren, tornado_label, waterval_data

REF = "maastricht-heuvelland-2022"


@pytest.fixture(scope="module")
def rapport():
    return maak_rapport(load_case(REF), n=2**13, seed=9, gevoeligheid_n=2**11)


def _labels(fig) -> list[str]:
    fig.canvas.draw()
    uit = []
    for ax in fig.axes:
        for t in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
            if t.get_text():
                uit.append(t.get_text())
    return uit


def test_tick_labels_are_dutch(rapport):
    res = rapport.simulatie
    kansen = [t for t in _labels(plots.histogram(res)) if "%" in t]
    kansen += [t for t in _labels(plots.overschrijdingscurve(res)) if "%" in t]
    assert kansen and all(re.fullmatch(r"\d+(,\d)? %", t) for t in kansen), kansen
    euro = [t for t in _labels(plots.histogram(res)) if "€" in t]
    assert euro and all(re.fullmatch(r"€ \d+,\d mln", t) for t in euro), euro
    terug = [t for t in _labels(plots.terugvordering(res.terugvordering)) if "€" in t]
    assert terug and all(re.fullmatch(r"€ \d{1,3}(\.\d{3})*", t) for t in terug), terug


def test_fmt_agrees_with_babel_nl():
    for x in (0.0, 1.5, 1441196.25, 1234567890.126, 999.995):
        assert fmt.getal(x) == format_decimal(x, format="#,##0.00", locale="nl_NL")
        eur = format_currency(x, "EUR", locale="nl_NL").replace("\xa0", " ")
        assert fmt.euro(x) == eur
    for x in (0.075, 0.4018, 1.0, 0.0):
        bab = format_percent(x, format="#,##0.0%", locale="nl_NL")
        assert fmt.procent(x) == bab.replace("%", " %")


def test_short_amounts_in_the_heatmap():
    assert plots.bedrag_kort(1_471_843.15) == "€ 1,5 mln"
    assert plots.bedrag_kort(955_388.77) == "€ 955 k"
    assert plots.bedrag_kort(12.4) == "€ 12"
    tabel = pd.DataFrame(
        np.full((3, 12), 250_000.0),
        index=["wijk-1", "wijk-2", "wijk-3"],
        columns=[f"Stichting Zorgaanbieder Nummer {i}" for i in range(12)],
    )
    fig = plots.heatmap(tabel)
    fig.canvas.draw()
    cellen = [t.get_text() for t in fig.axes[0].texts]
    assert cellen == ["250 k"] * 36
    kop = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert all(max(len(r) for r in t.split("\n")) <= 14 for t in kop)  # names wrap
    # with 12 columns the figure is wide enough that no two column labels overlap
    vakken = [t.get_window_extent() for t in fig.axes[0].get_xticklabels()]
    assert all(a.x1 <= b.x0 + 0.5 * (b.x1 - b.x0) for a, b in zip(vakken, vakken[1:], strict=False))


def test_plots_show_names_not_only_ids(rapport):
    figs = figuren(rapport)
    terug = _labels(figs["terugvordering"])
    assert any("Stichting Levanto (levanto)" in t.replace("\n", " ") for t in terug)
    kop = " ".join(t.get_text() for t in figs["heatmap"].axes[0].get_xticklabels())
    assert "Levanto" in kop.replace("\n", " ")


def test_small_terugvordering_stays_visible():
    tabel = pd.DataFrame({"verwacht": [5.0, 80_000.0], "p95": [40.0, 400_000.0]}, index=["a", "b"])
    fig = plots.terugvordering(tabel)
    fig.canvas.draw()
    ax = fig.axes[0]
    ruiten = [ln for ln in ax.get_lines() if ln.get_marker() == "D"]
    assert ruiten and list(ruiten[0].get_xdata()) == [5.0, 80_000.0]


def test_waterfall_goes_from_a_through_each_partner_to_c(rapport):
    lumpsum = waterval_data(rapport)
    res = rapport.simulatie
    assert lumpsum.sum() == pytest.approx(res.lumpsum, abs=0.01)
    fig = plots.waterval(res.plafond, lumpsum)
    staven = sorted(fig.axes[0].patches, key=lambda p: -p.get_y())
    assert staven[0].get_width() == pytest.approx(res.plafond)
    rechts = res.plafond
    for staaf, bedrag in zip(staven[1:-1], lumpsum, strict=True):
        assert staaf.get_x() + staaf.get_width() == pytest.approx(rechts)
        assert staaf.get_width() == pytest.approx(bedrag)
        rechts -= bedrag
    assert staven[-1].get_width() == pytest.approx(res.plafond - res.lumpsum)
    html = render_html(rapport)
    assert html.index('id="fig-waterval"') < html.index('id="fig-histogram"')


def test_tornado_basis_labelled_against_the_headline(rapport):
    label = tornado_label(rapport)
    basis = rapport.gevoeligheid["basis"].iloc[0]
    eigen = montecarlo.simulate(rapport.case, 2**11, seed=9).verwachte_overschrijding
    assert basis == pytest.approx(eigen, rel=1e-12)  # the tornado's basis: its own run
    assert fmt.euro(basis, 0) in label and fmt.getal(2**11, 0) in label
    assert fmt.euro(rapport.simulatie.verwachte_overschrijding, 0) in label


def test_report_without_sensitivity(tmp_path, capsys):
    uit = tmp_path / "r.html"
    args = ["report", REF, "-n", "4096", "--seed", "1", "--zonder-gevoeligheid", "--quiet"]
    assert main([*args, "-o", str(uit)]) == 0
    assert capsys.readouterr().err == ""  # --quiet: no progress bar
    html = uit.read_text(encoding="utf-8")
    assert 'id="fig-tornado"' not in html and 'id="fig-waterval"' in html
    assert html.count('<img src="data:image/svg+xml;base64,') == 5
    assert "niet berekend (--zonder-gevoeligheid)" in html
