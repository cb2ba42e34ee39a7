"""`plafond optimize CASE`: allocate the budget; table, JSON, or a .xlsx/.csv/.json file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from plafond.cases.files import atomic_write, safe_cell
from plafond.commands._common import (
    add_case_argument,
    check_output_suffix,
    json_tekst,
    load_case_from_args,
    print_json,
)
from plafond.csvbestand import add_csv_argument, schrijf_csv
from plafond.fmt import euro, getal, tabel
from plafond.xlsx import Tabel, schrijf_werkboek

if TYPE_CHECKING:
    import plafond.optimize as optimize

UITVOER = (".xlsx", ".csv", ".json")
#: As the values of optimize.Doel (a test checks); here so the parser needs no Pyomo.
DOELEN = ("kosten", "verdeling", "dekking")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("optimize", help="verdeel het budget over gebieden en aanbieders")
    add_case_argument(p)
    p.add_argument(
        "--doel",
        choices=DOELEN,
        default="kosten",
        help="kosten (goedkoopst), verdeling (eerlijk naar inwoners), dekking (meeste volume)",
    )
    p.add_argument("-o", "--output", metavar="F", help="schrijf naar F (.xlsx, .csv of .json)")
    add_csv_argument(p)
    p.add_argument("--json", action="store_true", help="het resultaat als JSON op stdout")
    from plafond.commands._risico import add_risico_arguments

    add_risico_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, allocate, print or write. NoFeasibleAllocation propagates to exit 3."""
    import plafond.optimize as optimize

    uit = check_output_suffix(args.output, UITVOER) if args.output else None
    case = load_case_from_args(args)
    if args.kans is not None or args.cvar is not None:
        from plafond.commands._risico import run_risico

        return run_risico(args, case, uit)
    res = optimize.allocate(case, doel=args.doel)
    if uit is not None:
        schrijf(res, uit, args.csv_formaat)
    if args.json:
        print_json(res.to_dict())
    elif uit is None:
        print(render(res))
    else:
        print(f"verdeling geschreven naar {uit}")
    return 0


def _tabel_frame(res: optimize.Allocatie) -> pd.DataFrame:
    frame = res.allocatie.reset_index()
    for kolom in ("gebied", "aanbieder", "product"):
        frame[kolom] = frame[kolom].map(safe_cell)
    return frame


def schrijf(res: optimize.Allocatie, pad: Path, csv_formaat: str = "excel") -> None:
    """Write the result atomically as .json, .csv (the allocation) or .xlsx (sheets).

    ``csv_formaat``: ``"excel"`` (for a Dutch Excel) or ``"machine"``
    (:func:`plafond.csvbestand.schrijf_csv`).
    """
    suffix = pad.suffix.lower()
    if suffix == ".json":
        tekst = json_tekst(res.to_dict())
        atomic_write(pad, lambda p: p.write_text(tekst, encoding="utf-8"))
    elif suffix == ".csv":
        atomic_write(
            pad,
            lambda p: schrijf_csv(
                _tabel_frame(res), p, formaat=csv_formaat, geld=("bedrag", "tarief")
            ),
        )
    else:
        atomic_write(pad, lambda p: _xlsx(res, p))


def _xlsx(res: optimize.Allocatie, pad: Path) -> None:
    samenvatting = pd.DataFrame(
        {
            "grootheid": [
                "case",
                "doel",
                "status",
                "doelwaarde",
                "totaal",
                "plafond",
                "overige_uitgaven",
                "opslag",
            ],
            "waarde": [
                res.case,
                res.doel.value,
                res.status.value,
                res.doelwaarde,
                res.totaal,
                res.plafond,
                res.overige_uitgaven,
                res.opslag,
            ],
        }
    )
    bladen = {
        "samenvatting": Tabel(samenvatting, {"waarde": "euro"}),
        "allocatie": Tabel(
            res.allocatie.reset_index(),
            {
                "bedrag": "euro",
                "volume": "getal",
                "tarief": "euro",
                "effectief_tarief": "euro",
                "opslag": "euro",
            },
        ),
        "per_aanbieder": Tabel(
            res.per_aanbieder.rename("bedrag").map(float).reset_index(), {"bedrag": "euro"}
        ),
        "schaduwprijzen": Tabel(res.schaduwprijzen.reset_index(), {"schaduwprijs": "decimaal"}),
        "bindend": Tabel(pd.DataFrame({"bindend": list(res.bindend)})),
    }
    if res.verdeling is not None:
        bladen["verdeling"] = Tabel(
            res.verdeling.reset_index(), dict.fromkeys(res.verdeling.columns, "euro")
        )
    schrijf_werkboek(pad, bladen, case=res.case)


def render(res: optimize.Allocatie) -> str:
    """The allocation as readable text, euros in Dutch notation."""
    rijen = [
        [
            g,
            a,
            p,
            getal(r.volume, 0),
            euro(r.tarief),
            euro(r.effectief_tarief),
            euro(r.opslag),
            euro(r.bedrag),
        ]
        for (g, a, p), r in res.allocatie.iterrows()
    ]
    kop = ["gebied", "aanbieder", "product", "volume", "reëel tarief", "effectief tarief"]
    delen = [
        f"Verdeling {res.case}, doel {res.doel.value}: {res.status.value}",
        "",
        tabel([*kop, "opslag boven reëel", "bedrag"], rijen, rechts={3, 4, 5, 6, 7}),
        "",
        tabel(
            ["", "bedrag"],
            [
                ["totaal verdeeld", euro(res.totaal)],
                ["waarvan opslag boven reëel tarief", euro(res.opslag)],
                ["verwachte overige uitgaven", euro(res.overige_uitgaven)],
                *(
                    [["reeds betaald aan partners", euro(res.reeds_betaald)]]
                    if res.reeds_betaald
                    else []
                ),
                ["plafond", euro(res.plafond)],
                [
                    "ruimte",
                    euro(res.plafond - res.totaal - res.overige_uitgaven - res.reeds_betaald),
                ],
            ],
            rechts={1},
        ),
    ]
    if res.verdeling is not None:
        delen += [
            "",
            "Eerlijk deel per gebied (plafond naar gewogen inwoners) en uitgaven "
            "(partners plus verwachte overige uitgaven):",
            tabel(
                ["gebied", "eerlijk deel", "uitgaven", "afwijking"],
                [
                    [g, euro(r.eerlijk_deel), euro(r.uitgaven), euro(r.afwijking)]
                    for g, r in res.verdeling.iterrows()
                ],
                rechts={1, 2, 3},
            ),
        ]
    tekort = res.tekort[res.tekort > 1e-6]
    if len(tekort):
        delen += ["", "Niet gedekte vraag:"]
        delen += [f"  {g}/{p}: {getal(v, 0)}" for (g, p), v in tekort.items()]
    if res.bindend:
        delen += ["", "Bindende restricties: " + ", ".join(res.bindend)]
    if res.duals_bron == "milp_vast":
        delen.append("(schaduwprijzen gelden bij de gekozen gebieden: model met binaire keuzes)")
    return "\n".join(delen)
