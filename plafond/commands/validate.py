"""`plafond validate CASE`: check a case; print A, B, C, the lumpsum per partner, tarieven."""

from __future__ import annotations

import argparse

from plafond.cases import Case, framework
from plafond.cases.excel import tekst_getallen
from plafond.cases.geld import centen, verdeel_centen
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
    if str(args.case).lower().endswith(".xlsx"):
        print(render_tekst_getallen(tekst_getallen(args.case)))
    return 0


def render_tekst_getallen(gelezen: list[tuple[str, str, float]]) -> str:
    """The text cells read as numbers, so the user sees what was understood."""
    if not gelezen:
        return ""
    rijen = [[plaats, tekst, repr(waarde).replace(".", ",")] for plaats, tekst, waarde in gelezen]
    return "\n" + tabel(["tekstcel gelezen als getal", "tekst", "getal"], rijen, rechts={2})


def _voet(waarden, totaal: float) -> list[float]:
    """Parts rounded to cents that add up to ``totaal`` (its own sum if it is not theirs)."""
    som = float(sum(waarden))
    return list(verdeel_centen(list(waarden), totaal if abs(som - totaal) < 0.01 else som))


def render(case: Case, fw: framework.Framework, *, opbouw: bool = False) -> str:
    """The framework as readable text with euros in Dutch notation.

    Every table foots to the cent (cases/README.md, "Rounding"): A and B are rounded, C is
    A − B of the rounded figures, the lumpsums per partner add up to B by the
    largest-remainder method, and per gemeente and product the plafond and the lumpsum add
    up to A and B (plafond and lumpsum rounded so; overige = plafond − lumpsum per row, and
    with R also a column reeds betaald: overige = plafond − lumpsum − reeds betaald).
    """
    naam = {a.id: a.naam for a in case.aanbieders}
    eenheid = {p.id: p.eenheid for p in case.producten}
    herkomst = "gegeven" if fw.plafond_gegeven else "afgeleid uit historie en opslagen"
    a, b, r = centen(fw.plafond), centen(fw.lumpsum), centen(fw.reeds_betaald)
    per_partner = _voet(fw.lumpsum_per_aanbieder.to_list(), b)
    gp = fw.per_gemeente_product
    plafonds = _voet(gp["plafond"].to_list(), a)
    lumpsums = _voet(gp["lumpsum"].to_list(), b)
    reeds = _voet(gp["reeds_betaald"].to_list(), r) if fw.reeds_betaald else [0.0] * len(gp)
    gp_rijen = [
        [g, p, euro(pl), euro(ls), *([euro(rb)] if fw.reeds_betaald else []),
         euro(centen(pl - ls - rb))]
        for (g, p), pl, ls, rb in zip(gp.index, plafonds, lumpsums, reeds, strict=True)
    ]  # fmt: skip
    totaal_a, totaal_b, totaal_r = (centen(sum(x)) for x in (plafonds, lumpsums, reeds))
    gp_rijen.append(
        ["totaal", "", euro(totaal_a), euro(totaal_b),
         *([euro(totaal_r)] if fw.reeds_betaald else []),
         euro(centen(totaal_a - totaal_b - totaal_r))]
    )  # fmt: skip
    gp_kop = ["gemeente", "product", "plafond (afgeleid)", "lumpsum"]
    gp_kop += ["reeds betaald", "overige"] if fw.reeds_betaald else ["overige"]
    parts = [
        f"Case {case.naam} ({case.jaar}) is geldig.",
        "",
        tabel(
            ["kader", "bedrag"],
            [
                [f"A  budgetplafond ({herkomst})", euro(a)],
                ["B  lumpsum partners", euro(b)],
                *(
                    [["R  reeds betaald aan partners (van de lumpsum af)", euro(r)]]
                    if fw.reeds_betaald
                    else []
                ),
                [
                    "C  overige uitgaven (A − B − R)"
                    if fw.reeds_betaald
                    else "C  overige uitgaven (A − B)",
                    euro(centen(a - b - r)),
                ],
            ],
        ),
        "",
        tabel(
            ["partner", "naam", "lumpsum", "aandeel B"],
            [
                [k, naam[k], euro(v), procent(w / fw.lumpsum)]
                for (k, w), v in zip(fw.lumpsum_per_aanbieder.items(), per_partner, strict=True)
            ]
            if fw.lumpsum > 0
            else [],
            rechts={2, 3},
        ),
        "",
        tabel(
            gp_kop,
            gp_rijen,
            rechts=set(range(2, len(gp_kop))),
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
