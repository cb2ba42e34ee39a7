"""Run what a report needs: the framework, the allocation, the simulation and the tornado.

:func:`maak_rapport` is the only place that calls ``optimize`` and ``montecarlo`` for a
report; what it returns (:class:`Rapport`) is plain results, turned into tables by
:mod:`plafond.report.inhoud` and written by :mod:`plafond.report.excel` / ``html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

import plafond.montecarlo as montecarlo
import plafond.optimize as optimize
from plafond.cases import Case, CaseError, framework
from plafond.cases.framework import Framework
from plafond.herkomst import sha256_bestand  # noqa: F401  (re-exported by plafond.report)
from plafond.montecarlo import SimulatieResultaat
from plafond.montecarlo.gevoeligheid import KOLOMMEN, tornado

#: Where the lumpsum per partner comes from.
ALLOCATIES = ("case", "optimaal")

Voortgang = Callable[[int, int], None]


@dataclass(frozen=True, eq=False)
class Rapport:
    """Everything a report shows, computed once.

    Attributes
    ----------
    case
        The validated case.
    kader
        Its financial framework (A, B, C of the case itself).
    allocatie
        ``"case"`` (the case's lumpsum) or ``"optimaal"`` (``optimize.allocate``, doel kosten).
    verdeling
        The allocation reported: index (gebied, aanbieder, product), columns bedrag (euro),
        volume (eenheden; for ``case`` the volume the lumpsum buys at the reëel tarief),
        tarief (reëel tarief, euro per eenheid).
    simulatie
        The simulation with the lumpsum of ``verdeling``.
    gevoeligheid
        :func:`montecarlo.gevoeligheid.tornado` of the same case and lumpsum (no rows when
        it was not computed: ``maak_rapport(..., gevoeligheid=False)``).
    gevoeligheid_n
        Scenarios per tornado run (0 when it was not computed).
    partner
        The partner of a partner pack, or None for the full report.
    bron, bron_sha256
        The input file and the sha256 of its bytes (None when the case came from memory).
    vergelijking
        When the case has ``varianten``: the gemeente's cost and risk split per arrangement
        (``montecarlo.vergelijk`` with the same n, seed and methode), indexed by naam.
    """

    case: Case
    kader: Framework
    allocatie: str
    verdeling: pd.DataFrame
    simulatie: SimulatieResultaat
    gevoeligheid: pd.DataFrame
    gevoeligheid_n: int
    partner: str | None = None
    bron: str | None = None
    bron_sha256: str | None = None
    vergelijking: pd.DataFrame | None = None


def verdeling_uit_case(case: Case) -> pd.DataFrame:
    """The case's own lumpsum per (gebied, aanbieder, product) as an allocation table."""
    regels = framework.lumpsum_regels(case).reset_index()
    regels = regels[regels["lumpsum"] > 0]
    tarief = [
        framework.tarief(case, p, a)
        for a, p in zip(regels["aanbieder"], regels["product"], strict=True)
    ]
    tabel = pd.DataFrame(
        {
            "gebied": regels["gebied"],
            "aanbieder": regels["aanbieder"],
            "product": regels["product"],
            "bedrag": regels["lumpsum"].astype(float),
            "tarief": tarief,
        }
    )
    tabel["volume"] = tabel["bedrag"] / tabel["tarief"]
    tabel = tabel.set_index(["gebied", "aanbieder", "product"]).sort_index()
    return tabel[["bedrag", "volume", "tarief"]]


def allocatie_uit_verdeling(
    case: Case, verdeling: pd.DataFrame
) -> dict[tuple[str, str, str], float]:
    """Bedrag per (aanbieder, gebied, product) of the partners (euro), for the simulation."""
    partners = set(case.partners())
    return {(a, g, p): float(b) for (g, a, p), b in verdeling["bedrag"].items() if a in partners}


def maak_rapport(
    case: Case,
    *,
    allocatie: str = "case",
    n: int = montecarlo.STANDAARD_N,
    seed: int | None = None,
    methode: str = "mc",
    partner: str | None = None,
    bron: str | None = None,
    bron_sha256: str | None = None,
    gevoeligheid_n: int = 2**14,
    gevoeligheid: bool = True,
    voortgang: Voortgang | None = None,
    voortgang_gevoeligheid: Voortgang | None = None,
) -> Rapport:
    """Compute a report: allocation, simulation (``n`` scenarios) and the tornado.

    Parameters
    ----------
    case
        A validated Case.
    allocatie
        ``"case"`` or ``"optimaal"`` (raises ``optimize.NoFeasibleAllocation`` if none).
    n, seed, methode
        As in :func:`montecarlo.simulate`; None draws a seed (recorded in the result). The
        tornado uses the same seed with ``gevoeligheid_n`` scenarios per run.
    partner
        A partner id for a partner pack.
    bron, bron_sha256
        The case file and the sha256 of its bytes (:func:`sha256_bestand`), recorded in
        the aannames so the run can be replayed.
    gevoeligheid
        False skips the tornado (``plafond report --zonder-gevoeligheid``): most of the
        time of a report on a large case.
    voortgang, voortgang_gevoeligheid
        Progress callbacks ``(done, total)`` of the simulation and of the tornado runs.

    Raises
    ------
    CaseError
        Unknown allocatie or partner (the message lists what is allowed).
    """
    if allocatie not in ALLOCATIES:
        raise CaseError("--allocatie", "", f"onbekend: {allocatie!r}; toegestaan: case, optimaal")
    partners = case.partners()
    if partner is not None and partner not in partners:
        raise CaseError(
            case.naam,
            "--partner",
            f"onbekende partner {partner!r}; partners: {', '.join(partners)}",
        )
    kader = framework.kader(case)
    if allocatie == "optimaal":
        verdeling = optimize.allocate(case, doel="kosten").allocatie[["bedrag", "volume", "tarief"]]
    else:
        verdeling = verdeling_uit_case(case)
    # the optimised allocation line by line, so every pot's lumpsum comes from it
    regels = allocatie_uit_verdeling(case, verdeling) if allocatie == "optimaal" else None
    if seed is None:
        seed = montecarlo.simulatie.nieuwe_seed()
    res = montecarlo.simulate(
        case, n, seed=seed, methode=methode, allocatie=regels, voortgang=voortgang
    )
    if gevoeligheid:
        gevoelig = tornado(
            case,
            gevoeligheid_n,
            seed=seed,
            methode=methode,
            allocatie=regels,
            voortgang=voortgang_gevoeligheid,
        )
    else:
        gevoelig = pd.DataFrame(columns=[*KOLOMMEN, "effect", "basis"])
        gevoeligheid_n = 0
    vergelijking = None
    if case.varianten and allocatie == "case":
        v = montecarlo.vergelijk(case, n, seed=seed, methode=methode)
        vergelijking = v.varianten.join(v.gemeente).join(v.risico)
    return Rapport(
        vergelijking=vergelijking,
        case=case,
        kader=kader,
        allocatie=allocatie,
        verdeling=verdeling,
        simulatie=res,
        gevoeligheid=gevoelig,
        gevoeligheid_n=int(gevoelig.attrs.get("n", gevoeligheid_n)),  # lowered for large cases
        partner=partner,
        bron=bron,
        bron_sha256=bron_sha256,
    )
