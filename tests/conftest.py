"""Shared fixtures: a small hand-checkable case (the worked example of DOMAIN.md)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

#: DOMAIN.md's worked example: one product, one gebied, two partners and overige.
WORKED_EXAMPLE: dict[str, Any] = {
    "naam": "voorbeeld",
    "jaar": 2022,
    "bron": "DOMAIN.md, uitgewerkt voorbeeld; bedragen illustratief",
    "producten": {"BGI": {"naam": "Begeleiding individueel", "eenheid": "uur"}},
    "gebieden": {"stad": {"gemeente": "Stad", "inwoners": 50000}},
    "aanbieders": {
        "p1": {"naam": "Partner 1", "rol": "partner", "capaciteit": {"BGI": 40000}},
        "p2": {"naam": "Partner 2", "rol": "partner", "capaciteit": {"BGI": 20000}},
        "overig": {"naam": "Overige aanbieders en PGB", "rol": "overig"},
    },
    "tarieven": {"BGI": {"tarief": 60.0}},
    "historie": [
        {"aanbieder": "p1", "gebied": "stad", "product": "BGI", "omzet": 2_000_000},
        {"aanbieder": "p2", "gebied": "stad", "product": "BGI", "omzet": 1_000_000},
        {"aanbieder": "overig", "gebied": "stad", "product": "BGI", "omzet": 600_000},
    ],
    "vraag": [
        {
            "gebied": "stad",
            "product": "BGI",
            "clienten": {"verdeling": "negbin", "gemiddelde": 600, "cv": 0.1},
            "volume_per_client": {"verdeling": "gamma", "gemiddelde": 90, "cv": 0.4},
        }
    ],
    "kader": {
        "indexatie": 0.0387,
        "taakstelling": 0.075,
        "opslagen": [{"aanbieder": "p1", "gebied": "stad", "product": "BGI", "bedrag": 100_000}],
        "overige_uitgaven": [
            {"gebied": "stad", "product": "BGI", "verdeling": "vast", "gemiddelde": 640_000}
        ],
        "risicodeling": {"aandeel_partners": 0.5, "verdeelsleutel": "lumpsum"},
    },
}


@pytest.fixture
def worked_example() -> dict[str, Any]:
    """A fresh, mutable copy of the worked example as plain data."""
    return copy.deepcopy(WORKED_EXAMPLE)


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write plain data (or raw text) as a YAML case file; returns its path."""

    def write(data: Any, name: str = "case.yaml") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write
