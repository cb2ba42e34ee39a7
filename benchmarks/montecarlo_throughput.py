"""Throughput, memory and accuracy of montecarlo on the reference case (prints figures).

Run: ``python benchmarks/montecarlo_throughput.py`` (about a minute on 2 cores).
Not part of the tests: timings depend on the machine and its load.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import plafond.montecarlo as montecarlo
from meten import beste
from plafond.cases import load_case
from plafond.montecarlo import Regel, correlatiematrix, marginaal
from plafond.montecarlo.model import bouw_model
from plafond.montecarlo.motor import BLOK, STANDAARD_PARALLEL, Model
from plafond.montecarlo.risicodeling import terugvordering
from plafond.montecarlo.simulatie import resultaat_uit, simuleer_model
from plafond.montecarlo.steekproef import STROOM
from plafond.montecarlo.stroom import _plan, _scenario_waarden, _stroom_sommen
from plafond.montecarlo.vraag import totaal_volume, totale_volumes
from plafond.montecarlo.werkruimte import Werkruimte
from scipy import stats
from threadpoolctl import threadpool_limits

CASE = "maastricht-heuvelland-2022"
MILJOEN = 1_000_000


def _trek_stroom(d: int, n: int, k: int, buffer: np.ndarray | None = None) -> None:
    rng = np.random.default_rng(np.random.SeedSequence(1, spawn_key=(k,)))
    m = min(STROOM, n - k * STROOM)
    if buffer is None or m != STROOM:
        rng.standard_normal((d, m))
    else:
        rng.standard_normal(out=buffer)


def _trek_blok(d: int, n: int, strooms: range, hergebruik: bool) -> None:
    buffer = np.empty((d, STROOM)) if hergebruik else None
    for k in strooms:
        _trek_stroom(d, n, k, buffer)


def kale_trekkingen(
    d: int, n: int, werkers: int, parallel: str = "threads", hergebruik: bool = False
) -> None:
    """The same number of standard normals, drawn with numpy in strooms, no transforms.

    Blocks of :data:`BLOK` strooms go to the workers exactly as in the engine (threads, or
    forked processes). ``hergebruik``: draw into one reused buffer per block (as the
    engine does) instead of a fresh array per stroom; the stricter baseline.
    """
    strooms = -(-n // STROOM)
    blokken = [range(s, min(s + BLOK, strooms)) for s in range(0, strooms, BLOK)]
    if werkers == 1:
        for b in blokken:
            _trek_blok(d, n, b, hergebruik)
    elif parallel == "threads":
        with ThreadPoolExecutor(werkers) as pool:
            list(pool.map(lambda b: _trek_blok(d, n, b, hergebruik), blokken))
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(werkers, mp_context=context) as pool:
            k = len(blokken)
            list(pool.map(_trek_blok, [d] * k, [n] * k, blokken, [hergebruik] * k))


def naieve_lus(model: Model, n: int) -> None:
    """One scenario at a time in Python: what the engine avoids."""
    rng = np.random.default_rng(1)
    # the loadings of the copula: the factor model's, or the Cholesky factor of the matrix
    fm = model.factormodel
    lf = fm.dicht() if fm is not None else np.linalg.cholesky(model.correlatie)
    nc, k0 = len(model.overige), model.copula_dimensies
    for _ in range(n):
        z = rng.standard_normal(model.dimensies)
        zc = lf @ z[:k0]
        s = model.vaste_uitgaven[0] + sum(
            float(m.uit_normaal(zc[i : i + 1])[0]) for i, m in enumerate(model.overige)
        )
        kosten = np.zeros(model.lumpsum.size)
        for j, v in enumerate(model.vraag):
            n_c = v.clienten.uit_normaal(zc[nc + j : nc + j + 1])
            vol = totaal_volume(n_c, z[k0 + j : k0 + j + 1], v.volume_gemiddelde,
                                v.volume_sd)  # fmt: skip
            kosten += model.kosten[:, j] * vol[0]
        terugvordering(np.array([s]), model.regel)


def fasen(model: Model, n: int) -> dict[str, float]:
    """Seconds per stage for ``n`` scenarios on one core: the engine's own steps, stroom by
    stroom in one reused workspace (the drawing as the engine does it)."""
    plan, ruimte = _plan(model), Werkruimte()
    nc, nv, d = len(model.overige), len(model.vraag), model.dimensies
    k0 = model.copula_dimensies
    tijd = dict.fromkeys(
        ("trekken", "copula en marginalen", "volumes en kosten", "regel en sommen"), 0.0
    )
    for k in range(-(-n // STROOM)):
        t0 = time.perf_counter()
        rng = np.random.default_rng(np.random.SeedSequence(1, spawn_key=(k,)))
        z = rng.standard_normal(out=ruimte("z", (d, STROOM)))
        t1 = time.perf_counter()
        w = ruimte("w", (nc + nv, STROOM))
        if model.factormodel is not None:  # as stroom._scenarios: the factor model, or a matrix
            model.factormodel.toepassen(z[:k0], plan.lijnen.schaal, out=w)
        else:
            np.matmul(plan.factor, z[:k0], out=w)
        w += plan.verschuiving
        plan.lijnen.uit_voorgeschaald(w, ruimte)
        t2 = time.perf_counter()
        vol = totale_volumes(w[nc:], z[k0 : k0 + nv], plan.volume_mu, plan.volume_sd, ruimte)
        np.matmul(model.kosten, vol, out=ruimte("k", (model.lumpsum.size, STROOM)))
        t3 = time.perf_counter()
        per_pot, kosten = _scenario_waarden(model, z, plan, ruimte)
        t4 = time.perf_counter()
        _stroom_sommen(model, per_pot, per_pot[0], kosten, ruimte)
        t5 = time.perf_counter()
        for naam, dt in zip(tijd, (t1 - t0, t2 - t1, t3 - t2, t5 - t4), strict=True):
            tijd[naam] += dt
    return tijd


def piekgeheugen(n: int) -> dict[str, float]:
    """Peak RSS and traced (numpy) allocations of simulate(n) in a fresh process (MB).

    The peak is the process's own high-water mark (``VmHWM``; ``ru_maxrss`` would carry
    over the parent's peak through fork and exec).
    """
    code = f"""
import json, re, resource, tracemalloc
import plafond.montecarlo as montecarlo
from plafond.cases import load_case
def piek():
    try:
        status = open("/proc/self/status").read()
        return int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
case = load_case({CASE!r})
montecarlo.simulate(case, 1024, seed=1)
rss0 = piek()
tracemalloc.start()
montecarlo.simulate(case, {n}, seed=1)
_, piek_numpy = tracemalloc.get_traced_memory()
print(json.dumps({{"rss_mb": piek(), "rss_vooraf_mb": rss0, "traced_mb": piek_numpy / 2**20}}))
"""
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(uit.stdout)


def fout_per_methode(n: int, herhalingen: int) -> dict[str, dict[str, float]]:
    """RMS error of P and E[(C-k)+] against the closed form: two correlated normal lines."""
    mu, sd, rho, k = 1.8e6, math.sqrt(1e10 + 2.25e10 + 2 * 0.5 * 1.5e10), 0.5, 2.0e6
    model = Model(
        overige=(
            marginaal({"verdeling": "normaal", "gemiddelde": 1e6, "sd": 1e5}),
            marginaal({"verdeling": "normaal", "gemiddelde": 8e5, "sd": 1.5e5}),
        ),
        overige_pot=(0, 0),
        vraag=(),
        correlatie=correlatiematrix(["a", "b"], {"a": "x", "b": "x"}, binnen_gemeente=rho),
        vaste_uitgaven=np.array([0.0]),
        regel=Regel(plafond=[k], gewichten=[[1.0]]),
        lumpsum=np.array([1.0]),
        kosten=np.zeros((1, 0)),
    )
    d = (mu - k) / sd
    p_exact = stats.norm.sf(k, mu, sd)
    e_exact = (mu - k) * stats.norm.cdf(d) + sd * stats.norm.pdf(d)
    uit = {}
    for methode in montecarlo.METHODES:
        fp, fe = [], []
        for seed in range(herhalingen):
            r = simuleer_model(model, n, seed=seed, methode=methode, werkers=1)
            fp.append(r.overschrijdingskans - p_exact)
            fe.append(r.verwachte_overschrijding - e_exact)
        uit[methode] = {
            "rms_fout_kans": float(np.sqrt(np.mean(np.square(fp)))),
            "rms_fout_overschrijding_euro": float(np.sqrt(np.mean(np.square(fe)))),
        }
    return uit


def main() -> None:
    case = load_case(CASE)
    werkers = os.cpu_count() or 1
    t0 = time.perf_counter()
    montecarlo.simulate(case, MILJOEN, seed=42, werkers=1)  # first run: builds the model
    t_eerste = time.perf_counter() - t0
    model = bouw_model(case)
    d = model.dimensies
    # every variant three times, interleaved, best of each (the machine may be shared)
    t_sim = {v: math.inf for v in ("threads", "processen", "1")}
    t_kaal = {v: math.inf for v in ("threads", "processen", "1", "threads+buf", "1+buf")}
    t_een_aanroep = math.inf
    for _ in range(3):
        for v in t_sim:
            kw = {"werkers": 1} if v == "1" else {"werkers": werkers, "parallel": v}
            t0 = time.perf_counter()
            montecarlo.simulate(case, MILJOEN, seed=42, **kw)
            t_sim[v] = min(t_sim[v], time.perf_counter() - t0)
        for v in t_kaal:
            w = 1 if v.startswith("1") else werkers
            par = "processen" if v == "processen" else "threads"
            t0 = time.perf_counter()
            kale_trekkingen(d, MILJOEN, w, par, v.endswith("+buf"))
            t_kaal[v] = min(t_kaal[v], time.perf_counter() - t0)
        t0 = time.perf_counter()
        np.random.default_rng(1).standard_normal((d, MILJOEN))
        t_een_aanroep = min(t_een_aanroep, time.perf_counter() - t0)
    with threadpool_limits(limits=1, user_api="blas"):
        fasen(model, 4 * STROOM)  # warm-up
        stappen = fasen(model, MILJOEN)
    ruw = montecarlo.motor.draai(model, MILJOEN, seed=42)
    t0 = time.perf_counter()
    resultaat_uit(model, ruw, case=CASE, seed=42, methode="mc", partners=list(model.partners))
    stappen["schattingen (sorteren, kwantielen, tabellen)"] = time.perf_counter() - t0
    n_lus = 2000
    t_lus = beste(lambda: naieve_lus(model, n_lus), 1)[0] * MILJOEN / n_lus
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "plafond.cli", "simulate", CASE, "-n", str(MILJOEN), "--seed",
         "42", "--json"], check=True, capture_output=True,
    )  # fmt: skip
    t_cli = time.perf_counter() - t0
    geheugen = {n: piekgeheugen(n) for n in (MILJOEN, 4 * MILJOEN)}
    fouten = fout_per_methode(2**14, 40)

    par = min(("threads", "processen"), key=t_sim.get)
    kaal_par = min(t_kaal["threads"], t_kaal["processen"], t_kaal["threads+buf"])
    kaal_1 = min(t_kaal["1"], t_kaal["1+buf"])
    print(f"reference case {CASE}: {d} normal scores per scenario, {werkers} cores")
    print(f"1M scenarios in-process, {werkers} workers: threads {t_sim['threads']:.2f} s, "
          f"processes {t_sim['processen']:.2f} s; 1 worker {t_sim['1']:.2f} s  "
          f"(default: {STANDAARD_PARALLEL}; best {MILJOEN / min(t_sim.values()):,.0f} "
          "scenarios/s; the model of the case built before, as in a notebook)")  # fmt: skip
    print(f"  first run in the process (model built, tables computed), 1 worker: "
          f"{t_eerste:.2f} s")  # fmt: skip
    print(f"1M scenarios via the CLI (--json, incl. start-up): {t_cli:.2f} s")
    print(f"bare numpy draws of the same {d}M normals: 1 thread {t_kaal['1']:.2f} s "
          f"(reused buffer {t_kaal['1+buf']:.2f} s); {werkers} workers: threads "
          f"{t_kaal['threads']:.2f} s (reused buffer {t_kaal['threads+buf']:.2f} s), "
          f"processes {t_kaal['processen']:.2f} s; one call rng.standard_normal(({d}, 10**6)) "
          f"{t_een_aanroep:.2f} s")  # fmt: skip
    print(f"  ratio simulate / bare draws in strooms (fastest of each): {werkers} workers "
          f"{t_sim[par] / kaal_par:.2f}, 1 worker {t_sim['1'] / kaal_1:.2f}; "
          f"1 worker / one call {t_sim['1'] / t_een_aanroep:.2f}")  # fmt: skip
    totaal = sum(stappen.values())
    print(f"where 1M scenarios go on one core (stage by stage, {totaal:.2f} s together):")
    for naam, t in stappen.items():
        print(f"  {naam:46s} {t:5.3f} s  {t / stappen['trekken']:4.2f} x the drawing")
    print(f"naive per-scenario Python loop, scaled from {n_lus}: {t_lus:.0f} s for 1M "
          f"= {t_lus / min(t_sim.values()):,.0f}x slower")  # fmt: skip
    for n, g in geheugen.items():
        print(f"peak memory at {n / 1e6:.0f}M: RSS {g['rss_mb']:.0f} MB (before the run "
              f"{g['rss_vooraf_mb']:.0f} MB), traced numpy {g['traced_mb']:.0f} MB")  # fmt: skip
    r_rss = geheugen[4 * MILJOEN]["rss_mb"] / geheugen[MILJOEN]["rss_mb"]
    r_tr = geheugen[4 * MILJOEN]["traced_mb"] / geheugen[MILJOEN]["traced_mb"]
    extra = (geheugen[4 * MILJOEN]["traced_mb"] - geheugen[MILJOEN]["traced_mb"]) * 2**20
    print(f"  ratio 4M / 1M: RSS {r_rss:.2f}, traced {r_tr:.2f}; traced growth "
          f"{extra / (3 * MILJOEN):.1f} bytes per scenario (8 are kept in the result)")  # fmt: skip
    print("error against the closed form (two correlated normals, n = 16384, 40 seeds, RMS):")
    for methode, f in fouten.items():
        print(f"  {methode:5s} kans {f['rms_fout_kans']:.2e}   "
              f"E[overschrijding] EUR {f['rms_fout_overschrijding_euro']:,.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
