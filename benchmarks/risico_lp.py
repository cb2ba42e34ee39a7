"""The scenario LP (optimize --cvar) end to end against raw highspy on the same LP.

Usage: ``python benchmarks/risico_lp.py [--scenarios 250,500,1000,2000] [--seed S]``

For each S the reference case's scenario rows are drawn (montecarlo, not timed), then:

- *end to end*: ``optimize.risico.allocate_risico`` — Pyomo build of the allocation model
  plus the scenario rows, ``LinearStandardFormCompiler``, one ``passModel``, solve,
  extraction and the in-sample risk;
- *raw highspy*: the same compiled ``HighsLp`` handed to a fresh ``highspy.Highs`` and
  solved, so the ratio is the cost of building through Pyomo and of the extraction on top
  of HiGHS's own work.

Each is the best of fifteen, the two taken in turn (end to end, highspy, end to end, ...) with
the previous run's garbage collected before each, so both see the same spells of the VM.

Both objectives must agree to 1e-6 (relative). The CVaR limit is 98 % of the
deterministic allocation's in-sample CVaR with the overige 25 % dearer per eenheid.
"""

from __future__ import annotations

import argparse

import highspy
import numpy as np
from meten import naast_elkaar
from plafond.cases import load_case
from plafond.optimize import problem_from_case
from plafond.optimize.highs import compileer
from plafond.optimize.risico import RisicoEis, allocate_risico, build_risico_model

from plafond.risico import risico_scenarios

#: Runs per measurement, the shortest counts (this VM's timings vary by 20-40 % run to run).
KEER = 15


def raw(lp: highspy.HighsLp) -> float:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    return float(h.getInfo().objective_function_value)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", default="250,500,1000,2000")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    case = load_case("maastricht-heuvelland-2022")
    pr = problem_from_case(case)
    print(
        f"{'S':>6} {'rijen':>7} {'kolommen':>8} {'eind-tot-eind':>13} {'highspy':>9} {'ratio':>6}"
    )
    for s in [int(x) for x in args.scenarios.split(",")]:
        sc = risico_scenarios(case, pr, s, seed=args.seed, opslag_overig=0.25)
        ruim = allocate_risico(pr, sc, RisicoEis("cvar", cvar=1e12))
        eis = RisicoEis("cvar", cvar=0.98 * ruim.cvar95_overschrijding)
        # the same LP, compiled once (not timed), solved by highspy alone
        matrix = compileer(build_risico_model(pr, sc, eis)[0])
        lp = matrix.lp
        (t_eind, res), (t_raw, doel) = naast_elkaar(
            [lambda sc=sc, eis=eis: allocate_risico(pr, sc, eis), lambda lp=lp: raw(lp)],
            KEER, opruimen=True)  # fmt: skip
        doel += matrix.offset
        assert np.isclose(doel, res.allocatie.doelwaarde, rtol=1e-6), doel
        print(f"{s:>6} {lp.num_row_:>7} {lp.num_col_:>8} {t_eind:>12.3f}s {t_raw:>8.3f}s "
              f"{t_eind / t_raw:>6.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
