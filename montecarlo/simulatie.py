"""``simulate``: a case (or an array-level model) to a :class:`SimulatieResultaat`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from plafond.montecarlo import schatters
from plafond.montecarlo.motor import STANDAARD_PARALLEL, Model, Ruw, draai
from plafond.montecarlo.resultaat import PERCENTIELEN, SimulatieResultaat
from plafond.montecarlo.risicodeling import centen, overschrijding, terugvordering

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


def _per_pot(
    model: Model, per_pot: np.ndarray, ids: list[str], kans: float | None
) -> tuple[pd.DataFrame, np.ndarray, tuple[float, float, float] | None]:
    """Figures per pot, the pots' summed overschrijding per scenario and the plafond at kans.

    Parameters
    ----------
    per_pot
        Spending per pot and scenario (euro), shape ``(K, n)``.

    Returns
    -------
    (tabel, over, plafond_bij_kans)
        ``tabel`` indexed by pot: plafond, uitgaven_gemiddelde, overschrijdingskans,
        verwachte_overschrijding, verwachte_overschrijding_se, cvar95_overschrijding and,
        with ``kans``, plafond_bij_kans (each pot on its own; euro, kans a fraction).
        ``over`` is the sum over pots of their overschrijding (euro, shape ``(n,)``).
        ``plafond_bij_kans`` is (estimate, lower, upper) of ``λ × A`` where all pot
        plafonds are scaled by the one λ that makes P(any pot over) = ``kans``.
    """
    plafond = model.regel.plafond
    n = per_pot.shape[1]
    over_k = np.maximum(centen(per_pot) - centen(plafond)[:, None], 0.0) / 100.0
    rijen = []
    for k in range(len(ids)):
        gem, se = schatters.gemiddelde_se(float(over_k[k].sum()), float(over_k[k] @ over_k[k]), n)
        rij = {
            "plafond": float(plafond[k]),
            "uitgaven_gemiddelde": float(per_pot[k].mean()),
            "overschrijdingskans": float(np.count_nonzero(over_k[k])) / n,
            "verwachte_overschrijding": gem,
            "verwachte_overschrijding_se": se,
            "cvar95_overschrijding": schatters.cvar(over_k[k]),
        }
        if kans is not None:
            rij["plafond_bij_kans"] = float(np.quantile(per_pot[k], 1.0 - kans))
        rijen.append(rij)
    tabel = pd.DataFrame(rijen, index=pd.Index(ids, name="pot"))
    bij_kans = None
    if kans is not None:
        met = plafond > 0
        verhouding = np.max(per_pot[met] / plafond[met, None], axis=0)
        verhouding.sort()
        lam = schatters.kwantiel_ci(verhouding, 1.0 - kans, gesorteerd=True)
        bij_kans = tuple(float(x) * float(plafond.sum()) for x in lam)
    return tabel, over_k.sum(axis=0), bij_kans


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
    potten: list[str] | None = None,
) -> SimulatieResultaat:
    """Estimates with their uncertainty from the raw output of a run.

    The spending, sorted, serves every order statistic and is what the result keeps.
    ``overnemen=True``: the caller hands ``ruw`` over, so its spending is sorted in place
    rather than copied (memory stays at one float per scenario). ``potten``: the pot ids.

    With more than one pot, overschrijdingskans, verwachte_overschrijding, CVaR and the
    plafond at ``kans`` are those of the pots (the overschrijding the rule acts on: the sum
    of each pot's own overrun); ``per_pot`` holds each pot's figures and ``regionaal`` the
    same figures of the region's total spending against A, named as such.
    """
    s, n = ruw.sommen, ruw.uitgaven.size
    pot_tabel, regionaal = None, None
    if ruw.uitgaven_per_pot is not None:
        ids = potten or [f"pot{k + 1}" for k in range(ruw.uitgaven_per_pot.shape[0])]
        pot_tabel, pot_over, pot_kans = _per_pot(model, ruw.uitgaven_per_pot, ids, kans)
        regio_over = overschrijding(ruw.uitgaven, model.plafond)
        r_gem, r_se = schatters.gemiddelde_se(
            float(regio_over.sum()), float(regio_over @ regio_over), n
        )
        regionaal = {
            "overschrijdingskans": float(np.count_nonzero(regio_over)) / n,
            "verwachte_overschrijding": r_gem,
            "verwachte_overschrijding_se": r_se,
            "cvar95_overschrijding": schatters.cvar(regio_over),
        }
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
    reeds = 0.0 if model.reeds_betaald is None else model.reeds_betaald  # income too
    exploitatie = pd.DataFrame(
        {
            "lumpsum": lumpsum,
            "verwachte_kosten": lumpsum + reeds - t_gem - r_gem,
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
        )
        if pot_tabel is None
        else schatters.cvar(pot_over),
        terugvordering=terug,
        exploitatie=exploitatie,
        uitgaven_per_scenario=gesorteerd,
        kans=kans,
        plafond_bij_kans=None
        if kans is None
        else (
            schatters.kwantiel_ci(gesorteerd, 1.0 - kans, gesorteerd=True)
            if pot_tabel is None
            else pot_kans
        ),
        per_pot=pot_tabel,
        regionaal=regionaal,
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
    partners = model.partner_ids
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
    allocatie: Mapping[tuple[str, str, str], float] | None = None,
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
        optimised allocation, split over the pots as the case's lumpsum. The plafond A
        stays that of the case.
    allocatie
        Bedrag per (aanbieder, gebied, product) (euro), e.g. ``optimize.allocate(...)
        .allocatie["bedrag"]``: the lumpsums and, per pot, what the allocation puts there
        (``verdeelsleutel`` gemeente, product, gemeente_product). Not with
        ``lumpsum_per_aanbieder``.
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

    model = bouw_model(case, lumpsum_per_aanbieder, allocatie)
    if case.kader.looptijd > 1:
        from dataclasses import replace

        from plafond.montecarlo.jaren import simulate_jaren
        from plafond.montecarlo.paden import paden_uit

        jaar1, meerjarig = simulate_jaren(
            model, paden_uit(case.kader), n, seed=int(seed), methode=methode, naam=case.naam,
            eerste_jaar=case.jaar, kans=kans, werkers=werkers,
        )  # fmt: skip
        return _met_cooperaties(case, replace(jaar1, meerjarig=meerjarig))
    ruw = draai(
        model,
        n,
        seed=int(seed),
        methode=methode,
        werkers=werkers,
        voortgang=voortgang,
        parallel=parallel,
    )
    res = resultaat_uit(
        model,
        ruw,
        case=case.naam,
        seed=int(seed),
        methode=methode,
        partners=list(model.partners),
        kans=kans,
        overnemen=True,
        potten=list(model.pot_ids),
    )
    return _met_cooperaties(case, res)


def _met_cooperaties(case: Case, res: SimulatieResultaat) -> SimulatieResultaat:
    """``res`` with the per-cooperative table (:func:`montecarlo.cooperatie.tabel`), if any."""
    if not case.cooperaties:
        return res
    from dataclasses import replace

    from plafond.montecarlo.cooperatie import tabel

    return replace(res, cooperaties=tabel(case, res.terugvordering))
