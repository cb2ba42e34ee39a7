"""Which uncertain inputs move the verwachte overschrijding most: the data of a tornado plot.

The method (one-at-a-time, with common random numbers):

- Every row of ``kader.overige_uitgaven`` (a C line, euro) is an input. Its *laag* and
  *hoog* values are the 10th and 90th percentile of its own distribution. The case is
  simulated twice with that line fixed (``verdeling: vast``) at laag and at hoog, all other
  lines keeping their distributions.
- The correlation of the copula is one input: *laag* is independence (every correlation 0),
  *hoog* moves every correlation halfway to 1 (``(r + 1) / 2``; the average of a
  correlation matrix and the all-ones matrix, so it stays a valid correlation matrix).
- ``vraag`` rows are left out: demand drives the partners' exploitation risk but not
  spending (the lumpsum is fixed and C has its own forecast), so its effect on the
  overschrijding is zero by construction.

Every run uses the same seed and the same number of scenarios, and fixing a line keeps its
place among the copula's dimensions, so all runs share their random numbers (common random
numbers): the difference between two runs is the effect of the input, not sampling noise.
An input with no spread (laag == hoog) therefore has an effect of exactly zero.

``effect`` = E[overschrijding | hoog] − E[overschrijding | laag] (euro); rows are sorted by
its absolute size, largest first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from plafond.cases import Case
from plafond.cases.schema import Correlatie, OverigeUitgave
from plafond.montecarlo.simulatie import simulate
from plafond.montecarlo.verdelingen import marginaal

#: Default number of scenarios per run (a power of two; two runs per input plus one).
STANDAARD_N = 2**14

#: Percentiles that give an input line its laag and hoog value (fractions).
LAAG, HOOG = 0.10, 0.90

KOLOMMEN = ["invoer", "soort", "laag", "hoog", "overschrijding_laag", "overschrijding_hoog"]


def _met_overige(case: Case, i: int, waarde: float) -> Case:
    """``case`` with C line ``i`` fixed at ``waarde`` (euro)."""
    oud = case.kader.overige_uitgaven[i]
    vast = OverigeUitgave(
        gebied=oud.gebied, product=oud.product, verdeling="vast", gemiddelde=float(waarde)
    )
    lijnen = list(case.kader.overige_uitgaven)
    lijnen[i] = vast
    kader = case.kader.model_copy(update={"overige_uitgaven": tuple(lijnen)})
    return case.model_copy(update={"kader": kader})


def _met_correlatie(case: Case, schaal: float) -> Case:
    """``case`` with every correlation r replaced by ``r + schaal * (1 - r)`` (schaal 0..1).

    A convex combination of the correlation matrix and the all-ones matrix, so it stays a
    valid (positive semi-definite) correlation matrix.
    """
    c = case.kader.correlatie

    def naar(r: float) -> float:
        return r + schaal * (1.0 - r)

    matrix = (
        None
        if c.matrix is None
        else {g: {h: naar(r) for h, r in rij.items()} for g, rij in c.matrix.items()}
    )
    nieuw = Correlatie(
        binnen_gemeente=naar(c.binnen_gemeente),
        tussen_gemeenten=naar(c.tussen_gemeenten),
        matrix=matrix,
    )
    return case.model_copy(update={"kader": case.kader.model_copy(update={"correlatie": nieuw})})


def _onafhankelijk(case: Case) -> Case:
    """``case`` with every correlation set to 0."""
    c = case.kader.correlatie
    matrix = (
        None if c.matrix is None else {g: dict.fromkeys(rij, 0.0) for g, rij in c.matrix.items()}
    )
    nieuw = Correlatie(binnen_gemeente=0.0, tussen_gemeenten=0.0, matrix=matrix)
    return case.model_copy(update={"kader": case.kader.model_copy(update={"correlatie": nieuw})})


def _correlatie_label(c: Correlatie) -> tuple[str, float]:
    """Label and the headline value of the correlation (binnen_gemeente, or the matrix mean)."""
    if c.matrix is not None:
        waarden = [r for rij in c.matrix.values() for r in rij.values()]
        return "correlatie (matrix, gemiddeld)", float(np.mean(waarden)) if waarden else 0.0
    return "correlatie binnen gemeente", float(c.binnen_gemeente)


def tornado(
    case: Case,
    n: int = STANDAARD_N,
    *,
    seed: int = 0,
    methode: str = "mc",
    lumpsum_per_aanbieder: Mapping[str, float] | None = None,
    voortgang: Callable[[int, int], None] | None = None,
    allocatie: Mapping[tuple[str, str, str], float] | None = None,
) -> pd.DataFrame:
    """The effect of each uncertain input on the verwachte overschrijding (module docstring).

    Parameters
    ----------
    case
        A validated Case.
    n
        Scenarios per run (``2 × inputs + 1`` runs in all).
    seed
        The seed shared by every run (common random numbers).
    methode
        ``"mc"``, ``"sobol"`` or ``"lhs"``.
    lumpsum_per_aanbieder, allocatie
        As in :func:`montecarlo.simulate` (e.g. an optimised allocation), euro.
    voortgang
        Called as ``voortgang(done, total)`` after each run (counted in runs).

    Returns
    -------
    DataFrame
        One row per input, sorted by ``|effect|`` (largest first), columns: invoer (label),
        soort (``overige_uitgaven`` or ``correlatie``), laag and hoog (the input's values:
        euro for a C line, a correlation for the correlation), overschrijding_laag and
        overschrijding_hoog (verwachte overschrijding, euro), effect (hoog − laag, euro),
        basis (the verwachte overschrijding of the case itself, euro; the same in every row).
    """

    lijnen = case.kader.overige_uitgaven
    runs = 1 + 2 * len(lijnen) + (2 if len(lijnen) > 1 else 0)
    gedaan = 0

    def overschrijding(c: Case) -> float:
        nonlocal gedaan
        res = simulate(
            c,
            n,
            seed=seed,
            methode=methode,
            lumpsum_per_aanbieder=lumpsum_per_aanbieder,
            allocatie=allocatie,
        )
        gedaan += 1
        if voortgang is not None:
            voortgang(gedaan, runs)
        return float(res.verwachte_overschrijding)

    basis = overschrijding(case)
    rijen: list[dict[str, object]] = []
    for i, lijn in enumerate(lijnen):
        laag, hoog = (float(x) for x in marginaal(lijn).ppf(np.array([LAAG, HOOG])))
        o_laag = overschrijding(_met_overige(case, i, laag))
        o_hoog = overschrijding(_met_overige(case, i, hoog))
        rijen.append(
            {
                "invoer": f"overige uitgaven {lijn.gebied}/{lijn.product}",
                "soort": "overige_uitgaven",
                "laag": laag,
                "hoog": hoog,
                "overschrijding_laag": o_laag,
                "overschrijding_hoog": o_hoog,
            }
        )
    if len(lijnen) > 1:
        label, waarde = _correlatie_label(case.kader.correlatie)
        rijen.append(
            {
                "invoer": label,
                "soort": "correlatie",
                "laag": 0.0,
                "hoog": waarde + 0.5 * (1.0 - waarde),
                "overschrijding_laag": overschrijding(_onafhankelijk(case)),
                "overschrijding_hoog": overschrijding(_met_correlatie(case, 0.5)),
            }
        )
    tabel = pd.DataFrame(rijen, columns=KOLOMMEN)
    tabel["effect"] = tabel["overschrijding_hoog"] - tabel["overschrijding_laag"]
    tabel["basis"] = basis
    volgorde = tabel["effect"].abs().sort_values(ascending=False, kind="stable").index
    return tabel.loc[volgorde].reset_index(drop=True)
