"""What ``vergelijk`` keeps of every stroom: G per scenario, sums of R, the lower part of R.

Per arrangement ``k`` and scenario the gemeente pays ``G_k = sum_i betaling_ki + C`` and
partner ``i`` makes the result ``R_ki = betaling_ki - kosten_i`` (:mod:`montecarlo.vergelijk`).
The collector is called on every stroom while its arrays are still in the cache, and keeps:

- ``G`` per scenario, ``(K, n)``: its p95 and CVaR need the whole sample;
- per stroom the sums the tables need (:func:`indeling`): of ``R_ki`` and ``R_ki^2``, the
  count of ``R_ki < 0``, the same of the partners' summed result ``sum_i R_ki``, of ``G_k``
  (and the count above plafond A, in whole cents as ``simulate`` counts), and of the paired
  differences ``G_l - G_k``; the engine adds them up in stroom order;
- the lower part of every ``R_ki`` row: per stroom the values up to a threshold, the
  ``KANDIDATEN`` quantile of a strided subsample of the first stroom the worker thread
  sees (one partition per thread, not per stroom), from which the p5 is exact
  (:func:`~montecarlo.schatters.kwantiel_onderkant`; :meth:`Verzamelaar.p5` says None in
  the rare case the part kept was too small, and ``vergelijk`` then runs again keeping
  every value).

``R`` itself, ``K P n`` floats, is never stored: written and read back it cost more than
every arrangement together. Memory: ``G`` plus about ``KANDIDATEN`` of ``R``.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from plafond.montecarlo import schatters
from plafond.montecarlo.risicodeling import centen, grens_centen
from plafond.montecarlo.scenarios import Scenarios
from plafond.montecarlo.werkruimte import Werkruimte

FloatArray = NDArray[np.float64]
Functie = Callable[[Scenarios, Werkruimte], FloatArray]

#: Per row and stroom, the results up to this quantile of a subsample are kept for the p5.
KANDIDATEN = 0.10
#: Size of the strided subsample that sets a stroom's threshold.
PROEF = 4096


def indeling(k: int, p: int) -> dict[str, tuple[int, ...]]:
    """The collector's summed rows, in order: name → shape (``k`` arrangements, ``p`` partners).

    ``betaling`` and ``kosten`` (euro), then for ``r`` (``R_ki``), ``a`` (``sum_i R_ki``),
    ``g`` (``G_k``) and ``d`` (``G_l - G_k``, pairs ``k < l`` in order) the sum (``_som``)
    and the sum of squares (``_kwadraat``), and the counts ``r_verlies`` (``R < 0``) and
    ``g_boven`` (``G > A``).
    """
    paren = k * (k - 1) // 2
    return {
        "betaling": (k, p), "kosten": (p,),
        "r_som": (k, p), "r_kwadraat": (k, p), "r_verlies": (k, p),
        "a_som": (k,), "a_kwadraat": (k,),
        "g_som": (k,), "g_kwadraat": (k,), "g_boven": (k,),
        "d_som": (paren,), "d_kwadraat": (paren,),
    }  # fmt: skip


def delen(sommen: FloatArray, k: int, p: int) -> dict[str, FloatArray]:
    """The summed rows ``sommen`` cut into the named arrays of :func:`indeling`."""
    uit, begin = {}, 0
    for naam, vorm in indeling(k, p).items():
        eind = begin + math.prod(vorm)
        uit[naam] = sommen[begin:eind].reshape(vorm)
        begin = eind
    return uit


def _kwadraten(x: FloatArray) -> FloatArray:
    """Sum of squares of every row of ``x`` ``(rows, m)``."""
    return np.einsum("ij,ij->i", x, x)


class Verzamelaar:
    """Evaluates every arrangement on each stroom; keeps what the module docstring lists.

    Parameters
    ----------
    functies
        One function per arrangement: a stroom's :class:`Scenarios` and the worker's scratch
        arrays → payment ``(P, m)``.
    n, partners
        Scenarios and partners.
    plafond
        Plafond A (euro), for the count of ``G > A``.
    kandidaten
        The share kept of every ``R`` row (:data:`KANDIDATEN`); 1.0 keeps every value.
    """

    def __init__(self, functies: Sequence[Functie], n: int, partners: int, plafond: float,
                 kandidaten: float = KANDIDATEN) -> None:  # fmt: skip
        self.functies = list(functies)
        self.k, self.p, self.n = len(self.functies), partners, n
        paren = [(i, j) for i in range(self.k) for j in range(i + 1, self.k)]
        self._van = np.array([i for i, _ in paren], dtype=np.intp)
        self._naar = np.array([j for _, j in paren], dtype=np.intp)
        self._grens = grens_centen(centen(plafond))  # G > A in whole cents: G > grens
        self.kandidaten = kandidaten
        self.gemeente = np.empty((self.k, n))
        self.onderkant: dict[int, tuple[FloatArray, list[FloatArray]]] = {}
        self.rijen = sum(math.prod(v) for v in indeling(self.k, partners).values())
        self._lokaal = threading.local()

    def _ruimte(self) -> Werkruimte:
        """This thread's scratch arrays."""
        ruimte = getattr(self._lokaal, "ruimte", None)
        if ruimte is None:
            ruimte = self._lokaal.ruimte = Werkruimte()
        return ruimte

    def __call__(self, sc: Scenarios, kosten: FloatArray, begin: int, eind: int) -> FloatArray:
        ruimte = self._ruimte()
        c = sc.overige.sum(axis=0)
        r = ruimte("r", (self.p, eind - begin))
        betaling = np.empty((self.k, self.p))
        kwadraat, verlies = np.empty((self.k, self.p)), np.empty((self.k, self.p))
        for k, f in enumerate(self.functies):
            b = f(sc, ruimte)
            np.add.reduce(b, axis=0, out=self.gemeente[k, begin:eind])
            self.gemeente[k, begin:eind] += c
            betaling[k] = b.sum(axis=1)
            # the results' rows while they are in the cache: one (P, m) array at a time
            kwadraat[k], verlies[k] = self._resultaten(np.subtract(b, kosten, out=r), k, begin)
        # the partners' summed result: G_k - C - sum_i kosten_i
        c += np.add.reduce(kosten, axis=0)
        a = np.subtract(self.gemeente[:, begin:eind], c, out=ruimte("a", (self.k, eind - begin)))
        return self._sommen(betaling, kosten.sum(axis=1), kwadraat, verlies, a, begin, eind)

    def _resultaten(self, r: FloatArray, k: int, begin: int) -> tuple[FloatArray, FloatArray]:
        """``sum R_ki^2`` and the count of ``R_ki < 0`` of arrangement ``k``'s rows ``r``
        ``(P, m)``, keeping their lower part (:meth:`_bewaar_onderkant`)."""
        self._bewaar_onderkant(r, k, begin)
        verlies = np.less(r, 0.0, out=self._ruimte()("verlies", r.shape, np.bool_))
        return _kwadraten(r), np.count_nonzero(verlies, axis=1).astype(float)

    def _sommen(self, betaling: FloatArray, kosten: FloatArray, kwadraat: FloatArray,
                verlies: FloatArray, a: FloatArray, begin: int,
                eind: int) -> FloatArray:  # fmt: skip
        """The stroom's rows (:func:`indeling`) from the payments and costs summed per
        partner, the results' rows (:meth:`_resultaten`) and their sum over the partners
        ``a`` ``(K, m)``.

        ``sum R_ki = betaling_ki - kosten_i`` needs no pass over the results.

        ``G`` and the differences ``G_l - G_k`` come from the stroom's mean ``mu`` and the
        centred Gram matrix ``C = (G - mu)(G - mu)^T``: ``sum G_k = m mu_k``, ``sum G_k^2 =
        C_kk + m mu_k^2``, ``sum D = m (mu_l - mu_k)`` and ``sum D^2 = C_ll + C_kk - 2 C_kl +
        m (mu_l - mu_k)^2`` (one matrix product instead of a pass per pair).
        """
        ruimte = self._ruimte()
        g = self.gemeente[:, begin:eind]
        m = g.shape[1]
        mu = g.mean(axis=1)
        gc = np.subtract(g, mu[:, None], out=ruimte("gc", g.shape))
        gram = gc @ gc.T
        dmu = mu[self._naar] - mu[self._van]
        boven = np.greater(g, self._grens, out=ruimte("boven", g.shape, np.bool_))
        return np.concatenate([
            betaling.ravel(), kosten,
            (betaling - kosten).ravel(), kwadraat.ravel(), verlies.ravel(),
            a.sum(axis=1), _kwadraten(a),
            m * mu, np.diag(gram) + m * mu**2, np.count_nonzero(boven, axis=1),
            m * dmu,
            gram[self._naar, self._naar] + gram[self._van, self._van]
            - 2.0 * gram[self._van, self._naar] + m * dmu**2,
        ])  # fmt: skip

    def _bewaar_onderkant(self, r: FloatArray, k: int, begin: int) -> None:
        """Keep arrangement ``k``'s rows ``r`` ``(P, m)`` up to their thresholds.

        The threshold of a row is the ``kandidaten`` quantile of a subsample of the first
        stroom this thread sees (any threshold keeps the p5 exact, or :meth:`p5` says it was
        too small; ``kandidaten`` 1 keeps every value). The rows are cut in a few calls on
        the whole ``(P, m)`` array, not a few per row: with two worker threads every numpy
        call hands the GIL over, which costs more than a short call's work.
        """
        ruimte = self._ruimte()
        rijen = slice(k * self.p, (k + 1) * self.p)
        if k == 0:  # the stroom's first arrangement
            self.onderkant[begin] = (np.full(self.k * self.p, np.inf),
                                     [np.empty(0)] * (self.k * self.p))  # fmt: skip
        drempel, deel = self.onderkant[begin]
        if self.kandidaten < 1.0:
            eigen = getattr(self._lokaal, "drempel", None)
            if eigen is None:
                eigen = self._lokaal.drempel = np.full(self.k * self.p, np.nan)
            if np.isnan(eigen[rijen.start]):
                proef = r[:, :: max(1, r.shape[1] // PROEF)]
                i = min(int(self.kandidaten * proef.shape[1]), proef.shape[1] - 1)
                eigen[rijen] = np.partition(proef, i, axis=1)[:, i]
            drempel[rijen] = eigen[rijen]
        masker = np.less_equal(r, drempel[rijen, None],
                               out=ruimte("onderkant.masker", r.shape, np.bool_))  # fmt: skip
        bewaard = np.compress(masker.ravel(), r.ravel())  # row after row
        deel[rijen] = np.split(bewaard, np.cumsum(np.count_nonzero(masker, axis=1))[:-1])

    def p5(self) -> list[float | None]:
        """The p5 of every ``R`` row (``k * P + i``), exact, or None where too little was kept."""
        blokken = [self.onderkant[b] for b in sorted(self.onderkant)]
        uit = []
        for rij in range(self.k * self.p):
            drempel = min(float(d[rij]) for d, _ in blokken)
            x = np.concatenate([deel[rij] for _, deel in blokken])
            uit.append(schatters.kwantiel_onderkant(x, self.n, 0.05, drempel))
        return uit


class VerzamelaarJaren(Verzamelaar):
    """As :class:`Verzamelaar`, summed over the years of the term (one function per year).

    The engine calls it for every year of a stroom in turn (``t = 0 .. J - 1``); the
    payments and results are added up over the years and the rows are formed at the last.
    """

    def __init__(self, per_jaar: Sequence[Sequence[Functie]], n: int, partners: int,
                 plafond: float, kandidaten: float = KANDIDATEN) -> None:  # fmt: skip
        super().__init__(per_jaar[0], n, partners, plafond, kandidaten)
        self.per_jaar = [list(f) for f in per_jaar]
        self._lopend: dict[int, tuple[FloatArray, FloatArray, FloatArray]] = {}

    def __call__(self, t: int, sc: Scenarios, kosten: FloatArray, begin: int,  # type: ignore[override]
                 eind: int) -> FloatArray:  # fmt: skip
        c = sc.overige.sum(axis=0)
        if t == 0:
            r = np.zeros((self.k, self.p, eind - begin))
            betaling, k_som = np.zeros((self.k, self.p)), np.zeros(self.p)
            self.gemeente[:, begin:eind] = 0.0
        else:
            r, betaling, k_som = self._lopend.pop(begin)
        for k, f in enumerate(self.per_jaar[t]):
            b = f(sc, self._ruimte())
            self.gemeente[k, begin:eind] += b.sum(axis=0) + c
            r[k] += b - kosten
            betaling[k] += b.sum(axis=1)
        k_som += kosten.sum(axis=1)
        if t < len(self.per_jaar) - 1:
            self._lopend[begin] = (r, betaling, k_som)
            return np.zeros(self.rijen)
        kwadraat, verlies = np.empty((self.k, self.p)), np.empty((self.k, self.p))
        for k in range(self.k):
            kwadraat[k], verlies[k] = self._resultaten(r[k], k, begin)
        a = np.add.reduce(r, axis=1)
        return self._sommen(betaling, k_som, kwadraat, verlies, a, begin, eind)
