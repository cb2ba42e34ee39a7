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
from plafond.montecarlo.verdelingen import Marginaal, cel_waarden, rooster_waarden
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
            if m.soort in ("exp", "rooster") or (m.soort == "discreet" and m._cel is not None):
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
        tabellen = [getattr(self.marginalen[i], tabel) for i in rijen]
        starts = np.cumsum([0] + [t.shape[0] for t in tabellen[:-1]]).astype(np.intp)[:, None]
        stapel = tabellen[0] if len(tabellen) == 1 else np.concatenate(tabellen)
        return functools.partial(functie, stapel, verschuiving=starts)

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


def gevouwen_factor(l_factor: FloatArray, lijnen: Lijnen) -> FloatArray:
    """The copula factor with each line's affine scale folded in: ``diag(schaal) @ L``.

    ``gevouwen_factor(L, lijnen) @ z + verschuiving`` gives every line's ``x`` of
    :meth:`Lijnen.uit_voorgeschaald` from independent standard normal scores ``z``.
    """
    return lijnen.schaal[:, None] * l_factor
