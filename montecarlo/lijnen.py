"""Many lines at once: normal scores of a block of lines to values, kind by kind.

The engine transforms every line of a case (an overige-uitgaven line, the clients of a
vraag line) for every scenario. Line by line that is a dozen small array operations per
line; here the lines are grouped by what follows their affine step
(:attr:`~montecarlo.verdelingen.Marginaal.soort`) and each group is done with one set of
operations over all its rows:

- the affine step ``x = schaal * z + verschuiving`` of every line is folded into the
  copula's matrix product (:func:`gevouwen_factor`), so it costs nothing;
- ``exp`` (lognormaal): one ``exp`` over the group's rows;
- ``rooster`` (gamma, pert) and ``discreet`` (poisson, negbin): the lines' tables stacked
  below each other, so one gather serves all rows (each row's cells shifted to its own
  table);
- ``vast``, ``direct`` (triangulair, uniform, empirisch) and discrete lines without a cell
  table: line by line, through :meth:`~montecarlo.verdelingen.Marginaal.uit_voorgeschaald`.

Every value is the one ``Marginaal.uit_normaal`` gives for that line (the same functions;
only the affine step's rounding differs, by the matrix product).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo.rooster import ROOSTERPUNTEN, cel_waarden, rooster_waarden
from plafond.montecarlo.verdelingen import Marginaal
from plafond.montecarlo.werkruimte import Werkruimte

FloatArray = NDArray[np.float64]


def _exp(x: FloatArray, ruimte: Werkruimte | None = None) -> FloatArray:
    return np.exp(x, out=x)


def _rijen(indices: list[int]) -> slice | NDArray[np.intp]:
    """A slice when the rows are consecutive (a view, no copy), else an index array."""
    if indices == list(range(indices[0], indices[-1] + 1)):
        return slice(indices[0], indices[-1] + 1)
    return np.array(indices, dtype=np.intp)


class Lijnen:
    """The transforms of a fixed sequence of marginals, applied to ``(k, m)`` blocks.

    Parameters
    ----------
    marginalen
        One marginal per row.
    """

    def __init__(self, marginalen: Sequence[Marginaal]) -> None:
        self.marginalen = tuple(marginalen)
        voor = np.array([m.voorschaal for m in self.marginalen], dtype=np.float64).reshape(-1, 2)
        self.schaal: FloatArray = voor[:, 0]
        self.verschuiving: FloatArray = voor[:, 1]
        groepen: dict[str, list[int]] = {"exp": [], "rooster": [], "discreet": [], "los": []}
        for i, m in enumerate(self.marginalen):
            if m.soort in ("exp", "rooster") or m.heeft_cel:
                groepen[m.soort].append(i)
            elif m.soort != "affien":
                groepen["los"].append(i)
        self._los = groepen["los"]
        self._groepen: list[tuple[slice | NDArray[np.intp], Callable[..., FloatArray]]]
        self._groepen = []
        if groepen["exp"]:
            self._groepen.append((_rijen(groepen["exp"]), _exp))
        for soort, functie, tabel in (("rooster", rooster_waarden, "_y"),
                                      ("discreet", cel_waarden, "_cel")):  # fmt: skip
            if groepen[soort]:
                gestapeld = self._stapel(groepen[soort], functie, tabel)
                self._groepen.append((_rijen(groepen[soort]), gestapeld))

    def _stapel(
        self, rijen: list[int], functie: Callable[..., FloatArray], tabel: str
    ) -> Callable[..., FloatArray]:
        """The group's transform of its rows, with their tables stacked."""
        marginalen = [self.marginalen[i] for i in rijen]
        hoogtes = [_hoogte(m, tabel) for m in marginalen]
        starts = np.cumsum([0] + hoogtes[:-1]).astype(np.intp)
        stapel = _stapel_van(marginalen, tabel, starts, sum(hoogtes))
        return functools.partial(functie, stapel, verschuiving=starts[:, None])

    def uit_voorgeschaald(self, x: FloatArray, ruimte: Werkruimte | None = None) -> FloatArray:
        """Values of all rows from their affinely scaled scores ``x``, shape ``(k, m)``.

        ``x`` is overwritten with the values and returned; ``ruimte`` supplies the scratch
        arrays (:mod:`montecarlo.werkruimte`).
        """
        for rijen, functie in self._groepen:
            if isinstance(rijen, slice):
                functie(x[rijen], ruimte=ruimte)  # a view: transformed in place
            else:
                x[rijen] = functie(x[rijen], ruimte=ruimte)
        for i in self._los:
            x[i] = self.marginalen[i].uit_voorgeschaald(x[i])
        return x


def _hoogte(m: Marginaal, tabel: str) -> int:
    """Rows of ``m``'s table ``tabel`` (a cell table not made yet has the grid's rows)."""
    t = getattr(m, tabel)
    return ROOSTERPUNTEN if t is None else t.shape[0]


def _gestapeld(marginalen: list[Marginaal], tabel: str, starts: NDArray[np.intp],
               hoogte: int) -> FloatArray | None:  # fmt: skip
    """The stack the marginals' tables already are views of, at ``starts``, or None."""
    tabellen = [getattr(m, tabel) for m in marginalen]
    if any(t is None for t in tabellen):
        return None
    basis = tabellen[0].base if tabellen[0].base is not None else tabellen[0]
    if basis.shape[0] != hoogte or any(t.base is not basis and t is not basis for t in tabellen):
        return None
    begin, rij = basis.__array_interface__["data"][0], basis.strides[0]
    adressen = [t.__array_interface__["data"][0] for t in tabellen]
    return basis if adressen == [begin + int(s) * rij for s in starts] else None


def _stapel_van(
    marginalen: list[Marginaal], tabel: str, starts: NDArray[np.intp], hoogte: int
) -> FloatArray:
    """The marginals' tables ``tabel`` one below the other, each held once.

    Each marginal's table becomes a view of the stack (the tables are a cache, not part of
    a marginal's identity), and a cell table not made yet is made in its place in the
    stack: a national case's 1.710 negbin lines (262 KB of table each) hold their tables
    once, never a copy per line besides the stack. A later stack of the same marginals in
    the same order is that same array.
    """
    bestaand = _gestapeld(marginalen, tabel, starts, hoogte)
    if bestaand is not None:
        return bestaand
    stapel = np.empty((hoogte, 2))  # both kinds of table: two columns per grid point
    for m, s in zip(marginalen, starts, strict=True):
        plek = stapel[s : s + _hoogte(m, tabel)]
        if getattr(m, tabel) is None:
            m.celtabel(plek)
        else:
            plek[...] = getattr(m, tabel)
        plek.flags.writeable = False
        object.__setattr__(m, tabel, plek)
    stapel.flags.writeable = False
    return stapel


def gevouwen_factor(l_factor: FloatArray, lijnen: Lijnen) -> FloatArray:
    """The copula factor with each line's affine scale folded in: ``diag(schaal) @ L``.

    ``gevouwen_factor(L, lijnen) @ z + verschuiving`` gives every line's ``x`` of
    :meth:`Lijnen.uit_voorgeschaald` from independent standard normal scores ``z``.
    """
    return lijnen.schaal[:, None] * l_factor
