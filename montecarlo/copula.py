"""Gaussian copula: correlation between the uncertain lines without touching their marginals.

Every uncertain line (an overige-uitgaven line, the number of clients of a vraag line) has
one standard normal score. Scores are correlated with a factor ``L`` of the correlation
matrix (``z_corr = L @ z``); each line then goes through its own inverse CDF, so each
marginal stays exactly as specified while the dependence follows the matrix. Two normal
lines with correlation rho thus give exactly the correlated bivariate normal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray


def correlatiematrix(
    gebieden: Sequence[str],
    gemeente_van: Mapping[str, str],
    *,
    binnen_gemeente: float = 0.0,
    tussen_gemeenten: float = 0.0,
    matrix: Mapping[str, Mapping[str, float]] | None = None,
) -> NDArray[np.float64]:
    """The correlation matrix of lines, from the gebied each line belongs to.

    Parameters
    ----------
    gebieden
        The gebied of every line, in line order.
    gemeente_van
        Map gebied -> gemeente.
    binnen_gemeente
        Correlation (fraction, -1..1) of two lines in the same gemeente (or the same gebied).
    tussen_gemeenten
        Correlation of two lines in different gemeenten.
    matrix
        Optional gebied -> gebied -> correlation for lines of different gebieden (looked up
        both ways); pairs it does not name fall back to the two numbers above.

    Returns
    -------
    ndarray
        Symmetric ``(d, d)`` matrix with unit diagonal.
    """
    d = len(gebieden)
    r = np.eye(d)
    for i in range(d):
        for j in range(i + 1, d):
            gi, gj = gebieden[i], gebieden[j]
            waarde = None
            if matrix is not None and gi != gj:
                waarde = matrix.get(gi, {}).get(gj, matrix.get(gj, {}).get(gi))
            if waarde is None:
                zelfde = gi == gj or gemeente_van.get(gi) == gemeente_van.get(gj)
                waarde = binnen_gemeente if zelfde else tussen_gemeenten
            r[i, j] = r[j, i] = float(waarde)
    return r


def factor(correlatie: NDArray[np.float64]) -> NDArray[np.float64]:
    """A factor ``L`` with ``L @ L.T == correlatie`` (Cholesky, or eigen for singular matrices).

    Raises
    ------
    ValueError
        If the matrix is not symmetric with unit diagonal, or not positive semidefinite.
    """
    r = np.asarray(correlatie, dtype=np.float64)
    if r.ndim != 2 or r.shape[0] != r.shape[1] or not np.allclose(r, r.T):
        raise ValueError("de correlatiematrix moet vierkant en symmetrisch zijn")
    if not np.allclose(np.diag(r), 1.0):
        raise ValueError("de correlatiematrix moet enen op de diagonaal hebben")
    try:
        return np.linalg.cholesky(r)
    except np.linalg.LinAlgError:
        pass
    eig, vec = np.linalg.eigh(r)
    if eig.min() < -1e-9:
        raise ValueError(
            f"de correlatiematrix is niet positief semidefiniet (kleinste eigenwaarde "
            f"{eig.min():.3g}); kies minder extreme correlaties"
        )
    f = vec * np.sqrt(np.clip(eig, 0.0, None))
    return f / np.linalg.norm(f, axis=1, keepdims=True)


class Factormodel:
    """The binnen/tussen-gemeente correlation as a two-level factor model, in O(L).

    With ``t = tussen_gemeenten`` and ``b = binnen_gemeente`` (``0 <= t <= b <= 1``) every
    line ``l`` of gemeente ``g(l)`` gets the score::

        x_l = sqrt(t) F + sqrt(b - t) F_g(l) + sqrt(1 - b) e_l

    from independent standard normal scores: one common factor ``F``, one per gemeente
    ``F_g`` and one own term ``e_l``. Two lines of one gemeente then correlate
    ``t + (b - t) = b``, of two gemeenten ``t``, and every ``x_l`` has variance 1: exactly
    :func:`correlatiematrix` without a matrix. It takes ``1 + G + L`` scores per scenario
    (rows: ``F``, the ``F_g`` in gemeente order, the ``e_l``) and ``O(L)`` work, against
    ``L`` scores and ``O(L^2)`` for a dense factor.

    Parameters
    ----------
    gemeente
        Index of every line's gemeente (``0 .. G - 1``), shape ``(L,)``.
    gemeenten
        Number of gemeenten ``G``.
    binnen_gemeente, tussen_gemeenten
        The two correlations.
    """

    def __init__(self, gemeente: NDArray[np.intp], gemeenten: int, *, binnen_gemeente: float,
                 tussen_gemeenten: float) -> None:  # fmt: skip
        if not 0.0 <= tussen_gemeenten <= binnen_gemeente <= 1.0:
            raise ValueError("factormodel vraagt 0 <= tussen_gemeenten <= binnen_gemeente <= 1")
        self.gemeente = np.asarray(gemeente, dtype=np.intp)
        self.gemeenten = int(gemeenten)
        self.binnen_gemeente = float(binnen_gemeente)
        self.tussen_gemeenten = float(tussen_gemeenten)
        self.a = float(np.sqrt(tussen_gemeenten))
        self.b = float(np.sqrt(binnen_gemeente - tussen_gemeenten))
        self.c = float(np.sqrt(1.0 - binnen_gemeente))

    @property
    def lijnen(self) -> int:
        """Number of lines ``L``."""
        return self.gemeente.size

    @property
    def dimensies(self) -> int:
        """Scores per scenario: ``1 + G + L``."""
        return 1 + self.gemeenten + self.lijnen

    def toepassen(self, z: NDArray[np.float64], schaal: NDArray[np.float64] | None = None,
                  out: NDArray[np.float64] | None = None) -> NDArray[np.float64]:  # fmt: skip
        """The correlated scores ``(L, m)`` from independent ones ``z`` ``(1 + G + L, m)``.

        ``schaal`` (per line) multiplies every line's score, as a folded affine step.
        """
        s = np.ones(self.lijnen) if schaal is None else np.asarray(schaal, dtype=np.float64)
        g0 = 1 + self.gemeenten
        out = np.multiply(z[g0:], (self.c * s)[:, None], out=out)
        if self.b:
            out += (self.b * s)[:, None] * np.take(z, 1 + self.gemeente, axis=0)
        if self.a:
            out += (self.a * s)[:, None] * z[0]
        return out

    def dicht(self) -> NDArray[np.float64]:
        """The same model as a dense loading matrix ``(L, 1 + G + L)`` (for checks)."""
        lading = np.zeros((self.lijnen, self.dimensies))
        lading[:, 0] = self.a
        lading[np.arange(self.lijnen), 1 + self.gemeente] = self.b
        lading[:, 1 + self.gemeenten :] = self.c * np.eye(self.lijnen)
        return lading
