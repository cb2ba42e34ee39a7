"""optimize.highs.compileer on a small hand-made model: bounds, rows and the HighsLp."""

from __future__ import annotations

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
from plafond.optimize.highs import compileer, los_op


def _model() -> pyo.ConcreteModel:
    """min x + 2y + 3w, x + y + w >= 4, x - y <= 1, y + w == 2, with bounds of every kind:
    a domain's, a number's, both (the tighter counts), a mutable Param's, and a binary."""
    m = pyo.ConcreteModel()
    m.p = pyo.Param(mutable=True, initialize=0.5)
    m.x = pyo.Var(domain=pyo.NonNegativeReals, bounds=(-3.0, 2.5))  # (0, 2.5)
    m.y = pyo.Var(domain=pyo.Reals, bounds=(None, 7))  # (-inf, 7)
    m.w = pyo.Var(domain=pyo.Reals, bounds=(m.p, None))  # (0.5, inf) through a Param
    m.b = pyo.Var(domain=pyo.Binary)
    m.doel = pyo.Objective(expr=m.x + 2 * m.y + 3 * m.w + m.b)
    m.r1 = pyo.Constraint(expr=m.x + m.y + m.w + m.b >= 4)
    m.r2 = pyo.Constraint(expr=m.x - m.y <= 1)
    m.r3 = pyo.Constraint(expr=m.y + m.w == 2)
    return m


@pytest.mark.parametrize("met_param", [True, False])
def test_bounds_equal_pyomo_per_column(met_param: bool) -> None:
    m = _model()
    if not met_param:  # every bound a plain number: the array path, not VarData.bounds
        m.w.setlb(0.5)
    mat = compileer(m)
    inf = highspy.kHighsInf
    for i, v in enumerate(mat.kolommen):
        lb, ub = v.bounds
        assert mat.kolom_onder[i] == (-inf if lb is None else lb), v.name
        assert mat.kolom_boven[i] == (inf if ub is None else ub), v.name
        assert bool(mat.geheel[i]) == v.is_integer(), v.name
    assert mat.is_mip and mat.n_rijen == 3


def test_highslp_holds_the_same_model_and_solves_alike() -> None:
    mat = compileer(_model())
    lp = mat.lp
    assert np.array_equal(lp.col_cost_, mat.kosten)
    assert np.array_equal(lp.col_lower_, mat.kolom_onder)
    assert np.array_equal(lp.row_upper_, mat.rij_boven)
    assert np.array_equal(lp.a_matrix_.value_, mat.a.data)
    # by hand: w = 2 - y, so the cost is x - y + 6 + b with x >= 2 - b (row 1), y >= x - 1
    # (row 2) and y <= 1.5 (w >= 0.5): x - y is least at y = 1.5, x = 2 - b, cost 6.5
    # for b = 0 and for b = 1
    opl = los_op(mat)
    assert opl.doelwaarde == pytest.approx(6.5)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    h.run()
    assert h.getInfo().objective_function_value + mat.offset == pytest.approx(6.5)
