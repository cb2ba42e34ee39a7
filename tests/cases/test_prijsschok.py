"""kader.prijsschok: a distribution that may be negative, but stays above -1 (one-line errors)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from plafond.cases import case_from_dict, load_case
from plafond.cases.errors import CaseError
from plafond.cases.verdeling import Schok, Verdeling

from plafond.cli import main


def _validate(worked_example: dict[str, Any], write_yaml, capsys, schok: Any) -> tuple[int, str]:
    worked_example["kader"]["prijsschok"] = schok
    path = write_yaml(worked_example)
    code = main(["validate", str(path)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "schok",
    [
        {"verdeling": "normaal", "gemiddelde": -0.01, "sd": 0.015},
        {"verdeling": "vast", "gemiddelde": -0.02},
        {"verdeling": "triangulair", "min": -0.03, "modus": -0.01, "max": 0.02},
        {"verdeling": "uniform", "min": -0.5, "max": -0.1},
        {"verdeling": "empirisch", "waarden": [-0.01, 0.0076, 0.0162]},
        {"verdeling": "lognormaal", "gemiddelde": 0.01, "sd": 0.005},
        None,
    ],
    ids=["normaal", "vast", "triangulair", "uniform", "empirisch", "lognormaal", "geen"],
)
def test_negative_shock_is_accepted(schok, worked_example, write_yaml, capsys) -> None:
    code, err = _validate(worked_example, write_yaml, capsys, schok)
    assert code == 0 and err == ""
    worked_example["kader"]["prijsschok"] = schok
    gelezen = case_from_dict(worked_example).kader.prijsschok
    assert gelezen == (None if schok is None else Schok(**schok))


# (shock, fragments of the one line on stderr)
REFUSED = [
    (
        {"verdeling": "vast", "gemiddelde": -1.5},
        ("kader.prijsschok.gemiddelde", "-1.5", "groter dan -1"),
    ),
    ({"verdeling": "vast", "gemiddelde": -1}, ("kader.prijsschok.gemiddelde", "groter dan -1")),
    (
        {"verdeling": "uniform", "min": -1.2, "max": 0.1},
        ("kader.prijsschok.min", "groter dan -1"),
    ),
    (
        {"verdeling": "empirisch", "waarden": [0.01, -1.0]},
        ("kader.prijsschok.waarden", "groter dan -1"),
    ),
    (
        {"verdeling": "normaal", "gemiddelde": 0.0, "sd": 0.2},
        ("kader.prijsschok", "8 × sd", "groter dan -1"),
    ),
    ({"verdeling": "vast", "gemiddelde": 2}, ("kader.prijsschok.gemiddelde", "schrijf 0.02")),
    ({"verdeling": "normaal", "gemiddelde": 0.01, "cv": 1.5}, ("kader.prijsschok", "sd", "cv")),
    ({"verdeling": "poisson", "gemiddelde": 0.01}, ("kader.prijsschok", "poisson", "fractie")),
    ({"verdeling": "normaal", "gemiddelde": 0.0, "sd": -0.01}, ("prijsschok.sd", "negatief")),
    ({"verdeling": "lognormaal", "gemiddelde": -0.01, "sd": 0.01}, ("groter dan 0",)),
    ({"verdeling": "normaal", "gemiddelde": 0.01}, ("prijsschok", "cv of sd")),
    ({"verdeling": "normaal", "gemiddelde": float("nan"), "sd": 0.01}, ("NaN",)),
    ({"gemiddelde": 0.01}, ("prijsschok.verdeling",)),
]


@pytest.mark.parametrize(("schok", "fragments"), REFUSED, ids=[str(r[0]) for r in REFUSED])
def test_bad_shock_is_one_line(schok, fragments, worked_example, write_yaml, capsys) -> None:
    code, err = _validate(worked_example, write_yaml, capsys, schok)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_volumes_and_euros_stay_non_negative(worked_example) -> None:
    """The shock's negative values do not leak into the other distributions."""
    with pytest.raises(ValueError, match="niet negatief"):
        Verdeling(verdeling="normaal", gemiddelde=-0.01, sd=0.015)
    with pytest.raises(ValueError, match="niet-negatieve"):
        Verdeling(verdeling="empirisch", waarden=[-1.0, 2.0])
    for zet in (
        lambda d: d["kader"]["overige_uitgaven"][0].update(gemiddelde=-5),
        lambda d: d["vraag"][0]["volume_per_client"].update(gemiddelde=-90),
        lambda d: d["vraag"][0].update(clienten={"verdeling": "uniform", "min": -1, "max": 5}),
    ):
        d = copy.deepcopy(worked_example)
        zet(d)
        with pytest.raises(CaseError, match="niet negatief"):
            case_from_dict(d)


def test_reference_case_has_a_shock() -> None:
    schok = load_case("maastricht-heuvelland-2022").kader.prijsschok
    assert schok == Schok(verdeling="normaal", gemiddelde=0.0, sd=0.01)
