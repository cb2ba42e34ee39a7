"""The financial framework of a case: reëel tarief, lumpsum (B), plafond (A), overige (C).

Pure functions of a :class:`~cases.schema.Case`; euros as floats, never rounded here.

The rules (seed 002, Maastricht-Heuvelland 2022)::

    omzet'    = omzet_vorig_jaar × (1 − uitgesloten aandeel)          (uitsluitingen)
    opslag'   = bedrag × (1 + indexatie)? × (1 − taakstelling)?      (per opslag, by switch)
    lumpsum   = omzet' × (1 + indexatie) × (1 − taakstelling) + opslag' − reeds_betaald
    plafond   = omzet' × (1 + indexatie) × (1 − taakstelling) over all historie + opslag',
                unless given (in total, or per pot in kader.plafonds)
    C budget  = A − B − reeds_betaald

Pots of the risk rule (:mod:`cases.potten`): the region, or one per gemeente, product or
gemeente × product (``risicodeling.verdeelsleutel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from plafond.cases.geld import centen, verdeel_centen
from plafond.cases.potten import Potten, potten
from plafond.cases.schema import Case, OverigeUitgave, Tarief

#: The build-up of a reëel tarief, in order: (column, label shown to the user).
OPBOUW_STAPPEN = (
    ("cao_uurloon", "CAO-uurloon (bruto, schaal en trede)"),
    ("bruto_uurloon", "+ toeslagen (vakantiegeld, eindejaarsuitkering, ORT)"),
    ("loonkosten", "+ werkgeverslasten"),
    ("kosten_clienturen", "÷ productiviteit (aandeel cliëntgebonden uren)"),
    ("directe_kosten", "+ reiskosten en scholing per cliëntuur"),
    ("met_overhead", "+ overhead"),
    ("met_risico", "+ opslag risico en innovatie"),
    ("tarief", "× personeelsuren per eenheid = reëel tarief per eenheid"),
)


def opbouw(t: Tarief) -> dict[str, float]:
    """The steps of one tarief's build-up, euro per (client) hour, last step euro per eenheid.

    A given ``tarief`` has only the last step.
    """
    if t.tarief is not None:
        return {"tarief": t.tarief}
    bruto = t.cao_uurloon * (1 + t.toeslagen)
    loonkosten = bruto * (1 + t.werkgeverslasten)
    per_clientuur = loonkosten / t.productiviteit
    direct = per_clientuur + t.reiskosten
    overhead = direct * (1 + t.overhead)
    risico = overhead * (1 + t.risico_opslag)
    return {
        "cao_uurloon": t.cao_uurloon,
        "bruto_uurloon": bruto,
        "loonkosten": loonkosten,
        "kosten_clienturen": per_clientuur,
        "directe_kosten": direct,
        "met_overhead": overhead,
        "met_risico": risico,
        "tarief": risico * t.uren_per_eenheid,
    }


def tarief_opbouw(case: Case) -> pd.DataFrame:
    """The build-up of every reëel tarief as a long table.

    Returns
    -------
    DataFrame
        Columns product, aanbieder ('' for all aanbieders), stap, omschrijving, bedrag
        (euro per hour; the last step euro per eenheid of the product).
    """
    labels = dict(OPBOUW_STAPPEN)
    rows = [
        {
            "product": t.product,
            "aanbieder": t.aanbieder or "",
            "stap": stap,
            "omschrijving": labels[stap] if t.tarief is None else "reëel tarief (gegeven)",
            "bedrag": bedrag,
        }
        for t in case.tarieven
        for stap, bedrag in opbouw(t).items()
    ]
    return pd.DataFrame(rows, columns=["product", "aanbieder", "stap", "omschrijving", "bedrag"])


def tarief(case: Case, product: str, aanbieder: str | None = None) -> float:
    """The reëel tarief (euro per eenheid) of ``product`` for ``aanbieder``.

    An aanbieder-specific row wins over the row for all aanbieders. For ``aanbieder=None``
    the row for all aanbieders is used, or else the lowest aanbieder-specific tarief.

    Raises
    ------
    KeyError
        If the product has no tarief that applies.
    """
    rows = [t for t in case.tarieven if t.product == product]
    for t in rows:
        if aanbieder is not None and t.aanbieder == aanbieder:
            return opbouw(t)["tarief"]
    generic = [t for t in rows if t.aanbieder is None]
    if generic:
        return opbouw(generic[0])["tarief"]
    if aanbieder is None and rows:
        return min(opbouw(t)["tarief"] for t in rows)
    raise KeyError(f"geen tarief voor product {product!r} en aanbieder {aanbieder!r}")


def _uitsluiting_treft(case: Case, u: Any, aanbieder: str, gebied: str, product: str) -> bool:
    rol = {a.id: a.rol for a in case.aanbieders}
    if case.gemeente_van().get(gebied) != u.gemeente or product != u.product:
        return False
    return aanbieder == u.aanbieder if u.aanbieder is not None else rol.get(aanbieder) == "overig"


def uitgesloten_factor(case: Case, aanbieder: str, gebied: str, product: str) -> float:
    """What remains of an omzet after ``kader.uitsluitingen``: the product of (1 − aandeel)."""
    factor = 1.0
    for u in case.kader.uitsluitingen:
        if _uitsluiting_treft(case, u, aanbieder, gebied, product):
            factor *= 1.0 - u.aandeel
    return factor


def overige_factor(case: Case, gebied: str, product: str) -> float:
    """What remains of the overige uitgaven forecast in a gebied after the uitsluitingen.

    Exclusions that name a partner leave C alone.
    """
    if not case.kader.uitsluitingen:
        return 1.0
    rol = {a.id: a.rol for a in case.aanbieders}
    gemeente = case.gemeente_van().get(gebied)
    factor = 1.0
    for u in case.kader.uitsluitingen:
        voor_c = u.aanbieder is None or rol.get(u.aanbieder) == "overig"
        if u.gemeente == gemeente and u.product == product and voor_c:
            factor *= 1.0 - u.aandeel
    return factor


def overige_uitgaven(case: Case) -> tuple[OverigeUitgave, ...]:
    """``kader.overige_uitgaven`` with the uitsluitingen applied: each line scaled (euro).

    Scaling a line by f scales its gemiddelde, sd, min, modus, max and waarden by f (cv
    unchanged), so its mean and spread both shrink by f.
    """
    uit = []
    for o in case.kader.overige_uitgaven:
        f = overige_factor(case, o.gebied, o.product)
        if f == 1.0:
            uit.append(o)
            continue
        update = {
            k: getattr(o, k) * f
            for k in ("gemiddelde", "sd", "min", "modus", "max")
            if getattr(o, k) is not None
        }
        if o.waarden is not None:
            update["waarden"] = tuple(w * f for w in o.waarden)
        uit.append(o.model_copy(update=update))
    return tuple(uit)


def _historie_frame(case: Case) -> pd.DataFrame:
    """Historie joined with rol and gemeente, the omzet after uitsluitingen and indexed (euro)."""
    rol = {a.id: a.rol for a in case.aanbieders}
    gemeente = case.gemeente_van()
    factor = (1 + case.kader.indexatie) * (1 - case.kader.taakstelling)
    frame = pd.DataFrame(
        [h.model_dump() for h in case.historie],
        columns=["aanbieder", "gebied", "product", "omzet"],
    ).astype({"omzet": float})
    frame["rol"] = frame["aanbieder"].map(rol)
    frame["gemeente"] = frame["gebied"].map(gemeente)
    rest = [
        uitgesloten_factor(case, a, g, p)
        for a, g, p in zip(frame["aanbieder"], frame["gebied"], frame["product"], strict=True)
    ]
    frame["uitgesloten"] = frame["omzet"] * (1.0 - np.array(rest, dtype=float))
    frame["geindexeerd"] = (frame["omzet"] - frame["uitgesloten"]) * factor
    return frame


def opslag_bedrag(case: Case, o: Any) -> float:
    """The euro amount of one opslag: bedrag, indexed and cut by its switches."""
    k = case.kader
    return (
        o.bedrag
        * (1 + k.indexatie if o.indexeren else 1.0)
        * (1 - k.taakstelling if o.taakstelling_toepassen else 1.0)
    )


def _opslagen_frame(case: Case) -> pd.DataFrame:
    """Opslagen per row with their effective amount (euro) in column bedrag."""
    return pd.DataFrame(
        [
            {"aanbieder": o.aanbieder, "gebied": o.gebied, "product": o.product,
             "bedrag": opslag_bedrag(case, o)}
            for o in case.kader.opslagen
        ],
        columns=["aanbieder", "gebied", "product", "bedrag"],
    ).astype({"bedrag": float})  # fmt: skip


def _reeds_betaald(frame: pd.DataFrame, case: Case) -> pd.Series:
    """Reeds betaald per lumpsum line (euro): on the named lines, or pro rata the partner's."""
    uit = pd.Series(0.0, index=frame.index)
    bruto = frame["geindexeerd"] + frame["opslag"]
    for r in case.kader.reeds_betaald:
        kies = frame["aanbieder"] == r.aanbieder
        if r.gebied is not None:
            kies &= frame["gebied"] == r.gebied
        if r.product is not None:
            kies &= frame["product"] == r.product
        basis = bruto[kies]
        if basis.sum() > 0:
            uit[kies] += r.bedrag * basis / basis.sum()
    return uit


def lumpsum_regels(case: Case) -> pd.DataFrame:
    """The lumpsum of every partner per gebied and product.

    Returns
    -------
    DataFrame
        Index (aanbieder, gebied, product); columns omzet (last year, euro), uitgesloten
        (omzet taken out by uitsluitingen, euro), geindexeerd ((omzet − uitgesloten) ×
        (1 + indexatie) × (1 − taakstelling), euro), opslag (euro, after its switches),
        reeds_betaald (euro) and lumpsum = geindexeerd + opslag − reeds_betaald (euro).
    """
    keys = ["aanbieder", "gebied", "product"]
    historie = _historie_frame(case)
    historie = historie[historie["rol"] == "partner"][
        [*keys, "omzet", "uitgesloten", "geindexeerd"]
    ]
    opslagen = _opslagen_frame(case).groupby(keys, as_index=False)["bedrag"].sum()
    frame = historie.merge(opslagen, on=keys, how="outer").fillna(
        {"omzet": 0.0, "uitgesloten": 0.0, "geindexeerd": 0.0, "bedrag": 0.0}
    )
    frame = frame.rename(columns={"bedrag": "opslag"})
    frame["reeds_betaald"] = _reeds_betaald(frame, case)
    frame["lumpsum"] = frame["geindexeerd"] + frame["opslag"] - frame["reeds_betaald"]
    return frame.set_index(keys).sort_index()


@dataclass(frozen=True)
class Framework:
    """A, B and C of a case, with the breakdown per gemeente and product.

    Attributes
    ----------
    naam
        The case name.
    plafond
        Budgetplafond A (euro): given in the case (in total or per pot), or derived.
    plafond_gegeven
        True when A was given rather than derived.
    lumpsum
        B (euro): the sum of the partners' lumpsums (after reeds_betaald).
    overige_uitgaven
        The C budget (euro): A − B − reeds_betaald.
    lumpsum_per_aanbieder
        Series (euro) indexed by aanbieder, every partner (0 when it has no lumpsum).
    tarieven
        Series (euro per eenheid) indexed by product.
    per_gemeente_product
        DataFrame indexed (gemeente, product): derived plafond, lumpsum, reeds_betaald,
        overige_uitgaven (plafond − lumpsum − reeds_betaald), uitgesloten (euro of
        last year's omzet taken out by uitsluitingen).
    reeds_betaald
        Total already paid to partners in the year and deducted from their lumpsum (euro).
    potten
        The pots of the risk rule with their plafonds (:class:`Potten`).
    """

    naam: str
    plafond: float
    plafond_gegeven: bool
    lumpsum: float
    overige_uitgaven: float
    lumpsum_per_aanbieder: pd.Series
    tarieven: pd.Series
    per_gemeente_product: pd.DataFrame
    reeds_betaald: float = 0.0
    potten: Potten | None = None

    def to_dict(self) -> dict[str, Any]:
        """The validate JSON of DESIGN.md: euros to the cent, footing (:mod:`cases.geld`).

        C is A − B − R of the rounded figures; the lumpsums per partner add up to B. Plus
        reeds_betaald (R) and, with pots, the plafond per pot.
        """
        plafond, lumpsum = centen(self.plafond), centen(self.lumpsum)
        reeds = centen(self.reeds_betaald)
        per = verdeel_centen(self.lumpsum_per_aanbieder.to_numpy(dtype=float), lumpsum)
        uit = {
            "case": self.naam,
            "plafond": plafond,
            "lumpsum": lumpsum,
            "overige_uitgaven": centen(plafond - lumpsum - reeds),
            "lumpsum_per_aanbieder": {
                k: float(v) for k, v in zip(self.lumpsum_per_aanbieder.index, per, strict=True)
            },
            "tarieven": {k: centen(v) for k, v in self.tarieven.items()},
            "reeds_betaald": reeds,
        }
        if self.potten is not None:
            uit["potten"] = {
                k: float(v) for k, v in zip(self.potten.ids, self.potten.plafond, strict=True)
            }
        return uit

    def _repr_html_(self) -> str:
        """A small HTML table for Jupyter: A, B, C and the lumpsum per partner (escaped)."""
        from html import escape

        def euro(x: float) -> str:
            return "€ " + f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")

        rijen = [
            ("A budgetplafond", self.plafond),
            ("B lumpsum partners", self.lumpsum),
            ("C overige uitgaven (A − B − reeds betaald)", self.overige_uitgaven),
        ] + [(f"lumpsum {a}", v) for a, v in self.lumpsum_per_aanbieder.items()]
        body = "".join(
            f"<tr><td>{escape(str(k))}</td><td style='text-align:right'>{euro(v)}</td></tr>"
            for k, v in rijen
        )
        return (
            f"<table><caption>Kader {escape(self.naam)}</caption>"
            f"<thead><tr><th>grootheid</th><th>bedrag</th></tr></thead><tbody>{body}</tbody></table>"
        )


def kader(case: Case) -> Framework:
    """Compute A, B and C of a case and their breakdown per gemeente and product."""
    lumpsums = lumpsum_regels(case)
    per_partner = lumpsums["lumpsum"].groupby(level="aanbieder").sum()
    per_partner = per_partner.reindex(list(case.partners()), fill_value=0.0)
    per_partner.index.name = "aanbieder"

    gemeente = case.gemeente_van()
    historie = _historie_frame(case)
    opslag = _opslagen_frame(case)
    opslag["gemeente"] = opslag["gebied"].map(gemeente)
    keys = ["gemeente", "product"]
    plafond_gp = (
        historie.groupby(keys)["geindexeerd"]
        .sum()
        .add(opslag.groupby(keys)["bedrag"].sum(), fill_value=0.0)
    )
    lumps = lumpsums.reset_index()
    lumps["gemeente"] = lumps["gebied"].map(gemeente)
    gegeven_gp = {
        (r.gemeente, r.product): r.plafond
        for r in case.kader.plafonds
        if r.gemeente is not None and r.product is not None
    }
    if gegeven_gp:
        plafond_gp = pd.Series(gegeven_gp, dtype=float).rename_axis(keys)
    breakdown = pd.DataFrame(
        {
            "plafond": plafond_gp,
            "lumpsum": lumps.groupby(keys)["lumpsum"].sum(),
            "reeds_betaald": lumps.groupby(keys)["reeds_betaald"].sum(),
            "uitgesloten": historie.groupby(keys)["uitgesloten"].sum(),
        }
    ).fillna(0.0)
    breakdown["overige_uitgaven"] = (
        breakdown["plafond"] - breakdown["lumpsum"] - breakdown["reeds_betaald"]
    )
    breakdown = breakdown[
        ["plafond", "lumpsum", "reeds_betaald", "overige_uitgaven", "uitgesloten"]
    ]

    given = case.kader.plafond
    if case.kader.plafonds:
        plafond = float(sum(r.plafond for r in case.kader.plafonds))
    else:
        plafond = float(given) if given is not None else float(breakdown["plafond"].sum())
    lumpsum = float(per_partner.sum())
    reeds = float(lumpsums["reeds_betaald"].sum())
    tarieven = pd.Series(
        {p.id: tarief(case, p.id) for p in case.producten if _has_tarief(case, p.id)},
        name="tarief",
        dtype=float,
    )
    tarieven.index.name = "product"
    return Framework(
        naam=case.naam,
        plafond=plafond,
        plafond_gegeven=given is not None or bool(case.kader.plafonds),
        lumpsum=lumpsum,
        overige_uitgaven=plafond - lumpsum - reeds,
        lumpsum_per_aanbieder=per_partner,
        tarieven=tarieven,
        per_gemeente_product=breakdown,
        reeds_betaald=reeds,
        potten=potten(case, plafond, breakdown["plafond"]),
    )


def _has_tarief(case: Case, product: str) -> bool:
    return any(t.product == product for t in case.tarieven)


def verwacht_volume(case: Case) -> pd.Series:
    """Expected demand per gebied and product: E[clienten] × E[volume_per_client] (eenheden).

    Clients and volume per client are independent in the model, so the expectation of the
    compound sum is the product of the two means.
    """
    index = pd.MultiIndex.from_tuples(
        [(v.gebied, v.product) for v in case.vraag], names=["gebied", "product"]
    )
    values = [v.clienten.mean() * v.volume_per_client.mean() for v in case.vraag]
    return pd.Series(values, index=index, name="volume", dtype=float)
