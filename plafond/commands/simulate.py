"""`plafond simulate CASE`: overschrijdingskans and terugvordering per partner (Monte Carlo)."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from plafond.cases.files import atomic_write, safe_cell
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
from plafond.fmt import euro, getal, procent, tabel
from plafond.xlsx import Tabel, schrijf_werkboek

if TYPE_CHECKING:
    from plafond.montecarlo import SimulatieResultaat

#: Runs from this many scenarios show a progress bar on stderr.
VOORTGANG_VANAF = 2**18


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("simulate", help="overschrijdingskans en terugvordering (Monte Carlo)")
    add_case_argument(p)
    add_simulatie_arguments(p)
    p.add_argument(
        "--kans", type=float, default=None, help="gezocht: plafond met deze overschrijdingskans"
    )
    add_precisie_arguments(p)
    p.add_argument(
        "--allocatie",
        default=None,
        metavar="F.json",
        help="simuleer met het bedrag per partner uit de JSON van plafond optimize -o",
    )
    p.add_argument("-o", "--output", default=None, help="schrijf naar .json, .csv of .xlsx")
    p.add_argument("--json", action="store_true", help="het resultaat als JSON op stdout")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Simulate the case and print (or write) the result."""
    import plafond.montecarlo as montecarlo

    case = load_case_from_args(args)
    uit = check_output_suffix(args.output, (".json", ".csv", ".xlsx")) if args.output else None
    stil = args.json or args.quiet or (args.n < VOORTGANG_VANAF and args.precisie is None)
    lumpsum = None if args.allocatie is None else lees_allocatie(args.allocatie)
    with simulatie_meldingen(args.case):
        from plafond.montecarlo.precisie import maat_simulatie

        seed = seed_van(args)
        res, precisie = met_precisie(
            args,
            lambda n: montecarlo.simulate(
                case,
                n,
                seed=seed,
                methode=args.methode,
                kans=args.kans,
                lumpsum_per_aanbieder=lumpsum,
                voortgang=None if stil else Balk(),
            ),
            maat_simulatie,
        )
    if uit is not None:
        schrijf(res, uit, precisie)
    if args.json:
        print_json(document(res, precisie))
    else:
        print(render(res))
        if precisie is not None:
            print(precisie_regel(precisie))
    return 0


def lees_allocatie(pad: str) -> dict[str, float]:
    """Bedrag per partner from the JSON written by ``plafond optimize -o F.json``."""
    from plafond.cases import CaseError
    from plafond.risico import lumpsum_uit_json

    try:
        document = json.loads(Path(pad).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseError(pad, "", "bestand niet gevonden") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CaseError(pad, "", f"geen geldige JSON ({exc.__class__.__name__})") from None
    return lumpsum_uit_json(document, pad)


def document(res: SimulatieResultaat, precisie: dict | None = None) -> dict:
    """The simulate JSON, with the precision reached when a run was to precision."""
    d = res.to_dict()
    if precisie is not None:
        d["precisie"] = precisie
    return d


def precisie_regel(p: dict) -> str:
    """One line: the precision asked and reached (Dutch)."""
    bereikt = "bereikt" if p["bereikt"] else "NIET bereikt: maximum aantal scenario's"
    tekst = f"Precisie: halve breedte overschrijdingskans {procent(p['halve_breedte'], 3)}"
    if p["relatief"] is not None:
        tekst += f", grootste relatieve se terugvordering {procent(p['relatief'], 2)}"
    return f"{tekst} ({bereikt}; stappen {', '.join(getal(n, 0) for n in p['stappen'])})"


def partner_tabel(res: SimulatieResultaat) -> pd.DataFrame:
    """Terugvordering and exploitatie per partner in one table (column prefixes)."""
    return pd.concat(
        [
            res.terugvordering.add_prefix("terugvordering_"),
            res.exploitatie.drop(columns="lumpsum").add_prefix("exploitatie_"),
        ],
        axis=1,
    )


def schrijf(res: SimulatieResultaat, pad: Path, precisie: dict | None = None) -> None:
    """Write the result: .json (the JSON), .csv (the partner table), .xlsx (four sheets)."""
    suffix = pad.suffix.lower()

    def json_schrijven(tmp: Path) -> None:
        tekst = json.dumps(document(res, precisie), ensure_ascii=False, indent=2)
        tmp.write_text(tekst, encoding="utf-8")

    def csv_schrijven(tmp: Path) -> None:
        tabel_ = partner_tabel(res).reset_index()
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(tabel_.columns)
            for rij in tabel_.itertuples(index=False):
                w.writerow([safe_cell(v) for v in rij])

    def xlsx_schrijven(tmp: Path) -> None:
        d = res.to_dict()
        samenvatting = [(k, v) for k, v in d.items() if not isinstance(v, dict | list)]
        samenvatting += [(f"uitgaven_{k}", v) for k, v in d["uitgaven"].items()]
        samenvatting += [("overschrijdingskans_ci95_laag", d["overschrijdingskans_ci95"][0])]
        samenvatting += [("overschrijdingskans_ci95_hoog", d["overschrijdingskans_ci95"][1])]
        euro_kolommen = ("lumpsum", "verwacht", "se", "p95", "verwachte_kosten")
        euro_kolommen += ("verwacht_resultaat", "verwacht_tekort", "plafond")
        schrijf_werkboek(
            tmp,
            {
                "samenvatting": Tabel(
                    pd.DataFrame(samenvatting, columns=["grootheid", "waarde"]),
                    {"waarde": "decimaal"},
                ),
                "terugvordering": Tabel(
                    res.terugvordering.reset_index(),
                    {k: "euro" for k in euro_kolommen}
                    | {"kans": "procent", "aandeel_lumpsum": "procent2"},
                ),
                "exploitatie": Tabel(
                    res.exploitatie.reset_index(),
                    {k: "euro" for k in euro_kolommen} | {"kans_verlies": "procent"},
                ),
                "overschrijdingscurve": Tabel(
                    res.overschrijdingscurve(),
                    {
                        "plafond": "euro",
                        "kans": "procent2",
                        "ci_laag": "procent2",
                        "ci_hoog": "procent2",
                    },
                ),
            },
        )

    schrijvers = {".json": json_schrijven, ".csv": csv_schrijven, ".xlsx": xlsx_schrijven}
    atomic_write(pad, schrijvers[suffix])


def render(res: SimulatieResultaat) -> str:
    """The result as readable text (Dutch labels, euros in Dutch notation)."""
    lo, hi = res.overschrijdingskans_ci95
    u = res.uitgaven
    regels = [
        f"Case {res.case}: {getal(res.scenarios, 0)} scenario's ({res.methode}, seed {res.seed})",
        "",
        tabel(
            ["grootheid", "waarde"],
            [
                ["plafond A", euro(res.plafond)],
                ["lumpsum B", euro(res.lumpsum)],
                ["uitgaven gemiddeld", euro(u["gemiddelde"])],
                ["uitgaven p5 / p50", f"{euro(u['p5'])} / {euro(u['p50'])}"],
                ["uitgaven p95 / p99", f"{euro(u['p95'])} / {euro(u['p99'])}"],
                [
                    "overschrijdingskans (95%-interval)",
                    f"{procent(res.overschrijdingskans, 2)} ({procent(lo, 2)} – {procent(hi, 2)})",
                ],
                [
                    "verwachte overschrijding (se)",
                    f"{euro(res.verwachte_overschrijding)} "
                    f"({euro(res.verwachte_overschrijding_se)})",
                ],
                ["CVaR 95% overschrijding", euro(res.cvar95_overschrijding)],
            ],
        ),
        "",
        tabel(
            ["partner", "lumpsum", "terugvordering verwacht (se)", "kans", "p95", "% lumpsum"],
            [
                [
                    a,
                    euro(r.lumpsum),
                    f"{euro(r.verwacht)} ({euro(r.se)})",
                    procent(r.kans),
                    euro(r.p95),
                    procent(r.aandeel_lumpsum, 2),
                ]
                for a, r in res.terugvordering.iterrows()
            ],
        ),
        "",
        tabel(
            ["partner", "kosten volume (reëel tarief)", "resultaat verwacht (se)", "kans verlies"],
            [
                [
                    a,
                    euro(r.verwachte_kosten),
                    f"{euro(r.verwacht_resultaat)} ({euro(r.se)})",
                    procent(r.kans_verlies),
                ]
                for a, r in res.exploitatie.iterrows()
            ],
        ),
    ]
    if res.plafond_bij_kans is not None:
        est, laag, hoog = res.plafond_bij_kans
        regels += [
            "",
            f"Plafond bij overschrijdingskans {procent(res.kans)}: {euro(est)} "
            f"(95%-interval {euro(laag)} – {euro(hoog)})",
        ]
    return "\n".join(regels)
