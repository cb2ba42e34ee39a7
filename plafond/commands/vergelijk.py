"""`plafond vergelijk CASE`: the financing arrangements of a case on the same scenarios."""

from __future__ import annotations

import argparse
import html
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from plafond.cases.files import atomic_write
from plafond.commands._common import (
    Balk,
    add_case_argument,
    add_simulatie_arguments,
    check_output_suffix,
    load_case_from_args,
    print_json,
    simulatie_meldingen,
)
from plafond.commands.simulate import VOORTGANG_VANAF
from plafond.fmt import euro, getal, procent, tabel
from plafond.xlsx import Tabel, schrijf_werkboek

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from plafond.montecarlo import VergelijkResultaat


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the subcommand."""
    p = sub.add_parser("vergelijk", help="de bekostigingsvarianten op dezelfde scenario's")
    add_case_argument(p)
    p.add_argument("--varianten", default=None,
                   help="namen, gescheiden door komma's (standaard: die van de case, "
                        "anders pxq,lumpsum,populatie)")  # fmt: skip
    add_simulatie_arguments(p)
    p.add_argument("-o", "--output", default=None, help="schrijf naar .xlsx of .html")
    p.add_argument("--json", action="store_true", help="het resultaat als JSON op stdout")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Compare the arrangements and print (or write) the result."""
    import plafond.montecarlo as montecarlo

    case = load_case_from_args(args)
    uit = check_output_suffix(args.output, (".xlsx", ".html")) if args.output else None
    namen = None
    if args.varianten is not None:
        namen = [v.strip() for v in args.varianten.split(",") if v.strip()]
    stil = args.json or args.quiet or args.n < VOORTGANG_VANAF
    with simulatie_meldingen(args.case):
        res = montecarlo.vergelijk(case, args.n, seed=args.seed, methode=args.methode,
                                   varianten=namen, voortgang=None if stil else Balk())  # fmt: skip
    if uit is not None:
        schrijf(res, uit)
    if args.json:
        print_json(res.to_dict())
    else:
        print(render(res))
    return 0


def render(res: VergelijkResultaat) -> str:
    """The comparison as readable text (Dutch labels, euros in Dutch notation)."""
    g, r = res.gemeente, res.risico
    kop = (f"Case {res.case}: {getal(res.scenarios, 0)} scenario's ({res.methode}, seed "
           f"{res.seed}); plafond A {euro(res.plafond)}")  # fmt: skip
    gemeente = tabel(
        ["variant", "soort", "kosten gemeente (se)", "sd", "p95", "CVaR 95%", "kans > A",
         "risico gemeente"],
        [[n, res.varianten.loc[n, "soort"], f"{euro(x.verwacht)} ({euro(x.se)})", euro(x.sd),
          euro(x.p95), euro(x.cvar95), procent(x.kans_boven_plafond, 2),
          procent(r.loc[n, "aandeel_gemeente"])] for n, x in g.iterrows()],
    )  # fmt: skip
    verschil = tabel(
        ["van", "naar", "verschil kosten gemeente (se)"],
        [[x.van, x.naar, f"{euro(x.verwacht)} ({euro(x.se)})"]
         for x in res.verschillen.itertuples()],
    )  # fmt: skip
    aanbieders = tabel(
        ["variant", "partner", "betaling", "kosten (reëel tarief)", "resultaat (se)",
         "kans verlies", "p5 resultaat"],
        [[n, a, euro(x.betaling), euro(x.kosten), f"{euro(x.resultaat)} ({euro(x.se)})",
          procent(x.kans_verlies), euro(x.p5_resultaat)]
         for (n, a), x in res.aanbieders.iterrows()],
    )  # fmt: skip
    return "\n".join([kop, "", gemeente, "", verschil, "", aanbieders])


def _bladen(res: VergelijkResultaat) -> dict[str, Tabel]:
    geld = ("verwacht", "se", "sd", "p95", "cvar95", "betaling", "kosten", "resultaat",
            "p5_resultaat", "sd_gemeente", "sd_aanbieders")  # fmt: skip
    formaat = {k: "euro" for k in geld} | {"kans_boven_plafond": "procent2",
                                          "kans_verlies": "procent",
                                          "aandeel_gemeente": "procent"}  # fmt: skip
    gemeente = res.varianten.join(res.gemeente).join(res.risico).reset_index()
    return {
        "gemeente": Tabel(gemeente, formaat),
        "aanbieders": Tabel(res.aanbieders.reset_index(), formaat),
        "verschillen": Tabel(res.verschillen, formaat),
        "run": Tabel(pd.DataFrame([("case", res.case), ("scenarios", res.scenarios),
                                   ("seed", res.seed), ("methode", res.methode),
                                   ("plafond", res.plafond)], columns=["grootheid", "waarde"])),
    }  # fmt: skip


def kosten_figuur(res: VergelijkResultaat, bakken: int = 60) -> Figure:
    """The gemeente's cost distribution per arrangement, overlaid (plafond A marked)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 4.5), layout="constrained")
    ax = fig.add_subplot()
    k = res.kosten_per_scenario
    randen = np.linspace(k.min(), k.max(), bakken + 1)
    for naam, rij in zip(res.varianten.index, k, strict=True):
        h, _ = np.histogram(rij, randen)
        ax.stairs(h / rij.size, randen, label=naam)
    ax.axvline(res.plafond, color="#b2182b", linestyle="--", label="plafond A")
    ax.set_xlabel("kosten gemeente (euro)")
    ax.set_ylabel("aandeel scenario's")
    ax.legend()
    return fig


def risico_figuur(res: VergelijkResultaat) -> Figure:
    """Who carries the risk: sd of the gemeente's cost and of the partners' result."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 4.0), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(res.risico))
    ax.bar(x - 0.2, res.risico["sd_gemeente"], 0.4, label="gemeente (sd kosten)")
    ax.bar(x + 0.2, res.risico["sd_aanbieders"], 0.4, label="partners (sd resultaat)")
    ax.set_xticks(x, list(res.risico.index))
    ax.set_ylabel("euro")
    ax.legend()
    return fig


def _html(res: VergelijkResultaat) -> str:
    from plafond.report.html import png_data

    def tabel_html(frame: pd.DataFrame) -> str:
        kop = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
        rijen = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cel(c, v))}</td>" for c, v in r.items()) + "</tr>"
            for _, r in frame.iterrows()
        )
        return f"<table><thead><tr>{kop}</tr></thead><tbody>{rijen}</tbody></table>"

    gemeente = res.varianten.join(res.gemeente).join(res.risico).reset_index()
    return (
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Bekostigingsvergelijking {html.escape(res.case)}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "table{border-collapse:collapse;display:block;overflow-x:auto}"
        "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}img{max-width:100%}"
        "</style></head><body>"
        f"<h1>Bekostigingsvergelijking {html.escape(res.case)}</h1>"
        f"<p>{getal(res.scenarios, 0)} scenario's ({html.escape(res.methode)}, seed "
        f"{res.seed}); plafond A {euro(res.plafond)}. Alle varianten op dezelfde scenario's.</p>"
        f"<h2>Gemeente</h2>{tabel_html(gemeente)}"
        f"<img alt='kostenverdeling' src='{png_data(kosten_figuur(res))}'>"
        f"<h2>Wie draagt het risico</h2><img alt='risico' src='{png_data(risico_figuur(res))}'>"
        f"<h2>Verschillen (gepaard)</h2>{tabel_html(res.verschillen)}"
        f"<h2>Partners</h2>{tabel_html(res.aanbieders.reset_index())}"
        "</body></html>"
    )


def _cel(kolom: str, v: object) -> str:
    if isinstance(v, float):
        if kolom.startswith(("kans", "aandeel")):
            return procent(v, 2)
        return euro(v)
    return str(v)


def schrijf(res: VergelijkResultaat, pad: Path) -> None:
    """Write the comparison: .xlsx (four sheets) or .html (tables and two plots)."""
    if pad.suffix.lower() == ".xlsx":
        atomic_write(pad, lambda tmp: schrijf_werkboek(tmp, _bladen(res)))
        return
    tekst = _html(res)
    atomic_write(pad, lambda tmp: tmp.write_text(tekst, encoding="utf-8"))


__all__ = ["add_parser", "render", "run", "schrijf"]
