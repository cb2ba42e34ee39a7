"""Pyomo -> HiGHS against raw highspy, at three sizes; prints seconds, memory, ratios.

Usage: ``python benchmarks/optimize_scaling.py [--sizes small,medium,large] [--seed S]``

For each size the same random LP (doel kosten, no marktordening) is solved twice in
this process: through ``optimize`` (Pyomo build, LinearStandardFormCompiler, one
``passModel``) and directly (scipy.sparse matrix built from the arrays, one
``passModel``). Both optimal objectives must agree to 1e-6 (relative). Peak memory is
the Python-side peak of each route, measured in a separate untimed run (tracemalloc;
HiGHS's own C++ memory not included).
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import highspy
import numpy as np
import scipy.sparse as sp
from plafond.optimize import SolverOpties, allocate_problem
from plafond.optimize.probleem import AllocationProblem
from plafond.optimize.voorbeeld import willekeurig_probleem

SIZES = {"small": (6, 5, 2), "medium": (100, 30, 3), "large": (1000, 50, 3)}


def raw_highspy(pr: AllocationProblem) -> tuple[float, float, float]:
    """Build the kosten LP as one sparse matrix, solve; (build s, solve s, objective)."""
    t0 = time.perf_counter()
    k, n_p = pr.n_combos, len(pr.producten)
    kk = np.arange(k)
    rest = pr.vraag_rest.ravel()
    gp = pr.combo_gebied * n_p + pr.combo_product
    dek_rijen = np.intersect1d(np.unique(gp), np.flatnonzero(rest > 0))
    dek_pos = np.searchsorted(dek_rijen, gp)
    in_dek = (dek_pos < dek_rijen.size) & (dek_rijen[np.minimum(dek_pos, dek_rijen.size - 1)] == gp)
    ap = pr.combo_aanbieder * n_p + pr.combo_product
    cap = pr.capaciteit.ravel()
    cap_rijen = np.intersect1d(np.unique(ap), np.flatnonzero(np.isfinite(cap)))
    cap_pos = np.searchsorted(cap_rijen, ap)
    in_cap = (cap_pos < cap_rijen.size) & (cap_rijen[np.minimum(cap_pos, cap_rijen.size - 1)] == ap)
    n_dek, n_cap = dek_rijen.size, cap_rijen.size
    r0, r1, r2 = n_dek, n_dek + k, n_dek + k + n_cap
    rows = np.concatenate([dek_pos[in_dek], r0 + kk, r0 + kk, r1 + cap_pos[in_cap], np.full(k, r2)])
    cols = np.concatenate([kk[in_dek], k + kk, kk, kk[in_cap], k + kk])
    vals = np.concatenate(
        [np.ones(in_dek.sum()), np.ones(k), -pr.tarief, np.ones(in_cap.sum()), np.ones(k)]
    )
    a = sp.csc_array((vals, (rows, cols)), shape=(r2 + 1, 2 * k))
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2 * k, r2 + 1
    lp.col_cost_ = np.concatenate([np.zeros(k), np.ones(k)])
    lp.col_lower_, lp.col_upper_ = np.zeros(2 * k), np.full(2 * k, inf)
    lp.row_lower_ = np.concatenate([rest[dek_rijen], np.zeros(k), np.full(n_cap + 1, -inf)])
    lp.row_upper_ = np.concatenate([np.full(n_dek + k, inf), cap[cap_rijen], [pr.budget]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if lp.num_row_ > SolverOpties().ipm_vanaf_rijen:  # the same solver choice as optimize
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
    h.passModel(lp)
    t1 = time.perf_counter()
    h.run()
    t2 = time.perf_counter()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"raw highspy: {h.getModelStatus()}")
    return t1 - t0, t2 - t1, float(h.getInfo().objective_function_value)


def _piek(functie: Callable[..., object], *args: object) -> float:
    """Python-side peak memory of one call, MiB."""
    tracemalloc.start()
    functie(*args)
    piek = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return piek


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    allocate_problem(willekeurig_probleem(3, 2, 1, rng=0))  # warm up imports
    kop = (
        f"{'size':7} {'G x A x P':>13} {'combos':>7} | {'pyomo build':>11} {'solve':>6} "
        f"{'total':>6} {'peak MB':>7} | {'raw build':>9} {'solve':>6} {'total':>6} "
        f"{'peak MB':>7} | {'ratio':>5}"
    )
    print(kop)
    print("-" * len(kop))
    for naam in args.sizes.split(","):
        g, a, p = SIZES[naam]
        pr = willekeurig_probleem(g, a, p, rng=args.seed)
        t0 = time.perf_counter()
        res = allocate_problem(pr, "kosten")
        totaal_pyomo = time.perf_counter() - t0
        t0 = time.perf_counter()
        bouw_raw, los_raw, obj_raw = raw_highspy(pr)
        totaal_raw = time.perf_counter() - t0
        # memory in separate runs: tracemalloc slows Python several times
        piek_pyomo = _piek(allocate_problem, pr, "kosten")
        piek_raw = _piek(raw_highspy, pr)
        verschil = abs(res.doelwaarde - obj_raw) / max(1.0, abs(obj_raw))
        if verschil > 1e-6:
            raise SystemExit(f"{naam}: objectives differ: {res.doelwaarde} vs {obj_raw}")
        tj = res.tijden
        print(
            f"{naam:7} {f'{g}x{a}x{p}':>13} {pr.n_combos:7d} | "
            f"{tj.bouw + tj.compileer:11.3f} {tj.oplos:6.3f} {totaal_pyomo:6.3f} "
            f"{piek_pyomo:7.1f} | {bouw_raw:9.3f} {los_raw:6.3f} {totaal_raw:6.3f} "
            f"{piek_raw:7.1f} | {totaal_pyomo / totaal_raw:5.2f}"
        )
    print("pyomo build = Pyomo model + LinearStandardFormCompiler + passModel input; total")
    print("includes pre-checks and extraction. Objectives agree to 1e-6 at every size.")


if __name__ == "__main__":
    main()
