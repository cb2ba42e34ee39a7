"""Realisations (declarations so far) of a contract year: read, validate, aggregate.

A realisation file (CSV or Excel, first sheet or sheet ``realisatie``) has one row per
declaration: ``periode`` (YYYY-MM, within the case's ``jaar``), ``gebied``, ``aanbieder``,
``product`` and ``volume`` (units) and/or ``bedrag`` (euro). A row with only a bedrag gets
its volume from the aanbieder's reëel tarief; a row with only a volume its bedrag likewise.
Every problem is one line (file, row, field, what is allowed); all are reported together.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from plafond.cases.errors import CaseError

if TYPE_CHECKING:
    from plafond.cases import Case

#: The columns of a realisation file, in order.
KOLOMMEN = ("periode", "gebied", "aanbieder", "product", "volume", "bedrag")
_PERIODE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Realisatie:
    """Validated realisations: one row per declaration, and the months they cover.

    Attributes
    ----------
    rijen
        DataFrame with maand (1..12), gebied, aanbieder, product, volume (units), bedrag
        (euro).
    maanden
        The months realised (1..12): the last periode in the file, or ``--tot``.
    """

    rijen: pd.DataFrame
    maanden: int

    @property
    def bedrag(self) -> float:
        """Total declared (euro)."""
        return float(self.rijen["bedrag"].sum())


def _lees_rijen(pad: Path) -> list[dict[str, Any]]:
    if pad.suffix.lower() == ".csv":
        with pad.open(encoding="utf-8-sig", newline="") as f:
            tekst = f.read()
        scheiding = ";" if tekst.count(";") > tekst.count(",") else ","
        rijen = csv.DictReader(tekst.splitlines(), delimiter=scheiding)
        return [{str(k).strip().lower(): v for k, v in r.items() if k is not None} for r in rijen]
    if pad.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(pad, read_only=True, data_only=True)
        ws = wb["realisatie"] if "realisatie" in wb.sheetnames else wb.worksheets[0]
        rijen = list(ws.iter_rows(values_only=True))
        wb.close()
        if not rijen:
            return []
        kop = [str(k).strip().lower() if k is not None else "" for k in rijen[0]]
        return [dict(zip(kop, r, strict=False)) for r in rijen[1:] if any(v is not None for v in r)]
    raise CaseError(str(pad), "", "realisatie moet .csv of .xlsx zijn")


def _getal(waarde: Any) -> float | None:
    if waarde is None or (isinstance(waarde, str) and not waarde.strip()):
        return None
    if isinstance(waarde, str):
        waarde = waarde.strip().replace(" ", "")
        if "," in waarde:  # Dutch notation: 1.234,56
            waarde = waarde.replace(".", "").replace(",", ".")
    x = float(waarde)
    if not math.isfinite(x) or x < 0:
        raise ValueError
    return x


def lees_realisatie(pad: str | Path, case: Case, tot: str | None = None) -> Realisatie:
    """Read and validate a realisation file against ``case``.

    Parameters
    ----------
    pad
        The .csv or .xlsx file.
    case
        The validated case (ids, tarieven, jaar).
    tot
        ``YYYY-MM-DD``: the realisation runs to this date (its month counts when it is the
        month's last day, else the month before); rows after it are left out. None: to the
        last periode in the file.

    Raises
    ------
    CaseError
        Every problem, one line each (file, row, field, what is allowed).
    """
    from plafond.cases import framework

    pad = Path(pad)
    bron = str(pad)
    if not pad.is_file():
        raise CaseError(bron, "", "bestand bestaat niet")
    try:
        ruw = _lees_rijen(pad)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CaseError(bron, "", f"kan niet lezen: {exc}") from None
    except Exception as exc:  # a damaged workbook
        if isinstance(exc, CaseError):
            raise
        raise CaseError(bron, "", f"geen geldig Excel-bestand: {type(exc).__name__}") from None
    grens = _maand_tot(bron, case.jaar, tot)
    bekend = {"gebied": {g.id for g in case.gebieden}, "aanbieder": {a.id for a in case.aanbieders},
              "product": {p.id for p in case.producten}}  # fmt: skip
    fouten: list[tuple[str, str]] = []
    rijen = []
    if not ruw:
        fouten.append(("", "geen rijen; verwacht de kolommen " + ", ".join(KOLOMMEN)))
    elif missend := [k for k in KOLOMMEN[:4] if k not in ruw[0]]:
        fouten.append(
            ("", f"kolom {', '.join(missend)} ontbreekt; kolommen: {', '.join(KOLOMMEN)}")
        )
    for nr, r in enumerate(ruw if not fouten else [], start=2):
        plaats = f"rij {nr}"
        rij: dict[str, Any] = {}
        periode = r.get("periode")
        if hasattr(periode, "strftime"):  # Excel made a date of 2020-01
            periode = periode.strftime("%Y-%m")
        m = _PERIODE.match(str(periode or "").strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            fouten.append(
                (f"{plaats}.periode", f"{r.get('periode')!r} is geen maand; schrijf JJJJ-MM")
            )
        elif int(m.group(1)) != case.jaar:
            fout = (f"{m.group(0)} valt buiten het contractjaar {case.jaar}; toegestaan: "
                    f"{case.jaar}-01 t/m {case.jaar}-12")  # fmt: skip
            fouten.append((f"{plaats}.periode", fout))
        elif grens is not None and int(m.group(2)) > grens:
            continue  # after --tot: not yet known on that date
        else:
            rij["maand"] = int(m.group(2))
        for veld, ids in bekend.items():
            waarde = str(r.get(veld) or "").strip()
            if waarde not in ids:
                fouten.append((f"{plaats}.{veld}", f"onbekend id {waarde!r}; bekend zijn: "
                               f"{', '.join(sorted(ids))}"))  # fmt: skip
            rij[veld] = waarde
        for veld in ("volume", "bedrag"):
            try:
                rij[veld] = _getal(r.get(veld))
            except (TypeError, ValueError):
                fouten.append((f"{plaats}.{veld}", f"{r.get(veld)!r} is geen getal van 0 of meer"))
                rij[veld] = 0.0
        if rij.get("volume") is None and rij.get("bedrag") is None:
            fouten.append((plaats, "volume of bedrag ontbreekt; geef er minstens één"))
        rijen.append(rij)
    if not fouten:
        for rij in rijen:
            if rij["volume"] is None or rij["bedrag"] is None:
                try:
                    t = framework.tarief(case, rij["product"], rij["aanbieder"])
                except KeyError:
                    t = 0.0
                if t <= 0:
                    fouten.append((f"rij {rijen.index(rij) + 2}", "geen tarief voor deze aanbieder"
                                   " en dit product; geef volume én bedrag"))  # fmt: skip
                elif rij["volume"] is None:
                    rij["volume"] = rij["bedrag"] / t
                else:
                    rij["bedrag"] = rij["volume"] * t
    if fouten:
        regels = [f"{bron}: {p}: {m}" if p else f"{bron}: {m}" for p, m in fouten]
        raise CaseError(
            bron, fouten[0][0], fouten[0][1] + "".join(f"\nfout: {r}" for r in regels[1:])
        )
    df = pd.DataFrame(rijen, columns=["maand", "gebied", "aanbieder", "product", "volume",
                                      "bedrag"])  # fmt: skip
    maanden = grens if grens is not None else int(df["maand"].max())
    return Realisatie(df, maanden)


def _maand_tot(bron: str, jaar: int, tot: str | None) -> int | None:
    """The last month realised by ``--tot`` (0..12), or None without it."""
    if tot is None:
        return None
    try:
        datum = pd.Timestamp(tot)
    except ValueError:
        raise CaseError(bron, "--tot", f"{tot!r} is geen datum; schrijf JJJJ-MM-DD") from None
    if datum.year != jaar:
        raise CaseError(bron, "--tot", f"{tot} valt buiten het contractjaar {jaar}")
    return datum.month if datum.is_month_end else datum.month - 1


def schrijf_sjabloon(pad: Path, case: Case | None = None) -> None:
    """An empty realisation workbook (sheet ``realisatie`` and ``uitleg``), atomically."""
    from openpyxl import Workbook
    from plafond.cases.files import atomic_write

    uitleg = {
        "periode": "maand van de declaratie, JJJJ-MM (binnen het contractjaar)",
        "gebied": "id van het gebied (blad gebieden van de case)",
        "aanbieder": "id van de aanbieder (partner of overig)",
        "product": "id van het product",
        "volume": "eenheden (uren, dagdelen); leeg: bedrag / reëel tarief",
        "bedrag": "gedeclareerd bedrag in euro; leeg: volume × reëel tarief",
    }

    def schrijf(tmp: Path) -> None:
        wb = Workbook()
        ws = wb.active
        ws.title = "realisatie"
        ws.append(list(KOLOMMEN))
        if case is not None:
            v = case.vraag[0] if case.vraag else None
            if v is not None:
                ws.append([f"{case.jaar}-01", v.gebied, case.aanbieders[0].id, v.product, 0, None])
        u = wb.create_sheet("uitleg")
        u.append(["kolom", "betekenis"])
        for k, t in uitleg.items():
            u.append([k, t])
        wb.save(tmp)

    atomic_write(pad, schrijf)
