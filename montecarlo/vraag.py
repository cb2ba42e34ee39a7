"""Compound demand: clienten × volume per client, aggregated without sampling clients.

The total volume of a gebied and product is ``S = X_1 + ... + X_N`` with ``N`` clients and
iid volumes ``X_i`` (mean ``mu``, sd ``sigma``). Given ``N``, ``S`` is drawn through the
inverse CDF of a gamma with the same first two moments as the sum::

    shape = N * mu**2 / sigma**2,   scale = sigma**2 / mu      (mean N mu, variance N sigma**2)

This is exact when the volume per client is gamma (a sum of N iid gamma(k, theta) is
gamma(N k, theta)) or vast (``S = N mu``); for other families it is a moment-matched
approximation whose skewness ``2 / sqrt(shape)`` vanishes as N grows, like that of the true
sum. ``N`` comes from its own marginal through the copula; the conditional draw uses one
further, independent normal score per line. A non-integer or negative N (a normaal
clienten line) is read as ``max(N, 0)``.

The gamma inverse CDF is scipy's exact ``gammaincinv`` for shape < 50. Above it, where
``gammaincinv`` (about 0.5 µs a value) would dominate the run time, the standardised
quantile ``(x - a) / sqrt(a)`` is interpolated bilinearly in ``(1 / sqrt(a), z)`` on a table
computed once with ``gammaincinv`` (the function is smooth there: its Cornish–Fisher
expansion is a power series in ``1 / sqrt(a)``); the tests bound the error by 1e-4 of the
conditional sd.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.verdelingen import Marginaal, gamma_kwantiel
from plafond.montecarlo.werkruimte import Werkruimte, leeg
from scipy import special

#: Gamma shape from which the table replaces ``gammaincinv``.
TABEL_VANAF = 50.0
_T_MAX = 1.0 / np.sqrt(TABEL_VANAF)
_T_GRID = np.linspace(0.0, _T_MAX, 65)
_Z_GRID = np.linspace(-8.5, 8.5, 2049)


@functools.cache
def _gamma_tabel() -> NDArray[np.float64]:
    """Standardised gamma quantiles ``(x - a) / sqrt(a)`` on ``_T_GRID`` × ``_Z_GRID``."""
    t = _T_GRID[1:, None]
    a = 1.0 / (t * t)
    x = gamma_kwantiel(a, _Z_GRID[None, :])
    tabel = np.empty((_T_GRID.size, _Z_GRID.size))
    tabel[0] = _Z_GRID  # the normal limit a -> infinity
    tabel[1:] = (x - a) * t
    return tabel


@functools.cache
def _gamma_cellen() -> NDArray[np.float64]:
    """Bilinear coefficients per cell of :func:`_gamma_tabel`, shape ``(T * Z, 4)``.

    Cell ``(i, j)`` (row ``i * Z + j``) holds ``c0 .. c3`` with the value at
    ``(i + fi, j + fj)`` equal to ``c0 + fj c1 + fi (c2 + fj c3)``: the bilinear
    interpolation of its four corners, fetched with one gather. The table is padded by
    repeating its last row and column, so the top cells need no clamping.
    """
    tabel = np.pad(_gamma_tabel(), ((0, 1), (0, 1)), mode="edge")
    v00, v01 = tabel[:-1, :-1], tabel[:-1, 1:]
    v10, v11 = tabel[1:, :-1], tabel[1:, 1:]
    cellen = np.stack([v00, v01 - v00, v10 - v00, v11 - v10 - v01 + v00], axis=-1)
    return np.ascontiguousarray(cellen.reshape(-1, 4))


_T_SCHAAL = (_T_GRID.size - 1) / _T_MAX
_Z_SCHAAL = (_Z_GRID.size - 1) / (_Z_GRID[-1] - _Z_GRID[0])
_Z_NUL = -_Z_GRID[0] * _Z_SCHAAL


def _uit_tabel(
    vorm: NDArray[np.float64], z: NDArray[np.float64], ruimte: Werkruimte | None = None
) -> NDArray[np.float64]:
    """Gamma quantiles for shapes ``vorm >= TABEL_VANAF`` (any shape, same as ``z``).

    ``ruimte`` supplies the scratch arrays and the result (:mod:`montecarlo.werkruimte`).
    """
    cellen = _gamma_cellen()
    vorm_ = vorm.shape
    wortel = np.sqrt(vorm, out=leeg(ruimte, "gamma.wortel", vorm_))
    fi = np.divide(_T_SCHAAL, wortel, out=leeg(ruimte, "gamma.fi", vorm_))  # t = 1/sqrt(a)
    k = leeg(ruimte, "gamma.k", vorm_, np.intp)
    np.copyto(k, fi, casting="unsafe")  # truncation = floor, as fi >= 0
    fi -= k
    fj = np.multiply(z, _Z_SCHAAL, out=leeg(ruimte, "gamma.fj", vorm_))
    fj += _Z_NUL
    np.clip(fj, 0.0, _Z_GRID.size - 1.0, out=fj)
    j = leeg(ruimte, "gamma.j", vorm_, np.intp)
    np.copyto(j, fj, casting="unsafe")
    fj -= j
    k *= _Z_GRID.size
    k += j
    c = np.take(cellen, k, axis=0, out=leeg(ruimte, "gamma.c", vorm_ + (4,)), mode="clip")
    q = np.multiply(c[..., 3], fj, out=leeg(ruimte, "gamma.q", vorm_))
    q += c[..., 2]
    q *= fi
    fj *= c[..., 1]
    q += fj
    q += c[..., 0]
    q *= wortel
    q += vorm
    return q


@dataclass(frozen=True)
class SamengesteldeVraag:
    """One vraag line: the marginal of its clients and the moments of the volume per client.

    Attributes
    ----------
    clienten
        Marginal of the number of clients.
    volume_gemiddelde, volume_sd
        Mean and sd of the volume per client (units, e.g. hours).
    """

    clienten: Marginaal
    volume_gemiddelde: float
    volume_sd: float

    @property
    def gemiddelde(self) -> float:
        """Expected total volume (units)."""
        return self.clienten.gemiddelde * self.volume_gemiddelde

    @property
    def sd(self) -> float:
        """Standard deviation of the total volume (units), by the compound-sum variance."""
        n, s = self.clienten, self
        var = n.gemiddelde * s.volume_sd**2 + n.sd**2 * s.volume_gemiddelde**2
        return float(np.sqrt(var))


def gamma_uit_normaal(
    vorm: NDArray[np.float64], z: NDArray[np.float64], ruimte: Werkruimte | None = None
) -> NDArray[np.float64]:
    """Quantile of a standard gamma with shape ``vorm`` at normal score ``z`` (elementwise).

    Shape 0 gives 0; see the module docstring for the exact and tabulated ranges.
    ``ruimte``: scratch arrays for the tabulated range (:mod:`montecarlo.werkruimte`).
    """
    vorm = np.broadcast_to(np.asarray(vorm, dtype=np.float64), np.shape(z))
    if not vorm.size or vorm.min() >= TABEL_VANAF:
        return _uit_tabel(vorm, z, ruimte)
    # the table for every value (the small shapes raised to TABEL_VANAF), then the few
    # small ones exactly: no gathered copies of the whole arrays
    klein = np.flatnonzero(vorm < TABEL_VANAF)
    geklemd = np.maximum(vorm, TABEL_VANAF, out=leeg(ruimte, "gamma.geklemd", vorm.shape))
    uit = _uit_tabel(geklemd, z, ruimte)
    a, p = vorm.ravel()[klein], special.ndtr(np.ravel(z)[klein])
    exact = np.zeros(klein.size)
    positief = a > 0
    exact[positief] = special.gammaincinv(a[positief], p[positief])
    np.put(uit, klein, exact)
    return uit


def totaal_volume(
    clienten: NDArray[np.float64], z: NDArray[np.float64], mu: float, sigma: float
) -> NDArray[np.float64]:
    """Total volume given the number of clients, by the moment-matched gamma.

    Parameters
    ----------
    clienten
        Number of clients per scenario.
    z
        Independent standard normal scores, same shape.
    mu, sigma
        Mean and sd of the volume per client (units).

    Returns
    -------
    ndarray
        Total volume per scenario (units).
    """
    n = np.maximum(clienten, 0.0)
    if sigma == 0.0 or mu == 0.0:
        return n * mu
    schaal = sigma * sigma / mu
    n *= mu / schaal
    uit = gamma_uit_normaal(n, z)
    uit *= schaal
    return uit


def totale_volumes(
    clienten: NDArray[np.float64],
    z: NDArray[np.float64],
    mu: NDArray[np.float64],
    sigma: NDArray[np.float64],
    ruimte: Werkruimte | None = None,
) -> NDArray[np.float64]:
    """:func:`totaal_volume` of ``L`` lines at once (one pass over ``(L, m)`` arrays).

    Parameters
    ----------
    clienten, z
        Clients and independent normal scores per line and scenario, shape ``(L, m)``.
    mu, sigma
        Mean and sd of the volume per client of each line, shape ``(L,)``.
    ruimte
        Scratch arrays (:mod:`montecarlo.werkruimte`); the result may be one of them.
    """
    mu = np.asarray(mu, dtype=np.float64)
    sigma = np.asarray(sigma, dtype=np.float64)
    if np.any(mu == 0.0) or np.any(sigma == 0.0):
        return np.stack([totaal_volume(clienten[i], z[i], mu[i], sigma[i]) for i in range(mu.size)])
    schaal = sigma * sigma / mu
    vorm = np.maximum(clienten, 0.0, out=leeg(ruimte, "volume.vorm", clienten.shape))
    vorm *= (mu / schaal)[:, None]
    uit = gamma_uit_normaal(vorm, z, ruimte)
    uit *= schaal[:, None]
    return uit
