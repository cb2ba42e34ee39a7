"""Infeasible at medium size (100 gebieden x 30 aanbieders x 3 producten), unseen by
the pre-checks: the conflict is named in domain words and measured in euros.

The random medium instance of the benchmark gets a transitie band of 10 % around a
lumpsum of 0,4 x (least cost of covering all demand) / 30 for every aanbieder: the
partners together may receive at most 0,44 x what covering the demand costs, while the
plafond has room to spare. The pre-checks (plafond vs cheapest cover, capaciteit, the
lower edge of the band vs the plafond) all pass; only the upper band conflicts with
dekking. By how much: an independent scipy.optimize.linprog model minimises the total
overshoot of the bands over all covers, sum_a s_a with
    sum_{a} v_gap >= D_gp,  sum_g v_gap <= c_ap,  sum_{k of a} t_k v_k - s_a <= 1,1 L_a,
which is what the elastic model must report (overshooting a band costs 1 per euro;
dropping demand instead costs 2 x the product's mean tarief per unit, more than any t_k).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp
from plafond.optimize import NoFeasibleAllocation, SolverOpties, allocate_problem
from plafond.optimize.model import Doel
from plafond.optimize.onhaalbaar import voorcontroles
from plafond.optimize.voorbeeld import willekeurig_probleem
from scipy.optimize import linprog


def dekking_en_capaciteit(pr) -> tuple[sp.csr_array, np.ndarray]:
    """Rows A v <= b: -cover per (gebied, product), capaciteit per (aanbieder, product)."""
    k, n_p = pr.n_combos, len(pr.producten)
    kk = np.arange(k)
    gp = pr.combo_gebied * n_p + pr.combo_product
    ap = pr.combo_aanbieder * n_p + pr.combo_product
    n_gp = len(pr.gebieden) * n_p
    dek = sp.csr_array((-np.ones(k), (gp, kk)), shape=(n_gp, k))
    cap = sp.csr_array((np.ones(k), (ap, kk)), shape=(pr.capaciteit.size, k))
    eindig = np.isfinite(pr.capaciteit.ravel())
    a = sp.vstack([dek, cap[eindig]]).tocsr()
    return a, np.concatenate([-pr.vraag_rest.ravel(), pr.capaciteit.ravel()[eindig]])


def minste_kosten(pr) -> float:
    a, b = dekking_en_capaciteit(pr)
    res = linprog(pr.tarief, A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    assert res.status == 0
    return res.fun


def minste_overschrijding(pr, band: float) -> float:
    """min sum_a s_a: how far the upper transitie bands must give way to cover demand."""
    a_dc, b_dc = dekking_en_capaciteit(pr)
    k, n_a = pr.n_combos, len(pr.aanbieders)
    per_a = sp.csr_array((pr.tarief, (pr.combo_aanbieder, np.arange(k))), shape=(n_a, k))
    a_ub = sp.vstack(
        [sp.hstack([a_dc, sp.csr_array((a_dc.shape[0], n_a))]), sp.hstack([per_a, -sp.eye(n_a)])]
    )
    b_ub = np.concatenate([b_dc, (1 + band) * pr.lumpsum])
    c = np.concatenate([np.zeros(k), np.ones(n_a)])
    res = linprog(c, A_ub=a_ub.tocsr(), b_ub=b_ub, bounds=(0, None), method="highs")
    assert res.status == 0
    return res.fun


# ipm_vanaf_rijen=0: main solve and elastic model by interior point, as above 20.000 rows
@pytest.mark.parametrize("ipm_vanaf_rijen", [20_000, 0], ids=["simplex", "ipm"])
def test_medium_transitie_against_dekking_is_named_in_euros(ipm_vanaf_rijen: int) -> None:
    basis = willekeurig_probleem(100, 30, 3, rng=7)
    kosten = minste_kosten(basis)
    lumpsum = np.full(30, 0.4 * kosten / 30)
    pr = dataclasses.replace(basis, lumpsum=lumpsum, transitie_band=0.1)
    assert voorcontroles(pr, Doel.KOSTEN) == ()  # the cheap checks do not see it
    verwacht = minste_overschrijding(pr, 0.1)
    assert verwacht > 0.5 * kosten  # at least 0,56 x kosten: clearly infeasible
    # the path of large models: no IIS (that may take its whole time limit), only the
    # elastic model, with a generous time limit
    opties = SolverOpties(
        tijdslimiet=120, tijdslimiet_uitleg=120, iis_max_rijen=0, ipm_vanaf_rijen=ipm_vanaf_rijen
    )
    with pytest.raises(NoFeasibleAllocation) as info:
        allocate_problem(pr, "kosten", opties=opties)
    exc = info.value
    assert exc.conflicten and {c.familie for c in exc.conflicten} == {"transitie_max"}
    assert all(c.eenheid == "euro" and c.sleutel in pr.aanbieders for c in exc.conflicten)
    assert sum(c.tekort for c in exc.conflicten) == pytest.approx(verwacht, rel=1e-6)
    tekst = str(exc)
    assert "transitieband (bovengrens) overschreden" in tekst
    eerste = exc.conflicten[0]
    assert f"({eerste.sleutel}): € " in tekst
