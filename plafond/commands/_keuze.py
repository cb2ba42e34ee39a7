"""Pieces the decision commands share: --precisie, the seed, and runs to precision."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

#: As montecarlo.precisie.MAX_N (kept here so building the parser stays light).
MAX_N = 2**24


def add_precisie_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --precisie, --precisie-relatief and --max-n."""
    parser.add_argument(
        "--precisie", type=float, default=None, metavar="H",
        help="trek blokken tot de 95%%-halve breedte van de overschrijdingskans <= H "
        "(fractie, bv. 0.002); -n wordt dan genegeerd",
    )  # fmt: skip
    parser.add_argument(
        "--precisie-relatief", type=float, default=None, metavar="R",
        help="en tot de se van elke verwachte terugvordering <= R maal zijn waarde",
    )  # fmt: skip
    parser.add_argument(
        "--max-n", type=int, default=MAX_N,
        help="hoogstens zoveel scenario's bij --precisie (standaard 2^24)",
    )  # fmt: skip


def seed_van(args: argparse.Namespace) -> int:
    """The seed to use: given, or a fresh one (recorded in the output)."""
    from plafond.montecarlo.simulatie import nieuwe_seed

    return nieuwe_seed() if args.seed is None else int(args.seed)


def met_precisie(
    args: argparse.Namespace, draai_n: Callable[[int], T], meet: Callable[[T], Any]
) -> tuple[T, dict[str, Any] | None]:
    """``draai_n(args.n)``, or, with --precisie, the run to precision and what it reached."""
    if args.precisie is None and args.precisie_relatief is None:
        return draai_n(args.n), None
    from plafond.montecarlo.precisie import tot_precisie

    p = tot_precisie(
        draai_n,
        meet,
        precisie=args.precisie,
        relatief=args.precisie_relatief,
        methode=args.methode,
        max_n=args.max_n,
    )
    return p.resultaat, p.to_dict(args.precisie, args.precisie_relatief)


def n_voor_precisie(args: argparse.Namespace, case: Any, stil: bool) -> int:
    """The n a run of ``case`` (its own lumpsum, ``args.seed``) needs for --precisie; said on
    stderr unless ``stil``."""
    import sys

    import plafond.montecarlo as mc
    from plafond.montecarlo.precisie import maat_simulatie

    res, precisie = met_precisie(
        args, lambda n: mc.simulate(case, n, seed=args.seed, methode=args.methode), maat_simulatie
    )
    if not stil and precisie is not None:
        sys.stderr.write(
            f"precisie: {res.scenarios} scenario's, halve breedte "
            f"{precisie['halve_breedte']:.5f} (bereikt: {precisie['bereikt']})\n"
        )
    return int(res.scenarios)
