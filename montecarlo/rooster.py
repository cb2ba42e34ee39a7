"""Tables on a uniform grid of normal scores: interpolated and discrete lookups by one gather.

The tabulated families (gamma, pert) keep their inverse CDF at the :data:`ROOSTERPUNTEN`
points of :data:`Z_GRID` and are read by linear interpolation (:func:`rooster_waarden`);
the discrete ones (poisson, negbin) keep their thresholds as grid positions and are read
through a cell table (:func:`cel_waarden`) or, where a cell holds two thresholds, a guide
table and a short search (:func:`zoek`). Every lookup takes grid positions
``x = Z_SCHAAL * z + Z_NUL`` (the affine step of :mod:`montecarlo.verdelingen`) and can
serve many lines at once from tables stacked below each other (``verschuiving``,
:mod:`montecarlo.lijnen`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.werkruimte import Werkruimte, leeg

FloatArray = NDArray[np.float64]

#: Points of the normal-score grid on which tables are kept.
ROOSTERPUNTEN = 16385
Z_GRID = np.linspace(-8.5, 8.5, ROOSTERPUNTEN)
#: ``z -> (z - Z_GRID[0]) / step``, the position on :data:`Z_GRID` in cells.
Z_SCHAAL = (Z_GRID.size - 1) / (Z_GRID[-1] - Z_GRID[0])
Z_NUL = -Z_GRID[0] * Z_SCHAAL


def _cellen(
    x: FloatArray, verschuiving: NDArray[np.intp] | None, ruimte: Werkruimte | None
) -> NDArray[np.intp]:
    """Clamp grid positions ``x`` in place, keep only their fraction, return the cells.

    ``verschuiving`` (integers, broadcast to ``x``) moves the cells to a table stacked
    below others (:mod:`montecarlo.lijnen`).
    """
    np.clip(x, 0.0, Z_GRID.size - 1.0, out=x)
    cel = leeg(ruimte, "cellen", x.shape, np.intp)
    np.copyto(cel, x, casting="unsafe")  # truncation: the cell, as x >= 0
    x -= cel
    if verschuiving is not None:
        cel += verschuiving
    return cel


def _celrijen(
    tabel: FloatArray,
    x: FloatArray,
    verschuiving: NDArray[np.intp] | None,
    ruimte: Werkruimte | None,
) -> FloatArray:
    """The table row of each position's cell (``x`` keeps only its fraction in the cell)."""
    rij = leeg(ruimte, "rij", x.shape + (2,))
    return np.take(tabel, _cellen(x, verschuiving, ruimte), axis=0, out=rij, mode="clip")


def paren(y: FloatArray) -> FloatArray:
    """Rows ``(y[i], y[i + 1] - y[i])`` for :func:`rooster_waarden` (last slope 0)."""
    return np.column_stack([y, np.append(np.diff(y), 0.0)])


def rooster_waarden(
    paren: FloatArray,
    x: FloatArray,
    verschuiving: NDArray[np.intp] | None = None,
    ruimte: Werkruimte | None = None,
) -> FloatArray:
    """Linear interpolation on the uniform :data:`Z_GRID` at grid positions ``x``.

    ``paren`` holds per grid point the value and the slope to the next (:func:`paren`), so
    one gather fetches both: the same values as ``np.interp(z, Z_GRID, y)`` up to
    rounding (clamped at the ends), by direct indexing instead of a search. ``x`` is reused
    for the result; ``ruimte`` supplies the scratch arrays
    (:mod:`montecarlo.werkruimte`).
    """
    rij = _celrijen(paren, x, verschuiving, ruimte)
    x *= rij[..., 1]
    x += rij[..., 0]
    return x


def cel_waarden(
    cel: FloatArray,
    x: FloatArray,
    verschuiving: NDArray[np.intp] | None = None,
    ruimte: Werkruimte | None = None,
) -> FloatArray:
    """Discrete values at grid positions ``x`` from a cell table (:func:`celtabel`).

    Row ``c`` holds the value at the lower end of cell ``c`` and the fraction of the cell at
    which the one threshold inside it lies (2 when there is none): one gather and one
    comparison. ``x`` is reused for the result; ``ruimte`` as in :func:`rooster_waarden`.
    """
    rij = _celrijen(cel, x, verschuiving, ruimte)
    np.greater(x, rij[..., 1], out=x)
    x += rij[..., 0]
    return x


def gids(drempels: FloatArray) -> NDArray[np.intp]:
    """Per grid point the first threshold at or above it (``drempels``: grid positions):
    the guide table of :func:`zoek`, and what :func:`past_in_cellen` and :func:`celtabel`
    read."""
    return np.searchsorted(drempels, np.arange(Z_GRID.size), side="left").astype(np.intp)


def zoek(drempels: FloatArray, gids: NDArray[np.intp], x: FloatArray) -> NDArray[np.intp]:
    """``searchsorted(drempels, x, side="left")`` via a guide table (grid positions).

    The guide gives the answer at the grid point just below ``x``; a few vectorised steps
    move each index up to the first threshold ``>= x``. The last threshold is ``inf``, so
    no index runs past the end.
    """
    idx = np.take(gids, np.clip(x, 0.0, Z_GRID.size - 1.0).astype(np.intp))
    while True:
        verder = np.take(drempels, idx) < x
        if not verder.any():
            return idx
        idx += verder


def past_in_cellen(drempels: FloatArray) -> bool:
    """No cell of the grid holds two thresholds (so a cell table serves the lookup)."""
    # thresholds in [c, c + 1) for every cell but the last (a single point when clamped)
    return not np.any(np.diff(gids(drempels)) > 1)


def celtabel(drempels: FloatArray, laag: float, uit: FloatArray | None = None) -> FloatArray:
    """Cell table for :func:`cel_waarden` (when :func:`past_in_cellen`), in ``uit`` if given.

    ``drempels`` are grid positions, ascending, the last ``inf``.
    """
    eerste = gids(drempels)
    tabel = np.empty((Z_GRID.size, 2)) if uit is None else uit
    binnen = np.take(drempels, eerste)
    binnen -= np.arange(Z_GRID.size, dtype=np.float64)
    np.add(eerste, laag, out=tabel[:, 0])
    np.copyto(tabel[:, 1], 2.0)
    np.copyto(tabel[:, 1], binnen, where=binnen < 1.0)
    return tabel
