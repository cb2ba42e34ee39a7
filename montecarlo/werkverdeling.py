"""Many rules on one set of scenarios, spread over the cores: :func:`evalueer_alle`.

Every rule is :func:`montecarlo.evaluatie.evalueer` on the same spending; this module only
decides where each runs. The rules go in one group per core of about equal work (the
scenarios each passes through the split), this process evaluates the first group and
forked child processes, which inherit the scenarios without a copy, the others.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any

from plafond.montecarlo.evaluatie import Evaluatie, Scenarios, evalueer, staart_begin
from plafond.montecarlo.risicodeling import Regel
from plafond.montecarlo.werkruimte import Werkruimte

#: Below this many scenario evaluations (scenarios × rules) the rules run one after the
#: other; above it also in forked child processes. Threads do not help here: the rule's
#: numpy steps on a cache-sized piece take tens of microseconds, too short to gain from
#: releasing the GIL (two threads measured no faster than one).
PROCESSEN_VANAF = 2**23


def _in_volgorde(sc: Scenarios, regels: Sequence[Regel], reserve: float,
                 netto: bool) -> list[Evaluatie]:  # fmt: skip
    """The rules one after the other in this process, on one set of scratch arrays."""
    ruimte = Werkruimte()
    return [evalueer(sc, r, reserve, netto=netto, ruimte=ruimte) for r in regels]


def _in_kind(sc: Scenarios, regels: Sequence[Regel], reserve: float,
             netto: bool) -> Callable[[], list[Evaluatie]]:  # fmt: skip
    """Fork a child that evaluates ``regels`` on the ``sc`` it inherits; returns the call
    that waits for its results (or raises its error).

    A bare ``os.fork`` with a pipe: a ``ProcessPoolExecutor`` took 13-16 ms to start and
    stop against 7 ms, on a process holding a run of 2^20 scenarios.
    """
    lees, schrijf = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, send the results or the error, leave at once
        code = 0
        try:
            os.close(lees)
            try:
                bericht: tuple[str, Any] = ("ok", _in_volgorde(sc, regels, reserve, netto))
            except BaseException as fout:  # noqa: BLE001 - handed to the parent as it is
                bericht = ("fout", fout)
            with os.fdopen(schrijf, "wb") as f:
                pickle.dump(bericht, f, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            code = 1
        finally:
            os._exit(code)
    os.close(schrijf)

    def wacht() -> list[Evaluatie]:
        try:
            with os.fdopen(lees, "rb") as f:
                soort, inhoud = pickle.load(f)
        except EOFError:
            raise RuntimeError("een rekenproces voor de regels stopte zonder uitkomst") from None
        finally:
            os.waitpid(pid, 0)
        if soort == "fout":
            raise inhoud
        return inhoud

    return wacht


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
    evaluates the first group while forked child processes (:func:`_in_kind`), which
    inherit ``sc`` (nothing is copied), evaluate the others (measured: 0,23 s against 0,25 s
    with every group in a worker, on 50 plafonds at 2^20). Where the platform cannot fork
    (Windows), or the work is small (:data:`PROCESSEN_VANAF`), all rules run in this
    process. The results are the same either way.
    """
    from threadpoolctl import threadpool_limits

    werkers = max(1, min(os.cpu_count() or 1, len(regels)))
    klein = sc.scenarios * len(regels) < PROCESSEN_VANAF
    # one BLAS thread each: the workers are the parallelism (a forked child inherits it)
    with threadpool_limits(limits=1, user_api="blas"):
        if werkers == 1 or klein or not hasattr(os, "fork"):
            return _in_volgorde(sc, regels, reserve, netto)
        eigen, *anderen = _groepen(sc, regels, werkers)
        wachten = [(g, _in_kind(sc, [regels[i] for i in g], reserve, netto)) for g in anderen]
        uit: dict[int, Evaluatie] = {}
        try:
            uit |= dict(zip(eigen, _in_volgorde(sc, [regels[i] for i in eigen], reserve,
                                                netto), strict=True))  # fmt: skip
        finally:  # every child is waited for, also when this process's own part fails
            for g, wacht in wachten:
                uit |= dict(zip(g, wacht(), strict=True))
    return [uit[i] for i in range(len(regels))]
