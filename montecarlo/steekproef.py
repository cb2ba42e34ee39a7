"""Unit samplers shaped like ``scipy.stats.qmc``: plain MC, scrambled Sobol, Latin hypercube.

A sampler draws ``random(n) -> (n, d)`` uniforms in (0, 1); ``normalen(n) -> (d, n)`` gives
standard normal scores in the layout the engine uses (lines × scenarios). Options are
keyword-only and ``rng`` accepts a seed, a ``SeedSequence`` or a ``Generator``.

Streaming: :func:`sampler_voor_stroom` gives the sampler of one fixed *stroom* (a chunk of
:data:`STROOM` scenarios). Plain MC and LHS seed stroom ``k`` with
``SeedSequence(seed, spawn_key=(k,))`` — the ``k``-th child that ``SeedSequence(seed).spawn``
would give — so the numbers of a stroom never depend on how strooms are grouped into
blocks or spread over workers. Sobol uses one scrambled sequence for the whole run and
fast-forwards to the first point of the stroom. LHS stratifies within each stroom.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import special

Methode = Literal["mc", "sobol", "lhs"]
METHODES: tuple[str, ...] = ("mc", "sobol", "lhs")

#: Scenarios per stroom: the fixed unit of seeding (a power of two, so Sobol stays balanced).
STROOM = 2**14

RngLike = int | np.random.SeedSequence | np.random.Generator | None


def _generator(rng: RngLike) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


class EenheidsSampler:
    """Base class: ``d`` independent dimensions of unit samples.

    Parameters
    ----------
    d
        Number of dimensions (>= 1).
    rng
        Seed, ``SeedSequence`` or ``Generator`` (keyword-only).
    """

    def __init__(self, d: int, *, rng: RngLike = None) -> None:
        if int(d) != d or d < 1:
            raise ValueError(f"d moet een positief geheel getal zijn, niet {d!r}")
        self.d = int(d)
        self.rng = _generator(rng)

    def random(self, n: int) -> NDArray[np.float64]:
        """Draw ``n`` points as an ``(n, d)`` array of uniforms in (0, 1)."""
        raise NotImplementedError

    def normalen(self, n: int, *, uit: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
        """Draw ``n`` points as a ``(d, n)`` array of standard normal scores.

        ``uit``, if given, is a C-contiguous ``(d, n)`` float64 array to write them into.
        """
        z = special.ndtri(self.random(n)).T
        if uit is None:
            return np.ascontiguousarray(z)
        uit[...] = z
        return uit


class MonteCarlo(EenheidsSampler):
    """Independent pseudo-random points (numpy ``Generator``, PCG64)."""

    def random(self, n: int) -> NDArray[np.float64]:
        """Draw ``(n, d)`` uniforms; 0 is replaced by the smallest positive double."""
        u = self.rng.random((n, self.d))
        return np.maximum(u, np.finfo(np.float64).tiny)

    def normalen(self, n: int, *, uit: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
        """Draw ``(d, n)`` standard normals directly (same law as ``ndtri`` of uniforms)."""
        if uit is None:
            return self.rng.standard_normal((self.d, n))
        return self.rng.standard_normal(out=uit)


class Sobol(EenheidsSampler):
    """Scrambled Sobol points (Owen scrambling with digital shift, ``scipy.stats.qmc``).

    Parameters
    ----------
    d, rng
        As :class:`EenheidsSampler`; ``rng`` fixes the scrambling.
    start
        Index of the first point to return (fast-forward), keyword-only.
    """

    def __init__(self, d: int, *, rng: RngLike = None, start: int = 0) -> None:
        from scipy.stats import qmc  # here, not at import: scipy.stats is slow to import

        super().__init__(d, rng=rng)
        self._engine = qmc.Sobol(self.d, scramble=True, rng=self.rng)
        if start:
            self._engine.fast_forward(start)

    def random(self, n: int) -> NDArray[np.float64]:
        """Draw the next ``n`` points; warns when the run is not a power of two."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return self._engine.random(n)

    def random_base2(self, m: int) -> NDArray[np.float64]:
        """Draw ``2**m`` points (the balanced sizes of a Sobol sequence)."""
        return self.random(2**m)


class LatinHypercube(EenheidsSampler):
    """Latin hypercube points: each of ``n`` strata of every dimension holds one point."""

    def random(self, n: int) -> NDArray[np.float64]:
        """Draw ``(n, d)`` stratified uniforms."""
        from scipy.stats import qmc

        return qmc.LatinHypercube(self.d, rng=self.rng).random(n)


def is_macht_van_twee(n: int) -> bool:
    """True when ``n`` is a positive power of two."""
    return n > 0 and n & (n - 1) == 0


def controleer_aantal(methode: str, n: int) -> None:
    """Check the method name and the number of scenarios; warn for Sobol off powers of two.

    Raises
    ------
    ValueError
        For an unknown method or ``n < 1``.
    """
    if methode not in METHODES:
        raise ValueError(f"onbekende methode {methode!r}; toegestaan: {', '.join(METHODES)}")
    if int(n) != n or n < 1:
        raise ValueError(f"het aantal scenario's moet een positief geheel getal zijn, niet {n!r}")
    if methode == "sobol" and not is_macht_van_twee(n):
        warnings.warn(
            f"Sobol is alleen gebalanceerd bij een macht van twee scenario's; {n} is dat niet",
            UserWarning,
            stacklevel=3,
        )


def sampler_voor_stroom(methode: str, d: int, seed: int, stroom: int) -> EenheidsSampler:
    """The sampler of stroom ``stroom`` (scenarios ``stroom * STROOM`` onwards) of a run.

    Parameters
    ----------
    methode
        ``"mc"``, ``"sobol"`` or ``"lhs"``.
    d
        Number of dimensions.
    seed
        The run's seed (a non-negative integer).
    stroom
        Index of the stroom.
    """
    if methode == "sobol":
        root = np.random.SeedSequence(seed)
        return Sobol(d, rng=np.random.default_rng(root), start=stroom * STROOM)
    child = np.random.SeedSequence(seed, spawn_key=(stroom,))
    if methode == "lhs":
        return LatinHypercube(d, rng=child)
    return MonteCarlo(d, rng=child)


def sampler_voor_stuk(methode: str, d: int, seed: int, stroom: int, stuk: int,
                      breedte: int) -> EenheidsSampler:  # fmt: skip
    """The sampler of piece ``stuk`` (``breedte`` scenarios) of stroom ``stroom``.

    A stroom in one piece (``breedte == STROOM``) is :func:`sampler_voor_stroom`; a case too
    large for that is drawn in pieces of a fixed width that depends only on the case, each
    with its own child seed (``spawn_key=(stroom, stuk)``; Sobol fast-forwards to the
    piece's first point), so the numbers never depend on blocks or workers.
    """
    if breedte >= STROOM:
        return sampler_voor_stroom(methode, d, seed, stroom)
    if methode == "sobol":
        root = np.random.SeedSequence(seed)
        start = stroom * STROOM + stuk * breedte
        return Sobol(d, rng=np.random.default_rng(root), start=start)
    child = np.random.SeedSequence(seed, spawn_key=(stroom, stuk))
    if methode == "lhs":
        return LatinHypercube(d, rng=child)
    return MonteCarlo(d, rng=child)
