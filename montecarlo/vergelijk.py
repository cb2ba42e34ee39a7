"""``vergelijk``: the financing arrangements of a case on the same scenarios.

The scenarios are drawn once (:func:`montecarlo.motor.draai`); on every stroom each
arrangement (:mod:`montecarlo.bekostiging`) turns the same cel arrays into a payment per
partner. Per arrangement ``k`` and scenario the gemeente pays ``G_k = sum_i betaling_ki +
C`` (C: the overige, paid per unit in every arrangement) and partner ``i`` makes the
result ``R_ki = betaling_ki - kosten_i`` (its volume at the reëel tarief, price shock
included). What is kept of every stroom is :mod:`montecarlo.verzamelaar`: ``G`` per
scenario (``K`` floats per scenario), the sums for the means, se's, counts and paired
differences, and the lower part of every ``R`` for its p5. Paired on common random numbers,
the difference of two arrangements has a far smaller se than that of two separate runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from plafond.montecarlo import schatters
from plafond.montecarlo.bekostiging import bandbreedte, lumpsum, populatie, pxq, staffel, tweedelig
from plafond.montecarlo.motor import Model, draai
from plafond.montecarlo.resultaat import SimulatieResultaat
from plafond.montecarlo.scenarios import Scenarios
from plafond.montecarlo.simulatie import STANDAARD_N, nieuwe_seed, resultaat_uit
from plafond.montecarlo.verzamelaar import (
    KANDIDATEN,
    Verzamelaar,
    VerzamelaarJaren,
    delen,
)
from plafond.montecarlo.werkruimte import Werkruimte

if TYPE_CHECKING:
    from plafond.cases import Case
    from plafond.cases.levering import Variant

FloatArray = NDArray[np.float64]
Functie = Callable[[Scenarios, Werkruimte], FloatArray]

#: The comparison without ``varianten`` in the case.
STANDAARD_VARIANTEN = ("pxq", "lumpsum", "populatie")


def _functie(variant: Variant, case: Case, model: Model) -> Functie:
    """The arrangement as a function of one stroom's scenario arrays (and the worker's scratch
    arrays) → ``(P, m)`` euro."""
    cellen = model.cellen
    soort = variant.soort
    if soort == "pxq":
        return lambda sc, r: pxq.betaling(sc.volume, cellen, r)
    if soort == "lumpsum":
        return lambda sc, r: lumpsum.betaling(sc.overige, model.vaste_uitgaven, model.lumpsum,
                                              model.regel, model.reeds_betaald, r,
                                              sc.terugvordering)  # fmt: skip
    if soort == "tweedelig":
        return lambda sc, r: tweedelig.betaling(sc.volume, cellen, variant.vast, variant.variabel,
                                                r)  # fmt: skip
    if soort == "staffel":
        return lambda sc, r: staffel.betaling(
            sc.volume, cellen, variant.grenzen, variant.tarieven, r
        )
    if soort == "bandbreedte":
        return lambda sc, r: bandbreedte.betaling(
            sc.volume, sc.clienten, cellen, minimum=variant.minimum, maximum=variant.maximum,
            boven=variant.boven, evaluatie=variant.evaluatie, ruimte=r,
        )  # fmt: skip
    w = variant.gewichten
    g = case.gebieden
    gewicht = populatie.gewichten(
        [x.inwoners for x in g], [x.aandeel_75plus or 0.0 for x in g],
        [x.aandeel_85plus or 0.0 for x in g], [x.aandeel_laag_inkomen or 0.0 for x in g],
        basis=w.basis, w75=w.aandeel_75plus, w85=w.aandeel_85plus, wli=w.aandeel_laag_inkomen,
    )  # fmt: skip
    # by default the population budget is the partners' whole-year money: B plus what was
    # already paid to them (kader.reeds_betaald)
    reeds = 0.0 if model.reeds_betaald is None else float(model.reeds_betaald.sum())
    totaal = float(model.lumpsum.sum()) + reeds if variant.totaal is None else variant.totaal
    budget = populatie.budget_per_cel(cellen, gewicht, totaal)
    return lambda sc, r: populatie.betaling(sc.volume, cellen, budget, corridor=variant.corridor,
                                            nacalculatie=variant.nacalculatie,
                                            ruimte=r)  # fmt: skip


def kies_varianten(case: Case, namen: Sequence[str] | None = None) -> dict[str, Variant]:
    """The arrangements to compare: ``namen`` from the case's ``varianten`` (or a soort).

    Without ``namen``: the case's ``varianten``, or else pxq, lumpsum and populatie with
    their defaults.

    Raises
    ------
    ValueError
        For a name that is neither a variant of the case nor a soort (message in Dutch).
    """
    from plafond.cases.levering import SOORTEN, Variant

    if namen is None:
        if case.varianten:
            return dict(case.varianten)
        namen = STANDAARD_VARIANTEN
    uit = {}
    for naam in namen:
        if naam in case.varianten:
            uit[naam] = case.varianten[naam]
        elif naam in SOORTEN:
            uit[naam] = Variant(soort=naam)
        else:
            bekend = sorted(set(case.varianten) | set(SOORTEN))
            raise ValueError(f"onbekende variant {naam!r}; bekend zijn: {', '.join(bekend)}")
    if not uit:
        raise ValueError("geen varianten om te vergelijken")
    return uit


def _over_de_looptijd(case: Case, model: Model, gekozen: Mapping[str, Variant], n: int,
                      seed: int, methode: str, werkers: int | None, kandidaten: float) -> tuple[
                          Verzamelaar, SimulatieResultaat, FloatArray, float]:  # fmt: skip
    """The arrangements summed over the term (:mod:`montecarlo.jaren`, index path).

    Every year's arrangement sees that year's cel arrays and the model of that year
    (:func:`~montecarlo.jaren.jaar_model`); returns the collector, the simulate result
    (year 1 and the term), the summed payments and the plafond summed over the years.
    """
    from dataclasses import replace

    from plafond.montecarlo import jaren
    from plafond.montecarlo.paden import paden_uit

    paden = paden_uit(case.kader)
    regels = jaren.regels_per_jaar(model, paden)
    per_jaar = []
    for t in range(paden.jaren):
        m_t = jaren.jaar_model(model, paden, regels, t)
        f = paden.niveau[t] * paden.korting[t]
        varianten = [v.model_copy(update={"totaal": v.totaal * f}) if v.totaal else v
                     for v in gekozen.values()]  # fmt: skip
        per_jaar.append([_functie(v, case, m_t) for v in varianten])
    plafond = float(sum(r.plafond.sum() for r in regels))
    verz = VerzamelaarJaren(per_jaar, n, model.lumpsum.size, plafond, kandidaten)
    ruw = jaren.draai_jaren(model, paden, n, seed=seed, methode=methode, werkers=werkers,
                            extra=verz)  # fmt: skip
    partners = list(model.partners)
    breed = jaren._rijen(model, paden.jaren) - len(jaren._ALGEMEEN) - len(jaren._PARTNER) * len(
        partners)  # fmt: skip
    sommen = ruw.sommen[breed:]
    simulatie = resultaat_uit(model, ruw.jaar1, case=case.naam, seed=seed, methode=methode,
                              partners=partners, overnemen=True)  # fmt: skip
    meerjarig = jaren.jaren_uit(model, paden, ruw.sommen[:breed], n, case.jaar, partners)
    return verz, replace(simulatie, meerjarig=meerjarig), sommen, plafond


@dataclass(frozen=True)
class VergelijkResultaat:
    """What :func:`vergelijk` returns; every estimate with its standard error (euro).

    Attributes
    ----------
    case, scenarios, seed, methode, plafond
        The run and plafond A.
    varianten
        DataFrame indexed by naam: soort.
    gemeente
        DataFrame indexed by naam: verwacht, se, sd, p95, cvar95 (the gemeente's total
        cost, partners plus C) and kans_boven_plafond (P(cost > A), fraction).
    aanbieders
        DataFrame indexed by (naam, aanbieder): betaling, kosten (its volume at the reëel
        tarief), resultaat (betaling − kosten), se, kans_verlies, p5_resultaat.
    risico
        DataFrame indexed by naam: sd_gemeente, sd_aanbieders (of the partners' summed
        result), aandeel_gemeente (var gemeente / (var gemeente + var aanbieders)).
    verschillen
        DataFrame with van, naar, verwacht (E[G_naar − G_van]) and se, every pair once.
    simulatie
        The run's own ``simulate`` result (the case's lumpsum and rule), same scenarios.
    kosten_per_scenario
        The gemeente's cost per arrangement and scenario, ``(K, n)``, in scenario order
        (paired: column ``s`` is one scenario; read-only).
    """

    case: str
    scenarios: int
    seed: int
    methode: str
    plafond: float
    varianten: pd.DataFrame
    gemeente: pd.DataFrame
    aanbieders: pd.DataFrame
    risico: pd.DataFrame
    verschillen: pd.DataFrame
    simulatie: SimulatieResultaat
    kosten_per_scenario: FloatArray

    def to_dict(self) -> dict[str, Any]:
        """The ``plafond vergelijk --json`` of issue 12 (money rounded to the cent)."""

        def euro(x: float) -> float:
            return round(float(x), 2)

        uit = []
        for naam, soort in self.varianten["soort"].items():
            g = self.gemeente.loc[naam]
            r = self.risico.loc[naam]
            aanbieders = {
                a: {
                    "betaling": euro(row.betaling),
                    "kosten": euro(row.kosten),
                    "resultaat": euro(row.resultaat),
                    "se": euro(row.se),
                    "kans_verlies": float(row.kans_verlies),
                    "p5_resultaat": euro(row.p5_resultaat),
                }
                for a, row in self.aanbieders.loc[naam].iterrows()
            }
            uit.append({
                "naam": naam,
                "soort": soort,
                "gemeente": {k: euro(g[k]) for k in ("verwacht", "se", "sd", "p95", "cvar95")}
                | {"kans_boven_plafond": float(g["kans_boven_plafond"])},
                "aanbieders": aanbieders,
                "risico": {"sd_gemeente": euro(r.sd_gemeente),
                           "sd_aanbieders": euro(r.sd_aanbieders),
                           "aandeel_gemeente": float(r.aandeel_gemeente)},
            })  # fmt: skip
        return {
            "case": self.case,
            "scenarios": self.scenarios,
            "seed": self.seed,
            "methode": self.methode,
            "plafond": euro(self.plafond),
            "varianten": uit,
            "verschillen": [
                {"van": r.van, "naar": r.naar, "verwacht": euro(r.verwacht), "se": euro(r.se)}
                for r in self.verschillen.itertuples()
            ],
        }


def _gemeente_cijfers(g: FloatArray, som: float, kwadraat: float, boven: float,
                      n: int) -> dict[str, float]:  # fmt: skip
    """One arrangement's gemeente row from its cost per scenario ``g`` and summed rows."""
    gem, se = schatters.gemiddelde_se(som, kwadraat, n)
    p95, cvar95 = schatters.kwantiel_en_cvar(g, 0.95)
    return {
        "verwacht": gem, "se": se, "sd": se * np.sqrt(n), "p95": p95, "cvar95": cvar95,
        "kans_boven_plafond": float(boven / n),
    }  # fmt: skip


def _tabellen(namen: list[str], verz: Verzamelaar, sommen: FloatArray, p5: list[float | None],
              partners: list[str]) -> dict[str, pd.DataFrame]:  # fmt: skip
    """The result tables from the collector's summed rows, its ``G`` and the p5 per row."""
    k_n, p, n = len(namen), len(partners), verz.n
    d = delen(sommen, k_n, p)
    gemeente, aanbieders, risico = [], [], []
    for k in range(k_n):
        rij = _gemeente_cijfers(verz.gemeente[k], d["g_som"][k], d["g_kwadraat"][k],
                                d["g_boven"][k], n)  # fmt: skip
        gemeente.append(rij)
        for i in range(p):
            gem, se = schatters.gemiddelde_se(d["r_som"][k, i], d["r_kwadraat"][k, i], n)
            aanbieders.append({
                "betaling": d["betaling"][k, i] / n, "kosten": d["kosten"][i] / n,
                "resultaat": gem, "se": se, "kans_verlies": float(d["r_verlies"][k, i] / n),
                "p5_resultaat": p5[k * p + i],
            })  # fmt: skip
        _, se_a = schatters.gemiddelde_se(d["a_som"][k], d["a_kwadraat"][k], n)
        var_g, var_a = rij["sd"] ** 2, se_a**2 * n
        risico.append({
            "sd_gemeente": np.sqrt(var_g), "sd_aanbieders": np.sqrt(var_a),
            "aandeel_gemeente": var_g / (var_g + var_a) if var_g + var_a > 0 else float("nan"),
        })  # fmt: skip
    paren = [(i, j) for i in range(k_n) for j in range(i + 1, k_n)]
    verschillen = []
    for q, (i, j) in enumerate(paren):
        gem, se = schatters.gemiddelde_se(d["d_som"][q], d["d_kwadraat"][q], n)
        verschillen.append({"van": namen[i], "naar": namen[j], "verwacht": gem, "se": se})
    index = pd.Index(namen, name="naam")
    return {
        "gemeente": pd.DataFrame(gemeente, index=index),
        "aanbieders": pd.DataFrame(
            aanbieders, index=pd.MultiIndex.from_product([namen, partners],
                                                          names=["naam", "aanbieder"])),
        "risico": pd.DataFrame(risico, index=index),
        "verschillen": pd.DataFrame(verschillen, columns=["van", "naar", "verwacht", "se"]),
    }  # fmt: skip


def _eens(case: Case, model: Model, gekozen: Mapping[str, Variant], n: int, seed: int,
          methode: str, werkers: int | None, voortgang: Callable[[int, int], None] | None,
          kandidaten: float,
          ) -> tuple[Verzamelaar, SimulatieResultaat, FloatArray, float]:  # fmt: skip
    """One run of the engine with the collector: (collector, simulate result, sums, plafond)."""
    if case.kader.looptijd > 1:
        return _over_de_looptijd(case, model, gekozen, n, seed, methode, werkers, kandidaten)
    functies = [_functie(v, case, model) for v in gekozen.values()]
    verz = Verzamelaar(functies, n, len(model.partners), model.plafond, kandidaten)
    ruw = draai(model, n, seed=seed, methode=methode, werkers=werkers, voortgang=voortgang,
                extra=verz)  # fmt: skip
    simulatie = resultaat_uit(model, ruw, case=case.naam, seed=seed, methode=methode,
                              partners=list(model.partners), overnemen=True)  # fmt: skip
    return verz, simulatie, ruw.sommen["extra"], model.plafond


def vergelijk(
    case: Case,
    n: int = STANDAARD_N,
    *,
    seed: int | None = None,
    methode: str = "mc",
    varianten: Sequence[str] | Mapping[str, Variant] | None = None,
    werkers: int | None = None,
    voortgang: Callable[[int, int], None] | None = None,
) -> VergelijkResultaat:
    """Compare the financing arrangements of ``case`` on the same scenarios.

    Parameters
    ----------
    case
        A validated Case.
    n, seed, methode, werkers, voortgang
        As :func:`montecarlo.simulate` (same seed and n: the same scenarios).
    varianten
        Names (of the case's ``varianten``, or a soort with its defaults), a mapping
        naam → ``Variant``, or None (:func:`kies_varianten`).

    Raises
    ------
    ValueError
        For an unknown variant, methode, n or seed (messages in Dutch).
    """
    from plafond.montecarlo.model import bouw_model

    if seed is None:
        seed = nieuwe_seed()
    if int(seed) != seed or seed < 0:
        raise ValueError(f"seed moet een niet-negatief geheel getal zijn, niet {seed!r}")
    gekozen = dict(varianten) if isinstance(varianten, Mapping) else kies_varianten(
        case, varianten)  # fmt: skip
    model = bouw_model(case)
    if model.cellen is None or not model.cellen.aantal:
        raise ValueError("vergelijk vraagt vraag-regels met partners (geen cellen in de case)")
    namen = list(gekozen)
    # the p5's lower part is almost never too small; when it is, run again keeping all
    for kandidaten in (KANDIDATEN, 1.0):
        verz, simulatie, sommen, plafond = _eens(case, model, gekozen, n, int(seed), methode,
                                                 werkers, voortgang, kandidaten)  # fmt: skip
        p5 = verz.p5()
        if None not in p5:
            break
    tabellen = _tabellen(namen, verz, sommen, p5, list(model.partners))
    verz.gemeente.flags.writeable = False
    soorten = pd.DataFrame({"soort": [v.soort for v in gekozen.values()]},
                           index=pd.Index(namen, name="naam"))  # fmt: skip
    return VergelijkResultaat(
        case=case.naam, scenarios=n, seed=int(seed), methode=methode, plafond=plafond,
        varianten=soorten, simulatie=simulatie, kosten_per_scenario=verz.gemeente, **tabellen,
    )  # fmt: skip
