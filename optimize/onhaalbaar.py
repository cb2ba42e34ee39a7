"""Why there is no allocation: pre-checks in euros, then IIS or an elastic model.

Order: cheap pre-checks on the arrays (no solver); when those pass but HiGHS still
finds the model infeasible, an elastic model (every family with a penalised slack)
says by how much each constraint fails, and for LP models (no marktordening binaries)
up to ``SolverOpties.iis_max_rijen`` rows HiGHS's IIS names the irreducible conflicting
set.
Both run under ``SolverOpties.tijdslimiet_uitleg``.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from .highs import Matrix, SolverOpties, Status, compileer, kolom_posities, los_op, nieuwe_highs
from .model import Doel, ModelIndex, build_model
from .probleem import AllocationProblem
from .resultaat import sleutels

__all__ = ["NoFeasibleAllocation", "Conflict", "voorcontroles", "verklaar"]

_IIS_STRATEGIE = 2 | 4  # kIisStrategyFromLp | kIisStrategyIrreducible


def euro(x: float) -> str:
    """Dutch euro notation, "€ 1.441.196,25" (optimize may not import plafond.fmt)."""
    tekst = f"{abs(x):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{'-' if x < 0 else ''}€ {tekst}"


def getal(x: float) -> str:
    """Dutch number with thousands dots and no decimals, "12.345"."""
    return f"{x:,.0f}".replace(",", ".")


@dataclass(frozen=True)
class Conflict:
    """One failing constraint in domain words.

    Attributes
    ----------
    familie : str
        Constraint family (dekking, capaciteit, plafond, ...).
    sleutel : str
        Domain key, e.g. "maastricht/BGI"; "" for the plafond.
    tekort : float
        By how much it fails, in ``eenheid``.
    eenheid : str
        "euro" or the product's unit ("uur", "dagdeel"), or "aantal".
    tekst : str
        The Dutch explanation.
    """

    familie: str
    sleutel: str
    tekort: float
    eenheid: str
    tekst: str


class NoFeasibleAllocation(Exception):
    """No allocation meets every constraint; ``conflicten`` says which and by how much."""

    def __init__(self, case: str, conflicten: tuple[Conflict, ...], iis: tuple[str, ...] = ()):
        self.case = case
        self.conflicten = conflicten
        self.iis = iis
        regels = [f"Geen toelaatbare verdeling voor {case}:"]
        regels += [f"- {c.tekst}" for c in conflicten]
        if iis:
            regels.append("Strijdige set restricties (IIS): " + ", ".join(iis))
        super().__init__("\n".join(regels))


def voorcontroles(pr: AllocationProblem, doel: Doel) -> tuple[Conflict, ...]:
    """Cheap checks without a solver; an empty tuple when none fails."""
    uit: list[Conflict] = []
    n_p = len(pr.producten)
    if pr.budget < 0:
        uit.append(
            Conflict(
                "plafond",
                "",
                -pr.budget,
                "euro",
                f"de verwachte overige uitgaven ({euro(pr.plafond - pr.budget)}) zijn "
                f"hoger dan het plafond ({euro(pr.plafond)})",
            )
        )
    vaste = sum(r.bedrag for r in pr.minimum_bedrag)
    if pr.transitie_band is not None:
        vaste = max(vaste, float((1 - pr.transitie_band) * pr.lumpsum.sum()))
    if vaste > pr.budget + 1e-6:
        uit.append(
            Conflict(
                "plafond",
                "",
                vaste - pr.budget,
                "euro",
                f"de minimumbedragen en transitieband vragen minstens {euro(vaste)}; het "
                f"plafond laat {euro(pr.budget)} over na verwachte overige uitgaven",
            )
        )
    if doel is Doel.DEKKING:
        return tuple(uit)
    rest = pr.vraag_rest.ravel()
    gp = pr.combo_gebied * n_p + pr.combo_product
    goedkoopst = np.full(rest.size, np.inf)
    np.minimum.at(goedkoopst, gp, pr.tarief)
    for i in np.flatnonzero((rest > 0) & ~np.isfinite(goedkoopst)).tolist():
        g, p = divmod(i, n_p)
        uit.append(
            Conflict(
                "dekking",
                f"{pr.gebieden[g]}/{pr.producten[p]}",
                rest[i],
                pr.eenheden[p],
                f"vraag naar {pr.producten[p]} in {pr.gebieden[g]} ({getal(rest[i])} "
                f"{pr.eenheden[p]}) mag door geen enkele aanbieder worden gedekt",
            )
        )
    # capaciteit per (gebied, product) and per product
    cap_combo = pr.capaciteit[pr.combo_aanbieder, pr.combo_product]
    cap_gp = np.bincount(gp, weights=np.minimum(cap_combo, 1e300), minlength=rest.size)
    for i in np.flatnonzero(np.isfinite(goedkoopst) & (rest > cap_gp + 1e-6)).tolist():
        g, p = divmod(i, n_p)
        uit.append(
            Conflict(
                "capaciteit",
                f"{pr.gebieden[g]}/{pr.producten[p]}",
                rest[i] - cap_gp[i],
                pr.eenheden[p],
                f"vraag naar {pr.producten[p]} in {pr.gebieden[g]} is {getal(rest[i])} "
                f"{pr.eenheden[p]}, de capaciteit van de toegestane aanbieders samen "
                f"{getal(cap_gp[i])}",
            )
        )
    ap = np.unique(pr.combo_aanbieder * n_p + pr.combo_product)
    cap_p = np.bincount(
        ap % n_p, weights=np.minimum(pr.capaciteit.ravel()[ap], 1e300), minlength=n_p
    )
    vraag_p = pr.vraag_rest.sum(axis=0)
    for p in np.flatnonzero(vraag_p > cap_p + 1e-6).tolist():
        uit.append(
            Conflict(
                "capaciteit",
                pr.producten[p],
                vraag_p[p] - cap_p[p],
                pr.eenheden[p],
                f"vraag naar {pr.producten[p]} is {getal(vraag_p[p])} {pr.eenheden[p]}, "
                f"de totale capaciteit {getal(cap_p[p])}",
            )
        )
    dekbaar = np.isfinite(goedkoopst) & (rest > 0)
    minimum = float((rest[dekbaar] * goedkoopst[dekbaar]).sum())
    if minimum > pr.budget + 1e-6 * max(1.0, abs(pr.budget)):
        overige = pr.plafond - pr.budget
        uit.append(
            Conflict(
                "plafond",
                "",
                minimum - pr.budget,
                "euro",
                f"alle vraag dekken tegen reëel tarief kost minstens {euro(minimum)}; het "
                f"plafond ({euro(pr.plafond)}) laat {euro(pr.budget)} over na verwachte "
                f"overige uitgaven ({euro(overige)}): {euro(minimum - pr.budget)} te kort",
            )
        )
    return tuple(uit)


def verklaar(
    pr: AllocationProblem, doel: Doel, matrix: Matrix, index: ModelIndex, opties: SolverOpties
) -> NoFeasibleAllocation:
    """Explain an infeasible model: elastic slacks (amounts) plus IIS (small models)."""
    conflicten = _elastisch(pr, doel, opties)
    # No IIS for a MILP: highspy 1.16's getIis on a model with integers ignores
    # time_limit (a 1 s limit ran past 60 s on a 10-wijk Zaanstad case), so it could hang.
    klein = matrix.n_rijen <= opties.iis_max_rijen and not matrix.is_mip
    iis = _iis(pr, matrix, index, opties) if klein else ()
    if not conflicten and not iis:
        conflicten = (
            Conflict(
                "onbekend",
                "",
                float("nan"),
                "",
                "HiGHS vindt het model onhaalbaar, maar de oorzaak kon niet binnen de "
                "tijdslimiet worden bepaald",
            ),
        )
    return NoFeasibleAllocation(pr.naam, conflicten, iis)


_WOORD = {
    "dekking": "vraag niet te dekken",
    "capaciteit": "capaciteit te kort",
    "plafond": "plafond te krap",
    "minimum_bedrag": "minimumbedrag niet haalbaar",
    "transitie_min": "transitieband (ondergrens) niet haalbaar",
    "transitie_max": "transitieband (bovengrens) overschreden",
    "max_gebieden": "te veel gebieden nodig",
    "min_aanbieders": "te weinig aanbieders",
    "max_aanbieders": "te veel aanbieders nodig",
}


def _eenheid(pr: AllocationProblem, familie: str, sleutel: str) -> str:
    if familie in ("dekking", "capaciteit"):
        return pr.eenheden[pr.producten.index(sleutel.rsplit("/", 1)[1])]
    if familie in ("max_gebieden", "min_aanbieders", "max_aanbieders"):
        return "aantal"
    return "euro"


def _elastisch(pr: AllocationProblem, doel: Doel, opties: SolverOpties) -> tuple[Conflict, ...]:
    m, index = build_model(pr, doel, elastisch=True)
    matrix = compileer(m)
    opl = los_op(
        matrix,
        SolverOpties(
            tijdslimiet=opties.tijdslimiet_uitleg,
            ipm_vanaf_rijen=opties.ipm_vanaf_rijen,
            threads=opties.threads,
        ),
    )
    if opl.status is not Status.OPTIMAAL and opl.x.size == 0:
        return ()
    uit = []
    for familie, woord in _WOORD.items():
        comp = m.component(f"slack_{familie}")
        if comp is None:
            continue
        x = np.append(opl.x, 0.0)[kolom_posities(matrix, list(comp.values()))]
        for i in np.flatnonzero(x > 1e-6).tolist():
            sleutel = sleutels(pr, familie, index.rijen[familie][[i]])[0]
            eenheid = _eenheid(pr, familie, sleutel)
            bedrag = euro(x[i]) if eenheid == "euro" else f"{getal(x[i])} {eenheid}"
            waar = f" ({sleutel})" if sleutel else ""
            uit.append(Conflict(familie, sleutel, float(x[i]), eenheid, f"{woord}{waar}: {bedrag}"))
    return tuple(uit)


def _iis(
    pr: AllocationProblem, matrix: Matrix, index: ModelIndex, opties: SolverOpties
) -> tuple[str, ...]:
    h = nieuwe_highs(opties, opties.tijdslimiet_uitleg)
    h.setOptionValue("iis_strategy", _IIS_STRATEGIE)
    # getIis ignores time_limit (a medium LP ran 148 s with a 30 s limit): it has its own
    h.setOptionValue("iis_time_limit", float(opties.tijdslimiet_uitleg))
    matrix.laad(h)
    status, iis = h.getIis()
    if status != highspy.HighsStatus.kOk or not iis.valid_:
        return ()
    families = np.asarray(matrix.rij_familie, dtype=object)
    rijen = np.asarray(list(iis.row_index_), dtype=np.int64)
    namen = []
    for familie in dict.fromkeys(families[rijen].tolist()):
        deel = rijen[families[rijen] == familie]
        for s in sleutels(pr, familie, index.rijen[familie][matrix.rij_index[deel]]):
            namen.append(familie if familie == "plafond" else f"{familie}[{s}]")
    return tuple(namen)
