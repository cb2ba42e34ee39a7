"""One test per validation rule: exit code 2, one line on stderr naming the field."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import pytest

from plafond.cli import main


def _validate(path, capsys) -> tuple[int, str]:
    code = main(["validate", str(path)])
    return code, capsys.readouterr().err


def _assert_one_line(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_valid_case_passes(worked_example, write_yaml, capsys):
    code, err = _validate(write_yaml(worked_example), capsys)
    assert code == 0 and err == ""


# (mutation, fragments the one line must contain)
RULES: list[tuple[str, Any, tuple[str, ...]]] = [
    (
        "percentage instead of fraction",
        lambda d: d["kader"].update(taakstelling=7.5),
        ("kader.taakstelling", "schrijf 0.075"),
    ),
    (
        "fraction above one",
        lambda d: d["kader"].update(indexatie=250),
        ("kader.indexatie", "fractie"),
    ),
    (
        "negative money",
        lambda d: d["historie"][1].update(omzet=-5),
        ("historie[rij 2].omzet", "niet negatief"),
    ),
    (
        "negative capacity",
        lambda d: d["aanbieders"]["p1"]["capaciteit"].update(BGI=-1),
        ("aanbieders[p1].capaciteit.BGI", "niet negatief"),
    ),
    (
        "NaN",
        lambda d: d["historie"][0].update(omzet=math.nan),
        ("historie[rij 1].omzet", "NaN"),
    ),
    (
        "infinity",
        lambda d: d["kader"].update(plafond=math.inf),
        ("kader.plafond", "oneindig"),
    ),
    (
        "text where a number belongs",
        lambda d: d["gebieden"]["stad"].update(inwoners="veel"),
        ("gebieden[stad].inwoners", "geheel getal"),
    ),
    (
        "unknown gebied",
        lambda d: d["historie"][0].update(gebied="dorp"),
        ("historie[rij 1].gebied", "onbekend gebied 'dorp'", "stad"),
    ),
    (
        "unknown aanbieder",
        lambda d: d["historie"][0].update(aanbieder="x"),
        ("historie[rij 1].aanbieder", "onbekende aanbieder 'x'"),
    ),
    (
        "unknown product",
        lambda d: d["vraag"][0].update(product="HH"),
        ("vraag[rij 1].product", "onbekend product 'HH'"),
    ),
    (
        "unknown field",
        lambda d: d["gebieden"]["stad"].update(inwonertal=5),
        ("gebieden[stad].inwonertal", "onbekend veld", "inwoners"),
    ),
    (
        "bad rol",
        lambda d: d["aanbieders"]["p2"].update(rol="hoofdaannemer"),
        ("aanbieders[p2].rol", "'hoofdaannemer'", "'partner'"),
    ),
    (
        "duplicate historie row",
        lambda d: d["historie"].append(dict(d["historie"][0])),
        ("historie[rij 4]", "dubbele regel", "rij 1"),
    ),
    (
        "verdeling without spreiding",
        lambda d: d["vraag"][0]["clienten"].pop("cv"),
        ("vraag[rij 1].clienten", "precies één van cv of sd"),
    ),
    (
        "unknown verdeling",
        lambda d: d["vraag"][0]["clienten"].update(verdeling="weibull"),
        ("vraag[rij 1].clienten.verdeling", "'weibull'", "'negbin'"),
    ),
    (
        "triangulair out of order",
        lambda d: d["vraag"][0].update(
            volume_per_client={"verdeling": "triangulair", "min": 10, "modus": 5, "max": 20}
        ),
        ("vraag[rij 1].volume_per_client", "min <= modus <= max"),
    ),
    (
        "negbin without overdispersion",
        lambda d: d["vraag"][0]["clienten"].update(cv=0.01),
        ("vraag[rij 1].clienten", "variantie"),
    ),
    (
        "tarief given twice",
        lambda d: d["tarieven"]["BGI"].update(cao_uurloon=20),
        ("tarieven[rij 1]", "óf tarief"),
    ),
    (
        "opslag for a non-partner",
        lambda d: d["kader"]["opslagen"][0].update(aanbieder="overig"),
        ("kader.opslagen[rij 1].aanbieder", "geen partner"),
    ),
    (
        "plafond below lumpsum",
        lambda d: d["kader"].update(plafond=1_000_000),
        ("kader.plafond", "kleiner dan de lumpsum B"),
    ),
    (
        "missing required table",
        lambda d: d.pop("tarieven"),
        ("tarieven", "verplichte tabel ontbreekt"),
    ),
    (
        "empty table",
        lambda d: d.update(gebieden={}),
        ("gebieden", "niet leeg"),
    ),
    (
        "sleutel without verdeelsleutel sleutel",
        lambda d: d["kader"]["risicodeling"].update(sleutel={"p1": 1}),
        ("kader.risicodeling", "sleutel"),
    ),
    (
        "asymmetric correlation matrix",
        lambda d: (
            d["gebieden"].update(dorp={"gemeente": "Dorp", "inwoners": 100}),
            d["kader"].update(
                correlatie={"matrix": {"stad": {"dorp": 0.5}, "dorp": {"stad": 0.2}}}
            ),
        ),
        ("kader.correlatie.matrix", "niet symmetrisch"),
    ),
]


@pytest.mark.parametrize(("rule", "mutate", "fragments"), RULES, ids=[r[0] for r in RULES])
def test_rule(rule, mutate, fragments, worked_example, write_yaml, capsys):
    mutate(worked_example)
    path = write_yaml(worked_example)
    code, err = _validate(path, capsys)
    assert code == 2, err
    _assert_one_line(err, str(path), *fragments)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ("leeg",)),
        ("naam: x\njaar: [2022\n", ("regel", "ongeldige YAML")),
        ("!!python/object/apply:os.system ['echo hacked']\n", ("YAML-tag niet toegestaan",)),
        ("a: &x [1, 2]\nb: *x\n", ("alias",)),
        ("- 1\n- 2\n", ("verwacht een tabel",)),
    ],
    ids=["empty", "broken", "object-tag", "alias", "not-a-mapping"],
)
def test_bad_yaml(text, fragments, write_yaml, capsys):
    code, err = _validate(write_yaml(text), capsys)
    assert code == 2
    _assert_one_line(err, *fragments)


def test_unknown_file_and_suffix(tmp_path, capsys):
    code, err = _validate(tmp_path / "bestaat-niet.yaml", capsys)
    assert code == 2
    _assert_one_line(err, "niet gevonden")
    other = tmp_path / "case.txt"
    other.write_text("naam: x")
    code, err = _validate(other, capsys)
    assert code == 2
    _assert_one_line(err, "onbekend bestandstype", ".yaml")


def test_object_tag_is_never_executed(tmp_path, write_yaml):
    marker = tmp_path / "gemaakt"
    path = write_yaml(f"!!python/object/apply:os.system ['touch {marker}']\n")
    result = subprocess.run(
        [sys.executable, "-m", "plafond.cli", "validate", str(path)],
        capture_output=True,
        encoding="utf-8",
    )
    assert result.returncode == 2
    assert not marker.exists()
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
