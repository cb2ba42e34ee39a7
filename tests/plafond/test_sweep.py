"""`plafond sweep`: each row equals simulate of its cell, here and on Dask; reruns skip."""

from __future__ import annotations

import copy
import os
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import plafond.montecarlo as mc
import pytest
import yaml
from plafond.cases import bundled_path, case_from_dict

from plafond.cli import main
from plafond.sweep import lees_raster, sweep

N = 4096
RASTER = {
    "cases": ["maastricht-heuvelland-2022", "bestaat-niet.yaml"],
    "n": N,
    "seeds": [3],
    "varieer": {"kader.plafond": [13_000_000, 13_400_000],
                "kader.risicodeling.aandeel_partners": [0.3]},
}  # fmt: skip
CIJFERS = ["overschrijdingskans", "verwachte_overschrijding", "terugvordering_totaal",
           "cvar95_overschrijding", "plafond", "scenarios"]  # fmt: skip


@pytest.fixture(scope="module")
def raster(tmp_path_factory) -> Path:
    pad = tmp_path_factory.mktemp("sweep") / "raster.yaml"
    pad.write_text(yaml.safe_dump(RASTER), encoding="utf-8")
    return pad


@pytest.fixture(scope="module")
def lokaal(raster) -> pd.DataFrame:
    return sweep(lees_raster(raster), werkers=2)


def test_rows_equal_simulate_of_their_cell(lokaal):
    assert list(lokaal.columns[:4]) == ["case", "seed", "kader.plafond",
                                        "kader.risicodeling.aandeel_partners"]  # fmt: skip
    data = yaml.safe_load(bundled_path("maastricht-heuvelland-2022").read_text(encoding="utf-8"))
    goed = lokaal[lokaal["fout"] == ""]
    assert len(goed) == 2
    for rij in goed.itertuples(index=False):
        d = copy.deepcopy(data)
        d["kader"]["plafond"] = rij[2]
        d["kader"]["risicodeling"]["aandeel_partners"] = rij[3]
        sim = mc.simulate(case_from_dict(d), N, seed=3)
        assert rij.overschrijdingskans == sim.overschrijdingskans
        assert rij.verwachte_overschrijding == sim.verwachte_overschrijding
        assert rij.terugvordering_totaal == float(sim.terugvordering["verwacht"].sum())
    fout = lokaal[lokaal["fout"] != ""]
    assert len(fout) == 2 and fout["fout"].str.contains("niet gevonden").all()
    assert fout["overschrijdingskans"].isna().all()


def test_rerun_skips_done_cells_and_retries_failed(raster, lokaal, tmp_path, capsys):
    uit = tmp_path / "s.csv"
    geknoeid = lokaal.copy()
    geknoeid.loc[0, "overschrijdingskans"] = 0.125  # a done cell: must not be recomputed
    geknoeid.to_csv(uit, index=False)
    assert main(["sweep", str(raster), "-o", str(uit), "--quiet"]) == 0
    terug = pd.read_csv(uit, keep_default_na=False, na_values=[""])
    assert terug.loc[0, "overschrijdingskans"] == 0.125
    assert terug.loc[1, "overschrijdingskans"] == lokaal.loc[1, "overschrijdingskans"]
    assert (terug["fout"].fillna("") != "").sum() == 2  # the failing cells ran again
    assert "2 met fout" in capsys.readouterr().out


def test_parquet_keeps_the_bits(raster, lokaal, tmp_path):
    uit = tmp_path / "s.parquet"
    assert main(["sweep", str(raster), "-o", str(uit), "--quiet"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(uit)[CIJFERS], lokaal[CIJFERS])


def test_dask_local_cluster_equals_local_run(raster, lokaal):
    op_dask = sweep(lees_raster(raster), scheduler="lokaal")
    pd.testing.assert_frame_equal(op_dask, lokaal)


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_scheduler_and_two_workers_equal_local_run(raster, lokaal):
    dask = str(Path(sys.executable).with_name("dask"))
    adres = f"tcp://127.0.0.1:{_vrije_poort()}"
    poort = adres.rsplit(":", 1)[1]
    omgeving = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    stil = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": omgeving}
    processen = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", poort,
                                   "--no-dashboard"], **stil)]  # fmt: skip
    try:
        processen += [
            subprocess.Popen(
                [dask, "worker", adres, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                **stil,
            )  # fmt: skip
            for _ in range(2)
        ]
        from distributed import Client

        with Client(adres, timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
            assert len(client.scheduler_info()["workers"]) == 2
        op_cluster = sweep(lees_raster(raster), scheduler=adres)
        pd.testing.assert_frame_equal(op_cluster, lokaal)
    finally:
        for p in processen:  # our own three processes, by their handle
            p.kill()
        for p in processen:
            p.wait(timeout=20)


def test_bad_raster_and_scheduler_are_one_line(tmp_path, capsys):
    pad = tmp_path / "r.yaml"
    pad.write_text("cases: []\n", encoding="utf-8")
    assert main(["sweep", str(pad), "-o", str(tmp_path / "x.csv")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    pad.write_text(yaml.safe_dump(RASTER), encoding="utf-8")
    assert main(["sweep", str(pad), "-o", str(tmp_path / "x.csv"), "--scheduler", "foo"]) == 2
    assert "tcp://" in capsys.readouterr().err and not (tmp_path / "x.csv").exists()
