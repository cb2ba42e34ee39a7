"""The ten distributions (``verdeling``) as inverse-CDF transforms.

Every family maps a standard normal score ``z`` (or a uniform ``u``) to a value through its
inverse CDF, so one code path serves plain Monte Carlo, scrambled Sobol and Latin hypercube
sampling, and the Gaussian copula keeps each marginal exactly as specified.

Parameters are those users think in (see ``cases.verdeling.Verdeling``): ``gemiddelde`` with
``cv`` (fraction) or ``sd`` (unit of the quantity); ``min``/``modus``/``max``; ``waarden``.

How each family is transformed (``z`` is a standard normal score, ``u = Phi(z)``):

- vast: the constant ``gemiddelde``.
- normaal: ``mu + sd * z``.
- lognormaal: ``exp(m + s * z)`` with ``s**2 = ln(1 + cv**2)`` and ``m = ln(mu) - s**2 / 2``.
- gamma: shape ``1 / cv**2``, scale ``mu * cv**2``. The inverse CDF is tabulated once per
  marginal on a grid of 16 385 normal scores in [-8.5, 8.5] with scipy's exact
  ``gammaincinv`` and interpolated linearly (relative error below 2e-5 in the tests,
  down to shape 0.4).
- pert: beta with ``alpha = 1 + 4 (modus - min) / (max - min)``, ``beta = 1 + 4 (max - modus) /
  (max - min)`` on [min, max]; tabulated like gamma (scipy's ``betaincinv`` is slow).
- poisson, negbin: the exact CDF on the support (from the 1e-15 to the 1 - 1e-15 quantile)
  is converted to normal-score thresholds; a value is the smallest ``k`` with
  ``Phi(z) <= F(k)``. Where no cell of the normal-score grid holds two thresholds (the
  usual case) a cell table gives the value at the cell's lower end and the one threshold
  inside it, so the lookup is one gather and one comparison; otherwise a guide table and
  a short search (the lookups: :mod:`montecarlo.rooster`). negbin from mean and variance:
  ``p = mu / var``, ``r = mu**2 / (var - mu)``.
- triangulair, uniform: closed-form inverse CDF of ``u``.
- empirisch: each observation with weight ``1 / m``: the ``floor(u * m)``-th sorted value.

Every transform starts with an affine step ``x = schaal * z + verschuiving`` (the family's
own scale: ``sd`` and ``mu`` for normaal, ``s`` and ``m`` for lognormaal, the grid position
for the tabulated and discrete families). :mod:`montecarlo.lijnen` folds that step into the
copula's matrix product and applies the rest to many lines at once; ``uit_normaal`` here is
the same code for one line.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from plafond.cases.verdeling import VerdelingNaam
from plafond.montecarlo import rooster
from plafond.montecarlo.rooster import Z_GRID, Z_NUL, Z_SCHAAL
from scipy import special

FAMILIES: tuple[str, ...] = typing.get_args(VerdelingNaam)
"""The ten families, as the case schema names them."""

_TAIL = 1e-15

FloatArray = NDArray[np.float64]


def _get(spec: Any, name: str) -> Any:
    if isinstance(spec, Mapping):
        return spec.get(name)
    return getattr(spec, name, None)


def _spreiding(spec: Any, mu: float) -> float:
    sd, cv = _get(spec, "sd"), _get(spec, "cv")
    if sd is not None:
        return float(sd)
    if cv is not None:
        return float(cv) * mu
    raise ValueError(f"{_get(spec, 'verdeling')}: geef cv of sd")


@dataclass(frozen=True)
class Marginaal:
    """One marginal distribution, ready to transform normal scores or uniforms.

    Attributes
    ----------
    verdeling
        The family name.
    gemiddelde, sd
        Mean and standard deviation of the distribution (unit of the quantity).
    params
        Family parameters in scipy's terms (documentation and tests).
    """

    verdeling: str
    gemiddelde: float
    sd: float
    params: dict[str, float] = field(default_factory=dict, compare=False)
    _x: FloatArray | None = field(default=None, repr=False, compare=False)
    _y: NDArray[Any] | None = field(default=None, repr=False, compare=False)
    _cel: FloatArray | None = field(default=None, repr=False, compare=False)

    @property
    def soort(self) -> str:
        """What follows the affine step: ``vast``, ``affien``, ``exp``, ``rooster``,
        ``discreet`` or ``direct`` (see the module docstring)."""
        return _SOORT[self.verdeling]

    @property
    def heeft_cel(self) -> bool:
        """A discrete marginal read through a cell table (:func:`rooster.cel_waarden`)."""
        return self.soort == "discreet" and self._y is None

    def celtabel(self, uit: FloatArray | None = None) -> FloatArray:
        """The cell table of a discrete marginal (:attr:`heeft_cel`), made on first use.

        ``uit``: ``(rooster.ROOSTERPUNTEN, 2)`` rows to make it in, e.g. its place in a
        stack of many lines' tables (:mod:`montecarlo.lijnen`); the marginal keeps the table
        it makes.
        """
        if self._cel is None:
            tabel = rooster.celtabel(typing.cast(FloatArray, self._x), self.params["laag"], uit)
            object.__setattr__(self, "_cel", tabel)
        return typing.cast(FloatArray, self._cel)

    @property
    def voorschaal(self) -> tuple[float, float]:
        """``(schaal, verschuiving)`` of the affine step ``x = schaal * z + verschuiving``."""
        soort = self.soort
        if soort == "vast":
            return (0.0, self.gemiddelde)
        if soort == "affien":
            return (self.sd, self.gemiddelde)
        if soort == "exp":
            return (self.params["s"], self.params["m"])
        if soort in ("rooster", "discreet"):
            return (Z_SCHAAL, Z_NUL)
        return (1.0, 0.0)

    def uit_normaal(self, z: FloatArray, uit: FloatArray | None = None) -> FloatArray:
        """Transform standard normal scores ``z`` to values (any shape, same shape out).

        ``uit``: an array of the same shape to compute in (and return), else a new one.
        """
        if self.soort == "vast":
            return np.full(np.shape(z), self.gemiddelde)
        schaal, verschuiving = self.voorschaal
        x = np.multiply(z, schaal, out=uit)
        x += verschuiving
        return self.uit_voorgeschaald(x)

    def uit_voorgeschaald(self, x: FloatArray) -> FloatArray:
        """Values from affinely scaled scores ``x`` (:attr:`voorschaal`); ``x`` is reused."""
        soort = self.soort
        if soort == "vast":
            x[...] = self.gemiddelde
            return x
        if soort == "affien":
            return x
        if soort == "exp":
            return np.exp(x, out=x)
        if soort == "rooster":
            return rooster.rooster_waarden(self._y, x)
        if soort == "discreet":
            if self.heeft_cel:
                return rooster.cel_waarden(self.celtabel(), x)
            return np.add(rooster.zoek(self._x, self._y, x), self.params["laag"])
        if self.verdeling == "empirisch":
            return self._y[np.searchsorted(self._x, x, side="right")]
        return self.ppf(special.ndtr(x))

    def ppf(self, u: FloatArray) -> FloatArray:
        """Inverse CDF at uniforms ``u`` in (0, 1)."""
        kind, p = self.verdeling, self.params
        u = np.asarray(u, dtype=np.float64)
        if kind == "uniform":
            return p["a"] + (p["b"] - p["a"]) * u
        if kind == "triangulair":
            a, c, b = p["a"], p["c"], p["b"]
            fc = (c - a) / (b - a)
            links = a + np.sqrt(u * (b - a) * (c - a))
            rechts = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
            return np.where(u < fc, links, rechts)
        if kind == "empirisch":
            m = self._y.size
            return self._y[np.minimum((u * m).astype(np.intp), m - 1)]
        return self.uit_normaal(special.ndtri(u))

    def scipy(self) -> Any:
        """The same distribution as a frozen ``scipy.stats`` object (None for vast/empirisch)."""
        from scipy import stats  # here, not at import: scipy.stats is slow to import

        kind, p = self.verdeling, self.params
        if kind == "normaal":
            return stats.norm(self.gemiddelde, self.sd)
        if kind == "lognormaal":
            return stats.lognorm(p["s"], scale=math.exp(p["m"]))
        if kind == "gamma":
            return stats.gamma(p["vorm"], scale=p["schaal"])
        if kind == "poisson":
            return stats.poisson(self.gemiddelde)
        if kind == "negbin":
            return stats.nbinom(p["r"], p["p"])
        if kind == "triangulair":
            a, c, b = p["a"], p["c"], p["b"]
            return stats.triang((c - a) / (b - a), loc=a, scale=b - a)
        if kind == "pert":
            return stats.beta(p["alfa"], p["beta"], loc=p["a"], scale=p["b"] - p["a"])
        if kind == "uniform":
            return stats.uniform(p["a"], p["b"] - p["a"])
        return None


def gamma_kwantiel(vorm: FloatArray | float, z: FloatArray) -> FloatArray:
    """Quantile of a standard gamma at normal scores ``z`` with scipy's exact inverses.

    The upper half goes through ``gammainccinv`` of the upper tail ``ndtr(-z)``, so the
    quantile stays finite and accurate where ``ndtr(z)`` rounds to 1 (``z`` above 8.3).
    """
    z, vorm = np.broadcast_arrays(np.asarray(z, dtype=np.float64), np.asarray(vorm, float))
    boven = z > 0.0
    uit = np.empty(z.shape)
    uit[~boven] = special.gammaincinv(vorm[~boven], special.ndtr(z[~boven]))
    uit[boven] = special.gammainccinv(vorm[boven], special.ndtr(-z[boven]))
    return uit


#: Family -> what follows its affine step (:attr:`Marginaal.soort`).
_SOORT = {
    "vast": "vast",
    "normaal": "affien",
    "lognormaal": "exp",
    "gamma": "rooster",
    "pert": "rooster",
    "poisson": "discreet",
    "negbin": "discreet",
    "triangulair": "direct",
    "uniform": "direct",
    "empirisch": "direct",
}


def _kleinste(voldoet: Callable[[int], bool], laag: int, hoog: int) -> int:
    """The smallest integer in ``[laag, hoog]`` where the monotone ``voldoet`` holds."""
    while laag < hoog:
        midden = (laag + hoog) // 2
        if voldoet(midden):
            hoog = midden
        else:
            laag = midden + 1
    return laag


def _discreet(
    kind: str,
    cdf: Callable[[Any], Any],
    sf: Callable[[Any], Any],
    mu: float,
    sd: float,
    params: dict[str, float],
) -> Marginaal:
    """A discrete marginal on its support from the ``_TAIL`` to the ``1 - _TAIL`` quantile.

    ``cdf`` and ``sf`` are the exact distribution and survival functions (scipy.special).
    """
    midden = math.ceil(mu + sd)  # F(midden) > _TAIL and sf(floor(mu)) > _TAIL for both families
    laag = _kleinste(lambda k: cdf(k) >= _TAIL, 0, midden)
    boven = midden + math.ceil(10 * sd)
    while sf(boven) > _TAIL:  # a bracket for the upper tail (long for a skewed negbin)
        boven = 2 * boven + 1
    hoog = _kleinste(lambda k: sf(k) <= _TAIL, max(laag, math.floor(mu)), boven)
    k = np.arange(laag, hoog + 1, dtype=np.float64)
    # normal score of F(k); in the upper half from the survival function, which keeps its
    # precision where F(k) rounds towards 1 (no spurious ties between thresholds)
    f, s = np.clip(cdf(k), 0.0, 1.0), np.clip(sf(k), 0.0, 1.0)
    drempels = np.where(f < 0.5, special.ndtri(f), -special.ndtri(s)) * Z_SCHAAL + Z_NUL
    drempels[-1] = np.inf
    params = {**params, "laag": float(laag)}
    # the cell table (262 KB per line) is made on first use, in place when many lines are
    # stacked (montecarlo.lijnen); the guide table serves only the search that a missing
    # cell table needs (16.385 indices, 128 KB, per line)
    gids = None if rooster.past_in_cellen(drempels) else rooster.gids(drempels)
    return Marginaal(kind, mu, sd, params, drempels, gids)


def marginaal(spec: Any) -> Marginaal:
    """Build a :class:`Marginaal` from a distribution spec.

    Parameters
    ----------
    spec
        A ``cases`` ``Verdeling`` (or any object or mapping with the fields ``verdeling``,
        ``gemiddelde``, ``cv``, ``sd``, ``min``, ``modus``, ``max``, ``waarden``).

    Raises
    ------
    ValueError
        If the parameters do not fit the family (message in Dutch).
    """
    kind = _get(spec, "verdeling")
    if kind not in FAMILIES:
        raise ValueError(f"onbekende verdeling {kind!r}; toegestaan: {', '.join(FAMILIES)}")
    if kind in ("triangulair", "pert", "uniform"):
        a, b = float(_get(spec, "min")), float(_get(spec, "max"))
        if kind == "uniform":
            return Marginaal(kind, (a + b) / 2, (b - a) / math.sqrt(12), {"a": a, "b": b})
        c = float(_get(spec, "modus"))
        if kind == "triangulair":
            mu = (a + b + c) / 3
            sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
            return Marginaal(kind, mu, sd, {"a": a, "b": b, "c": c})
        alfa, beta = 1 + 4 * (c - a) / (b - a), 1 + 4 * (b - c) / (b - a)
        mu = (a + 4 * c + b) / 6
        y = a + (b - a) * special.betaincinv(alfa, beta, special.ndtr(Z_GRID))
        params = {"a": a, "b": b, "c": c, "alfa": alfa, "beta": beta}
        return Marginaal(
            kind, mu, math.sqrt((mu - a) * (b - mu) / 7), params, None, rooster.paren(y)
        )
    if kind == "empirisch":
        waarden = np.sort(np.asarray(_get(spec, "waarden"), dtype=np.float64))
        m = waarden.size
        drempels = special.ndtri(np.arange(1, m) / m)
        return Marginaal(kind, float(waarden.mean()), float(waarden.std()), {}, drempels, waarden)
    mu = float(_get(spec, "gemiddelde"))
    if kind == "vast":
        return Marginaal(kind, mu, 0.0)
    if kind == "poisson":
        if mu == 0.0:
            return Marginaal("vast", 0.0, 0.0)
        return _discreet(
            kind,
            lambda k: special.pdtr(k, mu),  # P(X <= k)
            lambda k: special.pdtrc(k, mu),  # P(X > k)
            mu,
            math.sqrt(mu),
            {},
        )
    sd = _spreiding(spec, mu)
    if kind == "normaal":
        return Marginaal(kind, mu, sd)
    if sd == 0.0:
        return Marginaal("vast", mu, 0.0)
    if kind == "lognormaal":
        s2 = math.log1p((sd / mu) ** 2)
        return Marginaal(kind, mu, sd, {"m": math.log(mu) - s2 / 2, "s": math.sqrt(s2)})
    if kind == "gamma":
        vorm, schaal = (mu / sd) ** 2, sd * sd / mu
        y = schaal * gamma_kwantiel(vorm, Z_GRID)
        return Marginaal(kind, mu, sd, {"vorm": vorm, "schaal": schaal}, None, rooster.paren(y))
    var = sd * sd
    if var <= mu:
        raise ValueError("negbin: de variantie (sd²) moet groter zijn dan het gemiddelde")
    r, p = mu * mu / (var - mu), mu / var
    # F(k) = I_p(r, k + 1), the regularised incomplete beta (as scipy.stats.nbinom)
    return _discreet(
        kind,
        lambda k: special.betainc(r, np.add(k, 1.0), p),
        lambda k: special.betaincc(r, np.add(k, 1.0), p),
        mu,
        sd,
        {"r": r, "p": p},
    )
