"""`plafond regel CASE`: a grid of risk-sharing rules on one simulation, and which meet limits."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from plafond.cases import CaseError
from plafond.commands._common import (
    Balk,
    add_case_argument,
    add_simulatie_arguments,
    check_output_suffix,
    load_case_from_args,
    print_json,
    simulatie_meldingen,
)
from plafond.commands._keuze import seed_van
from plafond.commands.simulate import VOORTGANG_VANAF
from plafond.fmt import euro, getal, procent, tabel
from plafond.keuze_uitvoer import UITVOER, schrijf

if TYPE_CHECKING:
    from plafond.montecarlo.frontier import RegelontwerpResultaat


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("regel", help="ontwerp van de risicoregel: een raster van regels en grenzen")
    add_case_argument(p)
    p.add_argument(
        "--aandeel",
        default="0.3,0.5,0.7",
        help="aandelen partners, komma-gescheiden fracties (standaard 0.3,0.5,0.7)",
    )
    p.add_argument(
        "--drempel", default="0,0.01", help="drempels als fractie van A (standaard 0,0.01)"
    )
    p.add_argument(
        "--maximum",
        default="geen,0.05",
        help="maxima als fractie van de lumpsum, 'geen' voor geen (standaard geen,0.05)",
    )
    p.add_argument(
        "--max-kans",
        type=float,
        default=None,
        help="grens: kans dat de netto overschrijding van de gemeente de reserve "
        "overschrijdt (fractie)",
    )
    p.add_argument(
        "--max-terugvordering",
        type=float,
        default=None,
        help="grens: verwachte terugvordering van elke partner als fractie van zijn lumpsum",
    )
    p.add_argument(
        "--reserve",
        type=float,
        default=0.0,
        help="reserve van de gemeente voor dit budget (euro, standaard 0)",
    )
    p.add_argument(
        "--plafond", type=float, default=None, help="plafond A (standaard dat van de case)"
    )
    add_simulatie_arguments(p)
    p.add_argument("-o", "--output", default=None, help="schrijf naar .json, .csv, .xlsx of .html")
    p.add_argument("--json", action="store_true", help="het resultaat als JSON op stdout")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.set_defaults(run=run)  # fmt: skip


def lijst(tekst: str, veld: str, geen: bool = False) -> list[float | None]:
    """Comma-separated fractions (and 'geen' where allowed) → values; a CaseError otherwise."""
    uit: list[float | None] = []
    for deel in tekst.split(","):
        deel = deel.strip()
        if geen and deel.lower() == "geen":
            uit.append(None)
            continue
        try:
            waarde = float(deel)
        except ValueError:
            waarde = -1.0
        if not 0.0 <= waarde <= 1.0:
            toegestaan = "fracties 0..1" + (" of 'geen'" if geen else "")
            raise CaseError(f"--{veld}", "", f"ongeldige waarde {deel!r}; toegestaan: {toegestaan}")
        uit.append(waarde)
    return uit


def run(args: argparse.Namespace) -> int:
    """Evaluate the grid of rules and print (or write) it."""
    from plafond.montecarlo.frontier import Grenzen, regelontwerp

    case = load_case_from_args(args)
    uit = check_output_suffix(args.output, UITVOER) if args.output else None
    aandelen = lijst(args.aandeel, "aandeel")
    drempels = lijst(args.drempel, "drempel")
    maxima = lijst(args.maximum, "maximum", geen=True)
    for naam, waarde in (
        ("max-kans", args.max_kans),
        ("max-terugvordering", args.max_terugvordering),
    ):
        if waarde is not None and not 0.0 <= waarde <= 1.0:
            raise CaseError(f"--{naam}", "", f"ongeldige waarde {waarde}; toegestaan: fractie 0..1")
    if args.reserve < 0:
        raise CaseError("--reserve", "", "moet >= 0 euro zijn")
    grenzen = Grenzen(args.max_kans, args.max_terugvordering, args.reserve)
    stil = args.json or args.quiet or args.n < VOORTGANG_VANAF
    with simulatie_meldingen(args.case):
        res = regelontwerp(
            case,
            aandelen,
            drempels,
            maxima,
            grenzen,
            plafond=args.plafond,
            n=args.n,
            seed=seed_van(args),
            methode=args.methode,
            voortgang=None if stil else Balk(),
        )
    if uit is not None:
        schrijf_regels(res, uit)
    if args.json:
        print_json(res.to_dict())
    else:
        print(render(res))
    return 0  # fmt: skip


def tabellen(res: RegelontwerpResultaat):
    """The rules table and the partners table."""
    from plafond.xlsx import Tabel

    regels = res.regels.reset_index()
    kolommen = ["aandeel_partners", "drempel", "maximum", "voldoet", "kans_netto",
                "max_aandeel_lumpsum", "terugvordering_totaal", "netto_overschrijding",
                "netto_kosten", "overschrijdingskans", "verwachte_overschrijding"]  # fmt: skip
    geld = ("terugvordering_totaal", "netto_overschrijding", "netto_kosten",
            "verwachte_overschrijding")  # fmt: skip
    procenten = ("aandeel_partners", "drempel", "maximum", "kans_netto", "max_aandeel_lumpsum",
                 "overschrijdingskans")  # fmt: skip
    terug = res.terugvordering.reset_index()
    return {
        "regels": Tabel(regels[kolommen], {k: "euro" for k in geld}
                        | {k: "procent2" for k in procenten}),
        "terugvordering": Tabel(terug, {k: "euro" for k in ("lumpsum", "verwacht", "se", "p95")}
                                | {"kans": "procent", "aandeel_lumpsum": "procent2"}
                                | {k: "procent2" for k in ("aandeel_partners", "drempel",
                                                             "maximum")}),
    }  # fmt: skip


def schrijf_regels(res: RegelontwerpResultaat, pad) -> None:
    """Write the rule design: JSON, the rules as CSV, a workbook or a page with the plot."""
    from plafond import keuze_plots

    g = res.grenzen
    schrijf(
        pad,
        document=res.to_dict(),
        bladen=tabellen(res),
        figuur=keuze_plots.regelontwerp(res.regels, g.max_kans, g.max_terugvordering),
        titel=f"Ontwerp risicoregel {res.case}",
        kop=f"plafond {euro(res.plafond)}, reserve {euro(g.reserve)}; "
        f"{getal(res.scenarios, 0)} scenario's ({res.methode}, seed {res.seed})",
    )


def render(res: RegelontwerpResultaat) -> str:
    """The grid as text: every rule, marked when it meets the limits."""
    import math

    g = res.grenzen
    rijen = []
    for (a, d, m), r in res.regels.iterrows():
        rijen.append([
            procent(a, 0), procent(d, 1), "geen" if math.isnan(m) else procent(m, 1),
            procent(r.kans_netto, 2), procent(r.max_aandeel_lumpsum, 2),
            euro(r.terugvordering_totaal), euro(r.netto_overschrijding),
            "ja" if r.voldoet else "nee",
        ])  # fmt: skip
    grens = []
    if g.max_kans is not None:
        grens.append(f"kans netto overschrijding boven reserve <= {procent(g.max_kans)}")
    if g.max_terugvordering is not None:
        grens.append(f"terugvordering elke partner <= {procent(g.max_terugvordering, 2)} lumpsum")
    return "\n".join([
        f"Risicoregels {res.case}: plafond {euro(res.plafond)}, reserve {euro(g.reserve)}; "
        f"{getal(res.scenarios, 0)} scenario's ({res.methode}, seed {res.seed})",
        "Grenzen: " + ("; ".join(grens) if grens else "geen"),
        "",
        tabel(["aandeel", "drempel", "maximum", "kans netto", "max % lumpsum",
               "terugvordering", "netto overschrijding", "voldoet"], rijen),
        "",
        f"{int(res.regels['voldoet'].sum())} van {len(res.regels)} regels voldoen.",
    ])  # fmt: skip
