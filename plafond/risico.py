"""Risk-aware allocation at the front door: scenario rows from montecarlo to optimize.

``optimize`` and ``montecarlo`` never import each other; this module draws the scenario
rows (:func:`montecarlo.scenariorijen.scenario_rijen`), turns them into the plain arrays
of :class:`optimize.risico.RisicoScenarios`, solves, and checks the allocation out of
sample on fresh draws (seed + 1 by default) with the same spending formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from plafond.cases import Case, framework

#: Default number of scenario rows in the model, and of fresh draws in the check.
STANDAARD_S = 1000
STANDAARD_TOETS_N = 2**16
#: Up to this many rows a --kans uses the exact chance constraint (binaries) by default.
BINAIR_TOT = 200


def risico_scenarios(case: Case, pr: Any, n: int, *, seed: int, methode: str = "mc",
                     opslag_overig: float = 0.0):  # fmt: skip
    """Scenario rows of ``case`` as :class:`optimize.risico.RisicoScenarios`.

    The partners' demand in scenario s is each gebied and product's drawn volume times
    the share the deterministic model leaves to the partners (``vraag_rest / vraag``);
    the overige are paid ``framework.tarief(product, overig) × (1 + opslag_overig)`` per
    eenheid the partners do not deliver.
    """
    from plafond.montecarlo.scenariorijen import scenario_rijen
    from plafond.optimize.risico import RisicoScenarios

    rijen = scenario_rijen(case, n, seed=seed, methode=methode)
    gi = {g: i for i, g in enumerate(pr.gebieden)}
    pi = {p: i for i, p in enumerate(pr.producten)}
    vraag = np.zeros((n, len(gi), len(pi)))
    for j, v in enumerate(case.vraag):
        vraag[:, gi[v.gebied], pi[v.product]] += rijen.volume[:, j]
    aandeel = np.divide(pr.vraag_rest, pr.vraag, out=np.zeros_like(pr.vraag), where=pr.vraag > 0)
    overig = next((a.id for a in case.aanbieders if a.rol == "overig"), None)
    prijs = np.array([_tarief(case, p, overig) for p in pr.producten]) * (1.0 + opslag_overig)
    return RisicoScenarios(rijen.overige, vraag * aandeel[None], np.tile(prijs, (len(gi), 1)))


def _tarief(case: Case, product: str, aanbieder: str | None) -> float:
    try:
        return framework.tarief(case, product, aanbieder)
    except KeyError:
        return 0.0


@dataclass(frozen=True)
class Toets:
    """Out-of-sample check: overschrijdingskans (Wilson 95 %) of an allocation on fresh draws."""

    overschrijdingskans: float
    interval: tuple[float, float]
    n: int
    seed: int
    cvar95_overschrijding: float

    def to_dict(self) -> dict[str, Any]:
        """``{overschrijdingskans, interval, n, seed}``."""
        return {"overschrijdingskans": self.overschrijdingskans, "interval": list(self.interval),
                "n": self.n, "seed": self.seed,
                "cvar95_overschrijding": round(self.cvar95_overschrijding, 2)}  # fmt: skip


def toets(pr: Any, allocatie: Any, sc: Any, seed: int) -> Toets:
    """The overschrijdingskans of ``allocatie`` (an optimize.Allocatie) on rows ``sc``."""
    from plafond.montecarlo.schatters import wilson
    from plafond.optimize.risico import CVAR_NIVEAU, _cvar, bedrag_volume, uitgaven

    bedrag, volume = bedrag_volume(pr, allocatie)
    l_s = uitgaven(pr, bedrag, volume, sc)
    boven = int(np.count_nonzero(l_s > pr.plafond))
    cvar = _cvar(np.maximum(l_s - pr.plafond, 0.0), CVAR_NIVEAU)
    return Toets(boven / sc.n, wilson(boven, sc.n), sc.n, seed, cvar)


def lumpsum_uit_json(document: Any, bron: str) -> dict[str, float]:
    """Bedrag per aanbieder (euro) from the JSON of ``plafond optimize -o F.json``.

    Raises
    ------
    CaseError
        When ``allocatie`` is missing or a row has no aanbieder or a bedrag that is not a
        number >= 0.
    """
    import math

    from plafond.cases import CaseError

    rijen = document.get("allocatie") if isinstance(document, dict) else None
    if not isinstance(rijen, list) or not rijen:
        raise CaseError(bron, "allocatie", "ontbreekt; verwacht de JSON van plafond optimize -o")
    som: dict[str, float] = {}
    for i, r in enumerate(rijen):
        b = r.get("bedrag") if isinstance(r, dict) else None
        a = r.get("aanbieder") if isinstance(r, dict) else None
        if not isinstance(a, str) or not isinstance(b, int | float) or isinstance(b, bool) \
                or not math.isfinite(b) or b < 0:  # fmt: skip
            raise CaseError(bron, f"allocatie[{i}]",
                            "verwacht aanbieder (tekst) en bedrag (getal >= 0)")  # fmt: skip
        som[a] = som.get(a, 0.0) + float(b)
    return som
