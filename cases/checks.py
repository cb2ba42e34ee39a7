"""Checks across tables: unknown ids, duplicates, consistency. Each names the row at fault.

Like PyPSA's ``consistency.py``: small ``check_*`` functions, run in order by
:func:`check_case`, each raising one :class:`~cases.errors.CaseError`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
from plafond.cases import grenzen
from plafond.cases.checks_kader import check_kader_regels
from plafond.cases.errors import CaseError
from plafond.cases.schema import Case

_ONBEKEND = {
    "gebied": "onbekend gebied",
    "product": "onbekend product",
    "aanbieder": "onbekende aanbieder",
    "partner": "onbekende partner",
}


def _known(bron: str, where: str, value: str | None, known: Iterable[str], kind: str) -> None:
    known = list(known)
    if value is not None and value not in known:
        raise CaseError(
            bron, where, f"{_ONBEKEND[kind]} {value!r}; bekend zijn: {', '.join(known) or '(geen)'}"
        )


def check_unique_ids(case: Case, bron: str) -> None:
    """Ids in producten, gebieden and aanbieders are unique."""
    for table in ("producten", "gebieden", "aanbieders", "cooperaties"):
        counts = Counter(row.id for row in getattr(case, table))
        for key, n in counts.items():
            if n > 1:
                raise CaseError(bron, f"{table}[{key}]", f"id komt {n} keer voor; ids zijn uniek")


def _check_unique_rows(bron: str, table: str, keys: list[tuple], labels: str) -> None:
    seen: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        if key in seen:
            raise CaseError(
                bron,
                f"{table}[rij {i + 1}]",
                f"dubbele regel voor ({labels}) = {key}; zelfde als rij {seen[key] + 1}",
            )
        seen[key] = i


def check_references(case: Case, bron: str) -> None:
    """Every gebied, aanbieder and product named in a table exists."""
    producten = [p.id for p in case.producten]
    gebieden = [g.id for g in case.gebieden]
    aanbieders = [a.id for a in case.aanbieders]
    for a in case.aanbieders:
        for product in a.capaciteit:
            _known(bron, f"aanbieders[{a.id}].capaciteit", product, producten, "product")
    for i, t in enumerate(case.tarieven):
        _known(bron, f"tarieven[rij {i + 1}].product", t.product, producten, "product")
        _known(bron, f"tarieven[rij {i + 1}].aanbieder", t.aanbieder, aanbieders, "aanbieder")
    rows = [
        ("historie", case.historie),
        ("vraag", case.vraag),
        ("werkgebied", case.werkgebied),
        ("kader.opslagen", case.kader.opslagen),
        ("kader.overige_uitgaven", case.kader.overige_uitgaven),
        ("marktordening.minimum_bedrag", case.marktordening.minimum_bedrag),
        ("levering.overige", case.levering.overige),
    ]
    for table, table_rows in rows:
        for i, row in enumerate(table_rows):
            where = f"{table}[rij {i + 1}]"
            if hasattr(row, "aanbieder"):
                _known(bron, f"{where}.aanbieder", row.aanbieder, aanbieders, "aanbieder")
            if hasattr(row, "gebied"):
                _known(bron, f"{where}.gebied", row.gebied, gebieden, "gebied")
            if hasattr(row, "product"):
                _known(bron, f"{where}.product", row.product, producten, "product")


def check_unique_rows(case: Case, bron: str) -> None:
    """No two rows describe the same combination."""
    _check_unique_rows(
        bron,
        "tarieven",
        [(t.product, t.aanbieder) for t in case.tarieven],
        "product, aanbieder",
    )
    _check_unique_rows(
        bron,
        "historie",
        [(h.aanbieder, h.gebied, h.product) for h in case.historie],
        "aanbieder, gebied, product",
    )
    _check_unique_rows(
        bron, "vraag", [(v.gebied, v.product) for v in case.vraag], "gebied, product"
    )
    _check_unique_rows(
        bron,
        "werkgebied",
        [(w.aanbieder, w.gebied, w.product) for w in case.werkgebied],
        "aanbieder, gebied, product",
    )


def check_tarieven_complete(case: Case, bron: str) -> None:
    """Every (aanbieder, product) that appears in historie or werkgebied has a reëel tarief."""
    generic = {t.product for t in case.tarieven if t.aanbieder is None}
    specific = {(t.aanbieder, t.product) for t in case.tarieven if t.aanbieder is not None}
    for table in ("historie", "werkgebied"):
        for i, row in enumerate(getattr(case, table)):
            if row.product not in generic and (row.aanbieder, row.product) not in specific:
                raise CaseError(
                    bron,
                    f"{table}[rij {i + 1}]",
                    f"geen reëel tarief voor product {row.product!r} bij aanbieder "
                    f"{row.aanbieder!r}; voeg een tarief voor het product toe in tarieven",
                )


def check_partner_rules(case: Case, bron: str) -> None:
    """Opslagen and sleutels apply to partners only; a sleutel has positive weight."""
    partners = case.partners()
    for i, o in enumerate(case.kader.opslagen):
        if o.aanbieder not in partners:
            raise CaseError(
                bron,
                f"kader.opslagen[rij {i + 1}].aanbieder",
                f"{o.aanbieder!r} is geen partner; een opslag hoort bij de lumpsum van een partner",
            )
    sleutel = case.kader.risicodeling.sleutel
    if sleutel is not None:
        for key in sleutel:
            _known(bron, "kader.risicodeling.sleutel", key, partners, "partner")
        if sum(sleutel.values()) <= 0:
            raise CaseError(
                bron,
                "kader.risicodeling.sleutel",
                "de gewichten tellen op tot 0; geef gewichten > 0",
            )


def check_cooperaties(case: Case, bron: str) -> None:
    """Cooperaties: known ids, partners as leden, a key over exactly the leden summing to 1.

    A lid names one cooperatie (``aanbieders.cooperatie``), so it cannot be in two; a
    cooperatie without leden, an overig as lid, an id shared with an aanbieder, or a key
    that names another aanbieder or does not sum to 1 is refused.
    """
    ids = [c.id for c in case.cooperaties]
    aanbieders = {a.id for a in case.aanbieders}
    for c in case.cooperaties:
        if c.id in aanbieders:
            raise CaseError(
                bron, f"cooperaties[{c.id}]",
                "id is ook een aanbieder; geef de coöperatie een eigen id",
            )  # fmt: skip
    for a in case.aanbieders:
        if a.cooperatie is None:
            continue
        where = f"aanbieders[{a.id}].cooperatie"
        if a.cooperatie not in ids:
            raise CaseError(
                bron, where,
                f"onbekende coöperatie {a.cooperatie!r}; bekend zijn: {', '.join(ids) or '(geen)'}",
            )  # fmt: skip
        if a.rol != "partner":
            raise CaseError(
                bron, where, f"{a.id!r} heeft rol {a.rol}; alleen een partner kan lid zijn"
            )
    for c in case.cooperaties:
        leden = [a.id for a in case.aanbieders if a.cooperatie == c.id]
        where = f"cooperaties[{c.id}]"
        if not leden:
            raise CaseError(
                bron, where,
                "de coöperatie heeft geen leden; geef partners cooperatie: " + repr(c.id),
            )  # fmt: skip
        if c.sleutel == "lumpsum":
            continue
        for lid in c.sleutel:
            if lid not in leden:
                raise CaseError(
                    bron, f"{where}.sleutel.{lid}",
                    f"{lid!r} is geen lid van {c.id!r}; leden zijn: {', '.join(leden)}",
                )  # fmt: skip
        ontbreekt = [lid for lid in leden if lid not in c.sleutel]
        if ontbreekt:
            raise CaseError(
                bron, f"{where}.sleutel",
                f"geen aandeel voor lid {ontbreekt[0]!r}; geef een aandeel voor elk lid: "
                f"{', '.join(leden)}",
            )  # fmt: skip
        som = sum(c.sleutel.values())
        if abs(som - 1.0) > 1e-9:
            raise CaseError(
                bron, f"{where}.sleutel",
                f"de aandelen tellen op tot {som:g}; ze moeten samen precies 1 zijn",
            )  # fmt: skip


def check_correlatie(case: Case, bron: str) -> None:
    """A correlation matrix names known gebieden, is symmetric and positive semi-definite."""
    matrix = case.kader.correlatie.matrix
    if matrix is None:
        return
    ids = [g.id for g in case.gebieden]
    where = "kader.correlatie.matrix"
    for row_id, row in matrix.items():
        _known(bron, where, row_id, ids, "gebied")
        for col_id in row:
            _known(bron, f"{where}[{row_id}]", col_id, ids, "gebied")
    full = np.eye(len(ids))
    for i, a in enumerate(ids):
        for j, b in enumerate(ids):
            if i != j:
                rho_ab = matrix.get(a, {}).get(b)
                rho_ba = matrix.get(b, {}).get(a)
                if rho_ab is not None and rho_ba is not None and rho_ab != rho_ba:
                    raise CaseError(bron, f"{where}[{a}][{b}]", "matrix is niet symmetrisch")
                full[i, j] = rho_ab if rho_ab is not None else (rho_ba or 0.0)
    if np.linalg.eigvalsh(full).min() < -1e-10:
        raise CaseError(bron, where, "geen geldige correlatiematrix (niet positief semi-definiet)")


def check_marktordening(case: Case, bron: str) -> None:
    """Minimum and maximum number of aanbieders per gebied are consistent."""
    m = case.marktordening
    lo, hi = m.min_aanbieders_per_gebied, m.max_aanbieders_per_gebied
    if lo is not None and hi is not None and lo > hi:
        raise CaseError(
            bron,
            "marktordening.min_aanbieders_per_gebied",
            f"{lo} is groter dan max_aanbieders_per_gebied ({hi})",
        )


CHECKS = (
    check_unique_ids,
    check_references,
    check_unique_rows,
    check_tarieven_complete,
    check_partner_rules,
    check_cooperaties,
    check_correlatie,
    check_marktordening,
)


def check_case(case: Case, bron: str) -> None:
    """Run every cross-table check; raise the first :class:`CaseError` found."""
    for check in CHECKS:
        check(case, bron)


def check_plafond(case: Case, bron: str) -> None:
    """A given plafond A covers at least the partners' lumpsum B (else C would be negative)."""
    from plafond.cases.framework import kader  # framework builds on a checked case

    if case.kader.plafond is None:
        return
    fw = kader(case)
    if fw.plafond < fw.lumpsum:
        raise CaseError(
            bron,
            "kader.plafond",
            f"het plafond ({fw.plafond:,.2f} euro) is kleiner dan de lumpsum B "
            f"({fw.lumpsum:,.2f} euro); toegestaan: een plafond van minstens B",
        )


def check_lumpsum_structuur(case: Case, bron: str) -> None:
    """Structures that are half valid: what simulate and report need of the lumpsum.

    - Some partner has a lumpsum (B > 0): the risk rule divides an overschrijding over the
      partners pro rata, so without one there is nothing to simulate.
    - With ``verdeelsleutel: gemeente`` every gemeente with a budget has a partner with a
      lumpsum there (its pot bears its own overschrijding).
    - When the case has ``vraag`` rows, every (gebied, product) where a partner has a
      lumpsum has one, or the partner's exploitation cost there would silently be 0. (A
      case without any vraag has no exploitation figures; validate says so.)
    """
    from plafond.cases.framework import kader, lumpsum_regels

    fw = kader(case)
    if fw.lumpsum <= 0:
        raise CaseError(
            bron,
            "historie",
            "geen partner heeft een lumpsum (historie-omzet of opslag van een aanbieder met "
            "rol partner); simulate en report verdelen de overschrijding over de partners",
        )
    regels = lumpsum_regels(case)["lumpsum"]
    regels = regels[regels > 0]
    gemeente_van = case.gemeente_van()
    if case.kader.risicodeling.verdeelsleutel == "gemeente":
        met_partner = {gemeente_van[g] for g in regels.index.get_level_values("gebied")}
        budget = fw.per_gemeente_product["plafond"].groupby(level="gemeente").sum()
        for gemeente in sorted({g.gemeente for g in case.gebieden}):
            if gemeente not in met_partner and float(budget.get(gemeente, 0.0)) > 0:
                raise CaseError(
                    bron,
                    "kader.risicodeling.verdeelsleutel",
                    f"gemeente {gemeente!r} heeft geen partner met een lumpsum, maar bij "
                    "verdeelsleutel gemeente draagt elke gemeente haar eigen overschrijding; "
                    "geef een partner daar historie of kies verdeelsleutel lumpsum",
                )
    vraag = {(v.gebied, v.product) for v in case.vraag}
    for aanbieder, gebied, product in regels.index if vraag else ():
        if (gebied, product) not in vraag:
            raise CaseError(
                bron,
                "vraag",
                f"partner {aanbieder!r} heeft een lumpsum in {gebied}/{product}, maar daar is "
                "geen vraag-regel; voeg een vraag-regel toe voor dit gebied en product "
                "(anders zijn de kosten van de partner daar 0)",
            )


def check_cooperatie_lumpsum(case: Case, bron: str) -> None:
    """A cooperatie with sleutel ``lumpsum`` has leden with a lumpsum (else no key)."""
    from plafond.cases.framework import kader

    lumpsum = kader(case).lumpsum_per_aanbieder
    for c in case.cooperaties:
        leden = [a.id for a in case.aanbieders if a.cooperatie == c.id]
        if c.sleutel == "lumpsum" and float(lumpsum.reindex(leden, fill_value=0.0).sum()) <= 0:
            raise CaseError(
                bron, f"cooperaties[{c.id}].sleutel",
                "sleutel lumpsum, maar geen lid heeft een lumpsum; geef leden historie "
                "of een aandeel per lid",
            )  # fmt: skip


# The kader rules refer to gemeenten, producten and pots: checked before anything (the totals
# among the bounds) computes the framework from them.
CHECKS = (
    *CHECKS,
    check_kader_regels,
    *grenzen.CHECKS,
    check_plafond,
    check_lumpsum_structuur,
    check_cooperatie_lumpsum,
)
