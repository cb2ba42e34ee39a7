"""`plafond simulate CASE`: overschrijdingskans and terugvordering per partner (Monte Carlo)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from plafond.cases.files import atomic_write
from plafond.cases.geld import verdeel_centen
from plafond.cases.getallen import getal_argument
from plafond.commands._common import (
    Balk,
    add_case_argument,
    add_simulatie_arguments,
    check_output_suffix,
    json_tekst,
    load_case_from_args,
    print_json,
    simulatie_meldingen,
)
from plafond.commands._keuze import add_precisie_arguments, met_precisie, seed_van
from plafond.csvbestand import add_csv_argument, schrijf_csv
from plafond.fmt import euro, getal, procent, tabel
from plafond.herkomst import herhaal_opdracht, run_record
from plafond.xlsx import Tabel, schrijf_werkboek

if TYPE_CHECKING:
    from plafond.montecarlo import SimulatieResultaat
    from plafond.montecarlo.jaren import JarenResultaat

#: Runs from this many scenarios show a progress bar on stderr.
VOORTGANG_VANAF = 2**18


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("simulate", help="overschrijdingskans en terugvordering (Monte Carlo)")
    add_case_argument(p)
    add_simulatie_arguments(p)
    p.add_argument(
        "--kans",
        type=getal_argument,
        default=None,
        help="gezocht: plafond met deze overschrijdingskans (0,10 of 10%%)",
    )
    add_precisie_arguments(p)
    p.add_argument(
        "--allocatie",
        default=None,
        metavar="F.json",
        help="simuleer met het bedrag per partner uit de JSON van plafond optimize -o",
    )
    p.add_argument("-o", "--output", default=None, help="schrijf naar .json, .csv of .xlsx")
    add_csv_argument(p)
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
    record = run_record(args.case, seed=res.seed, scenarios=res.scenarios, methode=res.methode)
    if uit is not None:
        schrijf(res, uit, record, args.csv_formaat, precisie)
    if args.json:
        print_json(met_record(res, record, precisie))
    else:
        print(render(res))
        if precisie is not None:
            print(precisie_regel(precisie))
        print(f"\nHerhalen: {herhaal_opdracht('simulate', args.case, record)}")
    return 0


def met_record(
    res: SimulatieResultaat, record: dict[str, Any], precisie: dict | None = None
) -> dict[str, Any]:
    """The simulate JSON (:func:`document`) with the run record under ``run``."""
    return document(res, precisie) | {"run": record}


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


def schrijf(
    res: SimulatieResultaat,
    pad: Path,
    record: dict[str, Any],
    csv_formaat: str = "excel",
    precisie: dict | None = None,
) -> None:
    """Write the result: .json (the JSON), .csv (the partner table), .xlsx (five sheets;
    with cooperaties, pots or years more).

    Each holds the run record: the JSON under ``run``, the CSV as columns ``run_*`` on
    every row, the workbook on a sheet ``run`` (the seed as text, exact). ``csv_formaat``
    is ``"excel"`` (for a Dutch Excel) or ``"machine"`` (:func:`plafond.csvbestand.schrijf_csv`).
    """
    suffix = pad.suffix.lower()

    def json_schrijven(tmp: Path) -> None:
        tmp.write_text(json_tekst(met_record(res, record, precisie)), encoding="utf-8")

    def csv_schrijven(tmp: Path) -> None:
        tabel_ = partner_tabel(res).reset_index()
        for k, v in record.items():
            tabel_[f"run_{k}"] = str(v)
        geld = [
            k
            for k in tabel_.columns[1:]
            if not any(w in k for w in ("kans", "aandeel")) and not k.startswith("run_")
        ]
        schrijf_csv(tabel_, tmp, formaat=csv_formaat, geld=geld)

    def xlsx_schrijven(tmp: Path) -> None:
        samenvatting = samenvatting_rijen(res.to_dict())
        euro_kolommen = ("lumpsum", "verwacht", "se", "p95", "verwachte_kosten")
        euro_kolommen += ("verwacht_resultaat", "verwacht_tekort", "plafond")
        bladen = {
            "samenvatting": Tabel(
                pd.DataFrame([r[:2] for r in samenvatting], columns=["grootheid", "waarde"]),
                {"waarde": [r[2] for r in samenvatting]},
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
            "run": Tabel(
                pd.DataFrame(
                    [(k, str(v)) for k, v in record.items()], columns=["grootheid", "waarde"]
                ),
                {"waarde": "tekst"},
            ),
        }
        if res.per_pot is not None:
            bladen["potten"] = Tabel(
                res.per_pot.reset_index(),
                {c: "euro" for c in res.per_pot.columns if c != "overschrijdingskans"}
                | {"overschrijdingskans": "procent2"},
            )
        if res.cooperaties is not None:
            coop = res.cooperaties.assign(leden=[", ".join(x) for x in res.cooperaties["leden"]])
            bladen["cooperaties"] = Tabel(
                coop.reset_index(), {"lumpsum": "euro", "verwacht": "euro", "se": "euro"}
            )
        bladen |= _jaren_bladen(res)
        schrijf_werkboek(tmp, bladen, case=res.case)

    schrijvers = {".json": json_schrijven, ".csv": csv_schrijven, ".xlsx": xlsx_schrijven}
    atomic_write(pad, schrijvers[suffix])


#: Formats of the summary sheet by key of the JSON: kansen as percent, money in euro; the
#: seed is written as text (an exact integer of up to 20 digits, which Excel's doubles
#: would round and group as 5.549.105.865.002.510.000,00).
_SAMENVATTING_FORMAAT = {
    "overschrijdingskans": "procent2",
    "kans": "procent2",
    "scenarios": "getal",
}


def samenvatting_rijen(d: dict) -> list[tuple[str, object, str | None]]:
    """Rows (grootheid, waarde, format kind) of the simulate workbook's summary sheet."""
    rijen = [(k, v) for k, v in d.items() if not isinstance(v, dict | list)]
    rijen += [(f"uitgaven_{k}", v) for k, v in d["uitgaven"].items()]
    rijen += [("overschrijdingskans_ci95_laag", d["overschrijdingskans_ci95"][0])]
    rijen += [("overschrijdingskans_ci95_hoog", d["overschrijdingskans_ci95"][1])]
    uit: list[tuple[str, object, str | None]] = []
    for k, v in rijen:
        if k == "seed":
            uit.append((k, None if v is None else str(v), None))
        elif isinstance(v, str) or v is None:
            uit.append((k, v, None))
        else:
            kans = k.startswith("overschrijdingskans")
            uit.append((k, v, "procent2" if kans else _SAMENVATTING_FORMAAT.get(k, "euro")))
    return uit


def _pot_tekst(res: SimulatieResultaat) -> str:
    """Per pot: the overschrijding the rule acts on; then the regional figure beside it."""
    r = res.regionaal or {}
    kop = ["pot", "plafond", "uitgaven gemiddeld", "overschrijdingskans", "verwachte overschr."]
    rijen = [
        [
            pot,
            euro(x.plafond),
            euro(x.uitgaven_gemiddelde),
            procent(x.overschrijdingskans, 2),
            euro(x.verwachte_overschrijding),
        ]
        for pot, x in res.per_pot.iterrows()
    ]
    rijen.append(
        ["totaal potten", euro(res.plafond), euro(res.uitgaven["gemiddelde"]),
         procent(res.overschrijdingskans, 2), euro(res.verwachte_overschrijding)]
    )  # fmt: skip
    return "\n".join(
        [
            "Per pot (de overschrijding waarop de risicoregel werkt; een onderschrijding in "
            "de ene pot compenseert geen overschrijding in een andere):",
            tabel(kop, rijen, rechts={1, 2, 3, 4}),
            f"Regionaal (totaal tegen A, alleen ter vergelijking): overschrijdingskans "
            f"{procent(r.get('overschrijdingskans', 0.0), 2)}, verwachte overschrijding "
            f"{euro(r.get('verwachte_overschrijding', 0.0))}",
        ]
    )


def _jaren_bladen(res: SimulatieResultaat) -> dict[str, Tabel]:
    """Sheets ``jaren`` and ``looptijd`` of a multi-year result (none for one year)."""
    mj = res.meerjarig
    if mj is None:
        return {}
    geld = ("plafond", "lumpsum", "verwachte_overschrijding", "verwachte_overschrijding_se")
    geld_t = ("terugvordering", "terugvordering_se", "resultaat", "resultaat_se")
    return {
        "jaren": Tabel(mj.jaren.reset_index(), {k: "euro" for k in geld}
                       | {"overschrijdingskans": "procent2"}),
        "looptijd": Tabel(mj.looptijd.reset_index(), {k: "euro" for k in geld_t}
                          | {"kans_verlies": "procent", "kans_terugval": "procent"}),
    }  # fmt: skip


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
                    euro(lumpsum),
                    f"{euro(r.verwacht)} ({euro(r.se)})",
                    procent(r.kans),
                    euro(r.p95),
                    procent(r.aandeel_lumpsum, 2),
                ]
                for (a, r), lumpsum in zip(
                    res.terugvordering.iterrows(),
                    verdeel_centen(res.terugvordering["lumpsum"].to_numpy(), res.lumpsum),
                    strict=True,
                )
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
    if res.cooperaties is not None:
        regels += ["", _cooperatie_tekst(res.cooperaties)]
    if res.per_pot is not None:
        regels += ["", _pot_tekst(res)]
    if res.meerjarig is not None:
        regels += ["", *render_jaren(res.meerjarig)]
    if res.plafond_bij_kans is not None:
        est, laag, hoog = res.plafond_bij_kans
        regels += [
            "",
            f"Plafond bij overschrijdingskans {procent(res.kans)}: {euro(est)} "
            f"(95%-interval {euro(laag)} – {euro(hoog)})",
        ]
    return "\n".join(regels)


def _cooperatie_tekst(cooperaties: pd.DataFrame) -> str:
    """One row per cooperative: one contract partner, the sum of its leden above."""
    return tabel(
        ["coöperatie", "leden", "lumpsum", "terugvordering verwacht (se)", "% lumpsum"],
        [
            [
                f"{c} ({r.naam})",
                str(len(r.leden)),
                euro(r.lumpsum),
                f"{euro(r.verwacht)} ({euro(r.se)})",
                procent(r.verwacht / r.lumpsum if r.lumpsum > 0 else 0.0, 2),
            ]
            for c, r in cooperaties.iterrows()
        ],
    )


def render_jaren(mj: JarenResultaat) -> list[str]:
    """The term of a multi-year contract: a table per year and one over the term."""
    terug = mj.terugvordering["verwacht"].groupby(level="jaar").sum()
    jaren = tabel(
        ["jaar", "plafond", "lumpsum", "overschrijdingskans", "verwachte overschrijding (se)",
         "terugvordering totaal"],
        [
            [str(j), euro(r.plafond), euro(r.lumpsum), procent(r.overschrijdingskans, 2),
             f"{euro(r.verwachte_overschrijding)} ({euro(r.verwachte_overschrijding_se)})",
             euro(terug.loc[j])]
            for j, r in mj.jaren.iterrows()
        ],
    )  # fmt: skip
    met_terugval = bool(mj.looptijd["kans_terugval"].notna().all())
    kop = ["partner", "terugvordering looptijd (se)", "resultaat looptijd (se)", "kans verlies"]
    rijen = [
        [a, f"{euro(r.terugvordering)} ({euro(r.terugvordering_se)})",
         f"{euro(r.resultaat)} ({euro(r.resultaat_se)})", procent(r.kans_verlies)]
        + ([procent(r.kans_terugval)] if met_terugval else [])
        for a, r in mj.looptijd.iterrows()
    ]  # fmt: skip
    looptijd = tabel(kop + (["kans terugval PxQ"] if met_terugval else []), rijen)
    return [f"Looptijd {len(mj.jaren)} jaar (jaar 1 hierboven; dezelfde scenario's)", "",
            jaren, "", looptijd]  # fmt: skip
