"""`plafond prognose CASE --realisatie F`: the year end forecast from the declarations so far."""

from __future__ import annotations

import argparse

from plafond.commands._common import (
    add_case_argument,
    add_simulatie_arguments,
    load_case_from_args,
    print_json,
    simulatie_meldingen,
)
from plafond.fmt import euro, tabel


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("prognose", help="jaareinde voorspellen uit de declaraties tot nu toe")
    add_case_argument(p)
    p.add_argument(
        "--realisatie",
        required=True,
        metavar="F.csv|F.xlsx",
        help="declaraties: periode, gebied, aanbieder, product, volume en/of bedrag",
    )
    p.add_argument(
        "--tot",
        default=None,
        metavar="JJJJ-MM-DD",
        help="gerealiseerd tot deze datum (standaard: de laatste periode)",
    )
    add_simulatie_arguments(p)
    p.add_argument("--json", action="store_true", help="het resultaat als JSON op stdout")
    p.set_defaults(run=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Read the realisations, forecast the year end, print it."""
    from plafond.cases.realisatie import lees_realisatie
    from plafond.commands.simulate import render
    from plafond.montecarlo.prognose import prognose

    case = load_case_from_args(args)
    realisatie = lees_realisatie(args.realisatie, case, args.tot)
    with simulatie_meldingen(args.case):
        res = prognose(case, realisatie, args.n, seed=args.seed, methode=args.methode)
    if args.json:
        print_json(res.to_dict())
        return 0
    v = res.voorschotten
    print(res.waarschuwing[0].upper() + res.waarschuwing[1:])
    print(f"Gerealiseerd tot {res.tot}: {euro(res.bedrag)} gedeclareerd\n")
    print(render(res.simulatie))
    print()
    print(tabel(
        ["partner", "voorschot per kwartaal", "betaald", "verwachte afrekening", "saldo"],
        [[a, euro(r.per_kwartaal), euro(r.betaald), euro(r.verwachte_afrekening), euro(r.saldo)]
         for a, r in v.iterrows()],
    ))  # fmt: skip
    return 0
