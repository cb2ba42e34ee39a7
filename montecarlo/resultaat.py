"""The immutable result of a simulation, its tables, curves and the simulate JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from plafond.cases.geld import rond_geld
from plafond.montecarlo import schatters

FloatArray = NDArray[np.float64]

#: Keys of the simulate JSON that hold euros (rounded to the cent by ``to_dict``).
GELD = frozenset({
    "plafond", "lumpsum", "uitgaven", "verwachte_overschrijding",
    "verwachte_overschrijding_se", "cvar95_overschrijding", "verwacht", "se", "p95",
    "verwachte_kosten", "verwacht_resultaat", "verwacht_tekort", "plafond_bij_kans",
    "plafond_bij_kans_ci95",
})  # fmt: skip
#: Percentiles of spending in the JSON (fractions).
PERCENTIELEN = {"p5": 0.05, "p50": 0.50, "p95": 0.95, "p99": 0.99}


@dataclass(frozen=True)
class SimulatieResultaat:
    """What ``montecarlo.simulate`` returns; every estimate with its uncertainty.

    Attributes
    ----------
    case, scenarios, seed, methode
        The run: case name, number of scenarios, seed used, ``mc``/``sobol``/``lhs``.
    plafond, lumpsum
        A and B (euro).
    uitgaven
        Dict gemiddelde, p5, p50, p95, p99 of total spending B + C (euro).
    overschrijdingskans, overschrijdingskans_ci95
        P(spending > A) (fraction) with its Wilson 95 % interval.
    verwachte_overschrijding, verwachte_overschrijding_se
        E[max(0, spending - A)] (euro) and its standard error.
    cvar95_overschrijding
        Mean overschrijding in the worst 5 % of scenarios (euro).
    terugvordering
        DataFrame indexed by aanbieder: lumpsum, verwacht, se, kans, p95, aandeel_lumpsum
        (euro; kans and aandeel_lumpsum as fractions).
    exploitatie
        DataFrame indexed by aanbieder: lumpsum, verwachte_kosten (volume it must deliver
        at the reëel tarief), verwacht_resultaat (lumpsum - terugvordering - kosten), se,
        kans_verlies (fraction), verwacht_tekort (E[max(0, -resultaat)]) — euro.
    kans, plafond_bij_kans
        When asked (``kans=α``): the plafond at which P(spending > plafond) = α, as
        (estimate, lower, upper) of a 95 % order-statistic interval (euro); else None.
    per_pot
        With more than one pot (verdeelsleutel gemeente, product, gemeente_product): per
        pot plafond, uitgaven_gemiddelde, overschrijdingskans, verwachte_overschrijding
        (+ _se), cvar95_overschrijding, plafond_bij_kans (euro; kans a fraction). The
        case-wide overschrijding figures above are then those of the pots (the sum of
        each pot's own overrun, what the rule acts on); else None.
    regionaal
        With more than one pot: overschrijdingskans, verwachte_overschrijding (+ _se) and
        cvar95_overschrijding of the region's total spending against A (an underspend in
        one pot offsetting an overrun in another); else None.
    uitgaven_per_scenario
        Total spending of every scenario, sorted ascending (euro, read-only): the data
        behind the histogram and the exceedance curve. The one float per scenario the
        result keeps.
    cooperaties
        With ``cooperaties`` in the case: per cooperative naam, leden, lumpsum, verwacht
        and se of its terugvordering (euro; :func:`montecarlo.cooperatie.tabel`, which
        says why its se is the sum of its leden's); else None. The rows above stay per lid.
    meerjarig
        With ``looptijd`` > 1: the :class:`~montecarlo.jaren.JarenResultaat` of the term
        (the fields above are then those of year 1, on the same scenarios); else None.
    """

    case: str
    scenarios: int
    seed: int
    methode: str
    plafond: float
    lumpsum: float
    uitgaven: dict[str, float]
    overschrijdingskans: float
    overschrijdingskans_ci95: tuple[float, float]
    verwachte_overschrijding: float
    verwachte_overschrijding_se: float
    cvar95_overschrijding: float
    terugvordering: pd.DataFrame
    exploitatie: pd.DataFrame
    uitgaven_per_scenario: FloatArray = field(repr=False)
    kans: float | None = None
    plafond_bij_kans: tuple[float, float, float] | None = None
    per_pot: pd.DataFrame | None = None
    regionaal: dict[str, float] | None = None
    meerjarig: Any = None
    cooperaties: pd.DataFrame | None = None

    def overschrijdingskans_bij(self, plafonds: FloatArray | float) -> FloatArray:
        """Exceedance function: P(spending > plafond) for each plafond (euro -> fraction)."""
        return schatters.overschrijdingskansen(self.uitgaven_per_scenario, np.asarray(plafonds))

    def overschrijdingscurve(self, punten: int = 101) -> pd.DataFrame:
        """The exceedance curve from the 0.1 % to the 99.9 % spending quantile.

        Returns
        -------
        DataFrame
            Columns plafond (euro), kans, ci_laag, ci_hoog (fractions, Wilson 95 %).
        """
        lo, hi = np.quantile(self.uitgaven_per_scenario, [0.001, 0.999])
        plafonds = np.linspace(lo, hi, punten)
        kansen = self.overschrijdingskans_bij(plafonds)
        n = self.scenarios
        ci = np.array([schatters.wilson(k * n, n) for k in kansen]).reshape(-1, 2)
        return pd.DataFrame(
            {"plafond": plafonds, "kans": kansen, "ci_laag": ci[:, 0], "ci_hoog": ci[:, 1]}
        )

    def histogram(self, bakken: int = 60) -> pd.DataFrame:
        """Histogram of total spending: columns van, tot (euro), aantal, dichtheid (per euro)."""
        aantal, randen = np.histogram(self.uitgaven_per_scenario, bins=bakken)
        breedte = np.diff(randen)
        return pd.DataFrame(
            {
                "van": randen[:-1],
                "tot": randen[1:],
                "aantal": aantal,
                "dichtheid": aantal / (self.scenarios * breedte),
            }
        )

    def plafond_voor_kans(self, kans: float) -> tuple[float, float, float]:
        """The plafond with P(spending > plafond) = ``kans``: (estimate, lower, upper), euro.

        The interval is the distribution-free 95 % interval of the ``1 - kans`` quantile.
        """
        if not 0.0 < kans < 1.0:
            raise ValueError(f"kans moet tussen 0 en 1 liggen, niet {kans!r}")
        return schatters.kwantiel_ci(self.uitgaven_per_scenario, 1.0 - kans, gesorteerd=True)

    def _repr_html_(self) -> str:
        """A small HTML table for Jupyter: overschrijding and terugvordering (escaped)."""
        from html import escape

        def euro(x: float) -> str:
            return "€ " + f"{x:,.0f}".replace(",", ".")

        def pct(x: float) -> str:
            return f"{100 * x:.1f} %".replace(".", ",")

        lo, hi = self.overschrijdingskans_ci95
        kop = (
            f"<table><caption>Simulatie {escape(self.case)}: {self.scenarios} scenario's "
            f"({escape(self.methode)}, seed {self.seed})</caption><tbody>"
            f"<tr><td>plafond A</td><td>{euro(self.plafond)}</td></tr>"
            f"<tr><td>lumpsum B</td><td>{euro(self.lumpsum)}</td></tr>"
            f"<tr><td>overschrijdingskans (95%-interval)</td><td>{pct(self.overschrijdingskans)}"
            f" ({pct(lo)} – {pct(hi)})</td></tr>"
            f"<tr><td>verwachte overschrijding</td><td>{euro(self.verwachte_overschrijding)}"
            f"</td></tr></tbody></table>"
        )
        rijen = "".join(
            f"<tr><td>{escape(str(a))}</td><td>{euro(r.lumpsum)}</td><td>{euro(r.verwacht)}</td>"
            f"<td>{pct(r.kans)}</td><td>{euro(r.p95)}</td></tr>"
            for a, r in self.terugvordering.iterrows()
        )
        return (
            kop + "<table><thead><tr><th>partner</th><th>lumpsum</th><th>terugvordering"
            "</th><th>kans</th><th>p95</th></tr></thead><tbody>" + rijen + "</tbody></table>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The simulate JSON of DESIGN.md, plus ``exploitatie`` and (with kans) the plafond.

        Euros are rounded to the cent (:data:`GELD`); fractions are not.
        """
        terug = {
            a: {
                "verwacht": float(r.verwacht),
                "se": float(r.se),
                "kans": float(r.kans),
                "p95": float(r.p95),
                "aandeel_lumpsum": float(r.aandeel_lumpsum),
            }
            for a, r in self.terugvordering.iterrows()
        }
        uit: dict[str, Any] = {
            "case": self.case,
            "scenarios": self.scenarios,
            "seed": self.seed,
            "methode": self.methode,
            "plafond": self.plafond,
            "lumpsum": self.lumpsum,
            "uitgaven": dict(self.uitgaven),
            "overschrijdingskans": self.overschrijdingskans,
            "overschrijdingskans_ci95": list(self.overschrijdingskans_ci95),
            "verwachte_overschrijding": self.verwachte_overschrijding,
            "verwachte_overschrijding_se": self.verwachte_overschrijding_se,
            "cvar95_overschrijding": self.cvar95_overschrijding,
            "terugvordering": terug,
            "exploitatie": {
                a: {k: float(v) for k, v in r.items()} for a, r in self.exploitatie.iterrows()
            },
        }
        if self.per_pot is not None:
            uit["per_pot"] = {
                str(k): {c: float(v) for c, v in r.items()} for k, r in self.per_pot.iterrows()
            }
            uit["regionaal"] = dict(self.regionaal or {})
        if self.kans is not None and self.plafond_bij_kans is not None:
            schatting, laag, hoog = self.plafond_bij_kans
            uit["kans"] = self.kans
            uit["plafond_bij_kans"] = schatting
            uit["plafond_bij_kans_ci95"] = [laag, hoog]
        if self.cooperaties is not None:
            uit["cooperaties"] = {
                str(c): {
                    "naam": r.naam,
                    "leden": list(r.leden),
                    "lumpsum": float(r.lumpsum),
                    "terugvordering": {"verwacht": float(r.verwacht), "se": float(r.se)},
                }
                for c, r in self.cooperaties.iterrows()
            }
        if self.meerjarig is not None:
            uit |= self.meerjarig.to_dict()
        return rond_geld(uit, GELD)
