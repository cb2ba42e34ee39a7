"""Sweeps: many cases × seeds × settings, one simulation per cell, locally or on Dask.

A raster (YAML) names the cases, ``n``, the seeds and the values to vary::

    cases: [maastricht-heuvelland-2022, zaanstad, mijn-case.yaml]
    n: 65536
    seeds: [1, 2]
    methode: mc                    # optional
    varieer:                       # every combination of these values is one cell
      kader.plafond: [13000000, 13500000]
      kader.risicodeling.aandeel_partners: [0.3, 0.5]

Every cell is ``simulate`` of that case with those values set (:func:`cases.wijzig.met_waarden`)
and that seed, in one worker, so its row is the same wherever it ran. A failing cell
yields its one-line error in the column ``fout`` and does not stop the others. The rows come
back in cell order (case, seed, then the varied values in raster order).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from plafond.cases import CaseError

#: Headline figures of every row, after case, seed and the varied keys.
KOLOMMEN = (
    "scenarios",
    "plafond",
    "lumpsum",
    "uitgaven_gemiddelde",
    "overschrijdingskans",
    "overschrijdingskans_ci95_laag",
    "overschrijdingskans_ci95_hoog",
    "verwachte_overschrijding",
    "verwachte_overschrijding_se",
    "cvar95_overschrijding",
    "terugvordering_totaal",
    "fout",
)


@dataclass(frozen=True)
class Cel:
    """One cell: a case (as the raster names it, and where to load it from), a seed, and the
    values set (dotted key -> value)."""

    case: str
    pad: str
    seed: int
    waarden: tuple[tuple[str, Any], ...]

    @property
    def sleutel(self) -> tuple:
        """What identifies the cell in a result table."""
        return (self.case, self.seed, *(v for _, v in self.waarden))


@dataclass(frozen=True)
class Raster:
    """A parsed raster: the cells, n and methode, the varied keys in order."""

    cellen: tuple[Cel, ...]
    n: int
    methode: str
    sleutels: tuple[str, ...]


def _fout(bron: str, veld: str, tekst: str) -> CaseError:
    return CaseError(bron, veld, tekst)


def lees_raster(pad: str | Path) -> Raster:
    """Read and check a raster YAML (case paths are relative to the raster's folder).

    Raises
    ------
    CaseError
        For a missing or malformed key (one line: file, key, what is allowed).
    """
    from plafond.cases.load import read_yaml

    pad = Path(pad)
    if not pad.exists():
        raise _fout(str(pad), "", "bestand niet gevonden")
    data = read_yaml(pad)
    bron = str(pad)
    if not isinstance(data, dict):
        raise _fout(bron, "", "verwacht een tabel met cases, n, seeds en varieer")
    onbekend = sorted(set(data) - {"cases", "n", "seeds", "methode", "varieer"})
    if onbekend:
        raise _fout(bron, onbekend[0], "onbekende sleutel; toegestaan: cases, n, seeds, "
                    "methode, varieer")  # fmt: skip
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases or not all(isinstance(c, str) for c in cases):
        raise _fout(bron, "cases", "verwacht een lijst van case-namen of -paden")
    n = data.get("n", 2**16)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise _fout(bron, "n", f"verwacht een positief geheel getal, niet {n!r}")
    seeds = data.get("seeds", [1])
    if (
        not isinstance(seeds, list)
        or not seeds
        or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds)
    ):
        raise _fout(bron, "seeds", "verwacht een lijst van gehele getallen >= 0")
    methode = data.get("methode", "mc")
    if methode not in ("mc", "sobol", "lhs"):
        raise _fout(bron, "methode", "toegestaan: mc, sobol, lhs")
    varieer = data.get("varieer") or {}
    if not isinstance(varieer, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and v for k, v in varieer.items()
    ):
        raise _fout(bron, "varieer", "verwacht sleutel: [waarden, ...] (bv. kader.plafond)")
    map_ = pad.resolve().parent
    sleutels = tuple(varieer)
    cellen = tuple(
        Cel(
            c,
            str(map_ / c) if (map_ / c).exists() else c,
            int(s),
            tuple(zip(sleutels, combinatie, strict=True)),
        )
        for c in cases
        for s in seeds
        for combinatie in itertools.product(*varieer.values())
    )
    return Raster(cellen, int(n), methode, sleutels)


def reken_cel(cel: Cel, n: int, methode: str) -> dict[str, Any]:
    """Simulate one cell (one worker, so the same bits anywhere); errors become ``fout``."""
    import plafond.montecarlo as mc
    from plafond.cases import load_case
    from plafond.cases.wijzig import met_waarden

    rij: dict[str, Any] = {"case": cel.case, "seed": cel.seed, **dict(cel.waarden)}
    try:
        case = load_case(cel.pad)
        if cel.waarden:
            case = met_waarden(case, dict(cel.waarden), bron=cel.case)
        res = mc.simulate(case, n, seed=cel.seed, methode=methode, werkers=1)
    except (CaseError, ValueError, KeyError) as exc:
        return rij | dict.fromkeys(KOLOMMEN[:-1], math.nan) | {"fout": str(exc)}
    lo, hi = res.overschrijdingskans_ci95
    return rij | {
        "scenarios": res.scenarios,
        "plafond": res.plafond,
        "lumpsum": res.lumpsum,
        "uitgaven_gemiddelde": res.uitgaven["gemiddelde"],
        "overschrijdingskans": res.overschrijdingskans,
        "overschrijdingskans_ci95_laag": lo,
        "overschrijdingskans_ci95_hoog": hi,
        "verwachte_overschrijding": res.verwachte_overschrijding,
        "verwachte_overschrijding_se": res.verwachte_overschrijding_se,
        "cvar95_overschrijding": res.cvar95_overschrijding,
        "terugvordering_totaal": float(res.terugvordering["verwacht"].sum()),
        "fout": "",
    }


def _lokaal(cellen: list[Cel], n: int, methode: str, werkers: int | None) -> Iterator[dict]:
    import multiprocessing

    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    with ProcessPoolExecutor(werkers, mp_context=context) as pool:
        taken = [pool.submit(reken_cel, c, n, methode) for c in cellen]
        for taak in as_completed(taken):
            yield taak.result()


def _dask(cellen: list[Cel], n: int, methode: str, scheduler: str) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as klaar
    except ImportError:
        raise CaseError("--scheduler", "", "Dask ontbreekt: pip install \"plafond[dask]\"") \
            from None  # fmt: skip
    if scheduler == "lokaal":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
        client = Client(cluster)
    else:
        cluster, client = None, Client(scheduler, timeout=30)
    try:
        taken = client.map(reken_cel, cellen, n=n, methode=methode, pure=False)
        for taak in klaar(taken):
            yield taak.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def sweep(
    raster: Raster,
    *,
    scheduler: str | None = None,
    klaar: pd.DataFrame | None = None,
    werkers: int | None = None,
    voortgang: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run every cell not already done and return the whole tidy table, in cell order.

    Parameters
    ----------
    raster
        The cells (:func:`lees_raster`).
    scheduler
        None: local processes; ``"lokaal"``: a ``dask.distributed.LocalCluster`` of two
        workers; ``"tcp://host:port"``: an existing Dask scheduler.
    klaar
        An earlier result table: its rows without ``fout`` are kept, not run again.
    """
    bestaand: dict[tuple, dict] = {}
    if klaar is not None and len(klaar):
        kolommen = ["case", "seed", *raster.sleutels]
        if all(k in klaar.columns for k in kolommen):
            for rij in klaar.to_dict(orient="records"):
                fout = rij.get("fout")
                if fout is None or (isinstance(fout, float) and math.isnan(fout)) or fout == "":
                    bestaand[tuple(rij[k] for k in kolommen)] = rij
    te_doen = [c for c in raster.cellen if c.sleutel not in bestaand]
    rijen: dict[tuple, dict] = {}
    if te_doen:
        bron: Iterable[dict] = (
            _lokaal(te_doen, raster.n, raster.methode, werkers) if scheduler is None
            else _dask(te_doen, raster.n, raster.methode, scheduler)
        )  # fmt: skip
        for i, rij in enumerate(bron, start=1):
            rijen[tuple(rij[k] for k in ("case", "seed", *raster.sleutels))] = rij
            if voortgang is not None:
                voortgang(i, len(te_doen))
    uit = [bestaand.get(c.sleutel) or rijen[c.sleutel] for c in raster.cellen]
    frame = pd.DataFrame(uit, columns=["case", "seed", *raster.sleutels, *KOLOMMEN])
    frame["fout"] = frame["fout"].fillna("").astype(str)
    return frame


def lees_resultaat(pad: Path) -> pd.DataFrame | None:
    """An earlier result file (.parquet, .csv, .xlsx), or None when there is none."""
    if not pad.exists():
        return None
    suffix = pad.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(pad)
    if suffix == ".csv":
        return pd.read_csv(pad, keep_default_na=False, na_values=[""])
    return pd.read_excel(pad)


def schrijf_resultaat(frame: pd.DataFrame, pad: Path) -> None:
    """Write the table atomically as .parquet, .csv or .xlsx."""
    from plafond.cases.files import atomic_write

    suffix = pad.suffix.lower()
    if suffix == ".parquet":
        atomic_write(pad, lambda tmp: frame.to_parquet(tmp, index=False))
    elif suffix == ".csv":
        atomic_write(pad, lambda tmp: frame.to_csv(tmp, index=False))
    else:
        from plafond.xlsx import Tabel, schrijf_werkboek

        geld = (
            "plafond",
            "lumpsum",
            "uitgaven_gemiddelde",
            "verwachte_overschrijding",
            "verwachte_overschrijding_se",
            "cvar95_overschrijding",
            "terugvordering_totaal",
        )
        formaten = {k: "euro" for k in geld} | {
            k: "procent2" for k in KOLOMMEN if k.startswith("overschrijdingskans")
        }
        atomic_write(pad, lambda tmp: schrijf_werkboek(tmp, {"sweep": Tabel(frame, formaten)}))
