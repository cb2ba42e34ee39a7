"""examples/risico.ipynb runs from top to bottom and shows its tables and plots."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[2] / "examples" / "risico.ipynb"


@pytest.fixture(scope="module")
def uitgevoerd() -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()  # raises CellExecutionError on the first failing cell
    return nb


def _uitvoer(nb: nbformat.NotebookNode, bron_bevat: str) -> list:
    cellen = [c for c in nb.cells if c.cell_type == "code" and bron_bevat in c.source]
    assert len(cellen) == 1, bron_bevat
    return cellen[0].outputs


def test_runs_without_errors(uitgevoerd):
    for cel in uitgevoerd.cells:
        if cel.cell_type == "code":
            assert all(o.output_type != "error" for o in cel.outputs), cel.source


def test_results_show_as_html_tables(uitgevoerd):
    for bron, woord in (
        ("kader = plafond", "budgetplafond"),
        ("allocatie = optimize", "Verdeling"),
        ("res = montecarlo", "overschrijdingskans"),
    ):
        html = [o.data["text/html"] for o in _uitvoer(uitgevoerd, bron) if "data" in o]
        assert html and "<table" in html[0] and woord in html[0], bron


@pytest.mark.parametrize(
    "plot",
    ["waterval", "histogram", "overschrijdingscurve", "terugvordering(", "heatmap", "tornado("],
)
def test_every_plot_shows_inline(uitgevoerd, plot):
    uit = _uitvoer(uitgevoerd, f"plots.{plot}")
    assert any("image/png" in o.get("data", {}) for o in uit), plot


def test_what_if_table_has_three_rows_and_a_higher_plafond_lowers_the_risk(uitgevoerd):
    uit = _uitvoer(uitgevoerd, "whatif = pd.DataFrame")
    html = next(o.data["text/html"] for o in uit if "data" in o)
    for rij in ("basis", "plafond +5 %", "taakstelling 5 %"):
        assert rij in html
    # shown as euros and percents, not raw floats
    assert re.search(r">€ 1\d\.\d{3}\.\d{3},\d{2}<", html) and re.search(r">\d+,\d{2} %<", html)
    assert not re.search(r">\d+\.\d+<", html)
    tekst = next(o.data["text/plain"] for o in _uitvoer(uitgevoerd, "round(4).to_dict()"))
    kans = ast.literal_eval(tekst)
    assert set(kans) == {"basis", "plafond +5 %", "taakstelling 5 %"}
    assert kans["plafond +5 %"] < kans["basis"]
