"""`plafond validate CASE`: check a case; print A, B, C, the lumpsum per partner, tarieven."""

from __future__ import annotations

import argparse

from plafond.cases import Case, framework
from plafond.commands._common import add_case_argument, load_case_from_args, print_json
from plafond.fmt import euro, procent, tabel


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("validate", help="controleer een case en toon het financieel kader")
    add_case_argument(p)
    p.add_argument("--json", action="store_true", help="het kader als JSON op stdout")
    p.add_argument("--opbouw", action="store_true", help="toon ook de opbouw van elk tarief")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate the case and print its financial framework."""
    case = load_case_from_args(args)
    fw = framework.kader(case)
    if args.json:
        print_json(fw.to_dict())
        return 0
    print(render(case, fw, opbouw=args.opbouw))
    return 0


def render(case: Case, fw: framework.Framework, *, opbouw: bool = False) -> str:
    """The framework as readable text with euros in Dutch notation."""
    naam = {a.id: a.naam for a in case.aanbieders}
    eenheid = {p.id: p.eenheid for p in case.producten}
    herkomst = "gegeven" if fw.plafond_gegeven else "afgeleid uit historie en opslagen"
    parts = [
        f"Case {case.naam} ({case.jaar}) is geldig.",
        "",
        tabel(
            ["kader", "bedrag"],
            [
                [f"A  budgetplafond ({herkomst})", euro(fw.plafond)],
                ["B  lumpsum partners", euro(fw.lumpsum)],
                ["C  overige uitgaven (A − B)", euro(fw.overige_uitgaven)],
            ],
        ),
        "",
        tabel(
            ["partner", "naam", "lumpsum", "aandeel B"],
            [
                [a, naam[a], euro(v), procent(v / fw.lumpsum)]
                for a, v in fw.lumpsum_per_aanbieder.items()
            ]
            if fw.lumpsum > 0
            else [],
            rechts={2, 3},
        ),
        "",
        tabel(
            ["gemeente", "product", "plafond (afgeleid)", "lumpsum", "overige"],
            [
                [g, p, euro(r.plafond), euro(r.lumpsum), euro(r.overige_uitgaven)]
                for (g, p), r in fw.per_gemeente_product.iterrows()
            ],
            rechts={2, 3, 4},
        ),
        "",
        tabel(
            ["product", "reëel tarief", "per"],
            [[p, euro(v), eenheid[p]] for p, v in fw.tarieven.items()],
            rechts={1},
        ),
    ]
    zonder = [a for a, v in fw.lumpsum_per_aanbieder.items() if v <= 0]
    if zonder:
        parts.append("")
        parts += [
            f"Let op: partner {a} heeft geen lumpsum (geen historie of opslag): simulate "
            "geeft een terugvordering van 0 en een leeg aandeel in de lumpsum (null in JSON)."
            for a in zonder
        ]
    if not case.vraag:
        parts += [
            "",
            "Let op: de case heeft geen vraag: de kosten van de partners (exploitatie) "
            "worden niet berekend en zijn 0.",
        ]
    if opbouw:
        steps = framework.tarief_opbouw(case)
        parts += [
            "",
            tabel(
                ["product", "aanbieder", "stap", "bedrag"],
                [
                    [r.product, r.aanbieder or "alle", r.omschrijving, euro(r.bedrag)]
                    for r in steps.itertuples()
                ],
                rechts={3},
            ),
        ]
    return "\n".join(parts)
