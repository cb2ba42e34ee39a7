"""Seconds spent explaining an infeasible allocation: pre-checks, elastic model, IIS.

Usage: ``python benchmarks/optimize_infeasible.py [--sizes small,medium,large] [--seed S]
[--iis-limiet SECONDS] [--tijdslimiet SECONDS]``

Instance: the random problem of ``benchmarks/optimize_scaling.py`` (same sizes), made
infeasible in a way the cheap pre-checks do not see: every aanbieder gets a lumpsum of
0,4 x (least cost of covering all demand) / A with a transitie band of 10 %, so the
partners together may receive at most 0,44 x what covering the demand costs, while
the plafond has room to spare. Printed per size: the pre-checks, the main solve that
finds the model infeasible, the elastic model, HiGHS's IIS (run here even above
``iis_max_rijen``, with ``--iis-limiet`` as its time limit; the elastic model gets the
same limit) and ``allocate_problem`` end to end with the default ``SolverOpties`` but
``--tijdslimiet`` for the main solve (the IIS is skipped above 20.000 rows). Above
``SolverOpties.ipm_vanaf_rijen`` (20.000) rows, i.e. at large, the main solve and the
elastic model run HiGHS's interior point method, which proves this infeasibility where
the dual simplex ran into a 60 s limit. A main solve that hits its time limit ends in
``SolveFailed``, as it should.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
from plafond.optimize import NoFeasibleAllocation, SolveFailed, SolverOpties, allocate_problem
from plafond.optimize.highs import compileer, los_op
from plafond.optimize.model import Doel, build_model
from plafond.optimize.onhaalbaar import _elastisch, _iis, voorcontroles
from plafond.optimize.voorbeeld import willekeurig_probleem

SIZES = {"small": (6, 5, 2), "medium": (100, 30, 3), "large": (1000, 50, 3)}


def onhaalbaar(g: int, a: int, p: int, seed: int):
    """The random problem with a transitie band the demand cannot fit in."""
    pr = willekeurig_probleem(g, a, p, rng=seed)
    kosten = allocate_problem(pr, "kosten").doelwaarde
    lumpsum = np.full(len(pr.aanbieders), 0.4 * kosten / len(pr.aanbieders))
    return dataclasses.replace(pr, lumpsum=lumpsum, transitie_band=0.1), kosten


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small,medium,large")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iis-limiet", type=float, default=60.0)
    parser.add_argument("--tijdslimiet", type=float, default=120.0, help="main solve, s")
    args = parser.parse_args()
    kop = (
        f"{'size':7} {'rows':>7} | {'pre-checks':>10} {'solve':>7} {'elastic':>8} "
        f"{'IIS':>8} {'IIS rows':>8} | {'end to end':>10}  conflict found"
    )
    print(kop)
    print("-" * len(kop))
    for naam in args.sizes.split(","):
        pr, kosten = onhaalbaar(*SIZES[naam], args.seed)
        opties = SolverOpties(tijdslimiet=args.tijdslimiet, tijdslimiet_uitleg=args.iis_limiet)
        t0 = time.perf_counter()
        assert voorcontroles(pr, Doel.KOSTEN) == ()  # the pre-checks must not see it
        t1 = time.perf_counter()
        m, index = build_model(pr, Doel.KOSTEN)
        matrix = compileer(m)
        opl = los_op(matrix, opties)
        t2 = time.perf_counter()
        conflicten = _elastisch(pr, Doel.KOSTEN, opties)
        t3 = time.perf_counter()
        iis = _iis(pr, matrix, index, opties)
        t4 = time.perf_counter()
        try:
            allocate_problem(pr, "kosten", opties=SolverOpties(tijdslimiet=args.tijdslimiet))
            raise SystemExit(f"{naam}: expected NoFeasibleAllocation")
        except NoFeasibleAllocation as exc:
            gevonden = {c.familie for c in exc.conflicten}
        except SolveFailed:
            gevonden = {"SolveFailed (tijdslimiet)"}
        t5 = time.perf_counter()
        over = sum(c.tekort for c in conflicten if c.familie == "transitie_max")
        verwacht = kosten - 1.1 * pr.lumpsum.sum()  # a lower bound: least cost minus the bands
        iis_tekst = f"{t4 - t3:8.2f}" + ("" if iis else "*")
        print(
            f"{naam:7} {matrix.n_rijen:7d} | {t1 - t0:10.4f} {t2 - t1:7.2f} "
            f"{t3 - t2:8.2f} {iis_tekst:>8} {len(iis):8d} | {t5 - t4:10.2f}  "
            f"{','.join(sorted(gevonden))} ({opl.status.value}; over by {over:,.0f} of "
            f"{verwacht:,.0f} at least)"
        )
    print("seconds; * = HiGHS gave no IIS (it failed or hit --iis-limiet). End to end:")
    print("default SolverOpties (uitleg 20 s; IIS only for LPs up to 20.000 rows), --tijdslimiet.")


if __name__ == "__main__":
    main()
