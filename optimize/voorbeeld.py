"""Random allocation problems of a given size, for benchmarks and tests."""

from __future__ import annotations

import numpy as np

from .probleem import AllocationProblem

__all__ = ["willekeurig_probleem"]


def willekeurig_probleem(
    n_gebieden: int,
    n_aanbieders: int,
    n_producten: int,
    *,
    dichtheid: float = 0.3,
    rng: np.random.Generator | int | None = None,
    krapte: float = 1.3,
) -> AllocationProblem:
    """Draw a feasible random problem, built without loops over G x A x P.

    Parameters
    ----------
    n_gebieden, n_aanbieders, n_producten : int
        G, A and P.
    dichtheid : float
        Fraction of all (gebied, aanbieder, product) combinations that is allowed;
        every (gebied, product) keeps at least one aanbieder.
    rng : Generator, int or None
        Random generator or seed.
    krapte : float
        Capaciteit and plafond are ``krapte`` times what covering demand needs (>1:
        feasible with room to spare).

    Returns
    -------
    AllocationProblem
        Tarieven 35-75 euro per uur, vraag 100-5.000 uur per gebied and product.
    """
    rng = np.random.default_rng(rng)
    g, a, p = n_gebieden, n_aanbieders, n_producten
    mask = rng.random((g, a, p)) < dichtheid
    # guarantee one aanbieder per (gebied, product)
    eerste = rng.integers(0, a, size=(g, p))
    mask[np.arange(g)[:, None], eerste, np.arange(p)[None, :]] = True
    cg, ca, cp = np.nonzero(mask)
    basis = rng.uniform(35.0, 60.0, size=p)
    tarief = basis[cp] * rng.uniform(1.0, 1.25, size=cg.size)
    vraag = rng.uniform(100.0, 5000.0, size=(g, p))
    # capaciteit: share each product's demand over its aanbieders, with slack
    per_aanbieder = np.zeros((a, p))
    np.add.at(per_aanbieder, (ca, cp), vraag[cg, cp] / np.bincount(cg * p + cp)[cg * p + cp])
    capaciteit = per_aanbieder * krapte
    plafond = float((vraag * basis[None, :]).sum() * 1.25 * krapte)
    return AllocationProblem(
        gebieden=tuple(f"g{i}" for i in range(g)),
        aanbieders=tuple(f"a{i}" for i in range(a)),
        producten=tuple(f"p{i}" for i in range(p)),
        combo_gebied=cg,
        combo_aanbieder=ca,
        combo_product=cp,
        tarief=np.round(tarief, 2),
        vraag=np.round(vraag, 1),
        capaciteit=np.round(capaciteit, 1),
        plafond=round(plafond, 2),
        gewicht=rng.uniform(10_000, 20_000, size=g),
        eenheden=("uur",) * p,
        naam=f"willekeurig-{g}x{a}x{p}",
    )
