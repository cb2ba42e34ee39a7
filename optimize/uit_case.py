"""From a :class:`cases.Case` to an :class:`AllocationProblem`.

Choices made here (documented in the README's Optimize section):

- The allocation covers the *partners*: aanbieders with rol ``overig`` are the C of the
  framework, a fixed expected spending (``cases.overige.verwachte_overige_uitgaven``: a
  direct ``kader.overige_uitgaven`` line's mean, else the demand-driven C). When no
  aanbieder is a partner, every aanbieder is allocated; an aanbieder named in
  ``marktordening.minimum_bedrag`` is always allocated.
- Allowed combinations: ``case.werkgebied`` when given, else every (gebied, aanbieder,
  product) in ``historie``.
- With ``marktordening.overige_dekken`` the volume the overige are expected to deliver
  (``cases.overige.verwacht_overige_volume``: demand × their share, or a direct C line's
  mean at the product's reëel tarief) reduces the demand the partners must cover.
- The overige uitgaven are those after ``kader.uitsluitingen``; amounts already paid to
  partners (``kader.reeds_betaald``) are spent, so the budget for the
  allocation is A − C − reeds_betaald.
- The verdeling weight of a gebied is
  ``inwoners * (1 + 4 * aandeel_75plus + 1 * aandeel_laag_inkomen)`` (missing shares: 0):
  a 75-plusser counts five times (Wmo use of 75+ is about five times the average,
  DOMAIN.md), a low-income inhabitant twice.
"""

from __future__ import annotations

import numpy as np
from plafond.cases import Case, framework
from plafond.cases.overige import verwacht_overige_volume, verwachte_overige_uitgaven

from .probleem import AllocationProblem, MinimumBedrag

__all__ = ["problem_from_case", "gebied_gewicht", "GEWICHT_75PLUS", "GEWICHT_LAAG_INKOMEN"]

#: extra weight per inhabitant aged 75+ in the verdeling objective
GEWICHT_75PLUS = 4.0
#: extra weight per low-income inhabitant in the verdeling objective
GEWICHT_LAAG_INKOMEN = 1.0


def gebied_gewicht(case: Case) -> np.ndarray:
    """Population weight per gebied (weighted inwoners), shape (G,)."""
    return np.array(
        [
            g.inwoners
            * (
                1.0
                + GEWICHT_75PLUS * (g.aandeel_75plus or 0.0)
                + GEWICHT_LAAG_INKOMEN * (g.aandeel_laag_inkomen or 0.0)
            )
            for g in case.gebieden
        ]
    )


def problem_from_case(case: Case) -> AllocationProblem:
    """The allocation problem of a case (see the module docstring for the choices)."""
    gebieden = tuple(g.id for g in case.gebieden)
    producten = tuple(p.id for p in case.producten)
    partners = case.partners()
    genoemd = {r.aanbieder for r in case.marktordening.minimum_bedrag}
    aanbieders = tuple(
        a.id for a in case.aanbieders if not partners or a.id in partners or a.id in genoemd
    )
    gi = {x: i for i, x in enumerate(gebieden)}
    ai = {x: i for i, x in enumerate(aanbieders)}
    pi = {x: i for i, x in enumerate(producten)}
    met_tarief = {t.product for t in case.tarieven}

    bron = case.werkgebied if case.werkgebied else case.historie
    combos = sorted(
        {
            (gi[r.gebied], ai[r.aanbieder], pi[r.product])
            for r in bron
            if r.aanbieder in ai and r.product in met_tarief
        }
    )
    cg, ca, cp = np.array(combos, dtype=np.int64).reshape(-1, 3).T
    tarief_ap = {
        (a, p): framework.tarief(case, producten[p], aanbieders[a])
        for a, p in set(zip(ca.tolist(), cp.tolist(), strict=True))
    }
    tarief = np.array([tarief_ap[a, p] for a, p in zip(ca.tolist(), cp.tolist(), strict=True)])

    vraag = np.zeros((len(gebieden), len(producten)))
    for (g, p), volume in framework.verwacht_volume(case).items():
        vraag[gi[g], pi[p]] += volume
    overige = np.zeros_like(vraag)
    for (gebied, product), c in verwachte_overige_uitgaven(case).items():
        overige[gi[gebied], pi[product]] += c
    overige_volume = np.zeros_like(vraag)
    if case.marktordening.overige_dekken:
        for (gebied, product), volume in verwacht_overige_volume(case).items():
            overige_volume[gi[gebied], pi[product]] += volume

    per_id = {a.id: a for a in case.aanbieders}
    capaciteit = np.full((len(aanbieders), len(producten)), np.inf)
    max_gebieden = np.full(len(aanbieders), np.inf)
    algemeen = case.marktordening.max_gebieden_per_aanbieder
    for a, naam in enumerate(aanbieders):
        for p, cap in per_id[naam].capaciteit.items():
            capaciteit[a, pi[p]] = float(cap)
        grenzen = [x for x in (per_id[naam].max_gebieden, algemeen) if x is not None]
        if grenzen:
            max_gebieden[a] = min(grenzen)

    kader = framework.kader(case)
    lumpsum = kader.lumpsum_per_aanbieder.reindex(list(aanbieders), fill_value=0.0).to_numpy()
    mo = case.marktordening
    minimum = tuple(
        MinimumBedrag(
            aanbieder=ai[r.aanbieder],
            bedrag=float(r.bedrag),
            gebied=None if r.gebied is None else gi[r.gebied],
            product=None if r.product is None else pi[r.product],
        )
        for r in mo.minimum_bedrag
        if r.aanbieder in ai
    )
    return AllocationProblem(
        gebieden=gebieden,
        aanbieders=aanbieders,
        producten=producten,
        combo_gebied=cg,
        combo_aanbieder=ca,
        combo_product=cp,
        tarief=tarief,
        vraag=vraag,
        capaciteit=capaciteit,
        plafond=kader.plafond,
        reeds_betaald=kader.reeds_betaald,  # already paid: spent within the plafond
        overige_uitgaven=overige,
        overige_volume=overige_volume,
        max_gebieden=max_gebieden,
        min_aanbieders_per_gebied=mo.min_aanbieders_per_gebied,
        max_aanbieders_per_gebied=mo.max_aanbieders_per_gebied,
        minimum_bedrag=minimum,
        lumpsum=lumpsum,
        transitie_band=mo.transitie_band,
        gewicht=gebied_gewicht(case),
        max_opslag=mo.max_opslag,
        eenheden=tuple(p.eenheid for p in case.producten),
        naam=case.naam,
    )
