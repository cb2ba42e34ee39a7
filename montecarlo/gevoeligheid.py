"""Which uncertain inputs move the verwachte overschrijding most: the data of a tornado plot.

The method (one-at-a-time, with common random numbers):

- Every row of ``kader.overige_uitgaven`` (a C line, euro) is an input. Its *laag* and
  *hoog* values are the 10th and 90th percentile of its own distribution. The case is
  simulated twice with that line fixed (``verdeling: vast``) at laag and at hoog, all other
  lines keeping their distributions.
- Every ``vraag`` line is an input through its number of clienten (laag and hoog: the 10th
  and 90th percentile of the clienten), the volume per client staying random. Demand moves
  spending through the overige's volume (their share, and the spill above the partners'
  capaciteit) and, in a PxQ-like arrangement, the partners' too.
- The correlation of the copula is one input: *laag* is independence (every correlation 0),
  *hoog* moves every correlation halfway to 1 (``(r + 1) / 2``; the average of a
  correlation matrix and the all-ones matrix, so it stays a valid correlation matrix; in
  the two-level factor model both binnen_gemeente and tussen_gemeenten move so).

Every run uses the same seed and the same number of scenarios, and fixing a line keeps its
place among the copula's dimensions, so all runs share their random numbers (common random
numbers): the difference between two runs is the effect of the input, not sampling noise.
An input with no spread (laag == hoog) therefore has an effect of exactly zero.

``effect`` = E[overschrijding | hoog] − E[overschrijding | laag] (euro); rows are sorted by
its absolute size, largest first. A laag value below 0 (a wide normaal) is taken as 0.

Scale: only the :data:`MAX_INVOER` lines with the largest spread in euro are varied (a C
line: its sd; a vraag line: the sd of its clienten × the mean volume per client × the tarief
paid to the overige there, the effect if every extra unit went to the overige), so a case
of any size costs at most ``2 × MAX_INVOER + 3`` runs; the table's ``attrs["weggelaten"]``
counts the lines left out. A run's cost grows with lines × scenarios, so all runs together
stay within :data:`BUDGET` line-scenarios: a large case gets fewer scenarios per run (a
power of two, at least :data:`MIN_N`; ``attrs["n"]`` holds the number used). The model of
the case is built once and reduced to what spending depends on (:func:`alleen_uitgaven`),
and a run fixes one line's marginal or swaps the correlation in that model (no Case is
rebuilt).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from plafond.cases import Case
from plafond.cases.schema import Correlatie
from plafond.montecarlo.copula import Factormodel
from plafond.montecarlo.model import bouw_model
from plafond.montecarlo.motor import Model
from plafond.montecarlo.simulatie import simuleer_model
from plafond.montecarlo.verdelingen import Marginaal, marginaal

#: Default number of scenarios per run (a power of two; two runs per input plus one).
STANDAARD_N = 2**14

#: Most lines the tornado varies (the widest); at most 2 × MAX_INVOER + 3 runs.
MAX_INVOER = 10

#: Most line-scenarios (uncertain lines × scenarios) of all tornado runs together; a large
#: case gets fewer scenarios per run (:func:`scenarios_per_run`), never fewer than MIN_N.
BUDGET = 2**26
MIN_N = 2**10

#: Percentiles that give an input line its laag and hoog value (fractions).
LAAG, HOOG = 0.10, 0.90

KOLOMMEN = ["invoer", "soort", "laag", "hoog", "overschrijding_laag", "overschrijding_hoog"]


def alleen_uitgaven(model: Model) -> Model:
    """``model`` without what does not move spending.

    The price shock drives the partners' exploitation cost, not spending; it takes the last
    normal score, so dropping it leaves every other draw as it was. Without a delivery plan
    (C given directly, the partners' lumpsum fixed) the vraag lines do not move spending
    either and go too; the C lines keep their marginals and their correlations among
    themselves. In both cases the overschrijding (and the terugvordering) of the reduced
    model has the same distribution as that of ``model``.
    """
    if model.levering is not None:  # demand drives spending: only the price shock goes
        return dataclasses.replace(model, prijsschok=None)
    d = len(model.overige)
    if model.factormodel is not None:  # the C lines come first in the factor model too
        return dataclasses.replace(model, prijsschok=None)
    correlatie = np.array(model.correlatie[:d, :d])
    correlatie.flags.writeable = False
    kosten = np.zeros((model.lumpsum.size, 0))
    kosten.flags.writeable = False
    return dataclasses.replace(
        model, vraag=(), correlatie=correlatie, kosten=kosten, prijsschok=None
    )


def _met_vaste_lijn(model: Model, i: int, waarde: float) -> Model:
    """``model`` with C line ``i`` fixed at ``waarde`` (euro), in its place."""
    lijnen = list(model.overige)
    lijnen[i] = marginaal({"verdeling": "vast", "gemiddelde": float(waarde)})
    return dataclasses.replace(model, overige=tuple(lijnen))


def _met_vaste_vraag(model: Model, j: int, clienten: float) -> Model:
    """``model`` with the clienten of vraag line ``j`` fixed at ``clienten``, in its place."""
    lijnen = list(model.vraag)
    vast = marginaal({"verdeling": "vast", "gemiddelde": float(clienten)})
    lijnen[j] = dataclasses.replace(lijnen[j], clienten=vast)
    return dataclasses.replace(model, vraag=tuple(lijnen))


def _met_factoren(model: Model, binnen: float, tussen: float) -> Model:
    """``model`` with the factor model's two correlations replaced."""
    f = model.factormodel
    nieuw = Factormodel(f.gemeente, f.gemeenten, binnen_gemeente=binnen, tussen_gemeenten=tussen)
    return dataclasses.replace(model, factormodel=nieuw)


def _met_correlatie(model: Model, schaal: float) -> Model:
    """``model`` with every correlation r replaced by ``r + schaal * (1 - r)`` (schaal 0..1).

    A convex combination of the correlation matrix and the all-ones matrix, so it stays a
    valid (positive semi-definite) correlation matrix; in the factor model
    ``0 <= t <= b <= 1`` stays true for the moved pair.
    """
    if model.factormodel is not None:
        b, t = model.factormodel.binnen_gemeente, model.factormodel.tussen_gemeenten
        return _met_factoren(model, b + schaal * (1 - b), t + schaal * (1 - t))
    r = model.correlatie
    nieuw = r + schaal * (1.0 - r)
    nieuw.flags.writeable = False
    return dataclasses.replace(model, correlatie=nieuw)


def _onafhankelijk(model: Model) -> Model:
    """``model`` with every correlation set to 0."""
    if model.factormodel is not None:
        return _met_factoren(model, 0.0, 0.0)
    nieuw = np.eye(model.correlatie.shape[0])
    nieuw.flags.writeable = False
    return dataclasses.replace(model, correlatie=nieuw)


def scenarios_per_run(n: int, runs: int, lijnen: int) -> int:
    """Scenarios per tornado run: ``n``, or fewer so that all runs stay within BUDGET.

    The largest power of two with ``runs × lijnen × m <= BUDGET``, at most ``n`` and at
    least ``min(n, MIN_N)`` (the cost of a run grows with lines × scenarios).
    """
    ruimte = BUDGET // max(1, runs * max(1, lijnen))
    m = 1 << max(0, ruimte.bit_length() - 1)
    return max(min(n, MIN_N), min(n, m))


@dataclass(frozen=True)
class Invoer:
    """One input of the tornado: a C line (``overige_uitgaven``) or a vraag line (``vraag``).

    ``index`` is its place in ``kader.overige_uitgaven`` or ``case.vraag``; ``spreiding`` the
    sd (euro) that ranks it (module docstring); ``lijn`` the marginal whose 10th and 90th
    percentile are laag and hoog (euro for a C line, clienten for a vraag line).
    """

    soort: str
    index: int
    label: str
    spreiding: float
    lijn: Marginaal


def invoer(case: Case, model: Model | None = None) -> list[Invoer]:
    """Every uncertain input line of ``case``, in case order (C lines, then vraag lines).

    ``model`` (of the case) gives the tarief paid to the overige per vraag line; without a
    delivery plan the vraag lines do not move spending and are not inputs.
    """
    uit = [
        Invoer("overige_uitgaven", i, f"overige uitgaven {o.gebied}/{o.product}",
               float(o.std()), marginaal(o))
        for i, o in enumerate(case.kader.overige_uitgaven)
    ]  # fmt: skip
    if model is None or model.levering is None:
        return uit
    tarief = model.levering.overig_tarief
    for j, (v, lijn) in enumerate(zip(case.vraag, model.vraag, strict=True)):
        sd = float(lijn.clienten.sd) * float(lijn.volume_gemiddelde) * float(tarief[j])
        uit.append(Invoer("vraag", j, f"vraag {v.gebied}/{v.product} (cliënten)", sd,
                          lijn.clienten))  # fmt: skip
    return uit


def belangrijkste(lijnen: list[Invoer], k: int = MAX_INVOER) -> list[Invoer]:
    """The ``k`` inputs with the largest spreiding (euro), largest first (stable)."""
    return sorted(lijnen, key=lambda x: -x.spreiding)[:k]


def _vast(model: Model, x: Invoer, waarde: float) -> Model:
    """``model`` with input ``x`` fixed at ``waarde``."""
    if x.soort == "vraag":
        return _met_vaste_vraag(model, x.index, waarde)
    return _met_vaste_lijn(model, x.index, waarde)


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
    max_invoer: int = MAX_INVOER,
) -> pd.DataFrame:
    """The effect of each uncertain input on the verwachte overschrijding (module docstring).

    Parameters
    ----------
    case
        A validated Case.
    n
        Scenarios per run, lowered for a large case (:func:`scenarios_per_run`); at most
        ``2 × max_invoer + 3`` runs in all.
    seed
        The seed shared by every run (common random numbers).
    methode
        ``"mc"``, ``"sobol"`` or ``"lhs"``.
    lumpsum_per_aanbieder, allocatie
        As in :func:`montecarlo.simulate` (e.g. an optimised allocation), euro.
    voortgang
        Called as ``voortgang(done, total)`` after each run (counted in runs).
    max_invoer
        Most lines varied (those with the largest spread in euro; module docstring).

    Returns
    -------
    DataFrame
        One row per input, sorted by ``|effect|`` (largest first), columns: invoer (label),
        soort (``overige_uitgaven``, ``vraag`` or ``correlatie``), laag and hoog (the input's
        values: euro for a C line, clienten for a vraag line, a correlation for the
        correlation), overschrijding_laag and
        overschrijding_hoog (verwachte overschrijding, euro), effect (hoog − laag, euro),
        basis (the verwachte overschrijding of the case itself, euro; the same in every row).
    """

    model = alleen_uitgaven(bouw_model(case, lumpsum_per_aanbieder, allocatie))
    lijnen = invoer(case, model)
    gekozen = belangrijkste(lijnen, max_invoer)
    meer = len(lijnen) > 1
    runs = 1 + 2 * len(gekozen) + (2 if meer else 0)
    gedaan = 0
    n = scenarios_per_run(n, runs, len(model.overige) + len(model.vraag))

    def overschrijding(m: Model) -> float:
        nonlocal gedaan
        res = simuleer_model(m, n, seed=seed, methode=methode, naam=case.naam)
        gedaan += 1
        if voortgang is not None:
            voortgang(gedaan, runs)
        return float(res.verwachte_overschrijding)

    basis = overschrijding(model)
    rijen: list[dict[str, object]] = []
    for x in gekozen:
        laag, hoog = (max(0.0, float(w)) for w in x.lijn.ppf(np.array([LAAG, HOOG])))
        rijen.append(
            {
                "invoer": x.label,
                "soort": x.soort,
                "laag": laag,
                "hoog": hoog,
                "overschrijding_laag": overschrijding(_vast(model, x, laag)),
                "overschrijding_hoog": overschrijding(_vast(model, x, hoog)),
            }
        )
    if meer:
        label, waarde = _correlatie_label(case.kader.correlatie)
        rijen.append(
            {
                "invoer": label,
                "soort": "correlatie",
                "laag": 0.0,
                "hoog": waarde + 0.5 * (1.0 - waarde),
                "overschrijding_laag": overschrijding(_onafhankelijk(model)),
                "overschrijding_hoog": overschrijding(_met_correlatie(model, 0.5)),
            }
        )
    tabel = pd.DataFrame(rijen, columns=KOLOMMEN)
    tabel["effect"] = tabel["overschrijding_hoog"] - tabel["overschrijding_laag"]
    tabel["basis"] = basis
    volgorde = tabel["effect"].abs().sort_values(ascending=False, kind="stable").index
    tabel = tabel.loc[volgorde].reset_index(drop=True)
    tabel.attrs["weggelaten"] = len(lijnen) - len(gekozen)
    tabel.attrs["n"] = n
    return tabel
