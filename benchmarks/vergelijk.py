"""Speed, scale and memory of ``vergelijk`` and ``simulate`` (prints figures; not a test).

Run: ``python benchmarks/vergelijk.py`` (a few minutes on 2 cores). Every measurement runs
in a fresh process so its peak memory (``ru_maxrss``) is its own:

1. the reference case at 2^20 scenarios: one ``simulate`` against ``vergelijk`` with the
   six arrangements, side by side in one process (their runs taken in turn, best of
   ``--keer``, :func:`meten.naast_elkaar`: the ratio), and the peak memory of each in a
   process of its own;
2. synthetic cases of G gemeenten × K products with about 60 partners (the national
   scale: 342 × 5) through ``simulate`` at 2^18: time and peak memory, with a 50 × 4 case
   to show how time grows with the number of lines.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

N_REF = 2**20
N_GROOT = 2**18
ZES = ["pxq", "lumpsum", "populatie", "tweedelig", "staffel", "bandbreedte"]


def synthetisch(gemeenten: int, producten: int, partners: int = 60, seed: int = 1) -> dict:
    """A case of ``gemeenten`` (one gebied each) × ``producten`` with ``partners`` partners.

    Every gemeente × product is served by three partners (chosen in turn) and the overige;
    demand negbin clients × gamma hours, correlation 0.5 within and 0.2 between gemeenten.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    prods = [f"P{k}" for k in range(producten)]
    gebieden = {f"g{i}": {"gemeente": f"G{i}", "inwoners": int(rng.integers(5_000, 150_000)),
                          "aandeel_75plus": 0.09, "aandeel_85plus": 0.03,
                          "aandeel_laag_inkomen": 0.1} for i in range(gemeenten)}  # fmt: skip
    aanbieders = {f"a{j}": {"naam": f"A{j}", "rol": "partner"} for j in range(partners)}
    aanbieders["ov"] = {"naam": "Overig", "rol": "overig"}
    historie, vraag = [], []
    for i, g in enumerate(gebieden):
        schaal = gebieden[g]["inwoners"] / 1000
        for k, p in enumerate(prods):
            clienten = 5 * schaal * (1 + 0.2 * k)
            for r in range(3):
                a = f"a{(3 * i + k + r) % partners}"
                historie.append({"aanbieder": a, "gebied": g, "product": p,
                                 "omzet": float(clienten * 90 * 50 * 0.8 / 3)})  # fmt: skip
            historie.append({"aanbieder": "ov", "gebied": g, "product": p,
                             "omzet": float(clienten * 90 * 50 * 0.2)})  # fmt: skip
            n_c = {
                "verdeling": "negbin",
                "gemiddelde": clienten,
                "cv": max(0.08, 2 / clienten**0.5),
            }
            v_c = {"verdeling": "gamma", "gemiddelde": 90, "cv": 0.4}
            vraag.append({"gebied": g, "product": p, "clienten": n_c, "volume_per_client": v_c})
    return {
        "naam": f"synthetisch-{gemeenten}x{producten}",
        "jaar": 2025,
        "producten": {p: {"naam": p} for p in prods},
        "gebieden": gebieden,
        "aanbieders": aanbieders,
        "tarieven": [{"product": p, "tarief": 50.0} for p in prods],
        "historie": historie,
        "vraag": vraag,
        "kader": {"correlatie": {"binnen_gemeente": 0.5, "tussen_gemeenten": 0.2}},
        "levering": {
            "overige": [{"product": p, "tarief_pgb": 37.5, "aandeel_pgb": 0.3} for p in prods]
        },  # fmt: skip
    }


def _meet(taak: str, *args: str) -> dict:
    """Run one measurement in a fresh process; returns its JSON (time, peak memory)."""
    uit = subprocess.run([sys.executable, __file__, taak, *args], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return json.loads(uit.stdout.strip().splitlines()[-1])


def _kind(taak: str, *args: str) -> None:
    import resource

    import plafond.montecarlo as mc
    from plafond.cases import load_case
    from plafond.cases.load import case_from_dict

    if taak == "verhouding":
        from meten import naast_elkaar

        case = load_case("maastricht-heuvelland-2022")
        mc.vergelijk(case, 2**16, seed=1, varianten=ZES)  # warm: imports, caches
        (sim, _), (verg, _) = naast_elkaar([
            lambda: mc.simulate(case, N_REF, seed=1),
            lambda: mc.vergelijk(case, N_REF, seed=1, varianten=ZES),
        ], keer=int(args[0]), opruimen=True)  # fmt: skip
        print(json.dumps({"simulate": sim, "vergelijk": verg}))
        return

    if taak in ("simulate", "vergelijk"):
        case = load_case("maastricht-heuvelland-2022")
        n = N_REF
    else:
        g, k = (int(x) for x in args)
        case = case_from_dict(synthetisch(g, k))
        n = N_GROOT
    tijden = []
    for _ in range(1 if taak == "groot" else 3):
        t0 = time.perf_counter()
        if taak == "vergelijk":
            mc.vergelijk(case, n, seed=1, varianten=ZES)
        else:
            mc.simulate(case, n, seed=1)
        tijden.append(time.perf_counter() - t0)
    piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)
    print(json.dumps({"tijd": min(tijden), "piek_mb": piek, "lijnen": len(case.vraag)}))


def main() -> None:
    """Print the figures."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keer", type=int, default=5, help="runs of each, taken in turn")
    parser.add_argument(
        "--alleen-verhouding",
        action="store_true",
        help="only the reference case's ratio (no memory, no large cases)",
    )
    opties = parser.parse_args()
    t = _meet("verhouding", str(opties.keer))
    print(f"referentiecase, 2^20 scenario's, om beurten, beste van {opties.keer}: simulate "
          f"{t['simulate']:.2f} s, vergelijk (zes varianten) {t['vergelijk']:.2f} s, "
          f"verhouding {t['vergelijk'] / t['simulate']:.2f}")  # fmt: skip
    if opties.alleen_verhouding:
        return
    sim = _meet("simulate")
    verg = _meet("vergelijk")
    print(f"piekgeheugen (elk in een eigen proces): simulate {sim['piek_mb']:.0f} MB, "
          f"vergelijk {verg['piek_mb']:.0f} MB")  # fmt: skip
    for g, k in ((50, 4), (342, 5)):
        r = _meet("groot", str(g), str(k))
        print(f"synthetisch {g} x {k} ({r['lijnen']} vraaglijnen), 2^18 scenario's: "
              f"{r['tijd']:.1f} s, piek {r['piek_mb']:.0f} MB, "
              f"{r['tijd'] / r['lijnen'] * 1e3:.1f} ms per lijn")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        _kind(*sys.argv[1:])
    else:
        main()
