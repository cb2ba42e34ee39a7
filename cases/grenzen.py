"""Numeric bounds that keep every later computation finite, and the correlation the case implies.

The schema refuses NaN, infinity and negative amounts; these checks add upper bounds (so no
sum, product or quantile table overflows or exhausts memory) and the checks that only make
sense for the case as a whole: the correlation matrix of the uncertain lines must be
positive semidefinite (the copula needs a factor of it). Every bound is a named constant
here and documented in ``cases/README.md`` ("Limits").
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from plafond.cases.errors import CaseError
from plafond.cases.schema import Case
from plafond.cases.verdeling import Verdeling

#: Largest single amount (euro): an omzet, opslag, minimum_bedrag, plafond, a C line's value.
MAX_BEDRAG = 1e11
#: Largest plafond A or lumpsum B of the whole case (euro); cents stay exact below 2^53.
MAX_TOTAAL = 1e13
#: Range of a reëel tarief (euro per eenheid), given or built from its components.
MIN_TARIEF, MAX_TARIEF = 0.01, 10_000.0
#: Largest uren_per_eenheid (staff hours per eenheid).
MAX_UREN_PER_EENHEID = 100.0
#: Largest capaciteit of an aanbieder for a product (eenheden).
MAX_VOLUME = 1e9
#: Largest number of inwoners of a gebied.
MAX_INWONERS = 100_000_000
#: Largest mean number of clienten of one vraag row, and mean volume per client (eenheden).
MAX_CLIENTEN, MAX_VOLUME_PER_CLIENT = 1e6, 1e4
#: Largest coefficient of variation of any distribution; of a normaal (non-negative quantity).
MAX_CV, MAX_CV_NORMAAL = 10.0, 0.5
#: Largest sd of a prijsschok (a fraction).
MAX_SD_SCHOK = 1.0
#: Most observations of an empirisch distribution.
MAX_WAARDEN = 100_000
#: Largest table of a poisson or negbin line (values on its support, see montecarlo).
MAX_TABEL = 2_000_000
#: Largest taakstelling (a fraction below 1: 100 % leaves no budget).
MAX_TAAKSTELLING = 0.9
#: Largest sleutel weight.
MAX_GEWICHT = 1e12
#: Tolerance on the smallest eigenvalue of a correlation matrix.
PSD_TOLERANTIE = 1e-9


def _getal(x: float) -> str:
    return f"{x:.6g}"


def _max(bron: str, where: str, value: float | None, grens: float, eenheid: str = "") -> None:
    if value is not None and value > grens:
        raise CaseError(
            bron,
            where,
            f"{_getal(value)} is te groot; toegestaan: hoogstens {_getal(grens)}{eenheid}",
        )


def tabelgrootte(v: Verdeling) -> float:
    """Values on the support of a poisson or negbin line (its quantile table), estimated.

    The table runs from the 1e-15 to the 1 - 1e-15 quantile: about 16 sd wide, and for a
    skewed negbin its geometric tail reaches about 35 var / mean beyond the mean.
    """
    mu, sd = v.mean(), v.std()
    return 16.0 * sd + (35.0 * sd * sd / mu if mu > 0 else 0.0)


def check_verdeling(v: Verdeling, bron: str, where: str, grens: float, eenheid: str) -> None:
    """A distribution of a non-negative quantity: its values below ``grens``, its spread sane."""
    for name in ("gemiddelde", "min", "modus", "max", "sd"):
        _max(bron, f"{where}.{name}", getattr(v, name), grens, eenheid)
    if v.waarden is not None:
        if len(v.waarden) > MAX_WAARDEN:
            raise CaseError(
                bron, f"{where}.waarden", f"meer dan {MAX_WAARDEN} waarnemingen; geef er minder"
            )
        _max(bron, f"{where}.waarden", max(v.waarden), grens, eenheid)
    if v.verdeling in ("normaal", "lognormaal", "gamma", "negbin"):
        mu, sd = v.mean(), v.std()
        if sd > 0 and mu <= 0:
            raise CaseError(
                bron, f"{where}.gemiddelde", "moet groter dan 0 zijn bij een spreiding (cv of sd)"
            )
        cv = sd / mu if mu > 0 else 0.0
        grens_cv = MAX_CV_NORMAAL if v.verdeling == "normaal" else MAX_CV
        if cv > grens_cv:
            hint = (
                "; een normale verdeling met zo'n spreiding geeft te vaak negatieve waarden, "
                "kies lognormaal of gamma"
                if v.verdeling == "normaal"
                else ""
            )
            raise CaseError(
                bron,
                f"{where}.{'sd' if v.sd is not None else 'cv'}",
                f"spreiding cv = {_getal(cv)} is te groot; toegestaan: cv hoogstens "
                f"{_getal(grens_cv)}{hint}",
            )
    if v.verdeling in ("poisson", "negbin") and tabelgrootte(v) > MAX_TABEL:
        raise CaseError(
            bron,
            where,
            f"{v.verdeling} met gemiddelde {_getal(v.mean())} en sd {_getal(v.std())} is te "
            f"breed om te tabelleren (meer dan {MAX_TABEL:_} waarden); kies gamma of "
            "lognormaal voor zulke grote aantallen".replace("_", "."),
        )


def check_bedragen(case: Case, bron: str) -> None:
    """Amounts, counts, volumes and tarieven within their bounds (module constants)."""
    for g in case.gebieden:
        _max(bron, f"gebieden[{g.id}].inwoners", g.inwoners, MAX_INWONERS)
    if sum(g.inwoners for g in case.gebieden) == 0:
        raise CaseError(
            bron, "gebieden", "alle gebieden hebben 0 inwoners; geef minstens één gebied inwoners"
        )
    for a in case.aanbieders:
        for p, cap in a.capaciteit.items():
            _max(bron, f"aanbieders[{a.id}].capaciteit.{p}", cap, MAX_VOLUME, " eenheden")
    for i, h in enumerate(case.historie):
        _max(bron, f"historie[rij {i + 1}].omzet", h.omzet, MAX_BEDRAG, " euro")
    for i, o in enumerate(case.kader.opslagen):
        _max(bron, f"kader.opslagen[rij {i + 1}].bedrag", o.bedrag, MAX_BEDRAG, " euro")
    for i, m in enumerate(case.marktordening.minimum_bedrag):
        where = f"marktordening.minimum_bedrag[rij {i + 1}].bedrag"
        _max(bron, where, m.bedrag, MAX_BEDRAG, " euro")
    _max(bron, "kader.plafond", case.kader.plafond, MAX_BEDRAG, " euro")
    _max(bron, "kader.taakstelling", case.kader.taakstelling, MAX_TAAKSTELLING)
    for key, w in (case.kader.risicodeling.sleutel or {}).items():
        _max(bron, f"kader.risicodeling.sleutel.{key}", w, MAX_GEWICHT)


def check_tarieven(case: Case, bron: str) -> None:
    """Every reëel tarief, given or built, lies in [MIN_TARIEF, MAX_TARIEF] euro per eenheid."""
    from plafond.cases.framework import opbouw

    for i, t in enumerate(case.tarieven):
        where = f"tarieven[rij {i + 1}]"
        for name in ("tarief", "cao_uurloon", "reiskosten"):
            _max(bron, f"{where}.{name}", getattr(t, name), MAX_TARIEF, " euro")
        _max(bron, f"{where}.uren_per_eenheid", t.uren_per_eenheid, MAX_UREN_PER_EENHEID)
        waarde = opbouw(t)["tarief"]
        if not (math.isfinite(waarde) and MIN_TARIEF <= waarde <= MAX_TARIEF):
            wie = f" bij {t.aanbieder}" if t.aanbieder else ""
            hoe = "" if t.tarief is not None else " (uit cao_uurloon en de componenten)"
            raise CaseError(
                bron,
                f"{where}.{'tarief' if t.tarief is not None else 'productiviteit'}",
                f"reëel tarief van {t.product}{wie} is {_getal(waarde)} euro per eenheid{hoe}; "
                f"toegestaan: {_getal(MIN_TARIEF)} tot {_getal(MAX_TARIEF)} euro",
            )


def check_verdelingen(case: Case, bron: str) -> None:
    """Every distribution of the case within its bounds (:func:`check_verdeling`)."""
    for i, o in enumerate(case.kader.overige_uitgaven):
        check_verdeling(o, bron, f"kader.overige_uitgaven[rij {i + 1}]", MAX_BEDRAG, " euro")
    for i, v in enumerate(case.vraag):
        where = f"vraag[rij {i + 1}]"
        check_verdeling(v.clienten, bron, f"{where}.clienten", MAX_CLIENTEN, " clienten")
        check_verdeling(
            v.volume_per_client,
            bron,
            f"{where}.volume_per_client",
            MAX_VOLUME_PER_CLIENT,
            " eenheden",
        )
    schok = case.kader.prijsschok
    if schok is not None:
        _max(bron, "kader.prijsschok.sd", schok.sd, MAX_SD_SCHOK)


# --- the correlation the case implies --------------------------------------------------------


def lijn_gebieden(case: Case) -> list[str]:
    """The gebied of every uncertain line, in the engine's order: C lines, then vraag rows."""
    return [o.gebied for o in case.kader.overige_uitgaven] + [v.gebied for v in case.vraag]


def kleinste_eigenwaarde(case: Case) -> float:
    """The smallest eigenvalue of the correlation matrix of the case's uncertain lines.

    The matrix (as ``montecarlo.copula.correlatiematrix`` builds it) is
    ``R = E G Eᵀ + (1 − b) I``: lines fall in groups (a gemeente, or with a ``matrix`` a
    gebied), ``E`` maps line to group, ``b`` is ``binnen_gemeente`` and ``G`` the group-level
    correlations (``b`` on the diagonal). Its eigenvalues are ``1 − b`` plus those of
    ``N^½ G N^½`` (``N`` the group sizes), and ``1 − b`` itself when a group holds two lines
    or more; so the check costs one small eigenproblem, never one of size lines × lines.
    """
    c = case.kader.correlatie
    b, t = c.binnen_gemeente, c.tussen_gemeenten
    gemeente = case.gemeente_van()
    lijnen = lijn_gebieden(case)
    if len(lijnen) < 2:
        return 1.0
    groep = (lambda g: g) if c.matrix is not None else (lambda g: gemeente.get(g, g))
    groepen = list(dict.fromkeys(groep(g) for g in lijnen))
    n = np.array([sum(1 for g in lijnen if groep(g) == k) for k in groepen], dtype=float)
    m = np.full((len(groepen), len(groepen)), b)
    for i, gi in enumerate(groepen):
        for j, gj in enumerate(groepen):
            if i != j:
                waarde = None
                if c.matrix is not None:
                    waarde = c.matrix.get(gi, {}).get(gj, c.matrix.get(gj, {}).get(gi))
                if waarde is None:
                    waarde = b if gemeente.get(gi, gi) == gemeente.get(gj, gj) else t
                m[i, j] = waarde
    wortel = np.sqrt(n)
    eig = np.linalg.eigvalsh(wortel[:, None] * m * wortel[None, :]) + (1.0 - b)
    kleinste = float(eig.min())
    if n.sum() > len(groepen):
        kleinste = min(kleinste, 1.0 - b)
    return kleinste


def _correlatie_hint(case: Case) -> str:
    c = case.kader.correlatie
    if c.matrix is not None:
        return "verlaag de (negatieve of ongelijke) correlaties in kader.correlatie.matrix"
    if c.tussen_gemeenten > c.binnen_gemeente:
        return (
            f"tussen_gemeenten ({_getal(c.tussen_gemeenten)}) is groter dan binnen_gemeente "
            f"({_getal(c.binnen_gemeente)}); kies tussen_gemeenten hoogstens binnen_gemeente"
        )
    return (
        "negatieve correlaties tussen veel regels kunnen niet allemaal tegelijk gelden; "
        "kies binnen_gemeente en tussen_gemeenten dichter bij 0 (of positief)"
    )


def check_correlatie_psd(case: Case, bron: str) -> None:
    """The correlation matrix of the uncertain lines is positive semidefinite."""
    kleinste = kleinste_eigenwaarde(case)
    if kleinste < -PSD_TOLERANTIE:
        raise CaseError(
            bron,
            "kader.correlatie",
            f"de correlaties van de {len(lijn_gebieden(case))} onzekere regels vormen geen "
            f"geldige correlatiematrix (kleinste eigenwaarde {kleinste:.3g}); "
            + _correlatie_hint(case),
        )


def check_totalen(case: Case, bron: str) -> None:
    """Plafond A and lumpsum B of the whole case stay below MAX_TOTAAL."""
    from plafond.cases.framework import kader

    fw = kader(case)
    for where, value in (("kader.plafond", fw.plafond), ("historie", fw.lumpsum)):
        if not math.isfinite(value) or value > MAX_TOTAAL:
            raise CaseError(
                bron,
                where,
                f"het totaal ({_getal(value)} euro) is te groot; toegestaan: hoogstens "
                f"{_getal(MAX_TOTAAL)} euro voor de hele case",
            )


CHECKS: Iterable = (
    check_bedragen,
    check_tarieven,
    check_verdelingen,
    check_correlatie_psd,
    check_totalen,
)
