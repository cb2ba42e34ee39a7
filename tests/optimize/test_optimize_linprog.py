"""Random small instances against an independent scipy.optimize.linprog formulation.

The reference eliminates bedrag (at a kosten optimum bedrag = tarief * volume): minimise
sum t_k v_k subject to coverage per (gebied, product), capaciteit per (aanbieder,
product) and sum t_k v_k <= plafond - overige, built densely from the arrays.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from plafond.optimize import NoFeasibleAllocation, SolverOpties, allocate_problem
from plafond.optimize.voorbeeld import willekeurig_probleem
from scipy.optimize import linprog


def referentie(pr) -> float | None:
    k = pr.n_combos
    n_g, n_a, n_p = len(pr.gebieden), len(pr.aanbieders), len(pr.producten)
    a_ub, b_ub = [], []
    rest = pr.vraag - pr.overige_volume
    for g in range(n_g):
        for p in range(n_p):
            rij = ((pr.combo_gebied == g) & (pr.combo_product == p)).astype(float)
            a_ub.append(-rij)
            b_ub.append(-max(rest[g, p], 0.0))
    for a in range(n_a):
        for p in range(n_p):
            if np.isfinite(pr.capaciteit[a, p]):
                a_ub.append(((pr.combo_aanbieder == a) & (pr.combo_product == p)).astype(float))
                b_ub.append(pr.capaciteit[a, p])
    a_ub.append(np.asarray(pr.tarief, dtype=float))
    b_ub.append(pr.plafond - pr.overige_uitgaven.sum())
    res = linprog(
        pr.tarief, A_ub=np.array(a_ub), b_ub=b_ub, bounds=[(0, None)] * k, method="highs-ds"
    )
    return res.fun if res.status == 0 else None


# ipm_vanaf_rijen=0: the interior point route that LPs above 20.000 rows take
@pytest.mark.parametrize("ipm_vanaf_rijen", [20_000, 0], ids=["simplex", "ipm"])
@pytest.mark.parametrize("seed", range(40))
def test_same_optimal_cost_as_linprog(seed: int, ipm_vanaf_rijen: int) -> None:
    opties = SolverOpties(ipm_vanaf_rijen=ipm_vanaf_rijen)
    rng = np.random.default_rng(seed)
    g, a, p = rng.integers(2, 7), rng.integers(2, 6), rng.integers(1, 4)
    pr = willekeurig_probleem(
        g, a, p, dichtheid=rng.uniform(0.2, 0.8), rng=rng, krapte=rng.uniform(0.95, 1.4)
    )
    if seed % 3 == 0:  # some overige uitgaven, part of which covers demand
        pr = dataclasses.replace(
            pr,
            overige_uitgaven=pr.vraag * 5.0,
            overige_volume=pr.vraag * 0.1,
            plafond=pr.plafond * rng.uniform(0.7, 1.1),
        )
    verwacht = referentie(pr)
    if verwacht is None:
        with pytest.raises(NoFeasibleAllocation):
            allocate_problem(pr, "kosten", opties=opties)
    else:
        res = allocate_problem(pr, "kosten", opties=opties)
        assert res.doelwaarde == pytest.approx(verwacht, rel=1e-6, abs=1e-6)
