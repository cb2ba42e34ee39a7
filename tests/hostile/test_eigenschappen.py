"""Property tests (hypothesis): cases generated from the schema, then mutated; the promise holds.

A case is drawn with 1–3 gebieden, 1–3 partners and one product, each table filled from the
schema's fields; one mutation is then applied (a wrong type, an extreme number, a missing
or doubled id, a broken reference, a hostile string, a deleted key). ``validate`` must keep
the promise, and a case it accepts must pass ``optimize``, ``simulate -n 256`` and (on
some) ``report``. The CI profile (the default) uses a fixed seed and few examples so the
file runs in well under two minutes; ``HYPOTHESIS_PROFILE=lang`` runs 500 examples.
"""

from __future__ import annotations

import copy
import math
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from _belofte import belofte, schrijf_case, volledig  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
settings.register_profile("lang", max_examples=500, deadline=None, database=None)
PROFIEL = os.environ.get("HYPOTHESIS_PROFILE", "ci")

VIJANDIG = st.sampled_from(
    [math.nan, math.inf, -1.0, 0.0, 1e308, 1e15, True, None, "", "=1+1", "$x^$", "\x00",
     "a/b", [], {}, "x" * 100, -0.0, 2**63]
)  # fmt: skip


@st.composite
def cases(draw) -> dict:
    """A case drawn from the schema: gebieden, partners, historie, vraag, C lines, rule."""
    n_g = draw(st.integers(1, 3))
    n_p = draw(st.integers(1, 3))
    gebieden = {
        f"g{i}": {
            "gemeente": draw(st.sampled_from(["A", "B"])),
            "inwoners": draw(st.integers(1000, 100_000)),
        }
        for i in range(n_g)
    }
    partners = {f"p{j}": {"naam": f"P{j}", "rol": "partner"} for j in range(n_p)}
    historie = [
        {"aanbieder": a, "gebied": g, "product": "BGI", "omzet": draw(st.floats(1e4, 1e7))}
        for g in gebieden
        for a in partners
    ]
    historie += [
        {"aanbieder": "overig", "gebied": g, "product": "BGI", "omzet": 1e5} for g in gebieden
    ]
    verdeling = st.sampled_from(["gamma", "lognormaal", "normaal", "vast", "negbin", "poisson"])

    def lijn(gemiddelde: float) -> dict:
        soort = draw(verdeling)
        spec = {"verdeling": soort, "gemiddelde": gemiddelde}
        if soort in ("gamma", "lognormaal", "normaal", "negbin"):
            spec["cv"] = draw(st.floats(0.05, 0.45))
        return spec

    return {
        "naam": "eigenschap",
        "jaar": 2024,
        "producten": {"BGI": {"naam": "Begeleiding"}},
        "gebieden": gebieden,
        "aanbieders": {**partners, "overig": {"naam": "Overig", "rol": "overig"}},
        "tarieven": {"BGI": {"tarief": draw(st.floats(20, 120))}},
        "historie": historie,
        "vraag": [
            {
                "gebied": g,
                "product": "BGI",
                "clienten": lijn(float(draw(st.integers(50, 2000)))),
                "volume_per_client": {"verdeling": "gamma", "gemiddelde": 80.0, "cv": 0.3},
            }
            for g in gebieden
        ],
        "kader": {
            "indexatie": draw(st.floats(0, 0.1)),
            "taakstelling": draw(st.floats(0, 0.2)),
            "overige_uitgaven": [
                {"gebied": g, "product": "BGI", **lijn(draw(st.floats(1e4, 1e6)))} for g in gebieden
            ],
            "correlatie": {
                "binnen_gemeente": draw(st.floats(-1, 1)),
                "tussen_gemeenten": draw(st.floats(-1, 1)),
            },
            "risicodeling": {
                "aandeel_partners": draw(st.floats(0, 1)),
                "verdeelsleutel": draw(st.sampled_from(["lumpsum", "gemeente"])),
            },
        },
    }


def _bladeren(data, pad=()):
    """Every (path, value) of the nested data."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _bladeren(v, (*pad, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _bladeren(v, (*pad, i))
    yield pad, data


@st.composite
def gemuteerd(draw) -> dict:
    """A drawn case with one mutation (or none)."""
    data = draw(cases())
    soort = draw(st.sampled_from(["geen", "waarde", "weg", "dubbel", "verwijzing"]))
    paden = [p for p, _ in _bladeren(data) if p]
    if soort == "geen":
        return data
    data = copy.deepcopy(data)
    pad = draw(st.sampled_from(paden))
    ouder = data
    for deel in pad[:-1]:
        ouder = ouder[deel]
    if soort == "waarde":
        ouder[pad[-1]] = draw(VIJANDIG)
    elif soort == "weg":
        del ouder[pad[-1]]
    elif soort == "dubbel" and isinstance(ouder, list):
        ouder.append(copy.deepcopy(ouder[pad[-1]]))
    elif soort == "verwijzing":
        ouder[pad[-1]] = "bestaat-niet"
    return data


@settings(settings.get_profile(PROFIEL), max_examples=12 if PROFIEL == "ci" else 500)
@given(data=gemuteerd(), report=st.booleans())
def test_generated_cases_keep_the_promise(data, report):
    with tempfile.TemporaryDirectory() as tmp:
        pad = schrijf_case(data, Path(tmp) / "case.yaml")
        volledig(pad, Path(tmp), report=report and data["kader"].get("correlatie") is not None)


@settings(settings.get_profile(PROFIEL))
@given(data=cases())
def test_validate_agrees_with_the_engines_correlation_matrix(data):
    """The cheap PSD check of validate gives the eigenvalue of the engine's own matrix."""
    from plafond.cases import CaseError, case_from_dict
    from plafond.cases.grenzen import kleinste_eigenwaarde, lijn_gebieden
    from plafond.cases.schema import Correlatie
    from plafond.montecarlo.copula import correlatiematrix

    c = data["kader"].pop("correlatie")
    try:
        case = case_from_dict(data)
    except CaseError:
        return
    # the drawn correlation, also when it is not PSD (built without validation)
    kader = case.kader.model_copy(update={"correlatie": Correlatie(**c)})
    case = case.model_copy(update={"kader": kader})
    r = correlatiematrix(
        lijn_gebieden(case),
        case.gemeente_van(),
        binnen_gemeente=c["binnen_gemeente"],
        tussen_gemeenten=c["tussen_gemeenten"],
    )
    verwacht = np.linalg.eigvalsh(r).min() if r.shape[0] > 1 else 1.0
    assert abs(kleinste_eigenwaarde(case) - verwacht) < 1e-9


@settings(settings.get_profile(PROFIEL))
@given(tekst=st.text(max_size=300))
def test_any_text_as_yaml_keeps_the_promise(tekst):
    with tempfile.TemporaryDirectory() as tmp:
        pad = schrijf_case(tekst, Path(tmp) / "case.yaml")
        belofte(["validate", str(pad)])
