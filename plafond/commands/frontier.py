"""`plafond frontier CASE`: plafond → overschrijdingskans and terugvordering, one simulation."""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from typing import TYPE_CHECKING

from plafond.commands._common import (
    Balk,
    add_case_argument,
    add_simulatie_arguments,
    check_output_suffix,
    load_case_from_args,
    print_json,
    simulatie_meldingen,
)
from plafond.commands._keuze import add_precisie_arguments, met_precisie, seed_van
from plafond.commands.simulate import VOORTGANG_VANAF
from plafond.fmt import euro, getal, procent, tabel
from plafond.keuze_uitvoer import UITVOER, schrijf

if TYPE_CHECKING:
    from plafond.montecarlo.frontier import FrontierResultaat


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("frontier", help="plafond tegen kans en terugvordering, uit één simulatie")
    add_case_argument(p)
    p.add_argument("--van", type=float, default=None, help="laagste plafond (euro; standaard p50)")
    p.add_argument("--tot", type=float, default=None, help="hoogste plafond (standaard p99,5)")
    p.add_argument("--stappen", type=int, default=21, help="aantal plafonds (standaard 21)")
    add_simulatie_arguments(p)
    add_precisie_arguments(p)
    p.add_argument("-o", "--output", default=None, help="schrijf naar .json, .csv, .xlsx of .html")
    p.add_argument("--json", action="store_true", help="het resultaat als JSON op stdout")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.set_defaults(run=run)


def maat(res: FrontierResultaat):
    """The precision of a frontier: its widest interval, its worst relative se."""
    from plafond.montecarlo.precisie import Maat

    breedte = float(((res.punten["ci_hoog"] - res.punten["ci_laag"]) / 2).max())
    t = res.terugvordering[res.terugvordering["verwacht"] > 0]
    rel = float((t["se"] / t["verwacht"]).max()) if len(t) else math.nan
    return Maat(breedte, rel)


def run(args: argparse.Namespace) -> int:
    """Compute the frontier and print (or write) it."""
    from plafond.montecarlo.frontier import frontier

    case = load_case_from_args(args)
    uit = check_output_suffix(args.output, UITVOER) if args.output else None
    with simulatie_meldingen(args.case):
        seed = seed_van(args)
        stil = args.json or args.quiet or (args.n < VOORTGANG_VANAF and args.precisie is None)

        def draai_n(n: int) -> FrontierResultaat:
            return frontier(case, n=n, seed=seed, methode=args.methode, van=args.van,
                            tot=args.tot, stappen=args.stappen,
                            voortgang=None if stil else Balk())  # fmt: skip

        res, precisie = met_precisie(args, draai_n, maat)
    if precisie is not None:
        res = replace(res, precisie=precisie)
    if uit is not None:
        schrijf_frontier(res, uit, case_plafond(case))
    if args.json:
        print_json(res.to_dict())
    else:
        print(render(res))
    return 0


def case_plafond(case) -> float:
    """Plafond A of the case (euro)."""
    from plafond.cases import framework

    return float(framework.kader(case).plafond)


def tabellen(res: FrontierResultaat):
    """The frontier's two tables for a workbook or a page."""
    from plafond.xlsx import Tabel

    geld = ("plafond", "verwachte_overschrijding", "verwachte_overschrijding_se",
            "cvar95_overschrijding", "terugvordering_totaal", "netto_kosten")  # fmt: skip
    procenten = ("overschrijdingskans", "ci_laag", "ci_hoog")
    punten = Tabel(
        res.punten.reset_index(drop=True),
        {k: "euro" for k in geld} | {k: "procent2" for k in procenten},
    )
    terug = res.terugvordering.reset_index()
    terug.insert(1, "plafond", res.punten["plafond"].repeat(len(terug) // len(res.punten)).values)
    partners = Tabel(
        terug.drop(columns="punt"),
        {k: "euro" for k in ("plafond", "lumpsum", "verwacht", "se", "p95")}
        | {"kans": "procent", "aandeel_lumpsum": "procent2"},
    )
    return {"frontier": punten, "terugvordering": partners}


def schrijf_frontier(res: FrontierResultaat, pad, plafond: float | None = None) -> None:
    """Write the frontier: JSON, the points as CSV, a workbook or a page with the plot."""
    from plafond import keuze_plots

    kop = f"{getal(res.scenarios, 0)} scenario's ({res.methode}, seed {res.seed})"
    schrijf(
        pad,
        document=res.to_dict(),
        bladen=tabellen(res),
        figuur=keuze_plots.frontier(res.punten, plafond),
        titel=f"Plafond-frontier {res.case}",
        kop=kop,
    )


def render(res: FrontierResultaat) -> str:
    """The frontier as text (Dutch labels)."""
    kop = (
        f"Frontier {res.case}: {getal(res.scenarios, 0)} scenario's "
        f"({res.methode}, seed {res.seed})"
    )
    rijen = [
        [
            euro(r.plafond),
            f"{procent(r.overschrijdingskans, 2)} ({procent(r.ci_laag, 2)} – "
            f"{procent(r.ci_hoog, 2)})",
            euro(r.verwachte_overschrijding),
            euro(r.terugvordering_totaal),
            euro(r.netto_kosten),
        ]
        for r in res.punten.itertuples()
    ]
    regels = [kop, "", tabel(
        ["plafond", "overschrijdingskans (95%-interval)", "verwachte overschrijding",
         "terugvordering verwacht", "netto kosten gemeente"],
        rijen,
    )]  # fmt: skip
    if res.precisie is not None:
        p = res.precisie
        regels += ["", f"Precisie: halve breedte {procent(p['halve_breedte'], 3)}"
                   f" ({'bereikt' if p['bereikt'] else 'NIET bereikt, maximum n'})"]  # fmt: skip
    return "\n".join(regels)
