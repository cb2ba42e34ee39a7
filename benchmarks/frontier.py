"""50 frontier points at 2^20 against one simulation and against 50 simulations.

Usage: ``python benchmarks/frontier.py [-n 1048576] [--punten 50] [--simulaties 50]``

Side by side in one process, each the best of five taken in turn (simulation, frontier,
simulation, ...; the 50 simulations once): one
``montecarlo.simulate`` of the reference case; ``montecarlo.frontier.frontier`` with 50
plafond values (one run of the engine, then 50 evaluations of the rule on its spending);
and 50 simulations, one per plafond set in the case (``--simulaties k`` runs k of them and
scales to 50). Checks on the way that three points equal their simulation to the cent.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import plafond.montecarlo as mc
from meten import naast_elkaar
from plafond.cases import load_case
from plafond.cases.wijzig import met_waarden
from plafond.montecarlo.evaluatie import trek
from plafond.montecarlo.frontier import frontier
from plafond.montecarlo.kandidaten import standaard_plafonds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=2**20)
    ap.add_argument("--punten", type=int, default=50)
    ap.add_argument("--simulaties", type=int, default=50)
    args = ap.parse_args()
    case = load_case("maastricht-heuvelland-2022")
    n, seed = args.n, 1
    plafonds = standaard_plafonds(trek(case, 2**16, seed=seed), None, None, args.punten)
    mc.simulate(case, n, seed=seed)  # warm: model and tables built
    (t_sim, _), (t_front, _) = naast_elkaar(
        [lambda: mc.simulate(case, n, seed=seed), lambda: frontier(case, plafonds, n=n, seed=seed)],
        5,
    )
    gevallen = [met_waarden(case, {"kader.plafond": float(p)}) for p in plafonds]
    stap = max(1, len(gevallen) // args.simulaties)
    t = time.perf_counter()
    for c in gevallen[::stap][: args.simulaties]:
        mc.simulate(c, n, seed=seed)
    t_50 = (time.perf_counter() - t) * len(gevallen) / min(args.simulaties, len(gevallen))
    res = frontier(case, plafonds, n=n, seed=seed).to_dict()
    for i in (0, len(plafonds) // 2, len(plafonds) - 1):
        sim = mc.simulate(gevallen[i], n, seed=seed).to_dict()
        p = res["punten"][i]
        assert p["verwachte_overschrijding"] == round(sim["verwachte_overschrijding"], 2)
        assert p["overschrijdingskans"] == sim["overschrijdingskans"]
    print(f"n = {n}, {len(plafonds)} plafonds from {plafonds[0]:,.0f} to {plafonds[-1]:,.0f}")
    print(f"one simulation        {t_sim:7.3f} s")
    print(f"frontier ({len(plafonds)} points)  {t_front:7.3f} s   ratio to one simulation "
          f"{t_front / t_sim:5.2f} (target <= 1.2)")  # fmt: skip
    print(f"{len(plafonds)} simulations        {t_50:7.3f} s   frontier is {t_50 / t_front:5.1f} x "
          f"less (target >= 50)")  # fmt: skip
    _ = np


if __name__ == "__main__":
    main()
