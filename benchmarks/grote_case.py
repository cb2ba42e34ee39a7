"""Write a large synthetic case (G gebieden × A aanbieders) to time validate/simulate/report.

    python benchmarks/grote_case.py 500 100 groot.yaml
    time plafond report groot.yaml -n 4096 --seed 1 -o groot.xlsx --quiet

Every gebied has one product BGI, one C line and one vraag row; every partner has historie
in ten gebieden (so every gebied has partners); figures are illustrative.
"""

from __future__ import annotations

import sys

import yaml


def grote_case(gebieden: int, aanbieders: int) -> dict:
    """The case as plain data (see the module docstring)."""
    ids = [f"g{i}" for i in range(gebieden)]
    partners = [f"a{j}" for j in range(aanbieders)]
    historie = [
        {"aanbieder": a, "gebied": ids[(j * 7 + k) % gebieden], "product": "BGI", "omzet": 50_000}
        for j, a in enumerate(partners)
        for k in range(10)
    ]
    historie += [
        {"aanbieder": "overig", "gebied": g, "product": "BGI", "omzet": 20_000} for g in ids
    ]
    uniek = {(h["aanbieder"], h["gebied"]): h for h in historie}
    return {
        "naam": f"groot-{gebieden}x{aanbieders}",
        "jaar": 2025,
        "producten": {"BGI": {"naam": "Begeleiding individueel"}},
        "gebieden": {
            g: {"gemeente": f"gem{i % 20}", "inwoners": 15_000} for i, g in enumerate(ids)
        },
        "aanbieders": {
            **{a: {"naam": f"Aanbieder {a}", "rol": "partner"} for a in partners},
            "overig": {"naam": "Overige", "rol": "overig"},
        },
        "tarieven": {"BGI": {"tarief": 60.0}},
        "historie": list(uniek.values()),
        "vraag": [
            {
                "gebied": g,
                "product": "BGI",
                "clienten": {"verdeling": "negbin", "gemiddelde": 80, "cv": 0.2},
                "volume_per_client": {"verdeling": "gamma", "gemiddelde": 60, "cv": 0.4},
            }
            for g in ids
        ],
        "kader": {
            "overige_uitgaven": [
                {
                    "gebied": g,
                    "product": "BGI",
                    "verdeling": "lognormaal",
                    "gemiddelde": 20_000,
                    "cv": 0.1 + 0.3 * (i % 7) / 6,
                }
                for i, g in enumerate(ids)
            ],
            "correlatie": {"binnen_gemeente": 0.3, "tussen_gemeenten": 0.1},
        },
    }


if __name__ == "__main__":
    g, a, pad = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    with open(pad, "w", encoding="utf-8") as f:
        yaml.safe_dump(grote_case(g, a), f, allow_unicode=True)
    print(f"geschreven: {pad}")
