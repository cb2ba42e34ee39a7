"""Write examples/risico.ipynb from the cells below (run: python examples/maak_notebook.py).

The notebook is kept as code here so a change is a readable diff; the committed .ipynb has
no outputs. tests/examples/test_notebook.py executes it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLEN = [
    new_markdown_cell(
        "# Risico van het budgetplafond\n\n"
        "Een bundled case laden en controleren, het budget verdelen, de uitgaven simuleren, "
        "de figuren bekijken en twee what-ifs doorrekenen: plafond +5 % en een taakstelling "
        "van 5 % in plaats van 7,5 %."
    ),
    new_code_cell(
        "%matplotlib inline\n"
        "import pandas as pd\n\n"
        "import plafond.montecarlo as montecarlo\n"
        "import plafond.optimize as optimize\n"
        "import plafond\n"
        "from plafond.montecarlo.gevoeligheid import tornado\n"
        "from plafond import plots\n"
        "from plafond.fmt import euro, procent\n\n"
        "SEED = 2022\n"
        "N = 2**16"
    ),
    new_markdown_cell("## De case en het financieel kader (A, B, C)"),
    new_code_cell(
        'case = plafond.load_case("maastricht-heuvelland-2022")  # valideert de case\n'
        "kader = plafond.framework.kader(case)\n"
        "kader"
    ),
    new_markdown_cell("## Verdeling (doel: laagste kosten)"),
    new_code_cell('allocatie = optimize.allocate(case, doel="kosten")\nallocatie'),
    new_markdown_cell("## Simulatie: overschrijdingskans en terugvordering"),
    new_code_cell("plots.waterval(kader.plafond, kader.lumpsum_per_aanbieder)"),
    new_code_cell("res = montecarlo.simulate(case, n=N, seed=SEED)\nres"),
    new_code_cell("plots.histogram(res)"),
    new_code_cell("plots.overschrijdingscurve(res)"),
    new_code_cell("plots.terugvordering(res.terugvordering)"),
    new_code_cell(
        'per_gebied = allocatie.allocatie["bedrag"].groupby(level=["gebied", "aanbieder"]).sum()\n'
        "plots.heatmap(per_gebied.unstack(fill_value=0.0))"
    ),
    new_code_cell("gevoeligheid = tornado(case, 2**13, seed=SEED)\nplots.tornado(gevoeligheid)"),
    new_markdown_cell(
        "## What-if\n\n"
        "Een gewijzigde case via de gewone validatie (`plafond.case_from_dict`): het plafond "
        "5 % hoger, of een taakstelling van 5 % (lumpsum én afgeleid plafond stijgen dan)."
    ),
    new_code_cell(
        "def variant(**kader_wijziging):\n"
        '    data = case.model_dump(mode="json", exclude_none=True)\n'
        '    data["kader"].update(kader_wijziging)\n'
        "    return plafond.case_from_dict(data)\n\n\n"
        "varianten = {\n"
        '    "basis": case,\n'
        '    "plafond +5 %": variant(plafond=round(kader.plafond * 1.05, 2)),\n'
        '    "taakstelling 5 %": variant(taakstelling=0.05),\n'
        "}\n"
        "rijen = {}\n"
        "for naam, c in varianten.items():\n"
        "    r = montecarlo.simulate(c, n=N, seed=SEED)\n"
        "    rijen[naam] = {\n"
        '        "plafond": r.plafond,\n'
        '        "lumpsum": r.lumpsum,\n'
        '        "overschrijdingskans": r.overschrijdingskans,\n'
        '        "verwachte overschrijding": r.verwachte_overschrijding,\n'
        '        "terugvordering partners": r.terugvordering["verwacht"].sum(),\n'
        "    }\n"
        "whatif = pd.DataFrame(rijen).T\n"
        "# euro's en procenten zoals in het rapport; de getallen zelf blijven in whatif\n"
        "opmaak = {k: euro for k in whatif.columns}\n"
        'opmaak["overschrijdingskans"] = lambda x: procent(x, 2)\n'
        "whatif.style.format(opmaak)"
    ),
    new_code_cell('whatif["overschrijdingskans"].round(4).to_dict()'),
]


def notebook() -> nbformat.NotebookNode:
    """The risk notebook, without outputs."""
    nb = new_notebook(cells=CELLEN)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    doel = Path(__file__).with_name("risico.ipynb")
    nbformat.write(notebook(), doel)
    print(f"geschreven: {doel}")
