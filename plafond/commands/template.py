"""`plafond template F.xlsx`: an Excel case to fill in (or, with --case, a case as workbook)."""

from __future__ import annotations

import argparse

from plafond.cases import CaseError, load_case
from plafond.cases.excel_schrijven import write_workbook
from plafond.cases.excel_template import write_template
from plafond.commands._common import check_output_suffix, print_json


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("template", help="schrijf een Excel-case om in te vullen")
    p.add_argument("uitvoer", metavar="F.xlsx", help="het te schrijven Excel-bestand")
    p.add_argument(
        "--case",
        metavar="CASE",
        help="schrijf deze case (pad of naam van een meegeleverde case) als werkmap",
    )
    p.add_argument(
        "--overschrijven", action="store_true", help="overschrijf F.xlsx als het al bestaat"
    )
    p.add_argument(
        "--realisatie",
        action="store_true",
        help="schrijf een leeg realisatiebestand (declaraties) voor plafond prognose",
    )
    p.add_argument("--json", action="store_true", help="meld het resultaat als JSON op stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the template (or the given case) as a workbook; never overwrite silently."""
    out = check_output_suffix(args.uitvoer, (".xlsx",))
    if out.exists() and not args.overschrijven:
        raise CaseError(
            str(out), "", "bestand bestaat al; kies een andere naam of gebruik --overschrijven"
        )
    case = load_case(args.case) if args.case else None
    try:
        if args.realisatie:
            from plafond.cases.realisatie import schrijf_sjabloon

            schrijf_sjabloon(out, case)
            print(f"Realisatiesjabloon geschreven: {out}. Eén rij per declaratie; daarna: "
                  f"plafond prognose CASE --realisatie {out}")  # fmt: skip
            return 0
        if case is None:
            write_template(out)
        else:
            write_workbook(case, out)
    except OSError as exc:
        raise CaseError(str(out), "", f"kan niet schrijven: {exc.strerror or exc}") from None
    if args.json:
        print_json({"bestand": str(out), "case": case.naam if case else None})
    elif case is None:
        print(f"Sjabloon geschreven: {out}. Vul de bladen in (blad uitleg beschrijft elke kolom)")
        print(f"en controleer met: plafond validate {out}")
    else:
        print(f"Case {case.naam} geschreven als werkmap: {out}")
    return 0
