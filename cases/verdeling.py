"""Distribution specs (``verdeling``) as users write them: validated here, sampled in montecarlo.

A spec names its family and is parameterised the way an inkoopadviseur thinks about it:
a ``gemiddelde`` with a ``cv`` or ``sd``; ``min``/``modus``/``max`` for a three-point
estimate; a list of observed ``waarden`` for an empirical distribution.
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

VerdelingNaam = Literal[
    "vast",
    "normaal",
    "lognormaal",
    "gamma",
    "poisson",
    "negbin",
    "triangulair",
    "pert",
    "uniform",
    "empirisch",
]

#: The parameters each family takes; ``spreiding`` means ``cv`` or ``sd`` (exactly one).
PARAMETERS: dict[str, str] = {
    "vast": "gemiddelde",
    "normaal": "gemiddelde met cv of sd",
    "lognormaal": "gemiddelde met cv of sd",
    "gamma": "gemiddelde met cv of sd",
    "poisson": "gemiddelde",
    "negbin": "gemiddelde met cv of sd (sd² > gemiddelde)",
    "triangulair": "min, modus, max",
    "pert": "min, modus, max",
    "uniform": "min, max",
    "empirisch": "waarden (een lijst van minstens twee waarnemingen)",
}

_MET_SPREIDING = {"normaal", "lognormaal", "gamma", "negbin"}
_DRIEPUNTS = {"triangulair", "pert"}
#: Parameters that locate the distribution (may be negative where :attr:`Verdeling.NEGATIEF`).
_LIGGING = ("gemiddelde", "min", "modus", "max", "waarden")


class Verdeling(BaseModel):
    """A distribution of a non-negative quantity (clients, units per client, euros).

    Attributes
    ----------
    verdeling
        The family, one of :data:`VerdelingNaam`.
    gemiddelde, cv, sd
        Mean (in the unit of the quantity), coefficient of variation (fraction) or
        standard deviation (unit of the quantity).
    min, modus, max
        Three-point estimate for ``triangulair`` and ``pert``; ``min``/``max`` for ``uniform``.
    waarden
        Observations for ``empirisch`` (resampled with equal weight).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Whether ``gemiddelde``, ``min``, ``modus``, ``max`` and ``waarden`` may be negative
    #: (only in :class:`Schok`; volumes and euros never).
    NEGATIEF: ClassVar[bool] = False

    verdeling: VerdelingNaam
    gemiddelde: float | None = None
    cv: float | None = None
    sd: float | None = None
    min: float | None = None
    modus: float | None = None
    max: float | None = None
    waarden: tuple[float, ...] | None = None

    @field_validator("gemiddelde", "cv", "sd", "min", "modus", "max")
    @classmethod
    def _finite_non_negative(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None:
            return value
        if not math.isfinite(value):
            raise ValueError("moet een eindig getal zijn (geen NaN of oneindig)")
        if value < 0 and not (cls.NEGATIEF and info.field_name in _LIGGING):
            raise ValueError("mag niet negatief zijn")
        return value

    @field_validator("waarden")
    @classmethod
    def _finite_waarden(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if value is None:
            return value
        if any(not math.isfinite(v) for v in value):
            raise ValueError("alle waarden moeten eindige getallen zijn")
        if not cls.NEGATIEF and any(v < 0 for v in value):
            raise ValueError("alle waarden moeten eindige, niet-negatieve getallen zijn")
        return value

    @model_validator(mode="after")
    def _parameters_fit_family(self) -> Verdeling:
        kind = self.verdeling
        given = {
            name
            for name in ("gemiddelde", "cv", "sd", "min", "modus", "max", "waarden")
            if getattr(self, name) is not None
        }
        if kind in ("vast", "poisson"):
            required, allowed = {"gemiddelde"}, {"gemiddelde"}
        elif kind in _MET_SPREIDING:
            required, allowed = {"gemiddelde"}, {"gemiddelde", "cv", "sd"}
            if ("cv" in given) == ("sd" in given):
                raise ValueError(f"{kind} vraagt precies één van cv of sd; {PARAMETERS[kind]}")
        elif kind in _DRIEPUNTS:
            required = allowed = {"min", "modus", "max"}
        elif kind == "uniform":
            required = allowed = {"min", "max"}
        else:  # empirisch
            required = allowed = {"waarden"}
        missing, extra = required - given, given - allowed
        if missing or extra:
            wrong = ", ".join(sorted(missing)) if missing else ", ".join(sorted(extra))
            what = "ontbreekt" if missing else "hoort niet bij deze verdeling"
            raise ValueError(f"{kind}: {wrong} {what}; toegestaan: {PARAMETERS[kind]}")
        if kind in _DRIEPUNTS and not (self.min <= self.modus <= self.max and self.min < self.max):
            raise ValueError(f"{kind}: vereist min <= modus <= max en min < max")
        if kind == "uniform" and not self.min < self.max:
            raise ValueError("uniform: vereist min < max")
        if kind == "empirisch" and len(self.waarden) < 2:
            raise ValueError("empirisch: geef minstens twee waarden")
        if kind in ("lognormaal", "gamma", "negbin") and self.gemiddelde <= 0:
            raise ValueError(f"{kind}: gemiddelde moet groter dan 0 zijn")
        if kind == "negbin" and self.std() <= math.sqrt(self.gemiddelde):  # sd² <= mean
            raise ValueError(
                "negbin: de variantie (sd²) moet groter zijn dan het gemiddelde; "
                "gebruik poisson als er geen overspreiding is"
            )
        return self

    def mean(self) -> float:
        """Expected value, in the unit of the quantity."""
        kind = self.verdeling
        if kind in _DRIEPUNTS:
            if kind == "triangulair":
                return (self.min + self.modus + self.max) / 3.0
            return (self.min + 4.0 * self.modus + self.max) / 6.0
        if kind == "uniform":
            return (self.min + self.max) / 2.0
        if kind == "empirisch":
            return math.fsum(self.waarden) / len(self.waarden)
        return float(self.gemiddelde)

    def std(self) -> float:
        """Standard deviation, in the unit of the quantity."""
        kind = self.verdeling
        if kind == "vast":
            return 0.0
        if kind == "poisson":
            return math.sqrt(self.gemiddelde)
        if kind in _MET_SPREIDING:
            return self.sd if self.sd is not None else self.cv * self.gemiddelde
        a, b = self.min, self.max
        if kind == "uniform":
            return (b - a) / math.sqrt(12.0)
        if kind == "triangulair":
            c = self.modus
            return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0)
        if kind == "pert":
            mu = self.mean()
            return math.sqrt((mu - a) * (b - mu) / 7.0)
        values = self.waarden
        mu = self.mean()
        return math.sqrt(math.fsum((v - mu) ** 2 for v in values) / len(values))


#: Families a :class:`Schok` may take: counts (poisson, negbin) make no sense for a fraction.
SCHOK_FAMILIES = tuple(n for n in PARAMETERS if n not in ("poisson", "negbin"))

#: A normal shock must have ``gemiddelde - SCHOK_SIGMAS * sd > -1``: P(shock <= -1) < 1e-15.
SCHOK_SIGMAS = 8.0


class Schok(Verdeling):
    """A distribution of a relative change (a fraction) that may be negative: a price shock.

    Unlike :class:`Verdeling`, ``gemiddelde``, ``min``, ``modus``, ``max`` and ``waarden``
    may be negative (``sd`` may not). The shock must stay above -1 (a change of -100 % or
    less would make a cost zero or negative) and at most 1 (a fraction, not a percentage):

    - every given location parameter lies in (-1, 1];
    - ``normaal``: ``gemiddelde - 8 * sd > -1``, so a shock of -1 or less has a chance
      below 1e-15; ``lognormaal`` and ``gamma`` are positive by nature (``gemiddelde > 0``);
    - ``sd`` instead of ``cv`` (a cv relative to a mean near 0 says nothing);
    - not ``poisson`` or ``negbin`` (counts, not fractions).
    """

    NEGATIEF: ClassVar[bool] = True

    @staticmethod
    def _in_bereik(value: float) -> None:
        if value <= -1:
            raise ValueError(
                f"een schok van {value:g} is -100 % of minder (kosten nul of negatief); "
                "de schok moet groter dan -1 zijn"
            )
        if value > 1:
            raise ValueError(
                f"een schok is een fractie, geen percentage; "
                f"schrijf {value / 100:g} voor {value:g} %"
            )

    @field_validator("gemiddelde", "min", "modus", "max")
    @classmethod
    def _schok_in_bereik(cls, value: float | None) -> float | None:
        if value is not None:
            cls._in_bereik(value)
        return value

    @field_validator("waarden")
    @classmethod
    def _schokken_in_bereik(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        for v in value or ():
            cls._in_bereik(v)
        return value

    @model_validator(mode="after")
    def _schok_familie(self) -> Schok:
        kind = self.verdeling
        if kind not in SCHOK_FAMILIES:
            raise ValueError(
                f"{kind} telt gehele aantallen, geen fractie; kies {', '.join(SCHOK_FAMILIES)}"
            )
        if self.cv is not None:
            raise ValueError(
                "geef de spreiding van een schok als sd (in fracties, 0.01 = 1 procentpunt), "
                "niet als cv"
            )
        if kind == "normaal" and self.gemiddelde - SCHOK_SIGMAS * self.sd <= -1:
            raise ValueError(
                f"normaal: gemiddelde - {SCHOK_SIGMAS:g} × sd moet groter dan -1 zijn, "
                "anders is een schok van -100 % of minder niet uit te sluiten"
            )
        return self
