"""The report's tables, computed from a :class:`~plafond.report.maak.Rapport`: pure functions.

Each function returns a :class:`plafond.xlsx.Tabel` (a DataFrame with Dutch column names
and the number format of each column), so the Excel and the HTML writer show the same
figures. In a partner pack (``Rapport.partner``) the tables hold that partner's own rows and
the other partners only as the group that :mod:`plafond.report.partner` allows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from plafond.cases.framework import tarief_opbouw
from plafond.cases.geld import centen, verdeel_centen
from plafond.montecarlo.schatters import wilson
from plafond.report.maak import Rapport
from plafond.report.partner import ANDERE_EN_OVERIG, ANDEREN, SAMENGEVOEGD, Pakket, groep_cellen
from plafond.report.partner import pakket as _pakket
from plafond.xlsx import Tabel

#: Spending percentiles on the risico sheet (fractions).
PERCENTIELEN = (0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99)
#: Plafonds on the exceedance table, relative to A.
PLAFOND_STAPPEN = tuple(np.round(np.arange(-0.05, 0.1001, 0.01), 2))
#: Overschrijdingskansen for which the summary gives the plafond needed (fractions).
DOELKANSEN = (0.10, 0.05)


def naam_van(r: Rapport) -> dict[str, str]:
    """Aanbieder id → naam."""
    return {a.id: a.naam for a in r.case.aanbieders}


def pakket(r: Rapport) -> Pakket | None:
    """The partner pack's rules (None for the full report)."""
    if r.partner is None:
        return None
    return _pakket(r.case, r.partner, r.simulatie.terugvordering["lumpsum"].to_dict())


def groep_zichtbaar(r: Rapport) -> bool:
    """Whether totals over all partners may be shown (full report, or a pack with a group)."""
    p = pakket(r)
    return p is None or p.groep


def samenvatting(r: Rapport) -> Tabel:
    """A, B, C, overschrijdingskans with interval, expected and 95 % overschrijding, etc."""
    s, case = r.simulatie, r.case
    lo, hi = s.overschrijdingskans_ci95
    c_verwacht = sum(o.mean() for o in case.kader.overige_uitgaven)
    p95 = s.uitgaven["p95"]
    tabel = partners(r).frame.set_index("aanbieder")
    rijen: list[tuple[str, object, str | None]] = [
        ("case", case.naam, None),
        ("jaar", case.jaar, None),
        ("verdeling", _verdeling_label(r), None),
        ("A  budgetplafond", centen(s.plafond), "euro"),
        *_b_en_c(r, tabel, c_verwacht),
        ("uitgaven verwacht", s.uitgaven["gemiddelde"], "euro"),
        ("uitgaven p95", p95, "euro"),
        ("overschrijdingskans", s.overschrijdingskans, "procent"),
        ("overschrijdingskans 95%-interval, laag", lo, "procent"),
        ("overschrijdingskans 95%-interval, hoog", hi, "procent"),
        ("verwachte overschrijding", s.verwachte_overschrijding, "euro"),
        ("verwachte overschrijding, standaardfout", s.verwachte_overschrijding_se, "euro"),
        ("overschrijding p95", max(0.0, p95 - s.plafond), "euro"),
        (
            "CVaR 95% overschrijding (gemiddelde van de slechtste 5%)",
            s.cvar95_overschrijding,
            "euro",
        ),
    ]
    for kans in DOELKANSEN:
        est, laag, hoog = s.plafond_voor_kans(kans)
        pct = f"{kans:.0%}"
        rijen += [
            (f"plafond nodig voor {pct} overschrijdingskans", est, "euro"),
            (f"  95%-interval, laag ({pct})", laag, "euro"),
            (f"  95%-interval, hoog ({pct})", hoog, "euro"),
        ]
    if groep_zichtbaar(r):
        alle = tabel.loc["totaal", "terugvordering verwacht"]
        rijen.append(("verwachte terugvordering, alle partners", alle, "euro"))
    if r.partner is not None:
        t = s.terugvordering.loc[r.partner]
        eigen = tabel.loc[r.partner]  # as footed on the partners sheet
        rijen += [
            (f"partner {r.partner}: lumpsum", eigen["lumpsum"], "euro"),
            (
                f"partner {r.partner}: verwachte terugvordering",
                eigen["terugvordering verwacht"],
                "euro",
            ),
            (f"partner {r.partner}: kans op terugvordering", t["kans"], "procent"),
            (f"partner {r.partner}: terugvordering p95", t["p95"], "euro"),
        ]
    rijen += [
        ("scenario's", s.scenarios, "getal"),
        ("methode", s.methode, None),
        ("seed", str(s.seed), "tekst"),  # as text: Excel keeps 15 digits of a number
    ]
    frame = pd.DataFrame([(a, b) for a, b, _ in rijen], columns=["grootheid", "waarde"])
    return Tabel(frame, {"waarde": [f for _, _, f in rijen]})


def _b_en_c(
    r: Rapport, tabel: pd.DataFrame, c_verwacht: float
) -> list[tuple[str, object, str | None]]:
    """B and C (C = A − B to the cent); in a pack without a group only A − own lumpsum."""
    a = centen(r.simulatie.plafond)
    if groep_zichtbaar(r):
        b = float(tabel.loc["totaal", "lumpsum"])
        return [
            ("B  lumpsum partners", b, "euro"),
            ("C  budget overige uitgaven (A − B)", centen(a - b), "euro"),
            ("C  verwachte overige uitgaven (raming)", c_verwacht, "euro"),
        ]
    eigen = float(tabel.loc[r.partner, "lumpsum"])
    return [(f"{ANDERE_EN_OVERIG} (A − eigen lumpsum)", centen(a - eigen), "euro")]


def _verdeling_label(r: Rapport) -> str:
    if r.allocatie == "optimaal":
        return "optimale verdeling (plafond optimize, doel kosten)"
    return "lumpsum uit de case (omzet × indexatie × (1 − taakstelling) + opslagen)"


def verdeling_tabel(r: Rapport) -> pd.DataFrame:
    """The allocation as rows gebied, aanbieder, product, bedrag, volume, tarief.

    In a partner pack the other partners are summed per gebied and product where at least
    two of them are, the other cells merged (:func:`partner.groep_cellen`; tarief then the
    bedrag-weighted mean, euro per eenheid); without a group only the own rows.
    """
    frame = r.verdeling.reset_index()
    p = pakket(r)
    if p is None:
        return frame
    eigen = frame[frame["aanbieder"] == r.partner]
    if not p.groep:
        return eigen.reset_index(drop=True)
    anderen = groep_cellen(frame[frame["aanbieder"].isin(p.anderen)])
    anderen["aanbieder"] = ANDEREN
    anderen["tarief"] = anderen["bedrag"] / anderen["volume"].where(anderen["volume"] > 0)
    return pd.concat([eigen, anderen[eigen.columns]], ignore_index=True)


def allocatie(r: Rapport) -> Tabel:
    """The allocatie sheet: the verdeling with the aanbieder's naam."""
    frame = verdeling_tabel(r)
    namen = naam_van(r)
    frame.insert(2, "naam", frame["aanbieder"].map(namen).fillna(""))
    return Tabel(frame, {"bedrag": "euro", "volume": "getal", "tarief": "euro"})


def heatmap(r: Rapport) -> pd.DataFrame:
    """Bedrag (euro) per gebied (rows) and aanbieder (columns), summed over products."""
    frame = verdeling_tabel(r)
    tabel = frame.pivot_table(
        index="gebied", columns="aanbieder", values="bedrag", aggfunc="sum", fill_value=0.0
    )
    volgorde = [g for g in (*(g.id for g in r.case.gebieden), SAMENGEVOEGD) if g in tabel.index]
    kolommen = [a for a in (*r.case.partners(), ANDEREN) if a in tabel.columns]
    return tabel.reindex(index=volgorde, columns=kolommen)


def risico(r: Rapport) -> list[Tabel]:
    """Spending percentiles and the exceedance table (plafond → overschrijdingskans)."""
    s = r.simulatie
    q = np.quantile(s.uitgaven_per_scenario, PERCENTIELEN)
    perc = pd.DataFrame(
        {
            "percentiel": [f"p{round(100 * p)}" for p in PERCENTIELEN],
            "uitgaven": q,
            "overschrijding": np.maximum(q - s.plafond, 0.0),
        }
    )
    plafonds = s.plafond * (1.0 + np.array(PLAFOND_STAPPEN))
    kansen = s.overschrijdingskans_bij(plafonds)
    ci = [wilson(k * s.scenarios, s.scenarios) for k in kansen]
    curve = pd.DataFrame(
        {
            "plafond t.o.v. A": np.array(PLAFOND_STAPPEN),
            "plafond": plafonds,
            "overschrijdingskans": kansen,
            "95%-interval laag": [c[0] for c in ci],
            "95%-interval hoog": [c[1] for c in ci],
        }
    )
    return [
        Tabel(perc, {"uitgaven": "euro", "overschrijding": "euro"}),
        Tabel(
            curve,
            {
                "plafond t.o.v. A": "procent",
                "plafond": "euro",
                "overschrijdingskans": "procent2",
                "95%-interval laag": "procent2",
                "95%-interval hoog": "procent2",
            },
        ),
    ]


#: Columns of the partner table: (name in the sheet, source, format). Source "t." is the
#: terugvordering table, "e." the exploitatie table of the simulation.
PARTNER_KOLOMMEN = (
    ("lumpsum", "t.lumpsum", "euro"),
    ("terugvordering verwacht", "t.verwacht", "euro"),
    ("standaardfout", "t.se", "euro"),
    ("kans op terugvordering", "t.kans", "procent"),
    ("terugvordering p95", "t.p95", "euro"),
    ("terugvordering als deel van lumpsum", "t.aandeel_lumpsum", "procent2"),
    ("kosten volume tegen reëel tarief", "e.verwachte_kosten", "euro"),
    ("resultaat verwacht", "e.verwacht_resultaat", "euro"),
    ("kans op verlies", "e.kans_verlies", "procent"),
    ("tekort verwacht", "e.verwacht_tekort", "euro"),
)
#: Columns that add up over partners (the others are left empty for a group).
_OPTELBAAR = {"t.lumpsum", "t.verwacht", "e.verwachte_kosten", "e.verwacht_resultaat"}


def _partner_rij(bron: pd.DataFrame, label: str, naam: str) -> dict[str, object]:
    """One row for ``bron`` (one or more partners): the values, or sums for a group."""
    rij: dict[str, object] = {"aanbieder": label, "naam": naam}
    for kolom, sleutel, _ in PARTNER_KOLOMMEN:
        if len(bron) == 1:
            rij[kolom] = float(bron[sleutel].iloc[0])
        elif sleutel in _OPTELBAAR:
            rij[kolom] = float(bron[sleutel].sum())
        else:
            rij[kolom] = None
    if len(bron) > 1 and rij["lumpsum"]:
        rij["terugvordering als deel van lumpsum"] = rij["terugvordering verwacht"] / rij["lumpsum"]
    return rij


def _partner_bron(r: Rapport) -> pd.DataFrame:
    s = r.simulatie
    return pd.concat([s.terugvordering.add_prefix("t."), s.exploitatie.add_prefix("e.")], axis=1)


def partners(r: Rapport) -> Tabel:
    """Per partner: lumpsum, terugvordering (verwacht, se, kans, p95, share), exploitatie.

    A row "totaal" sums what adds up; a partner pack shows the partner, the others
    together, and the total. Probabilities, standard errors and percentiles do not add up
    over partners, so they are left empty for a group.
    """
    bron = _partner_bron(r)
    namen = naam_van(r)
    if r.partner is None:
        rijen = [_partner_rij(bron.loc[[a]], a, namen.get(a, "")) for a in bron.index]
    else:
        rijen = [_partner_rij(bron.loc[[r.partner]], r.partner, namen.get(r.partner, ""))]
        if groep_zichtbaar(r):
            rijen.append(_partner_rij(bron.drop(index=r.partner), ANDEREN, ""))
    if groep_zichtbaar(r):
        rijen.append(_partner_rij(bron, "totaal", ""))
    frame = voet(pd.DataFrame(rijen), [k for k, bron, _ in PARTNER_KOLOMMEN if bron in _OPTELBAAR])
    return Tabel(frame, {k: f for k, _, f in PARTNER_KOLOMMEN})


def cooperaties(r: Rapport) -> Tabel | None:
    """Per cooperative (one contract partner): leden, lumpsum, terugvordering and its se.

    Only in the full report: in a partner pack a cooperative's figures would show the sum
    of the other leden. None without cooperaties.
    """
    tabel = r.simulatie.cooperaties
    if tabel is None or r.partner is not None:
        return None
    frame = pd.DataFrame(
        {
            "coöperatie": list(tabel.index),
            "naam": list(tabel["naam"]),
            "leden": [", ".join(leden) for leden in tabel["leden"]],
            "lumpsum": [centen(x) for x in tabel["lumpsum"]],
            "terugvordering verwacht": [centen(x) for x in tabel["verwacht"]],
            "standaardfout": [centen(x) for x in tabel["se"]],
            "terugvordering als deel van lumpsum": [
                t / b if b > 0 else None for t, b in zip(tabel["verwacht"], tabel["lumpsum"],
                                                         strict=True)
            ],
        }
    )  # fmt: skip
    formaten = {"lumpsum": "euro", "terugvordering verwacht": "euro", "standaardfout": "euro",
                "terugvordering als deel van lumpsum": "procent2"}  # fmt: skip
    return Tabel(frame, formaten, titel="coöperaties (één contractpartner; leden hierboven)")


def voet(frame: pd.DataFrame, kolommen: list[str], label: str = "totaal") -> pd.DataFrame:
    """``frame`` with ``kolommen`` to the cent, the rows footing to the row ``label``.

    The total is rounded to the cent and the other rows by the largest-remainder method
    (:func:`cases.geld.verdeel_centen`), so the shown rows add up to the shown total.
    """
    frame = frame.copy()
    is_totaal = frame.iloc[:, 0] == label
    for k in kolommen:
        delen = frame.loc[~is_totaal, k].astype(float)
        if is_totaal.any():
            totaal = centen(float(delen.sum()))
            frame.loc[~is_totaal, k] = verdeel_centen(delen.to_numpy(), totaal)
            frame.loc[is_totaal, k] = totaal
        else:
            frame.loc[~is_totaal, k] = [centen(x) for x in delen]
    return frame


def terugvordering_plot(r: Rapport) -> pd.DataFrame:
    """Expected terugvordering and its 95 % upper bound (p95) per bar (euro).

    Index: partner ids, or in a partner pack the partner and "andere partners samen". The
    group's p95 is the sum of the p95s only when every partner's terugvordering is a
    non-decreasing function of the same total spending (one pot: verdeelsleutel lumpsum or
    sleutel), which makes it exact; otherwise it is left empty (NaN).
    """
    t = r.simulatie.terugvordering
    if r.partner is None:
        return t[["verwacht", "p95"]].copy()
    if not groep_zichtbaar(r):
        return t.loc[[r.partner], ["verwacht", "p95"]].copy()
    anderen = t.drop(index=r.partner)
    een_pot = r.case.kader.risicodeling.verdeelsleutel != "gemeente"
    groep = pd.DataFrame(
        {
            "verwacht": [anderen["verwacht"].sum()],
            "p95": [anderen["p95"].sum() if een_pot else np.nan],
        },
        index=[ANDEREN],
    )
    return pd.concat([t.loc[[r.partner], ["verwacht", "p95"]], groep])


def tarieven(r: Rapport) -> Tabel:
    """The build-up of every reëel tarief (a partner pack: the general and its own)."""
    frame = tarief_opbouw(r.case)
    if r.partner is not None:
        frame = frame[frame["aanbieder"].isin(["", r.partner])].reset_index(drop=True)
    nummer = frame.groupby(["product", "aanbieder"], sort=False).cumcount() + 1
    # numbered steps read as a build-up, and no label starts with "+" (a formula in Excel)
    frame["omschrijving"] = nummer.astype(str) + ". " + frame["omschrijving"]
    return Tabel(frame, {"bedrag": "euro"})


def gevoeligheid(r: Rapport) -> Tabel:
    """The tornado's table: each input, its laag/hoog value and the effect (euro)."""
    g = r.gevoeligheid
    frame = pd.DataFrame(
        {
            "invoer": g["invoer"],
            "laag": g["laag"],
            "hoog": g["hoog"],
            "verwachte overschrijding bij laag": g["overschrijding_laag"],
            "verwachte overschrijding bij hoog": g["overschrijding_hoog"],
            "effect": g["effect"],
        }
    )
    if not groep_zichtbaar(r):  # the p10/p90 of the C lines would give C, and so B
        c_regel = g["soort"] == "overige_uitgaven"
        frame["laag"] = frame["laag"].where(~c_regel, None)
        frame["hoog"] = frame["hoog"].where(~c_regel, None)
    soort = [("euro" if s == "overige_uitgaven" else "fractie") for s in g["soort"]]
    return Tabel(
        frame,
        {
            "laag": soort,
            "hoog": soort,
            "verwachte overschrijding bij laag": "euro",
            "verwachte overschrijding bij hoog": "euro",
            "effect": "euro",
        },
    )
