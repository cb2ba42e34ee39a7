"""From a Case to the arrays of the engine (:class:`~montecarlo.motor.Model`).

How the case enters the simulation:

- Spending = the partners' lumpsum B (fixed) + the overige uitgaven C: one random line per
  row of ``kader.overige_uitgaven`` (euro). The plafond A comes from the framework.
- Demand (``vraag``: clienten × volume per client per gebied and product) is the *total*
  demand of the service in the gebied, served by partners and overige alike. It does not
  add to spending (the lumpsum is fixed, C has its own forecast) but it drives each
  partner's exploitation risk: the partner delivers its share of the volume, its share of
  the historie omzet of *all* aanbieders in that gebied and product, at the reëel tarief
  (``framework.tarief(case, product, aanbieder)``). Demand and C lines are linked through
  the copula (same gemeente: ``binnen_gemeente``), so a year of high demand tends to be a
  year of high C as well.
- Pots (``cases.potten.potten``): verdeelsleutel ``lumpsum`` or ``sleutel`` has one
  pot (weights the lumpsum per partner, or ``risicodeling.sleutel``); ``gemeente``,
  ``product`` and ``gemeente_product`` have one pot per gemeente, product or pair, with its
  own plafond (given in ``kader.plafonds``, or derived and scaled to A) and the lumpsum in
  it; each pot's overschrijding is shared by the partners pro rata their lumpsum there. An
  allocation given line by line (``allocatie``) fills the pots directly; lumpsums given per
  partner are split over the pots as the case's lumpsum lines are.
- C lines are those of ``framework.overige_uitgaven`` (after ``kader.uitsluitingen``);
  ``kader.reeds_betaald`` is fixed spending in its pot and income of its partner.
- ``maximum`` is a fraction of each partner's (total) lumpsum.
- ``cooperaties``: the leden of a cooperative are one contract partner of the rule
  (``Regel.groep`` and ``sleutel``, :mod:`montecarlo.cooperatie`): its weights and cap are
  the sums of its leden's, its terugvordering is split over them by its key.
- ``kader.prijsschok`` (optional): realised CAO wage growth minus the indexatie granted, a
  fraction. It raises the partners' real cost per unit: exploitation cost = volume ×
  reëel tarief × (1 + prijsschok). It does not change spending B + C within the year (the
  lumpsum is fixed, the overige aanbieders are paid contracted tariffs), so the
  overschrijdingskans and the terugvordering are unaffected; it moves each partner's
  exploitatie result. One shock per scenario, common to all partners and gebieden, drawn
  through its inverse CDF from its own normal score. It is independent of the other lines:
  CAO wages are settled nationally and do not follow the demand or the PGB spending of
  these gebieden in the year. Its row in the copula matrix would be the unit vector, so
  its score skips the matrix product (the score comes after all others, so a case without
  shock keeps its random numbers). A ``vast`` shock takes no random number at all.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import pandas as pd
from plafond.cases import Case, framework, overige
from plafond.cases.potten import Potten, lumpsum_per_pot
from plafond.montecarlo import cooperatie
from plafond.montecarlo.copula import Factormodel, correlatiematrix
from plafond.montecarlo.levering import Leveringsplan
from plafond.montecarlo.motor import Model
from plafond.montecarlo.risicodeling import Regel
from plafond.montecarlo.scenarios import Cellen
from plafond.montecarlo.verdelingen import marginaal
from plafond.montecarlo.vraag import SamengesteldeVraag


def _lumpsum_per_pot(case: Case, potten: Potten, lumpsum: pd.Series) -> pd.DataFrame:
    """Lumpsum (euro) per partner (rows) and pot (columns), scaled to ``lumpsum``.

    Each partner's total is split over the pots as its lumpsum lines in the case are (or,
    without lines, as all partners' lines together).
    """
    regels = framework.lumpsum_regels(case)["lumpsum"]
    tabel = lumpsum_per_pot(case, potten, regels).reindex(lumpsum.index, fill_value=0.0)
    rijsom = tabel.sum(axis=1)
    totaal = tabel.sum(axis=0)
    k = len(potten.ids)
    standaard = totaal / totaal.sum() if totaal.sum() > 0 else pd.Series(1 / k, tabel.columns)
    for a in tabel.index:
        verdeling = tabel.loc[a] / rijsom[a] if rijsom[a] > 0 else standaard
        tabel.loc[a] = verdeling * lumpsum[a]
    return tabel


def bouw_model(
    case: Case,
    lumpsum_per_aanbieder: Mapping[str, float] | None = None,
    allocatie: Mapping[tuple[str, str, str], float] | None = None,
) -> Model:
    """The engine's arrays for ``case`` (module docstring: how each part enters).

    The case is immutable, so the model of the same case (and lumpsums) is built once and
    kept (the last few); its arrays are read-only.

    Parameters
    ----------
    case
        A validated Case.
    lumpsum_per_aanbieder
        Lumpsum per partner (euro) to use instead of the framework's, e.g. an optimised
        allocation; partners it does not name get 0. Split over the pots as the case's.
    allocatie
        Bedrag per (aanbieder, gebied, product) (euro), e.g. an optimised allocation: each
        partner's lumpsum is its sum, and each pot holds what the allocation puts in it.
        Not together with ``lumpsum_per_aanbieder``.

    Raises
    ------
    ValueError
        If the case has no partner with a positive lumpsum, or names unknown partners.
    """
    if lumpsum_per_aanbieder is not None and allocatie is not None:
        raise ValueError("geef lumpsum_per_aanbieder of allocatie, niet allebei")
    lumpsums = None if lumpsum_per_aanbieder is None else tuple(lumpsum_per_aanbieder.items())
    regels = None if allocatie is None else tuple(sorted(allocatie.items()))
    try:
        hash((case, lumpsums, regels))
    except TypeError:  # not hashable (a Case always is): build it without keeping it
        return _bouw.__wrapped__(case, lumpsums, regels)
    return _bouw(case, lumpsums, regels)


def _alleen_lezen(*arrays: np.ndarray | None) -> None:
    for a in arrays:
        if a is not None:
            a.flags.writeable = False


@functools.lru_cache(maxsize=4)
def _bouw(
    case: Case,
    lumpsums: tuple[tuple[str, float], ...] | None,
    regels: tuple[tuple[tuple[str, str, str], float], ...] | None = None,
) -> Model:
    lumpsum_per_aanbieder = None if lumpsums is None else dict(lumpsums)
    kader = framework.kader(case)
    partners = list(kader.lumpsum_per_aanbieder.index)
    potten = kader.potten
    per_pot = None
    if regels is not None:
        bedragen = pd.Series(dict(regels), dtype=float)
        onbekend = sorted({a for a, _, _ in dict(regels)} - set(partners))
        if onbekend:
            raise ValueError(f"allocatie voor onbekende partner(s): {', '.join(onbekend)}")
        per_pot = lumpsum_per_pot(case, potten, bedragen)
        lumpsum = per_pot.sum(axis=1)
    elif lumpsum_per_aanbieder is not None:
        onbekend = sorted(set(lumpsum_per_aanbieder) - set(partners))
        if onbekend:
            raise ValueError(f"lumpsum voor onbekende partner(s): {', '.join(onbekend)}")
        lumpsum = pd.Series({a: float(lumpsum_per_aanbieder.get(a, 0.0)) for a in partners})
    else:
        lumpsum = kader.lumpsum_per_aanbieder.astype(float)
    if lumpsum.sum() <= 0:
        raise ValueError("geen partner met een positieve lumpsum: niets om te simuleren")
    rd = case.kader.risicodeling
    gemeente_van = case.gemeente_van()

    if per_pot is None:
        per_pot = _lumpsum_per_pot(case, potten, lumpsum)
    reeds = framework.lumpsum_regels(case)["reeds_betaald"]
    reeds_pot = lumpsum_per_pot(case, potten, reeds)
    if rd.verdeelsleutel == "sleutel":
        gewichten = np.array([[float((rd.sleutel or {}).get(a, 0.0)) for a in partners]])
    else:
        gewichten = per_pot.to_numpy().T
    plafond = potten.plafond
    vast = per_pot.sum(axis=0).to_numpy() + reeds_pot.sum(axis=0).to_numpy()

    maximum = None if rd.maximum is None else rd.maximum * lumpsum.to_numpy()
    groep, sleutel = cooperatie.groepen(case, partners, lumpsum.to_numpy())
    regel = Regel(
        plafond=plafond,
        gewichten=gewichten,
        aandeel_partners=rd.aandeel_partners,
        drempel=rd.drempel,
        drempel_soort=rd.drempel_soort,
        maximum=maximum,
        onderschrijding=rd.onderschrijding,
        groep=groep,
        sleutel=sleutel,
    )

    overige = framework.overige_uitgaven(case)
    omzet = pd.DataFrame(
        [h.model_dump() for h in case.historie], columns=["aanbieder", "gebied", "product", "omzet"]
    )
    totaal = omzet.groupby(["gebied", "product"])["omzet"].sum()
    per_aanbieder = omzet.groupby(["aanbieder", "gebied", "product"])["omzet"].sum()
    kosten = _kosten_per_eenheid(case, partners, per_aanbieder, totaal)
    plan, cellen = _levering(case, partners, potten.van, per_aanbieder)
    lijnen = [o.gebied for o in overige] + [v.gebied for v in case.vraag]
    c = case.kader.correlatie
    factormodel = None
    if c.matrix is None and 0.0 <= c.tussen_gemeenten <= c.binnen_gemeente:
        gemeenten = sorted({gemeente_van[g] for g in lijnen})
        index = np.array([gemeenten.index(gemeente_van[g]) for g in lijnen], dtype=np.intp)
        factormodel = Factormodel(index, len(gemeenten), binnen_gemeente=c.binnen_gemeente,
                                  tussen_gemeenten=c.tussen_gemeenten)  # fmt: skip
        correlatie = np.zeros((0, 0))
    else:
        correlatie = correlatiematrix(
            lijnen,
            gemeente_van,
            binnen_gemeente=c.binnen_gemeente,
            tussen_gemeenten=c.tussen_gemeenten,
            matrix=c.matrix,
        )
    model = Model(
        overige=tuple(marginaal(o) for o in overige),
        overige_pot=tuple(potten.van[o.gebied, o.product] for o in overige),
        vraag=tuple(
            SamengesteldeVraag(
                marginaal(v.clienten), v.volume_per_client.mean(), v.volume_per_client.std()
            )
            for v in case.vraag
        ),
        correlatie=correlatie,
        vaste_uitgaven=vast,
        regel=regel,
        lumpsum=lumpsum.to_numpy(),
        kosten=kosten,
        partners=tuple(partners),
        pot_ids=tuple(potten.ids),
        reeds_betaald=reeds_pot.sum(axis=1).to_numpy(),
        prijsschok=None if case.kader.prijsschok is None else marginaal(case.kader.prijsschok),
        levering=plan,
        cellen=cellen,
        factormodel=factormodel,
    )
    _alleen_lezen(model.correlatie, model.vaste_uitgaven, model.lumpsum, model.kosten)
    _alleen_lezen(regel.plafond, regel.gewichten, regel.maximum, regel.groep, regel.sleutel)
    return model


def _omzet_per_lijn(per_aanbieder: pd.Series) -> dict[tuple[str, str], dict[str, float]]:
    """Historie omzet per (gebied, product): aanbieder → omzet (one pass over historie)."""
    uit: dict[tuple[str, str], dict[str, float]] = {}
    for (a, g, p), x in per_aanbieder.items():
        uit.setdefault((g, p), {})[a] = float(x)
    return uit


def _kosten_per_eenheid(
    case: Case, partners: list[str], per_aanbieder: pd.Series, totaal: pd.Series
) -> np.ndarray:
    """Cost per unit of each vraag line borne by each partner, ``(P, L)`` euro per eenheid.

    ``kosten[i, j]`` = partner i's share of the historie omzet of line j's gebied and product
    × its reëel tarief (0 where it has none). Sparse: one pass over the historie and the
    lines, not over all partner × line combinations.
    """
    index = {a: i for i, a in enumerate(partners)}
    omzet = _omzet_per_lijn(per_aanbieder)
    tarief: dict[tuple[str, str], float] = {}
    kosten = np.zeros((len(partners), len(case.vraag)))
    for j, v in enumerate(case.vraag):
        noemer = float(totaal.get((v.gebied, v.product), 0.0))
        if noemer <= 0:
            continue
        for a, teller in omzet.get((v.gebied, v.product), {}).items():
            if a in index and teller > 0:
                if (v.product, a) not in tarief:
                    tarief[v.product, a] = framework.tarief(case, v.product, a)
                kosten[index[a], j] = teller / noemer * tarief[v.product, a]
    return kosten


def _levering(
    case: Case,
    partners: list[str],
    pot_van: Mapping[tuple[str, str], int],
    omzet: pd.Series,
) -> tuple[Leveringsplan, Cellen]:
    """The delivery plan and the cells of a case (:mod:`montecarlo.levering`).

    ``omzet``: historie omzet per (aanbieder, gebied, product).
    """
    direct = {(o.gebied, o.product) for o in case.kader.overige_uitgaven}
    partner_set = set(partners)
    aandeel, random, tarief, reeel, cel_rijen = [], [], [], [], []
    per_lijn = _omzet_per_lijn(omzet)
    plek = {a: i for i, a in enumerate(partners)}
    for j, v in enumerate(case.vraag):
        lijn = per_lijn.get((v.gebied, v.product), {})
        p_omzet = {a: float(x) for a, x in lijn.items() if a in partner_set and x > 0}
        o_omzet = float(sum(x for a, x in lijn.items() if a not in partner_set))
        p_totaal = sum(p_omzet.values())
        rij = overige.overige_rij(case, v.gebied, v.product)
        standaard = 1.0 if p_totaal <= 0 else o_omzet / (o_omzet + p_totaal)
        if rij is not None and rij.aandeel is not None and p_totaal > 0:
            marg = marginaal(rij.aandeel)
            if rij.aandeel.verdeling == "vast":
                aandeel.append(marg.gemiddelde)
            else:
                aandeel.append(marg.gemiddelde)
                random.append((j, marg))
        else:
            aandeel.append(standaard)
        eigen = overige.reeel_tarief(case, v.product)
        betaald = overige.betaald_tarief(case, v.gebied, v.product)
        tarief.append(0.0 if (v.gebied, v.product) in direct else betaald)
        reeel.append(eigen)
        for a, x in p_omzet.items():
            cel_rijen.append((plek[a], v.product, j, x / p_totaal))
    producten = [p.id for p in case.producten]
    cel_rijen.sort(key=lambda r: (r[0], producten.index(r[1]), r[2]))
    cel_lijn = np.array([r[2] for r in cel_rijen], dtype=np.intp)
    cel_partner = np.array([r[0] for r in cel_rijen], dtype=np.intp)
    groepen = [(r[0], r[1]) for r in cel_rijen]
    starts = [k for k in range(len(groepen)) if k == 0 or groepen[k] != groepen[k - 1]]
    capaciteit = {a.id: a.capaciteit for a in case.aanbieders}
    cap = [float(capaciteit[partners[groepen[k][0]]].get(groepen[k][1], np.inf)) for k in starts]
    tarieven = {
        (p, i): framework.tarief(case, p, partners[i]) for p, i in {(r[1], r[0]) for r in cel_rijen}
    }
    cel_tarief = np.array([tarieven[r[1], r[0]] for r in cel_rijen], dtype=np.float64)
    a_arr = np.array(aandeel, dtype=np.float64)
    plan = Leveringsplan(
        aandeel=a_arr,
        aandeel_random=tuple(random),
        overig_tarief=np.array(tarief, dtype=np.float64),
        overig_reeel=np.array(reeel, dtype=np.float64),
        lijn_pot=np.array([pot_van[v.gebied, v.product] for v in case.vraag], dtype=np.intp),
        cel_lijn=cel_lijn,
        cel_partner=cel_partner,
        cel_gewicht=np.array([r[3] for r in cel_rijen], dtype=np.float64),
        cel_tarief=cel_tarief,
        groep_start=np.array(starts, dtype=np.intp),
        groep_capaciteit=np.array(cap, dtype=np.float64),
        wachtlijst=case.levering.bij_capaciteit == "wachtlijst",
        partners=len(partners),
    )
    gebieden = [g.id for g in case.gebieden]
    vraag = case.vraag
    ev = np.array([vraag[j].clienten.mean() * vraag[j].volume_per_client.mean() for j in cel_lijn])
    cellen = Cellen(
        partner=cel_partner,
        gebied=np.array([gebieden.index(vraag[j].gebied) for j in cel_lijn], dtype=np.intp),
        product=np.array([producten.index(vraag[j].product) for j in cel_lijn], dtype=np.intp),
        tarief=cel_tarief,
        verwacht_volume=ev * (1.0 - a_arr[cel_lijn]) * plan.cel_gewicht,
        volume_per_client=np.array([vraag[j].volume_per_client.mean() for j in cel_lijn]),
        partners=tuple(partners),
        gebieden=tuple(gebieden),
        producten=tuple(producten),
    )
    for x in (plan.aandeel, plan.overig_tarief, plan.cel_tarief, plan.cel_gewicht):
        x.flags.writeable = False
    return plan, cellen
