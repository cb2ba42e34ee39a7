"""`plafond cases`: the bundled example cases, one line each."""

from __future__ import annotations

import argparse

from plafond.cases import bundled_case_names, framework, load_case
from plafond.commands._common import print_json
from plafond.fmt import euro, tabel


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("cases", help="de meegeleverde voorbeeldcases")
    p.add_argument("--json", action="store_true", help="als JSON op stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List the bundled cases with a one-line summary."""
    rows = []
    for name in bundled_case_names():
        case = load_case(name)
        fw = framework.kader(case)
        rows.append(
            {
                "naam": name,
                "jaar": case.jaar,
                "gebieden": len(case.gebieden),
                "aanbieders": len(case.aanbieders),
                "partners": len(case.partners()),
                "producten": [p.id for p in case.producten],
                "plafond": fw.plafond,
            }
        )
    if args.json:
        print_json(rows)
        return 0
    headers = ["case", "jaar", "gebieden", "aanbieders", "partners", "producten", "plafond A"]
    body = [
        [
            r["naam"],
            str(r["jaar"]),
            str(r["gebieden"]),
            str(r["aanbieders"]),
            str(r["partners"]),
            ", ".join(r["producten"]),
            euro(r["plafond"]),
        ]
        for r in rows
    ]
    print(tabel(headers, body, rechts={1, 2, 3, 4, 6}))
    return 0
