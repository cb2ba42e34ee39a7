"""``simulate``: a case (or an array-level model) to a :class:`SimulatieResultaat`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from plafond.montecarlo import schatters
from plafond.montecarlo.motor import STANDAARD_PARALLEL, Model, Ruw, draai
from plafond.montecarlo.resultaat import PERCENTIELEN, SimulatieResultaat
from plafond.montecarlo.risicodeling import overschrijding, terugvordering

if TYPE_CHECKING:
    from plafond.cases import Case

#: Default number of scenarios (a power of two, so Sobol is balanced too).
STANDAARD_N = 2**17


def _p95_terugvordering(model: Model, ruw: Ruw, gesorteerd: np.ndarray) -> np.ndarray:
    """95th percentile of each partner's terugvordering (euro).

    With one pot the terugvordering is a non-decreasing function of total spending, so
    its quantile is the function at the spending quantile (``inverted_cdf``; ``gesorteerd``
    is the spending, sorted); with one pot per gemeente it is computed partner by partner
    from the stored spending per pot.
    """
    if ruw.uitgaven_per_pot is None:
        q = np.quantile(gesorteerd, 0.95, method="inverted_cdf")
        return terugvordering(np.array([q]), model.regel)[:, 0]
    uit = np.empty(model.lumpsum.size)
    for i in range(uit.size):
        waarden = np.concatenate(
            [
                terugvordering(ruw.uitgaven_per_pot[:, a : a + 2**16], model.regel)[i]
                for a in range(0, ruw.uitgaven.size, 2**16)
            ]
        )
        uit[i] = np.quantile(waarden, 0.95, method="inverted_cdf")
    return uit


def resultaat_uit(
    model: Model,
    ruw: Ruw,
    *,
    case: str,
    seed: int,
    methode: str,
    partners: list[str],
    kans: float | None = None,
    overnemen: bool = False,
) -> SimulatieResultaat:
    """Estimates with their uncertainty from the raw output of a run.

    The spending, sorted, serves every order statistic and is what the result keeps.
    ``overnemen=True``: the caller hands ``ruw`` over, so its spending is sorted in place
    rather than copied (memory stays at one float per scenario).
    """
    s, n = ruw.sommen, ruw.uitgaven.size
    if overnemen:
        gesorteerd = ruw.uitgaven
        gesorteerd.flags.writeable = True  # draai's own array, handed over
        gesorteerd.sort()
    else:
        gesorteerd = np.sort(ruw.uitgaven)
    gesorteerd.flags.writeable = False
    kw = np.quantile(gesorteerd, list(PERCENTIELEN.values()))
    stats_uitgaven = {"gemiddelde": float(gesorteerd.mean())}
    stats_uitgaven |= {k: float(v) for k, v in zip(PERCENTIELEN, kw, strict=True)}
    o_gem, o_se = schatters.gemiddelde_se(float(s["o"]), float(s["o2"]), n)
    t_gem_se = [
        schatters.gemiddelde_se(float(s["t"][i]), float(s["t2"][i]), n)
        for i in range(len(partners))
    ]
    r_gem_se = [
        schatters.gemiddelde_se(float(s["r"][i]), float(s["r2"][i]), n)
        for i in range(len(partners))
    ]
    index = pd.Index(partners, name="aanbieder")
    lumpsum = model.lumpsum
    met_lumpsum = np.where(lumpsum > 0, lumpsum, np.nan)
    t_gem = np.array([g for g, _ in t_gem_se])
    terug = pd.DataFrame(
        {
            "lumpsum": lumpsum,
            "verwacht": t_gem,
            "se": [se for _, se in t_gem_se],
            "kans": s["t_kans"] / n,
            "p95": _p95_terugvordering(model, ruw, gesorteerd),
            "aandeel_lumpsum": t_gem / met_lumpsum,
        },
        index=index,
    )
    r_gem = np.array([g for g, _ in r_gem_se])
    exploitatie = pd.DataFrame(
        {
            "lumpsum": lumpsum,
            "verwachte_kosten": lumpsum - t_gem - r_gem,
            "verwacht_resultaat": r_gem,
            "se": [se for _, se in r_gem_se],
            "kans_verlies": s["r_verlies"] / n,
            "verwacht_tekort": s["r_tekort"] / n,
        },
        index=index,
    )
    return SimulatieResultaat(
        case=case,
        scenarios=n,
        seed=seed,
        methode=methode,
        plafond=model.plafond,
        lumpsum=float(lumpsum.sum()),
        uitgaven=stats_uitgaven,
        overschrijdingskans=float(s["o_kans"]) / n,
        overschrijdingskans_ci95=schatters.wilson(float(s["o_kans"]), n),
        verwachte_overschrijding=o_gem,
        verwachte_overschrijding_se=o_se,
        cvar95_overschrijding=schatters.cvar(
            gesorteerd, functie=lambda x: overschrijding(x, model.plafond), gesorteerd=True
        ),
        terugvordering=terug,
        exploitatie=exploitatie,
        uitgaven_per_scenario=gesorteerd,
        kans=kans,
        plafond_bij_kans=None
        if kans is None
        else schatters.kwantiel_ci(gesorteerd, 1.0 - kans, gesorteerd=True),
    )


def simuleer_model(
    model: Model,
    n: int,
    *,
    seed: int,
    methode: str = "mc",
    kans: float | None = None,
    werkers: int | None = None,
    naam: str = "model",
) -> SimulatieResultaat:
    """Like :func:`simulate`, for an array-level :class:`~montecarlo.motor.Model` (no Case)."""
    ruw = draai(model, n, seed=seed, methode=methode, werkers=werkers)
    partners = list(model.partners) or [f"p{i + 1}" for i in range(model.lumpsum.size)]
    return resultaat_uit(
        model, ruw, case=naam, seed=seed, methode=methode, partners=partners, kans=kans,
        overnemen=True,
    )  # fmt: skip


def nieuwe_seed() -> int:
    """A fresh seed from the operating system's entropy (recorded in the result)."""
    return int(np.random.SeedSequence().entropy % 2**63)


def simulate(
    case: Case,
    n: int = STANDAARD_N,
    *,
    seed: int | None = None,
    methode: str = "mc",
    lumpsum_per_aanbieder: Mapping[str, float] | None = None,
    kans: float | None = None,
    werkers: int | None = None,
    voortgang: Callable[[int, int], None] | None = None,
    parallel: str = STANDAARD_PARALLEL,
) -> SimulatieResultaat:
    """Simulate the overschrijding of a case and the terugvordering per partner.

    With ``kader.looptijd`` > 1 every year of the term is simulated on one draw design
    (:mod:`montecarlo.jaren`): the result is year 1's, with the term in ``meerjarig``
    (``voortgang`` and ``parallel`` are not used then).

    Parameters
    ----------
    case
        A validated Case (``cases.load_case``).
    n
        Number of scenarios (a power of two for ``sobol``).
    seed
        Non-negative integer; None draws a fresh one (reported as ``result.seed``).
    methode
        ``"mc"`` (pseudo-random), ``"sobol"`` (scrambled Sobol) or ``"lhs"`` (Latin
        hypercube per stroom of 16 384 scenarios).
    lumpsum_per_aanbieder
        Lumpsum per partner (euro) to use instead of the case's framework, e.g. an
        optimised allocation. The plafond A stays that of the case.
    kans
        If given (fraction, 0..1): also estimate the plafond at which the
        overschrijdingskans equals ``kans``, with a 95 % interval.
    werkers
        Workers (default: all cores for runs of two blocks or more).
    parallel
        ``"threads"`` or ``"processen"`` (:func:`montecarlo.motor.draai`); same results.
    voortgang
        Progress callback ``voortgang(done, n)``.

    Raises
    ------
    ValueError
        For an unknown methode, n < 1, a kans outside (0, 1), or lumpsums that do not fit
        the case (messages in Dutch).
    """
    from plafond.montecarlo.model import bouw_model

    if kans is not None and not 0.0 < kans < 1.0:
        raise ValueError(f"kans moet tussen 0 en 1 liggen, niet {kans!r}")
    if seed is None:
        seed = nieuwe_seed()
    if int(seed) != seed or seed < 0:
        raise ValueError(f"seed moet een niet-negatief geheel getal zijn, niet {seed!r}")
    model = bouw_model(case, lumpsum_per_aanbieder)
    if case.kader.looptijd > 1:
        from dataclasses import replace

        from plafond.montecarlo.jaren import paden_uit, simulate_jaren

        jaar1, meerjarig = simulate_jaren(
            model, paden_uit(case.kader), n, seed=int(seed), methode=methode, naam=case.naam,
            eerste_jaar=case.jaar, kans=kans, werkers=werkers,
        )  # fmt: skip
        return replace(jaar1, meerjarig=meerjarig)
    ruw = draai(
        model,
        n,
        seed=int(seed),
        methode=methode,
        werkers=werkers,
        voortgang=voortgang,
        parallel=parallel,
    )
    return resultaat_uit(
        model,
        ruw,
        case=case.naam,
        seed=int(seed),
        methode=methode,
        partners=list(model.partners),
        kans=kans,
        overnemen=True,
    )
