"""Many rules on one set of scenarios, spread over the cores: :func:`evalueer_alle`.

Every rule is :func:`montecarlo.evaluatie.evalueer` on the same spending; this module only
decides where each runs. The rules go in one group per core of about equal work (the
scenarios each passes through the split), this process evaluates the first group and
forked worker processes, which inherit the scenarios without a copy, the others.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from plafond.montecarlo.evaluatie import Evaluatie, Scenarios, evalueer, staart_begin
from plafond.montecarlo.risicodeling import Regel
from plafond.montecarlo.werkruimte import Werkruimte

#: Below this many scenario evaluations (scenarios × rules) the rules run one after the
#: other; above it also in forked worker processes. Threads do not help here: the rule's
#: numpy steps on a cache-sized piece take tens of microseconds, too short to gain from
#: releasing the GIL (two threads measured no faster than one).
PROCESSEN_VANAF = 2**23

_TAAK: dict[str, Any] = {}


def _evalueer_taak(regels: list[Regel]) -> list[Evaluatie]:
    """Rules in a worker process, on the scenarios it inherited from its parent."""
    return _in_volgorde(_TAAK["sc"], regels, _TAAK["reserve"], _TAAK["netto"])


def _in_volgorde(sc: Scenarios, regels: Sequence[Regel], reserve: float,
                 netto: bool) -> list[Evaluatie]:  # fmt: skip
    """The rules one after the other in this process, on one set of scratch arrays."""
    ruimte = Werkruimte()
    return [evalueer(sc, r, reserve, netto=netto, ruimte=ruimte) for r in regels]


def _groepen(sc: Scenarios, regels: Sequence[Regel], aantal: int) -> list[list[int]]:
    """The rules in ``aantal`` groups of about equal work (positions into ``regels``).

    A rule's work is the number of scenarios it passes through the split: those above its
    plafond (every scenario with more pots or a shared onderschrijding). Largest first, each
    to the group with the least work so far.
    """
    n = sc.scenarios

    def werk(r: Regel) -> int:
        if sc.per_pot_c is not None or r.onderschrijding > 0.0:
            return n
        return n - staart_begin(sc, r)[1] + 1

    groepen: list[list[int]] = [[] for _ in range(aantal)]
    last = [0] * aantal
    for i in sorted(range(len(regels)), key=lambda i: -werk(regels[i])):
        g = last.index(min(last))
        groepen[g].append(i)
        last[g] += werk(regels[i])
    return groepen


def evalueer_alle(
    sc: Scenarios, regels: Sequence[Regel], reserve: float = 0.0, *, netto: bool = True
) -> list[Evaluatie]:
    """:func:`evalueer` for every rule; many rules on many scenarios spread over the cores.

    The rules go in one group per core of about equal work (:func:`_groepen`): this process
    evaluates the first group while forked worker processes, which inherit ``sc`` (nothing
    is copied), evaluate the others (measured: 0,23 s against 0,25 s with every group in a
    worker, on 50 plafonds at 2^20). Where the platform cannot fork, or the work is small
    (:data:`PROCESSEN_VANAF`), all rules run in this process. The results are the same
    either way.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from threadpoolctl import threadpool_limits

    werkers = max(1, min(os.cpu_count() or 1, len(regels)))
    klein = sc.scenarios * len(regels) < PROCESSEN_VANAF
    # one BLAS thread each: the workers are the parallelism (a forked child inherits it)
    with threadpool_limits(limits=1, user_api="blas"):
        if werkers == 1 or klein or "fork" not in multiprocessing.get_all_start_methods():
            return _in_volgorde(sc, regels, reserve, netto)
        eigen, *anderen = _groepen(sc, regels, werkers)
        uit: dict[int, Evaluatie] = {}
        _TAAK.update(sc=sc, reserve=reserve, netto=netto)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(werkers - 1, mp_context=context) as pool:
                taken = [pool.submit(_evalueer_taak, [regels[i] for i in g]) for g in anderen]
                eigen_uit = _in_volgorde(sc, [regels[i] for i in eigen], reserve, netto)
                uit |= dict(zip(eigen, eigen_uit, strict=True))
                for g, taak in zip(anderen, taken, strict=True):
                    uit |= dict(zip(g, taak.result(), strict=True))
        finally:
            _TAAK.clear()
    return [uit[i] for i in range(len(regels))]
