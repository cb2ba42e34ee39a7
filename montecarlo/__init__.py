"""How risky it is: distributions, sampling (MC, Sobol, LHS, copula), the risk-sharing rule,
risk measures with their standard errors. Never imports ``optimize``.
"""

from plafond.montecarlo.copula import correlatiematrix, factor
from plafond.montecarlo.resultaat import SimulatieResultaat
from plafond.montecarlo.risicodeling import Regel, terugvordering
from plafond.montecarlo.simulatie import STANDAARD_N, simulate
from plafond.montecarlo.steekproef import METHODES, LatinHypercube, MonteCarlo, Sobol
from plafond.montecarlo.verdelingen import FAMILIES, Marginaal, marginaal
from plafond.montecarlo.vergelijk import VergelijkResultaat, vergelijk

__all__ = [
    "FAMILIES",
    "METHODES",
    "STANDAARD_N",
    "LatinHypercube",
    "Marginaal",
    "MonteCarlo",
    "Regel",
    "SimulatieResultaat",
    "Sobol",
    "VergelijkResultaat",
    "correlatiematrix",
    "factor",
    "marginaal",
    "simulate",
    "terugvordering",
    "vergelijk",
]
