"""Checks of the seed-002 kader rules: uitsluitingen, reeds_betaald and pot plafonds.

Run by :func:`cases.checks.check_case` after the table checks; each raises one
:class:`~cases.errors.CaseError` naming the row at fault and what is allowed.
"""

from __future__ import annotations

from plafond.cases.errors import CaseError
from plafond.cases.schema import Case

#: Pot kind → the levels of kader.plafonds rows that fit it (gemeente given?, product given?).
_NIVEAUS = {
    "regio": {(True, True), (True, False), (False, True)},
    "gemeente": {(True, True), (True, False)},
    "product": {(True, True), (False, True)},
    "gemeente_product": {(True, True)},
}


def _bekend(bron: str, where: str, value: str | None, known: list[str], wat: str) -> None:
    if value is not None and value not in known:
        raise CaseError(bron, where, f"onbekend {wat} {value!r}; bekend zijn: {', '.join(known)}")


def check_uitsluitingen(case: Case, bron: str) -> None:
    """Uitsluitingen name a known gemeente, product and (optionally) aanbieder."""
    gemeenten = sorted({g.gemeente for g in case.gebieden})
    producten = [p.id for p in case.producten]
    aanbieders = [a.id for a in case.aanbieders]
    for i, u in enumerate(case.kader.uitsluitingen):
        where = f"kader.uitsluitingen[rij {i + 1}]"
        _bekend(bron, f"{where}.gemeente", u.gemeente, gemeenten, "gemeente")
        _bekend(bron, f"{where}.product", u.product, producten, "product")
        _bekend(bron, f"{where}.aanbieder", u.aanbieder, aanbieders, "aanbieder")


def check_reeds_betaald(case: Case, bron: str) -> None:
    """Reeds betaald goes to a partner, on lines where its lumpsum covers the amount."""
    from plafond.cases.framework import lumpsum_regels

    partners = list(case.partners())
    regels = lumpsum_regels(case.model_copy(update={"kader": _zonder_reeds(case)})).reset_index()
    bruto = regels.assign(bruto=regels["geindexeerd"] + regels["opslag"])
    for i, r in enumerate(case.kader.reeds_betaald):
        where = f"kader.reeds_betaald[rij {i + 1}]"
        if r.aanbieder not in partners:
            raise CaseError(
                bron, f"{where}.aanbieder", f"{r.aanbieder!r} is geen partner; toegestaan: "
                f"{', '.join(partners)}"
            )  # fmt: skip
        _bekend(bron, f"{where}.gebied", r.gebied, [g.id for g in case.gebieden], "gebied")
        _bekend(bron, f"{where}.product", r.product, [p.id for p in case.producten], "product")
        kies = bruto["aanbieder"] == r.aanbieder
        if r.gebied is not None:
            kies &= bruto["gebied"] == r.gebied
        if r.product is not None:
            kies &= bruto["product"] == r.product
        ruimte = float(bruto.loc[kies, "bruto"].sum())
        if r.bedrag > ruimte + 0.005:
            raise CaseError(
                bron,
                f"{where}.bedrag",
                f"{r.bedrag:,.2f} euro is meer dan de lumpsum ervoor ({ruimte:,.2f} euro); "
                "toegestaan: hoogstens die lumpsum",
            )


def _zonder_reeds(case: Case):  # noqa: ANN202 - a Kader
    return case.kader.model_copy(update={"reeds_betaald": ()})


def check_plafonds(case: Case, bron: str) -> None:
    """Pot plafonds are at one level that fits the pots, cover every pot once, and add to A."""
    from plafond.cases.potten import pot_soort

    rijen = case.kader.plafonds
    if not rijen:
        return
    gemeenten = sorted({g.gemeente for g in case.gebieden})
    producten = [p.id for p in case.producten]
    soort = pot_soort(case)
    niveaus = {(r.gemeente is not None, r.product is not None) for r in rijen}
    for i, r in enumerate(rijen):
        where = f"kader.plafonds[rij {i + 1}]"
        _bekend(bron, f"{where}.gemeente", r.gemeente, gemeenten, "gemeente")
        _bekend(bron, f"{where}.product", r.product, producten, "product")
        niveau = (r.gemeente is not None, r.product is not None)
        if niveau not in _NIVEAUS[soort] or len(niveaus) > 1:
            raise CaseError(
                bron,
                where,
                f"plafond op het verkeerde niveau voor verdeelsleutel {soort}; toegestaan: "
                "alle regels met gemeente en product, of (bij gemeente) alleen gemeente, of "
                "(bij product) alleen product",
            )
    (niveau,) = niveaus
    nodig = [
        (g if niveau[0] else None, p if niveau[1] else None)
        for g in (gemeenten if niveau[0] else [None])
        for p in (producten if niveau[1] else [None])
    ]
    gegeven = [(r.gemeente, r.product) for r in rijen]
    for sleutel in nodig:
        if gegeven.count(sleutel) != 1:
            naam = "/".join(x for x in sleutel if x is not None)
            raise CaseError(
                bron,
                "kader.plafonds",
                f"pot {naam} heeft {gegeven.count(sleutel)} plafonds; geef er precies één per "
                "pot (of laat kader.plafonds leeg: afgeleid)",
            )
    totaal = sum(r.plafond for r in rijen)
    if case.kader.plafond is not None and abs(case.kader.plafond - totaal) > 0.005:
        raise CaseError(
            bron,
            "kader.plafond",
            f"{case.kader.plafond:,.2f} euro wijkt af van de som van kader.plafonds "
            f"({totaal:,.2f} euro); laat kader.plafond leeg of maak ze gelijk",
        )


KADER_CHECKS = (check_uitsluitingen, check_reeds_betaald, check_plafonds)


def check_kader_regels(case: Case, bron: str) -> None:
    """Run the kader-rule checks in order."""
    for check in KADER_CHECKS:
        check(case, bron)
