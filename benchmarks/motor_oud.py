"""The reference case's ``simulate`` at 2^20 against the engine before spending followed demand.

Run from a git clone: ``python benchmarks/motor_oud.py [--rondes 3]``. The engine of commit
:data:`OUD` (the last one where spending was lumpsum + a drawn C, before demand drove it) is
taken out of the repository's history with ``git archive`` into a temporary folder and put
on ``PYTHONPATH`` as the package ``plafond``. Each round runs the old and the current
engine, each in a fresh process and each the best of five runs of ``simulate`` of
maastricht-heuvelland-2022 at 2^20 scenarios (seed 1, the default workers); the ratio of
every round and of the best times is printed (target: at most 1,2).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: The last commit before "Spending follows demand" (a18bfc3).
OUD = "ff20fa6"
REPO = Path(__file__).resolve().parent.parent

_METING = """
import gc, json, time
import plafond, plafond.montecarlo as mc
from plafond.cases import load_case
case = load_case("maastricht-heuvelland-2022")
mc.simulate(case, 2**16, seed=3)
tijden = []
for _ in range(5):
    gc.collect()
    t0 = time.perf_counter()
    r = mc.simulate(case, 2**20, seed=1)
    tijden.append(time.perf_counter() - t0)
print(json.dumps({"tijd": min(tijden), "kans": r.overschrijdingskans, "pad": plafond.__file__}))
"""


def oude_boom(doel: Path) -> Path:
    """Unpack commit :data:`OUD` into ``doel`` as an importable ``plafond`` package; returns
    the folder to put on ``PYTHONPATH``."""
    archief = doel / "oud.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archief), OUD], check=True)
    bron = doel / "bron"
    with tarfile.open(archief) as tar:
        tar.extractall(bron, filter="data")
    pakket = doel / "pad" / "plafond"
    pakket.parent.mkdir()
    (bron / "plafond").rename(pakket)
    for deel in ("cases", "optimize", "montecarlo"):
        (bron / deel).rename(pakket / deel)
    return pakket.parent


def meet(pythonpath: str | None) -> dict:
    """One measurement in a fresh process (``pythonpath``: the old engine's folder)."""
    omgeving = dict(os.environ)
    if pythonpath is not None:
        omgeving["PYTHONPATH"] = pythonpath
    else:
        omgeving.pop("PYTHONPATH", None)
    uit = subprocess.run([sys.executable, "-c", _METING], capture_output=True, text=True,
                         check=True, env=omgeving, cwd=tempfile.gettempdir())  # fmt: skip
    return json.loads(uit.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print the figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rondes", type=int, default=3)
    rondes = ap.parse_args().rondes
    with tempfile.TemporaryDirectory() as tmp:
        pad = str(oude_boom(Path(tmp)))
        oud, nieuw = [], []
        for r in range(rondes):
            o, n = meet(pad), meet(None)
            assert o["pad"].startswith(pad) and not n["pad"].startswith(pad)
            oud.append(o["tijd"])
            nieuw.append(n["tijd"])
            print(f"ronde {r + 1}: voor de vraag ({OUD}) {o['tijd']:.3f} s, nu {n['tijd']:.3f} s,"
                  f" verhouding {n['tijd'] / o['tijd']:.2f}")  # fmt: skip
    print(f"beste: {min(oud):.3f} s tegen {min(nieuw):.3f} s, "
          f"verhouding {min(nieuw) / min(oud):.2f} (doel <= 1,2)")  # fmt: skip


if __name__ == "__main__":
    main()
