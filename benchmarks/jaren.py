"""The time axis side by side: a four-year heerlen-2020 run against a one-year run, and prognose.

Run: ``python benchmarks/jaren.py [log2 n]`` (default 2^20 scenarios per year). Prints the
wall time of each, best of ``HERHALINGEN`` runs (in-process, after a warm-up), and of
``plafond prognose`` at the same n through the CLI (a fresh process, start-up included).
Targets (issue 13): four years <= 4.5 × one year; prognose < 5 s. Not part of the tests:
timings depend on the machine and its load.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import plafond.montecarlo as montecarlo
from meten import beste
from plafond.cases import load_case

CASE = "heerlen-2020"
HERHALINGEN = 3


def main() -> None:
    n = 2 ** int(sys.argv[1]) if len(sys.argv) > 1 else 2**20
    vier = load_case(CASE)
    een = vier.model_copy(update={"kader": vier.kader.model_copy(update={"looptijd": 1})})
    montecarlo.simulate(vier, 2**14, seed=0)  # warm-up (imports, model cache)
    t1, _ = beste(lambda: montecarlo.simulate(een, n, seed=1), HERHALINGEN)
    t4, _ = beste(lambda: montecarlo.simulate(vier, n, seed=1), HERHALINGEN)
    print(f"{CASE}, {n} scenario's per jaar")
    print(f"  één jaar      {t1:6.2f} s")
    print(f"  vier jaar     {t4:6.2f} s   = {t4 / t1:.2f} × één jaar (doel <= 4,5 ×)")
    voorbeeld = Path(__file__).parents[1] / "cases" / "data" / "realisatie" / "heerlen-2020-6m.csv"
    cmd = [sys.executable, "-m", "plafond.cli", "prognose", CASE, "--realisatie", str(voorbeeld),
           "-n", str(n), "--seed", "1", "--json"]  # fmt: skip
    tp, _ = beste(lambda: subprocess.run(cmd, check=True, capture_output=True), HERHALINGEN)
    print(f"  prognose CLI  {tp:6.2f} s   (doel < 5 s, start-up inbegrepen)")


if __name__ == "__main__":
    main()
