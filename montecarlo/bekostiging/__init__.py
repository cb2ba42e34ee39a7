"""The financing arrangements: pure functions from scenario arrays to payments per partner.

Each module holds one arrangement with its maths in the docstring. Every function takes the
cel arrays of :mod:`montecarlo.scenarios` (cells first, scenarios last; any axes in
between, e.g. years, broadcast) and returns the gemeente's payment per partner, summed
over the partner's cells (:mod:`montecarlo.bekostiging.termen`: one vector-matrix product
per partner and term). No loop over scenarios; the same functions serve the simulation, the
hand-computed tests and a later optimisation. The overige aanbieders and PGB are always
paid per unit (C); an arrangement decides what the *partners* are paid.
"""

from plafond.montecarlo.bekostiging import bandbreedte, lumpsum, populatie, pxq, staffel, tweedelig

__all__ = ["bandbreedte", "lumpsum", "populatie", "pxq", "staffel", "tweedelig"]
