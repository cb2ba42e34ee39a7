"""`plafond report CASE -o F.xlsx|F.html`: the negotiation report (allocation and risk)."""

from __future__ import annotations

import argparse
import sys

from plafond.commands._common import (
    Balk,
    add_case_argument,
    add_simulatie_arguments,
    check_output_suffix,
    simulatie_meldingen,
)
from plafond.commands._keuze import add_precisie_arguments, n_voor_precisie, seed_van
from plafond.commands.simulate import VOORTGANG_VANAF

UITVOER = (".xlsx", ".html")
#: As plafond.report.ALLOCATIES; the report package (matplotlib, jinja2) is imported only
#: when the command runs, so `plafond --help` and the other commands stay quick.
ALLOCATIES = ("case", "optimaal")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("report", help="rapport voor de onderhandeling: verdeling en risico")
    add_case_argument(p)
    p.add_argument("-o", "--output", required=True, metavar="F", help="F.xlsx of F.html")
    p.add_argument(
        "--partner", default=None, metavar="ID", help="partnerpakket: alleen deze partner"
    )
    p.add_argument(
        "--allocatie",
        choices=ALLOCATIES,
        default="case",
        help="case (lumpsum uit de case) of optimaal (plafond optimize, doel kosten)",
    )
    add_simulatie_arguments(p)
    p.add_argument(
        "--zonder-gevoeligheid",
        action="store_true",
        help="sla de gevoeligheidsanalyse (tornado) over: sneller",
    )
    add_precisie_arguments(p)
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compute the report and write it; a failure leaves no file."""
    from plafond.cases import load_case
    from plafond.herkomst import invoerbestand, sha256_bestand
    from plafond.report import maak_rapport, schrijf_excel, schrijf_html

    uit = check_output_suffix(args.output, UITVOER)
    case = load_case(args.case)
    bron = invoerbestand(args.case)
    stil = args.quiet
    with simulatie_meldingen(args.case):
        args.seed = seed_van(args)
        if args.precisie is not None or args.precisie_relatief is not None:
            args.n = n_voor_precisie(args, case, stil)
        rapport = maak_rapport(
            case,
            allocatie=args.allocatie,
            n=args.n,
            seed=args.seed,
            methode=args.methode,
            partner=args.partner,
            bron=str(bron),
            bron_sha256=sha256_bestand(bron),
            gevoeligheid=not args.zonder_gevoeligheid,
            voortgang=None if stil or args.n < VOORTGANG_VANAF else Balk("simuleren"),
            voortgang_gevoeligheid=None if stil else Balk("gevoeligheid"),
        )
    if uit.suffix.lower() == ".html":
        schrijf_html(rapport, uit)
    else:
        schrijf_excel(rapport, uit)
    if not stil:
        s = rapport.simulatie
        sys.stderr.write(
            f"rapport geschreven naar {uit} (seed {s.seed}; herhalen met --seed {s.seed} "
            f"-n {s.scenarios} --methode {s.methode})\n"
        )
    return 0
