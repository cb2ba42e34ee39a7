"""The immutable result of an allocation, extracted from a raw solution."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from plafond.cases.geld import rond_geld

from .highs import Matrix, Oplossing, Status
from .model import Doel, ModelIndex
from .probleem import AllocationProblem

#: Keys of the optimize JSON that hold euros (rounded to the cent by ``to_dict``); the
#: schaduwprijzen (per unit of a bound) and the tijden (seconds) are left as they are.
GELD = frozenset(
    {"doelwaarde", "totaal", "plafond", "overige_uitgaven", "bedrag", "tarief", "per_aanbieder",
     "per_gebied"}
)  # fmt: skip

__all__ = ["Allocatie", "Tijden", "extraheer", "BINDEND_FAMILIES"]

#: families listed in ``bindend``; reeel_tarief and the binary couplings are binding
#: almost everywhere in a kosten optimum and would drown the list
BINDEND_FAMILIES = (
    "plafond",
    "capaciteit",
    "dekking",
    "minimum_bedrag",
    "transitie_min",
    "transitie_max",
    "max_gebieden",
    "min_aanbieders",
    "max_aanbieders",
)
_TOLERANTIE = 1e-6


@dataclass(frozen=True)
class Tijden:
    """Wall-clock seconds of each step."""

    bouw: float
    compileer: float
    oplos: float
    extractie: float

    @property
    def totaal(self) -> float:
        """Sum of the steps, seconds."""
        return self.bouw + self.compileer + self.oplos + self.extractie


@dataclass(frozen=True, eq=False)
class Allocatie:
    """An optimal allocation.

    Attributes
    ----------
    case : str
    doel : Doel
    status : Status
    doelwaarde : float
        Objective value, euro.
    plafond, overige_uitgaven : float
        Plafond A and expected overige uitgaven C, euro.
    allocatie : DataFrame
        Index (gebied, aanbieder, product); columns bedrag (euro), volume
        (eenheden), tarief (reëel tarief, euro per eenheid), effectief_tarief (bedrag /
        volume, euro per eenheid) and opslag (bedrag - tarief x volume: paid above the
        reëel cost, euro). Rows with volume and bedrag both zero are left out.
    per_aanbieder, per_gebied : Series
        Total bedrag, euro.
    tekort : Series
        Uncovered demand per (gebied, product), eenheden (doel dekking; else zeros).
    schaduwprijzen : Series
        Index (familie, sleutel): change of the doelwaarde per unit increase of the
        constraint's bound (euro per euro, or euro per eenheid). Sleutel: "GEBIED/PRODUCT"
        for dekking, "AANBIEDER/PRODUCT" for capaciteit, "AANBIEDER" for transitie_*.
    bindend : tuple of str
        Constraints at their bound, e.g. ``"plafond"``, ``"capaciteit[a1/BGI]"``.
    duals_bron : str
        "lp", "milp_vast" (duals of the LP with the binaries fixed) or "geen".
    tijden : Tijden
    reeds_betaald : float
        Already paid to partners (euro), spent within the plafond.
    verdeling : DataFrame or None
        Doel verdeling only: per gebied eerlijk_deel, uitgaven, afwijking (euro).
    """

    case: str
    doel: Doel
    status: Status
    doelwaarde: float
    plafond: float
    overige_uitgaven: float
    allocatie: pd.DataFrame
    per_aanbieder: pd.Series
    per_gebied: pd.Series
    tekort: pd.Series
    schaduwprijzen: pd.Series
    bindend: tuple[str, ...]
    duals_bron: str
    tijden: Tijden
    verdeling: pd.DataFrame | None = None
    reeds_betaald: float = 0.0

    @property
    def opslag(self) -> float:
        """Total paid above the reëel cost of the volume, euro."""
        return float(self.allocatie["opslag"].sum())

    @property
    def totaal(self) -> float:
        """Sum of all allocated bedragen, euro (overige uitgaven not included)."""
        return float(self.allocatie["bedrag"].sum())

    def _repr_html_(self) -> str:
        """A small HTML table for Jupyter: the allocation and its total (escaped)."""
        from html import escape

        def euro(x: float) -> str:
            return "€ " + f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")

        body = "".join(
            "<tr>"
            + "".join(f"<td>{escape(str(x))}</td>" for x in (g, a, p))
            + f"<td style='text-align:right'>{r.volume:,.0f}</td>".replace(",", ".")
            + f"<td style='text-align:right'>{euro(r.tarief)}</td>"
            + f"<td style='text-align:right'>{euro(r.bedrag)}</td></tr>"
            for (g, a, p), r in self.allocatie.iterrows()
        )
        return (
            f"<table><caption>Verdeling {escape(self.case)}, doel {escape(self.doel.value)}: "
            f"{escape(self.status.value)}; totaal {euro(self.totaal)}, plafond "
            f"{euro(self.plafond)}</caption><thead><tr><th>gebied</th><th>aanbieder</th>"
            f"<th>product</th><th>volume</th><th>tarief</th><th>bedrag</th></tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``plafond optimize --json`` document of DESIGN.md (plus a few keys)."""
        sp: dict[str, Any] = {"plafond": None, "capaciteit": {}, "dekking": {}}
        for (familie, sleutel), waarde in self.schaduwprijzen.items():
            if familie == "plafond":
                sp["plafond"] = float(waarde) + 0.0  # no -0.0
            else:
                sp.setdefault(familie, {})[sleutel] = float(waarde) + 0.0
        rijen = self.allocatie.reset_index()
        uit = {
            "case": self.case,
            "status": self.status.value,
            "doel": self.doel.value,
            "doelwaarde": float(self.doelwaarde),
            "totaal": self.totaal,
            "plafond": float(self.plafond),
            "overige_uitgaven": float(self.overige_uitgaven),
            "reeds_betaald": float(self.reeds_betaald),
            "allocatie": [
                {
                    "gebied": str(r.gebied),
                    "aanbieder": str(r.aanbieder),
                    "product": str(r.product),
                    "bedrag": float(r.bedrag),
                    "volume": float(r.volume),
                    "tarief": float(r.tarief),
                    "effectief_tarief": float(r.effectief_tarief),
                    "opslag": float(r.opslag),
                }
                for r in rijen.itertuples(index=False)
            ],
            "opslag": self.opslag,
            "per_aanbieder": {str(k): float(v) for k, v in self.per_aanbieder.items()},
            "per_gebied": {str(k): float(v) for k, v in self.per_gebied.items()},
            "tekort": {f"{g}/{p}": float(v) for (g, p), v in self.tekort.items() if v > 0},
            "schaduwprijzen": sp,
            "duals_bron": self.duals_bron,
            "bindend": list(self.bindend),
            **(
                {}
                if self.verdeling is None
                else {
                    "verdeling": {
                        str(g): {k: float(v) for k, v in r.items()}
                        for g, r in self.verdeling.iterrows()
                    }
                }
            ),
            "tijden": {
                "bouw": self.tijden.bouw,
                "compileer": self.tijden.compileer,
                "oplos": self.tijden.oplos,
                "extractie": self.tijden.extractie,
                "totaal": self.tijden.totaal,
            },
        }
        return rond_geld(uit, GELD, overslaan=("tijden", "schaduwprijzen"))


def met_opslag(tabel: pd.DataFrame) -> pd.DataFrame:
    """Add effectief_tarief (bedrag / volume, euro per eenheid) and opslag (euro).

    ``opslag = bedrag - tarief * volume``: what is paid above the reëel cost of the volume
    (0 up to solver noise, below a cent, unless ``max_opslag`` allows more). A row without
    volume cannot be paid (max_opslag family); its effectief_tarief is the reëel tarief.
    """
    b, v, t = (tabel[k].to_numpy(dtype=float) for k in ("bedrag", "volume", "tarief"))
    opslag = b - t * v
    heeft = v > _TOLERANTIE
    kolommen = {
        "bedrag": b,
        "volume": v,
        "tarief": t,
        "effectief_tarief": np.where(heeft, b / np.where(heeft, v, 1.0), t),
        "opslag": np.where(np.abs(opslag) >= 0.005, opslag, 0.0),
    }
    return pd.DataFrame(kolommen, index=tabel.index)


def eerlijk_deel(pr: AllocationProblem, per_gebied: pd.Series) -> pd.DataFrame:
    """Doel verdeling per gebied: fair share, spending and the gap (euro).

    Columns eerlijk_deel ``F_g = A w_g / sum w``, uitgaven ``S_g`` (partners' bedrag plus
    expected overige uitgaven) and afwijking ``S_g - F_g``; index gebied.
    """
    eerlijk = pr.plafond * pr.gewicht / pr.gewicht.sum()
    uitgaven = per_gebied.reindex(list(pr.gebieden), fill_value=0.0).to_numpy()
    uitgaven = uitgaven + pr.overige_uitgaven.sum(axis=1)
    return pd.DataFrame(
        {"eerlijk_deel": eerlijk, "uitgaven": uitgaven, "afwijking": uitgaven - eerlijk},
        index=pd.Index(pr.gebieden, name="gebied"),
    )


def sleutels(pr: AllocationProblem, familie: str, index: np.ndarray) -> list[str]:
    """Domain keys of rows ``index`` of a family, e.g. "maastricht/BGI"."""
    g, a, p = (np.asarray(x, dtype=object) for x in (pr.gebieden, pr.aanbieders, pr.producten))
    n_p = len(p)
    if familie in ("dekking",):
        return [f"{x}/{y}" for x, y in zip(g[index // n_p], p[index % n_p], strict=True)]
    if familie == "capaciteit":
        return [f"{x}/{y}" for x, y in zip(a[index // n_p], p[index % n_p], strict=True)]
    if familie in ("reeel_tarief", "koppeling"):
        k = index
        return [
            f"{x}/{y}/{z}"
            for x, y, z in zip(
                g[pr.combo_gebied[k]], a[pr.combo_aanbieder[k]], p[pr.combo_product[k]], strict=True
            )
        ]
    if familie in ("transitie_min", "transitie_max", "max_gebieden"):
        return [str(x) for x in a[index]]
    if familie in ("min_aanbieders", "max_aanbieders", "verdeling"):
        return [str(x) for x in g[index]]
    if familie == "minimum_bedrag":
        return [str(pr.aanbieders[pr.minimum_bedrag[i].aanbieder]) for i in index.tolist()]
    if familie == "plafond":
        return [""] * len(index)
    return [str(i) for i in index.tolist()]


def extraheer(
    pr: AllocationProblem,
    doel: Doel,
    index: ModelIndex,
    kolommen: dict[str, np.ndarray],
    matrix: Matrix,
    opl: Oplossing,
    tijden: tuple[float, float, float],
) -> Allocatie:
    """Turn a raw solution into an :class:`Allocatie`.

    ``kolommen`` holds the column positions of the variables volume, bedrag (and
    tekort) in model order; -1 where the compiler dropped an unused column (value 0).
    """
    begin = time.perf_counter()
    x = np.append(opl.x, 0.0)  # position -1 reads 0
    volume, bedrag = x[kolommen["volume"]], x[kolommen["bedrag"]]
    tekort = x[kolommen["tekort"]] if "tekort" in kolommen else None
    names = ["gebied", "aanbieder", "product"]
    rij = (bedrag > _TOLERANTIE) | (volume > _TOLERANTIE)
    # the combinations are codes into the problem's (unique) names already: no factorising
    mi = pd.MultiIndex(
        levels=[list(pr.gebieden), list(pr.aanbieders), list(pr.producten)],
        codes=[pr.combo_gebied[rij], pr.combo_aanbieder[rij], pr.combo_product[rij]],
        names=names,
        verify_integrity=False,
    )
    tarief = np.asarray(pr.tarief, dtype=float)[rij]
    tabel = met_opslag(
        pd.DataFrame({"bedrag": bedrag[rij], "volume": volume[rij], "tarief": tarief}, index=mi)
    )
    per_aanbieder = tabel.groupby(level="aanbieder", sort=False)["bedrag"].sum()
    per_gebied = tabel.groupby(level="gebied", sort=False)["bedrag"].sum()
    tekort_gp = np.zeros(len(pr.gebieden) * len(pr.producten))
    if tekort is not None:
        tekort_gp[index.rijen["dekking"]] = tekort
    n_g, n_p = len(pr.gebieden), len(pr.producten)
    gp = pd.MultiIndex(
        levels=[list(pr.gebieden), list(pr.producten)],
        codes=[np.repeat(np.arange(n_g), n_p), np.tile(np.arange(n_p), n_g)],
        names=["gebied", "product"],
        verify_integrity=False,
    )
    tekort_s = pd.Series(tekort_gp, index=gp, name="tekort")
    schaduw, bindend = _duals_en_bindend(pr, index, matrix, opl)
    return Allocatie(
        case=pr.naam,
        doel=doel,
        status=opl.status,
        doelwaarde=opl.doelwaarde,
        plafond=pr.plafond,
        overige_uitgaven=float(pr.overige_uitgaven.sum()),
        allocatie=tabel,
        per_aanbieder=per_aanbieder,
        per_gebied=per_gebied,
        tekort=tekort_s,
        schaduwprijzen=schaduw,
        bindend=bindend,
        duals_bron=opl.duals_bron,
        tijden=Tijden(*tijden, extractie=time.perf_counter() - begin),
        verdeling=eerlijk_deel(pr, per_gebied) if doel is Doel.VERDELING else None,
        reeds_betaald=pr.reeds_betaald,
    )


def _duals_en_bindend(
    pr: AllocationProblem, index: ModelIndex, matrix: Matrix, opl: Oplossing
) -> tuple[pd.Series, tuple[str, ...]]:
    onder, boven = matrix.rij_onder, matrix.rij_boven
    schaal = _TOLERANTIE * np.maximum(1.0, np.abs(np.where(np.isfinite(boven), boven, onder)))
    aan_grens = (np.abs(opl.activiteit - onder) <= schaal) | (
        np.abs(opl.activiteit - boven) <= schaal
    )
    fam, sleutel, dual, bindend = [], [], [], []
    for familie in BINDEND_FAMILIES:
        rij = matrix.rijen(familie)
        if rij.size == 0:
            continue
        domein = index.rijen[familie][matrix.rij_index[rij]]
        namen = sleutels(pr, familie, domein)
        if opl.rij_dual is not None:
            fam += [familie] * rij.size
            sleutel += namen
            dual.append(opl.rij_dual[rij])
        for naam, b in zip(namen, aan_grens[rij].tolist(), strict=True):
            if b:
                bindend.append(familie if familie == "plafond" else f"{familie}[{naam}]")
    # one index for all families (one MultiIndex per family and a concat cost more than
    # the rest of the extraction)
    schaduw = pd.Series(
        np.concatenate(dual) if dual else np.zeros(0),
        index=pd.MultiIndex.from_arrays([fam, sleutel], names=["familie", "sleutel"]),
        name="schaduwprijs",
    )
    return schaduw, tuple(bindend)
