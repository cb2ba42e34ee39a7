"""The financial framework of a case: reëel tarief, lumpsum (B), plafond (A), overige (C).

Pure functions of a :class:`~cases.schema.Case`; euros as floats, never rounded here.

The rules (seed 002, Maastricht-Heuvelland 2022)::

    lumpsum  = omzet_vorig_jaar × (1 + indexatie) × (1 − taakstelling) + opslagen   (partners)
    plafond  = the same over all historie (partners and overige) + opslagen,  unless given
    C budget = A − B
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from plafond.cases.geld import centen, verdeel_centen
from plafond.cases.schema import Case, Tarief

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


def _historie_frame(case: Case) -> pd.DataFrame:
    """Historie joined with rol and gemeente, plus the indexed omzet (euro)."""
    rol = {a.id: a.rol for a in case.aanbieders}
    gemeente = case.gemeente_van()
    factor = (1 + case.kader.indexatie) * (1 - case.kader.taakstelling)
    frame = pd.DataFrame(
        [h.model_dump() for h in case.historie],
        columns=["aanbieder", "gebied", "product", "omzet"],
    ).astype({"omzet": float})
    frame["rol"] = frame["aanbieder"].map(rol)
    frame["gemeente"] = frame["gebied"].map(gemeente)
    frame["geindexeerd"] = frame["omzet"] * factor
    return frame


def lumpsum_regels(case: Case) -> pd.DataFrame:
    """The lumpsum of every partner per gebied and product.

    Returns
    -------
    DataFrame
        Index (aanbieder, gebied, product); columns omzet (last year, euro), geindexeerd
        (omzet × (1 + indexatie) × (1 − taakstelling), euro), opslag (euro), lumpsum (euro).
    """
    keys = ["aanbieder", "gebied", "product"]
    historie = _historie_frame(case)
    historie = historie[historie["rol"] == "partner"][[*keys, "omzet", "geindexeerd"]]
    opslagen = pd.DataFrame(
        [o.model_dump() for o in case.kader.opslagen], columns=[*keys, "bedrag"]
    ).astype({"bedrag": float})
    opslagen = opslagen.groupby(keys, as_index=False)["bedrag"].sum()
    frame = historie.merge(opslagen, on=keys, how="outer").fillna(
        {"omzet": 0.0, "geindexeerd": 0.0, "bedrag": 0.0}
    )
    frame = frame.rename(columns={"bedrag": "opslag"})
    frame["lumpsum"] = frame["geindexeerd"] + frame["opslag"]
    return frame.set_index(keys).sort_index()


@dataclass(frozen=True)
class Framework:
    """A, B and C of a case, with the breakdown per gemeente and product.

    Attributes
    ----------
    naam
        The case name.
    plafond
        Budgetplafond A (euro): given in the case, or derived.
    plafond_gegeven
        True when A was given rather than derived.
    lumpsum
        B (euro): the sum of the partners' lumpsums.
    overige_uitgaven
        The C budget (euro): A − B.
    lumpsum_per_aanbieder
        Series (euro) indexed by aanbieder, every partner (0 when it has no lumpsum).
    tarieven
        Series (euro per eenheid) indexed by product.
    per_gemeente_product
        DataFrame indexed (gemeente, product): derived plafond, lumpsum, overige_uitgaven.
    """

    naam: str
    plafond: float
    plafond_gegeven: bool
    lumpsum: float
    overige_uitgaven: float
    lumpsum_per_aanbieder: pd.Series
    tarieven: pd.Series
    per_gemeente_product: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """The validate JSON of DESIGN.md: euros to the cent, footing (:mod:`cases.geld`).

        C is A − B of the rounded figures; the lumpsums per partner add up to B.
        """
        plafond, lumpsum = centen(self.plafond), centen(self.lumpsum)
        per = verdeel_centen(self.lumpsum_per_aanbieder.to_numpy(dtype=float), lumpsum)
        return {
            "case": self.naam,
            "plafond": plafond,
            "lumpsum": lumpsum,
            "overige_uitgaven": centen(plafond - lumpsum),
            "lumpsum_per_aanbieder": {
                k: float(v) for k, v in zip(self.lumpsum_per_aanbieder.index, per, strict=True)
            },
            "tarieven": {k: centen(v) for k, v in self.tarieven.items()},
        }

    def _repr_html_(self) -> str:
        """A small HTML table for Jupyter: A, B, C and the lumpsum per partner (escaped)."""
        from html import escape

        def euro(x: float) -> str:
            return "€ " + f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")

        rijen = [
            ("A budgetplafond", self.plafond),
            ("B lumpsum partners", self.lumpsum),
            ("C overige uitgaven (A − B)", self.overige_uitgaven),
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
    opslag = pd.DataFrame(
        [o.model_dump() for o in case.kader.opslagen], columns=["gebied", "product", "bedrag"]
    ).astype({"bedrag": float})
    opslag["gemeente"] = opslag["gebied"].map(gemeente)
    keys = ["gemeente", "product"]
    plafond_gp = (
        historie.groupby(keys)["geindexeerd"]
        .sum()
        .add(opslag.groupby(keys)["bedrag"].sum(), fill_value=0.0)
    )
    lumps = lumpsums.reset_index()
    lumps["gemeente"] = lumps["gebied"].map(gemeente)
    lumpsum_gp = lumps.groupby(keys)["lumpsum"].sum()
    breakdown = pd.DataFrame({"plafond": plafond_gp, "lumpsum": lumpsum_gp}).fillna(0.0)
    breakdown["overige_uitgaven"] = breakdown["plafond"] - breakdown["lumpsum"]

    given = case.kader.plafond
    plafond = float(given) if given is not None else float(breakdown["plafond"].sum())
    lumpsum = float(per_partner.sum())
    tarieven = pd.Series(
        {p.id: tarief(case, p.id) for p in case.producten if _has_tarief(case, p.id)},
        name="tarief",
        dtype=float,
    )
    tarieven.index.name = "product"
    return Framework(
        naam=case.naam,
        plafond=plafond,
        plafond_gegeven=given is not None,
        lumpsum=lumpsum,
        overige_uitgaven=plafond - lumpsum,
        lumpsum_per_aanbieder=per_partner,
        tarieven=tarieven,
        per_gemeente_product=breakdown,
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
