"""The allocation problem as plain sparse arrays, independent of the Case.

An :class:`AllocationProblem` holds everything the model needs: the allowed
(gebied, aanbieder, product) combinations as three integer index arrays, the reëel
tarief per combination, demand per (gebied, product), capaciteit per (aanbieder,
product), the plafond, the expected overige uitgaven and the marktordening rules.
It is built from a Case by :func:`optimize.uit_case.problem_from_case`, or directly
from arrays (tests, benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["AllocationProblem", "MinimumBedrag"]


@dataclass(frozen=True)
class MinimumBedrag:
    """A minimum amount for one aanbieder (Groningen's social basis).

    Attributes
    ----------
    aanbieder : int
        Index into ``AllocationProblem.aanbieders``.
    bedrag : float
        Minimum total bedrag, euro.
    gebied, product : int or None
        Restrict the sum to one gebied / product; None sums over all.
    """

    aanbieder: int
    bedrag: float
    gebied: int | None = None
    product: int | None = None


def _frozen(values: object, dtype: type, shape: tuple[int, ...], naam: str) -> np.ndarray:
    array = np.array(values, dtype=dtype, copy=True)
    if array.shape != shape:
        raise ValueError(f"{naam}: expected shape {shape}, got {array.shape}")
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class AllocationProblem:
    """Sparse data of one allocation problem; arrays are read-only copies.

    Attributes
    ----------
    gebieden, aanbieders, producten : tuple of str
        Domain ids; G, A and P of them.
    combo_gebied, combo_aanbieder, combo_product : ndarray of int, shape (K,)
        The K allowed (gebied, aanbieder, product) combinations, as indices.
    tarief : ndarray of float, shape (K,)
        Reëel tarief per combination, euro per eenheid.
    vraag : ndarray of float, shape (G, P)
        Expected volume E[clienten] * E[volume_per_client], eenheden.
    capaciteit : ndarray of float, shape (A, P)
        Maximum volume per aanbieder and product, eenheden; ``inf`` for none.
    plafond : float
        Budgetplafond A, euro.
    overige_uitgaven : ndarray of float, shape (G, P)
        Expected spending of overige aanbieders and PGB (C), euro; counts against
        the plafond.
    overige_volume : ndarray of float, shape (G, P)
        Volume those overige uitgaven buy (covers part of the vraag), eenheden.
    max_gebieden : ndarray of float, shape (A,)
        At most this many gebieden per aanbieder; ``inf`` for no limit.
    min_aanbieders_per_gebied, max_aanbieders_per_gebied : int or None
        Bounds on the number of active aanbieders per gebied.
    minimum_bedrag : tuple of MinimumBedrag
        Minimum amounts for named aanbieders.
    lumpsum : ndarray of float, shape (A,)
        Indexed historic lumpsum per aanbieder, euro (basis of the transitie band).
    transitie_band : float or None
        Fraction; each aanbieder with a lumpsum gets a total bedrag within
        ``lumpsum * (1 +/- band)``. None: no transitie constraint.
    gewicht : ndarray of float, shape (G,)
        Population weight of each gebied for the verdeling objective (any scale).
    max_opslag : float
        Most that may be paid above the reëel tarief, as a fraction of the reëel cost of
        the volume delivered: ``b_k <= (1 + max_opslag) * t_k * v_k``. So nothing is
        paid for a combination without volume. Default 0: the reëel tarief exactly.
    reeds_betaald : float
        Already paid to partners in the year (euro): spent within the plafond.
    eenheden : tuple of str
        Unit name per product ("uur", "dagdeel"), for messages.
    naam : str
        Name of the case.
    """

    gebieden: tuple[str, ...]
    aanbieders: tuple[str, ...]
    producten: tuple[str, ...]
    combo_gebied: np.ndarray
    combo_aanbieder: np.ndarray
    combo_product: np.ndarray
    tarief: np.ndarray
    vraag: np.ndarray
    capaciteit: np.ndarray
    plafond: float
    overige_uitgaven: np.ndarray | None = None
    overige_volume: np.ndarray | None = None
    max_gebieden: np.ndarray | None = None
    min_aanbieders_per_gebied: int | None = None
    max_aanbieders_per_gebied: int | None = None
    minimum_bedrag: tuple[MinimumBedrag, ...] = ()
    lumpsum: np.ndarray | None = None
    transitie_band: float | None = None
    gewicht: np.ndarray | None = None
    max_opslag: float = 0.0
    reeds_betaald: float = 0.0
    eenheden: tuple[str, ...] = field(default=())
    naam: str = "probleem"

    def __post_init__(self) -> None:
        g, a, p = len(self.gebieden), len(self.aanbieders), len(self.producten)
        k = len(np.asarray(self.combo_gebied))
        put = object.__setattr__
        put(self, "gebieden", tuple(self.gebieden))
        put(self, "aanbieders", tuple(self.aanbieders))
        put(self, "producten", tuple(self.producten))
        put(self, "combo_gebied", _frozen(self.combo_gebied, np.int64, (k,), "combo_gebied"))
        put(
            self,
            "combo_aanbieder",
            _frozen(self.combo_aanbieder, np.int64, (k,), "combo_aanbieder"),
        )
        put(self, "combo_product", _frozen(self.combo_product, np.int64, (k,), "combo_product"))
        put(self, "tarief", _frozen(self.tarief, float, (k,), "tarief"))
        put(self, "vraag", _frozen(self.vraag, float, (g, p), "vraag"))
        put(self, "capaciteit", _frozen(self.capaciteit, float, (a, p), "capaciteit"))
        put(self, "plafond", float(self.plafond))
        zeros_gp = np.zeros((g, p))
        for naam in ("overige_uitgaven", "overige_volume"):
            value = getattr(self, naam)
            put(self, naam, _frozen(zeros_gp if value is None else value, float, (g, p), naam))
        mg = np.full(a, np.inf) if self.max_gebieden is None else self.max_gebieden
        put(self, "max_gebieden", _frozen(mg, float, (a,), "max_gebieden"))
        ls = np.zeros(a) if self.lumpsum is None else self.lumpsum
        put(self, "lumpsum", _frozen(ls, float, (a,), "lumpsum"))
        gw = np.ones(g) if self.gewicht is None else self.gewicht
        put(self, "gewicht", _frozen(gw, float, (g,), "gewicht"))
        put(self, "minimum_bedrag", tuple(self.minimum_bedrag))
        put(self, "max_opslag", float(self.max_opslag))
        put(self, "reeds_betaald", float(self.reeds_betaald))
        if not self.eenheden:
            put(self, "eenheden", ("eenheid",) * p)
        self._check(g, a, p)

    def _check(self, g: int, a: int, p: int) -> None:
        for naam, idx, n in (
            ("combo_gebied", self.combo_gebied, g),
            ("combo_aanbieder", self.combo_aanbieder, a),
            ("combo_product", self.combo_product, p),
        ):
            if idx.size and (idx.min() < 0 or idx.max() >= n):
                raise ValueError(f"{naam}: index out of range 0..{n - 1}")
        sleutel = self.combo_sleutel
        if np.unique(sleutel).size != sleutel.size:
            raise ValueError("combinations (gebied, aanbieder, product) must be unique")
        if np.any(self.tarief <= 0) or not np.all(np.isfinite(self.tarief)):
            raise ValueError("tarief must be finite and positive")
        if np.any(self.vraag < 0) or np.any(self.capaciteit < 0):
            raise ValueError("vraag and capaciteit must be non-negative")
        if np.any(self.gewicht < 0) or self.gewicht.sum() <= 0:
            raise ValueError("gewicht must be non-negative with a positive sum")
        if not (np.isfinite(self.max_opslag) and self.max_opslag >= 0):
            raise ValueError("max_opslag must be finite and non-negative")
        if len(self.eenheden) != p:
            raise ValueError("eenheden: one unit name per product")

    # -- derived sizes and indices -------------------------------------------------
    @property
    def n_combos(self) -> int:
        """Number K of allowed combinations."""
        return int(self.combo_gebied.size)

    @property
    def combo_sleutel(self) -> np.ndarray:
        """Flat index ``(g * A + a) * P + p`` of each combination, shape (K,)."""
        a, p = len(self.aanbieders), len(self.producten)
        return (self.combo_gebied * a + self.combo_aanbieder) * p + self.combo_product

    @property
    def vraag_rest(self) -> np.ndarray:
        """Demand left for the variable aanbieders after overige, eenheden, (G, P)."""
        return np.maximum(self.vraag - self.overige_volume, 0.0)

    @property
    def budget(self) -> float:
        """Plafond minus expected overige uitgaven and reeds_betaald, euro."""
        return self.plafond - float(self.overige_uitgaven.sum()) - self.reeds_betaald

    @property
    def heeft_binairen(self) -> bool:
        """True when marktordening needs binary variables (a MILP, no duals)."""
        return bool(
            np.isfinite(self.max_gebieden).any()
            or self.min_aanbieders_per_gebied is not None
            or self.max_aanbieders_per_gebied is not None
        )
