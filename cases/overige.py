"""The overige aanbieders and PGB under demand-driven C: their share, tarieven, expected C.

One place for the rules of ``levering`` (cases/README.md) that both the simulation
(``montecarlo.model``) and the allocation (``optimize.uit_case``) need.
"""

from __future__ import annotations

from plafond.cases import framework
from plafond.cases.levering import OverigeLevering
from plafond.cases.schema import Case


def overige_rij(case: Case, gebied: str, product: str) -> OverigeLevering | None:
    """The ``levering.overige`` row of a gebied and product: its own, else the product's."""
    rijen = [r for r in case.levering.overige if r.product == product]
    eigen = [r for r in rijen if r.gebied == gebied]
    algemeen = [r for r in rijen if r.gebied is None]
    return (eigen or algemeen or [None])[0]


def reeel_tarief(case: Case, product: str) -> float:
    """Reëel tarief of the overige aanbieders (euro per unit; 0 when none applies)."""
    overig = [a.id for a in case.aanbieders if a.rol == "overig"]
    try:
        return framework.tarief(case, product, overig[0] if overig else None)
    except KeyError:
        return 0.0


def betaald_tarief(case: Case, gebied: str, product: str) -> float:
    """Paid within the kader per overige unit (euro per eenheid).

    ``((1 − aandeel_pgb) tarief_zin + aandeel_pgb tarief_pgb) × f``, with ``f`` what remains
    after ``kader.uitsluitingen`` (:func:`framework.overige_factor`): an excluded share of
    the overige's care (e.g. BGG for 70-plussers, seed 002) is paid outside the plafond, so
    it is not spending against A. The overige still deliver that care: their volume (and
    the demand left for the partners) is not changed (:func:`verwacht_overige_volume`).
    """
    rij = overige_rij(case, gebied, product)
    zin = reeel_tarief(case, product) if rij is None or rij.tarief_zin is None else rij.tarief_zin
    pgb = 0.0 if rij is None else rij.aandeel_pgb
    tarief = zin if pgb == 0 else (1 - pgb) * zin + pgb * float(rij.tarief_pgb)
    return tarief * framework.overige_factor(case, gebied, product)


def historie_aandeel(case: Case, gebied: str, product: str) -> float:
    """The overige's share of the historie omzet there (1 without partner omzet)."""
    partners = set(case.partners())
    rijen = [h for h in case.historie if h.gebied == gebied and h.product == product]
    p = sum(h.omzet for h in rijen if h.aanbieder in partners)
    o = sum(h.omzet for h in rijen if h.aanbieder not in partners)
    return 1.0 if p <= 0 else o / (o + p)


def verwacht_aandeel(case: Case, gebied: str, product: str) -> float:
    """Expected overige share of the volume: the row's ``aandeel`` mean, else the historie's."""
    rij = overige_rij(case, gebied, product)
    if rij is None or rij.aandeel is None or historie_aandeel(case, gebied, product) >= 1.0:
        return historie_aandeel(case, gebied, product)
    return min(max(rij.aandeel.mean(), 0.0), 1.0)


def verwachte_overige_uitgaven(case: Case) -> dict[tuple[str, str], float]:
    """Expected C per (gebied, product), euro: a direct ``kader.overige_uitgaven`` line's mean,
    else E[volume] × expected share × paid tarief (spill at capaciteit not counted).
    """
    uit: dict[tuple[str, str], float] = {}
    for o in framework.overige_uitgaven(case):  # after kader.uitsluitingen
        uit[(o.gebied, o.product)] = uit.get((o.gebied, o.product), 0.0) + o.mean()
    direct = set(uit)
    for v in case.vraag:
        sleutel = (v.gebied, v.product)
        if sleutel in direct:
            continue
        volume = v.clienten.mean() * v.volume_per_client.mean()
        c = volume * verwacht_aandeel(case, *sleutel) * betaald_tarief(case, *sleutel)
        uit[sleutel] = uit.get(sleutel, 0.0) + c
    return uit


def verwacht_overige_volume(case: Case) -> dict[tuple[str, str], float]:
    """Expected volume the overige deliver per (gebied, product), units.

    A demand-driven line: E[volume] × expected share. A directly given C line (euro): its
    mean before the uitsluitingen, divided by the product's reëel tarief (the care it
    buys; an excluded share is still delivered, only paid outside the plafond).
    """
    uit: dict[tuple[str, str], float] = {}
    direct = set()
    for o in case.kader.overige_uitgaven:
        sleutel = (o.gebied, o.product)
        direct.add(sleutel)
        try:
            prijs = framework.tarief(case, o.product)
        except KeyError:
            continue
        uit[sleutel] = uit.get(sleutel, 0.0) + o.mean() / prijs
    for v in case.vraag:
        sleutel = (v.gebied, v.product)
        if sleutel in direct:
            continue
        volume = v.clienten.mean() * v.volume_per_client.mean()
        uit[sleutel] = uit.get(sleutel, 0.0) + volume * verwacht_aandeel(case, *sleutel)
    return uit
