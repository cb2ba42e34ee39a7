"""`plafond optimize CASE --kans α | --cvar X`: the risk-aware allocation and its check."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from plafond.cases import Case, CaseError
from plafond.cases.files import atomic_write
from plafond.commands._common import METHODES, print_json, simulatie_meldingen
from plafond.fmt import euro, getal, procent

#: As plafond.risico's defaults (kept here so the parser imports nothing heavy).
STANDAARD_S, STANDAARD_TOETS_N = 1000, 2**16


def add_risico_arguments(p: argparse.ArgumentParser) -> None:
    """Add --kans, --cvar, --scenarios, --kansvorm, --opslag-overig, --seed, --toets-n."""
    p.add_argument(
        "--kans",
        type=float,
        default=None,
        metavar="A",
        help="verdeling met overschrijdingskans <= A (fractie) op scenario's",
    )
    p.add_argument(
        "--cvar",
        type=float,
        default=None,
        metavar="X",
        help="verdeling met CVaR 95%% van de overschrijding <= X euro",
    )
    p.add_argument(
        "--scenarios",
        type=int,
        default=STANDAARD_S,
        help="scenario-rijen in het model (standaard 1000)",
    )
    p.add_argument(
        "--kansvorm",
        choices=("auto", "cvar", "binair"),
        default="auto",
        help="--kans als CVaR-LP of met binaire variabelen (auto: binair tot 200)",
    )
    p.add_argument(
        "--opslag-overig",
        type=float,
        default=0.0,
        help="prijs overige per eenheid boven hun reëel tarief (fractie, standaard 0)",
    )
    p.add_argument("--seed", type=int, default=None, help="seed van de scenario's")
    p.add_argument("--methode", choices=METHODES, default="mc", help="steekproef")
    p.add_argument("--toets-n", type=int, default=STANDAARD_TOETS_N,
                   help="verse scenario's voor de toets (seed + 1)")  # fmt: skip


def _eis(args: argparse.Namespace):
    from plafond.optimize.risico import RisicoEis
    from plafond.risico import BINAIR_TOT

    if args.kans is not None and args.cvar is not None:
        raise CaseError("--kans/--cvar", "", "kies één van beide")
    if args.scenarios < 10:
        raise CaseError("--scenarios", "", f"minstens 10, niet {args.scenarios}")
    if args.cvar is not None:
        return RisicoEis("cvar", cvar=args.cvar)
    vorm = args.kansvorm
    if vorm == "auto":
        vorm = "binair" if args.scenarios <= BINAIR_TOT else "cvar"
    return RisicoEis("binair" if vorm == "binair" else "cvar_kans", kans=args.kans)


def document(res: Any, toets: Any, deterministisch: Any, toets_det: Any, seed: int) -> dict:
    """The optimize JSON with ``risico``, ``toets`` and the deterministic comparison."""
    d = res.to_dict()
    d["risico"]["seed"] = seed
    d["toets"] = toets.to_dict()
    d["deterministisch"] = {
        "totaal": round(deterministisch.totaal, 2),
        "toets": toets_det.to_dict(),
        "meerkosten": round(res.allocatie.totaal - deterministisch.totaal, 2),
    }
    return d  # fmt: skip


def run_risico(args: argparse.Namespace, case: Case, uit: Path | None) -> int:
    """Allocate under the risk constraint, check on fresh draws, print or write."""
    import plafond.optimize as optimize
    from plafond.commands._keuze import seed_van
    from plafond.optimize.risico import allocate_risico
    from plafond.risico import risico_scenarios, toets

    if args.opslag_overig < 0:
        raise CaseError("--opslag-overig", "", "moet >= 0 zijn")
    if args.toets_n < 100:
        raise CaseError("--toets-n", "", f"minstens 100, niet {args.toets_n}")
    with simulatie_meldingen(args.case):
        eis = _eis(args)
        seed = seed_van(args)
        pr = optimize.problem_from_case(case)
        kw = {"methode": args.methode, "opslag_overig": args.opslag_overig}
        sc = risico_scenarios(case, pr, args.scenarios, seed=seed, **kw)
        res = allocate_risico(pr, sc, eis, args.doel)
        vers = risico_scenarios(case, pr, args.toets_n, seed=seed + 1, **kw)
        det = optimize.allocate_problem(pr, args.doel)
        d = document(res, toets(pr, res.allocatie, vers, seed + 1), det,
                     toets(pr, det, vers, seed + 1), seed)  # fmt: skip
    if uit is not None:
        if uit.suffix.lower() == ".json":
            tekst = json.dumps(d, ensure_ascii=False, indent=2, allow_nan=False)
            atomic_write(uit, lambda p: p.write_text(tekst + "\n", encoding="utf-8"))
        else:
            from plafond.commands.optimize import schrijf

            schrijf(res.allocatie, uit)
    if args.json:
        print_json(d)
    else:
        from plafond.commands.optimize import render

        print(render(res.allocatie))
        print("\n" + render_risico(d))
    return 0


def render_risico(d: dict) -> str:
    """The risk lines: constraint, in-sample, out of sample, against deterministic."""
    r, t, det = d["risico"], d["toets"], d["deterministisch"]
    eis = (f"overschrijdingskans <= {procent(r['kans'])} ({r['vorm']})" if r["kans"] is not None
           else f"CVaR 95% overschrijding <= {euro(r['cvar'])}")  # fmt: skip
    lo, hi = t["interval"]
    dlo, dhi = det["toets"]["interval"]
    return "\n".join([
        f"Risico-eis: {eis}, op {getal(r['scenarios'], 0)} scenario's (seed {r['seed']})",
        f"in de steekproef: overschrijdingskans {procent(r['overschrijdingskans'], 2)}, "
        f"CVaR 95% {euro(r['cvar95_overschrijding'])}",
        f"toets op {getal(t['n'], 0)} verse scenario's (seed {t['seed']}): "
        f"{procent(t['overschrijdingskans'], 2)} ({procent(lo, 2)} – {procent(hi, 2)}), "
        f"CVaR 95% {euro(t['cvar95_overschrijding'])}",
        f"deterministische verdeling: {procent(det['toets']['overschrijdingskans'], 2)} "
        f"({procent(dlo, 2)} – {procent(dhi, 2)}), CVaR 95% "
        f"{euro(det['toets']['cvar95_overschrijding'])}; meerkosten {euro(det['meerkosten'])}",
    ])  # fmt: skip
