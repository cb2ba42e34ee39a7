"""How risky it is: distributions, sampling (MC, Sobol, LHS, copula), the risk-sharing rule,
risk measures with their standard errors. Never imports ``optimize``.
"""

from montecarlo.copula import correlatiematrix, factor
from montecarlo.resultaat import SimulatieResultaat
from montecarlo.risicodeling import Regel, terugvordering
from montecarlo.simulatie import STANDAARD_N, simulate
from montecarlo.steekproef import METHODES, LatinHypercube, MonteCarlo, Sobol
from montecarlo.verdelingen import FAMILIES, Marginaal, marginaal

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
    "correlatiematrix",
    "factor",
    "marginaal",
    "simulate",
    "terugvordering",
]
