"""The Case: one financing problem of a gemeente or region, as immutable typed tables.

Every table is a tuple of frozen rows; the schema of each column (type, unit, default,
meaning) is documented in ``cases/README.md``. Type and range checks live here (pydantic);
checks across tables (unknown ids, duplicates) live in :mod:`cases.checks`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from plafond.cases.levering import Levering, Variant
from plafond.cases.typen import (
    Aantal,
    Bedrag,
    Fractie,
    Id,
    _fractie,
    _niet_negatief,
    _positieve_fractie,
    _Rij,
)
from plafond.cases.verdeling import Schok, Verdeling
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


class FrozenDict(dict):
    """A dict that refuses changes, so a Case's mappings are as immutable as its rows."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("een Case is onveranderlijk; maak een nieuwe met model_copy(update=...)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def __reduce__(self) -> tuple:
        return (FrozenDict, (dict(self),))

    def __deepcopy__(self, memo: dict) -> FrozenDict:
        return self


def _bevroren(value: dict) -> FrozenDict:
    return FrozenDict({k: _bevroren(v) if isinstance(v, dict) else v for k, v in value.items()})


class Product(_Rij):
    """A service (dienst), e.g. BGI; ``eenheid`` is its unit of volume (uur, dagdeel)."""

    id: Id
    naam: str
    eenheid: str = "uur"


class Gebied(_Rij):
    """A district (gebied, wijk) of a gemeente, with population characteristics."""

    id: Id
    gemeente: str
    inwoners: Annotated[int, Field(ge=0)]
    aandeel_75plus: Fractie | None = None
    aandeel_85plus: Fractie | None = None
    aandeel_laag_inkomen: Fractie | None = None


class Aanbieder(_Rij):
    """A provider: a strategic ``partner`` (gets a lumpsum) or ``overig`` (paid from C)."""

    id: Id
    naam: str
    rol: Literal["partner", "overig"]
    capaciteit: Annotated[dict[str, Aantal], AfterValidator(_bevroren)] = Field(
        default_factory=FrozenDict
    )
    max_gebieden: Annotated[int, Field(ge=1)] | None = None
    cooperatie: Id | None = None


class Cooperatie(_Rij):
    """A cooperative: one contract partner for its leden (the partners that name it).

    ``sleutel``: how it passes its terugvordering on to its leden: ``lumpsum`` (each lid's
    own lumpsum as a share of the cooperative's) or a fraction per lid (summing to 1 over
    exactly its leden; checked in :mod:`cases.checks`).
    """

    id: Id
    naam: str
    sleutel: (
        Literal["lumpsum"]
        | Annotated[dict[str, Fractie], AfterValidator(_bevroren)]
    ) = "lumpsum"  # fmt: skip


class Tarief(_Rij):
    """A reëel tarief per product (optionally per aanbieder): given, or built from costs.

    Either ``tarief`` (euro per eenheid) or the cost build-up: ``cao_uurloon`` (euro per
    paid hour, gross, CAO scale and step) with the fractions ``toeslagen`` (holiday pay,
    year-end bonus, allowances), ``werkgeverslasten``, ``productiviteit`` (share of paid
    hours that is client time), ``overhead``, ``risico_opslag``, plus ``reiskosten`` (euro
    per client hour, travel and training) and ``uren_per_eenheid`` (staff hours per unit).
    """

    product: Id
    aanbieder: Id | None = None
    tarief: Bedrag | None = None
    cao_uurloon: Bedrag | None = None
    toeslagen: Fractie = 0.0
    werkgeverslasten: Fractie = 0.0
    productiviteit: Annotated[float, AfterValidator(_positieve_fractie)] = 1.0
    overhead: Fractie = 0.0
    risico_opslag: Fractie = 0.0
    reiskosten: Bedrag = 0.0
    uren_per_eenheid: Annotated[float, Field(gt=0)] = 1.0
    toelichting: str = ""

    @model_validator(mode="after")
    def _given_or_built(self) -> Tarief:
        if (self.tarief is None) == (self.cao_uurloon is None):
            raise ValueError(
                "geef óf tarief (euro per eenheid) óf cao_uurloon met de kostencomponenten"
            )
        return self


class Historie(_Rij):
    """Last year's omzet (euro) of an aanbieder in a gebied for a product."""

    aanbieder: Id
    gebied: Id
    product: Id
    omzet: Bedrag


class Vraag(_Rij):
    """Demand in a gebied for a product: number of clients × volume per client."""

    gebied: Id
    product: Id
    clienten: Verdeling
    volume_per_client: Verdeling


class Werkgebied(_Rij):
    """An allowed (aanbieder, gebied, product) combination for the allocation."""

    aanbieder: Id
    gebied: Id
    product: Id


class Opslag(_Rij):
    """A surcharge (euro) on a partner's lumpsum, e.g. Maastricht's krachtenbundeling.

    ``bedrag`` as given (e.g. last year's cost); ``indexeren``: times (1 + indexatie);
    ``taakstelling_toepassen``: times (1 - taakstelling), as plafond and lumpsum.
    """

    aanbieder: Id
    gebied: Id
    product: Id
    bedrag: Bedrag
    indexeren: bool = False
    taakstelling_toepassen: bool = False
    omschrijving: str = ""


class Uitsluiting(_Rij):
    """A share of historie and C taken out of plafond A (seed 002: BGG 70+ clients).

    ``aandeel`` of the omzet of the ``overig`` aanbieders (or of the named ``aanbieder``)
    in ``gemeente`` for ``product`` is removed from historie, and the same share of the
    overige uitgaven forecast there (unless a partner is named).
    """

    gemeente: str
    product: Id
    aandeel: Fractie
    aanbieder: Id | None = None
    omschrijving: str = ""


class ReedsBetaald(_Rij):
    """An amount (euro) already paid to a partner in the year, deducted from its lumpsum.

    Without ``gebied``/``product`` it is spread over the partner's lumpsum lines pro rata.
    """

    aanbieder: Id
    bedrag: Bedrag
    gebied: Id | None = None
    product: Id | None = None
    omschrijving: str = ""


class PotPlafond(_Rij):
    """A given plafond (euro) for one pot of the risk rule: a gemeente, product or both."""

    gemeente: str | None = None
    product: Id | None = None
    plafond: Bedrag


class OverigeUitgave(Verdeling):
    """Forecast of real spending (euro) on overige aanbieders and PGB in a gebied."""

    gebied: Id
    product: Id


class Correlatie(_Rij):
    """Correlation of the uncertain lines (Gaussian copula), by gemeente, or a full matrix.

    ``matrix`` maps gebied → gebied → correlation between lines of different gebieden;
    lines in one gebied use ``binnen_gemeente``.
    """

    binnen_gemeente: Annotated[float, Field(ge=-1, le=1)] = 0.0
    tussen_gemeenten: Annotated[float, Field(ge=-1, le=1)] = 0.0
    matrix: (
        Annotated[
            dict[str, dict[str, Annotated[float, Field(ge=-1, le=1)]]],
            AfterValidator(_bevroren),
        ]
        | None
    ) = None


class Risicodeling(_Rij):
    """The risk rule: how an overschrijding of plafond A is clawed back from the partners."""

    aandeel_partners: Fractie = 0.5
    verdeelsleutel: Literal["lumpsum", "sleutel", "gemeente", "product", "gemeente_product"] = (
        "lumpsum"
    )
    sleutel: (
        Annotated[
            dict[str, Annotated[float, AfterValidator(_niet_negatief)]],
            AfterValidator(_bevroren),
        ]
        | None
    ) = None
    drempel: Fractie = 0.0
    drempel_soort: Literal["franchise", "eigen_risico"] = "franchise"
    maximum: Fractie | None = None
    onderschrijding: Fractie = 0.0

    @model_validator(mode="after")
    def _sleutel_when_needed(self) -> Risicodeling:
        if (self.verdeelsleutel == "sleutel") != (self.sleutel is not None):
            raise ValueError(
                "sleutel (gewicht per aanbieder) hoort bij verdeelsleutel: sleutel, en alleen daar"
            )
        return self


#: A yearly path: one value for every year, or a list with one value per year.
Pad = (
    Annotated[float, AfterValidator(_fractie)]
    | tuple[Annotated[float, AfterValidator(_fractie)], ...]
)


class Jaren(_Rij):
    """The time axis of a multi-year contract (``kader.jaren``; montecarlo.jaren).

    ``groei``: the yearly growth of demand (a :class:`~cases.verdeling.Schok`, drawn anew
    every year from year 2 and multiplied up, so a shock persists). ``indexatie`` and
    ``taakstelling``: the provisional index and the extra taakstelling of years 2..T (one
    value: every year; a list: ``looptijd - 1`` values). ``nacalculatie``: the final minus
    the provisional index of years 1..T (a list of ``looptijd`` values or one value), paid
    in the year after. ``lumpsum``: ``index`` (year 1 indexed) or ``omzet`` (re-based on
    the partner's realised omzet of the year before). ``overloop``: an underspend of year
    t raises the plafond of year t + 1. ``terugval``: the cumulative loss, as a fraction
    of the cumulative lumpsum, at which a partner falls back to PxQ (None: never).
    """

    groei: Schok | None = None
    indexatie: Pad | None = None
    nacalculatie: Pad = 0.0
    taakstelling: Pad = 0.0
    lumpsum: Literal["index", "omzet"] = "index"
    overloop: bool = False
    terugval: Fractie | None = None


class Kader(_Rij):
    """The financial framework: indexatie, taakstelling, opslagen, plafond, C, risk rule.

    ``prijsschok`` (optional): the realised CAO wage growth minus the indexatie granted, a
    fraction that may be negative (a :class:`~cases.verdeling.Schok`, above -1). It raises
    the partners' real cost per unit, not spending (see montecarlo.model).
    """

    indexatie: Annotated[float, AfterValidator(_fractie)] = 0.0
    prijsschok: Schok | None = None
    taakstelling: Fractie = 0.0
    looptijd: Annotated[int, Field(ge=1, le=10)] = 1
    opslagen: tuple[Opslag, ...] = ()
    uitsluitingen: tuple[Uitsluiting, ...] = ()
    reeds_betaald: tuple[ReedsBetaald, ...] = ()
    plafond: Bedrag | None = None
    plafonds: tuple[PotPlafond, ...] = ()
    overige_uitgaven: tuple[OverigeUitgave, ...] = ()
    correlatie: Correlatie = Correlatie()
    risicodeling: Risicodeling = Risicodeling()
    jaren: Jaren = Jaren()
    seizoen: (
        Annotated[dict[str, tuple[Annotated[float, AfterValidator(_niet_negatief)], ...]],
                  AfterValidator(_bevroren)]
        | None
    ) = None  # fmt: skip

    @model_validator(mode="after")
    def _seizoen_per_maand(self) -> Kader:
        for product, gewichten in (self.seizoen or {}).items():
            if len(gewichten) != 12 or sum(gewichten) <= 0:
                raise ValueError(
                    f"seizoen.{product}: geef 12 gewichten (januari t/m december) van 0 of meer "
                    f"met een positieve som, niet {len(gewichten)}"
                )
        return self

    @model_validator(mode="after")
    def _paden_passen(self) -> Kader:
        lengtes = {"indexatie": self.looptijd - 1, "taakstelling": self.looptijd - 1,
                   "nacalculatie": self.looptijd}  # fmt: skip
        for naam, lengte in lengtes.items():
            pad = getattr(self.jaren, naam)
            if isinstance(pad, tuple) and len(pad) != lengte:
                raise ValueError(
                    f"jaren.{naam} heeft {len(pad)} waarden; bij looptijd {self.looptijd} "
                    f"zijn dat er {lengte} (of geef één waarde voor elk jaar)"
                )
        return self


class MinimumBedrag(_Rij):
    """A minimum amount (euro) for a named aanbieder (Groningen's social basis)."""

    aanbieder: Id
    bedrag: Bedrag
    gebied: Id | None = None
    product: Id | None = None


class Marktordening(_Rij):
    """Market-structure rules the allocation must respect."""

    max_gebieden_per_aanbieder: Annotated[int, Field(ge=1)] | None = None
    min_aanbieders_per_gebied: Annotated[int, Field(ge=0)] | None = None
    max_aanbieders_per_gebied: Annotated[int, Field(ge=1)] | None = None
    minimum_bedrag: tuple[MinimumBedrag, ...] = ()
    transitie_band: Fractie | None = None
    overige_dekken: bool = True
    max_opslag: Fractie = 0.0


class Case(BaseModel):
    """One financing problem: the tables of DESIGN.md, validated and immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    naam: Id
    jaar: Annotated[int, Field(ge=2000, le=2100)]
    bron: str = ""
    toelichting: str = ""
    producten: tuple[Product, ...] = Field(min_length=1)
    gebieden: tuple[Gebied, ...] = Field(min_length=1)
    aanbieders: tuple[Aanbieder, ...] = Field(min_length=1)
    cooperaties: tuple[Cooperatie, ...] = ()
    tarieven: tuple[Tarief, ...] = Field(min_length=1)
    historie: tuple[Historie, ...] = ()
    vraag: tuple[Vraag, ...] = ()
    werkgebied: tuple[Werkgebied, ...] = ()
    kader: Kader = Kader()
    marktordening: Marktordening = Marktordening()
    levering: Levering = Levering()
    varianten: Annotated[dict[str, Variant], AfterValidator(_bevroren)] = Field(
        default_factory=FrozenDict
    )

    def partners(self) -> tuple[str, ...]:
        """Ids of the aanbieders with rol ``partner``, in case order."""
        return tuple(a.id for a in self.aanbieders if a.rol == "partner")

    def gemeente_van(self) -> dict[str, str]:
        """Map gebied id → gemeente."""
        return {g.id: g.gemeente for g in self.gebieden}


#: Tables that may be written as a mapping ``id: {fields}`` in YAML.
ID_TABLES = ("producten", "gebieden", "aanbieders", "cooperaties")
#: Required top-level keys of a case file.
REQUIRED = ("naam", "jaar", "producten", "gebieden", "aanbieders", "tarieven")
