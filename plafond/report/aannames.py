"""The aannames sheet: every input of the case, the rules applied, and how to replay the run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

import plafond
from plafond.report.inhoud import pakket
from plafond.report.maak import Rapport
from plafond.report.partner import filter_invoer, vrije_tekst
from plafond.xlsx import Tabel

#: Fields that name a row of a case table, in the order they make its label.
_SLEUTELS = ("id", "aanbieder", "gebied", "product")


def _plat(prefix: str, waarde: Any) -> Iterator[tuple[str, Any]]:
    """(field path, value) of nested mappings and lists; None values are left out."""
    if waarde is None:
        return
    if isinstance(waarde, Mapping):
        for k, v in waarde.items():
            yield from _plat(f"{prefix}.{k}" if prefix else str(k), v)
    elif isinstance(waarde, list | tuple) and any(isinstance(v, Mapping) for v in waarde):
        for i, v in enumerate(waarde):
            yield from _plat(f"{prefix}[{i + 1}]", v)
    elif isinstance(waarde, list | tuple):
        yield prefix, ", ".join(str(v) for v in waarde)
    else:
        yield prefix, waarde


def invoer_rijen(data: Mapping[str, Any]) -> list[tuple[str, str, str, Any]]:
    """Rows (onderdeel, rij, veld, waarde) of a case as plain data (``Case.model_dump()``)."""
    rijen: list[tuple[str, str, str, Any]] = []
    for onderdeel, waarde in data.items():
        if isinstance(waarde, list | tuple) and all(isinstance(v, Mapping) for v in waarde):
            for i, rij in enumerate(waarde):
                label = "/".join(str(rij[k]) for k in _SLEUTELS if rij.get(k)) or str(i + 1)
                for veld, v in _plat("", {k: x for k, x in rij.items() if k not in _SLEUTELS}):
                    rijen.append((onderdeel, label, veld, v))
        elif isinstance(waarde, Mapping):
            for veld, v in _plat("", waarde):
                rijen.append((onderdeel, "", veld, v))
        elif waarde is not None:
            rijen.append(("case", "", onderdeel, waarde))
    return rijen


def regels(r: Rapport) -> list[tuple[str, str, str, Any]]:
    """The rules the figures rest on, in words (Dutch, as the report's reader reads them)."""
    k = r.case.kader
    rd = k.risicodeling
    sleutel = {
        "lumpsum": "pro rata de lumpsum",
        "sleutel": "pro rata de opgegeven sleutel",
        "gemeente": "per gemeente, pro rata de lumpsum in die gemeente",
    }[rd.verdeelsleutel]
    tekst = [
        ("lumpsum", "lumpsum = omzet vorig jaar × (1 + indexatie) × (1 − taakstelling) + opslagen"),
        (
            "plafond",
            "plafond A = gegeven in de case"
            if k.plafond is not None
            else "plafond A = alle omzet vorig jaar × (1 + indexatie) × (1 − taakstelling) "
            "+ opslagen",
        ),
        ("overige uitgaven", "budget C = A − B; de werkelijke C volgt de raming per regel"),
        (
            "risicodeling",
            f"bij overschrijding van A dragen de partners {rd.aandeel_partners:.0%} van de "
            f"overschrijding, verdeeld {sleutel}; drempel {rd.drempel:.1%} van A "
            f"({rd.drempel_soort}); maximum "
            + ("geen" if rd.maximum is None else f"{rd.maximum:.0%} van de lumpsum")
            + f"; aandeel in onderschrijding {rd.onderschrijding:.0%}",
        ),
        (
            "simulatie",
            "uitgaven = B + som van de regels overige uitgaven; regels en vraag gecorreleerd "
            "via een Gaussische copula; vraag bepaalt het exploitatierisico van de partners"
            + (
                "; een prijsschok (loonstijging min indexatie) verhoogt de kosten van de "
                "partners per eenheid, niet de uitgaven"
                if r.case.kader.prijsschok is not None
                else ""
            ),
        ),
        (
            "gevoeligheid",
            "per regel overige uitgaven het 10e en 90e percentiel, correlatie 0 en halverwege "
            "naar 1; steeds dezelfde seed (common random numbers), "
            f"{r.gevoeligheid_n} scenario's per run"
            if r.gevoeligheid_n
            else "niet berekend (--zonder-gevoeligheid)",
        ),
    ]
    return [("regel", naam, "", t) for naam, t in tekst]


def run_rijen(r: Rapport) -> list[tuple[str, str, str, Any]]:
    """How the run can be replayed: version, file hash, seed, n, methode, allocation."""
    s = r.simulatie
    waarden: list[tuple[str, Any]] = [
        ("plafond versie", plafond.__version__),
        ("invoerbestand", _bron(r)),
        ("sha256 invoerbestand", r.bron_sha256 or "(geen bestand)"),
        ("seed", str(s.seed)),  # as text: Excel keeps 15 digits of a number
        ("scenario's", s.scenarios),
        ("methode", s.methode),
        ("verdeling", r.allocatie),
        ("partner", r.partner or "(alle partners)"),
    ]
    return [("run", naam, "", w) for naam, w in waarden]


def _bron(r: Rapport) -> str:
    if r.bron is None:
        return "(uit het geheugen)"
    if r.partner is not None and not vrije_tekst(r.bron, r.case, r.partner):
        return "(weggelaten: het pad noemt een andere partner)"
    return r.bron


def aannames(r: Rapport) -> Tabel:
    """The aannames sheet: run, rules, then every input of the case (a pack: filtered)."""
    invoer = r.case.model_dump(mode="json")
    p = pakket(r)
    if p is not None:
        invoer = filter_invoer(invoer, r.case, p)
    rijen = run_rijen(r) + regels(r) + invoer_rijen(invoer)
    frame = pd.DataFrame(rijen, columns=["onderdeel", "rij", "veld", "waarde"])
    return Tabel(frame)
