"""A corpus of hostile and broken case files, generated in code; each asserts the promise.

Kinds (issue 11): silently accepted input, input validate accepted but later commands
refused, malformed files, resource exhaustion, outputs, messages. Every case runs
``validate``; a case validate accepts also runs ``optimize`` and ``simulate -n 256`` (and
some ``report``), which must accept it too (:func:`_belofte.volledig`).
"""

from __future__ import annotations

import copy
import math
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from _belofte import belofte, draai, schrijf_case, volledig, zet  # noqa: E402
from conftest import WORKED_EXAMPLE  # noqa: E402

W = WORKED_EXAMPLE

# --- 1. every numeric field through the extremes ---------------------------------------------

VELDEN = [
    ("historie", 0, "omzet"),
    ("kader", "opslagen", 0, "bedrag"),
    ("gebieden", "stad", "inwoners"),
    ("tarieven", "BGI", "tarief"),
    ("aanbieders", "p1", "capaciteit", "BGI"),
    ("kader", "indexatie"),
    ("kader", "taakstelling"),
    ("kader", "plafond"),
    ("vraag", 0, "clienten", "gemiddelde"),
    ("vraag", 0, "clienten", "cv"),
    ("vraag", 0, "volume_per_client", "gemiddelde"),
    ("vraag", 0, "volume_per_client", "cv"),
    ("kader", "overige_uitgaven", 0, "gemiddelde"),
    ("kader", "risicodeling", "aandeel_partners"),
    ("kader", "correlatie", "binnen_gemeente"),
    ("jaar",),
]
WAARDEN = [math.nan, math.inf, -math.inf, 1e308, -1, 0, True, "veel", 1e15]


@pytest.mark.parametrize("waarde", WAARDEN, ids=repr)
@pytest.mark.parametrize("veld", VELDEN, ids=lambda v: ".".join(map(str, v)))
def test_numeric_field_swept(veld, waarde, tmp_path):
    pad = schrijf_case(zet(W, veld, waarde), tmp_path / "case.yaml")
    code = volledig(pad, tmp_path)
    if not isinstance(waarde, int | float) or isinstance(waarde, bool) or not math.isfinite(waarde):
        assert code == 2  # never silently accepted (a boolean is not 1, NaN is no number)
    if waarde == 1e308 and veld != ("kader", "correlatie", "binnen_gemeente"):
        assert code == 2  # never silently accepted (a boolean is not 1, NaN is no number)


# --- 2. structures: text that YAML would silently accept, or that breaks later --------------


def _tekst(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _dubbel_kader() -> str:
    return _tekst(W) + "kader: {indexatie: 0.5}\n"


def _dubbel_in_mapping(sleutel: str, regel: str) -> str:
    tekst = _tekst(W)
    assert f"\n{sleutel}:\n" in tekst
    return tekst.replace(f"\n{sleutel}:\n", f"\n{sleutel}:\n{regel}", 1)


def _vraag_weg(data: dict) -> dict:
    data = copy.deepcopy(data)
    data["gebieden"]["dorp"] = {"gemeente": "Dorp", "inwoners": 5000}
    data["historie"].append({"aanbieder": "p1", "gebied": "dorp", "product": "BGI", "omzet": 1e5})
    return data


def _gemeente_zonder_partner() -> dict:
    data = copy.deepcopy(W)
    data["gebieden"]["dorp"] = {"gemeente": "Dorp", "inwoners": 5000}
    data["historie"].append(
        {"aanbieder": "overig", "gebied": "dorp", "product": "BGI", "omzet": 200_000}
    )
    data["kader"]["risicodeling"]["verdeelsleutel"] = "gemeente"
    return data


def _veel_lijnen(binnen: float, tussen: float, gemeenten: int = 2) -> dict:
    data = copy.deepcopy(W)
    for i in range(4):
        data["gebieden"][f"w{i}"] = {"gemeente": f"G{i % gemeenten}", "inwoners": 1000}
        data["kader"]["overige_uitgaven"].append(
            {
                "gebied": f"w{i}",
                "product": "BGI",
                "verdeling": "gamma",
                "gemiddelde": 1e4,
                "cv": 0.2,
            }
        )
    data["kader"]["correlatie"] = {"binnen_gemeente": binnen, "tussen_gemeenten": tussen}
    return data


def _alles_vast() -> dict:
    data = copy.deepcopy(W)
    data["vraag"][0]["clienten"] = {"verdeling": "vast", "gemiddelde": 600}
    data["vraag"][0]["volume_per_client"] = {"verdeling": "vast", "gemiddelde": 90}
    return data


def _vijandige_tekst() -> dict:
    data = copy.deepcopy(W)
    data["aanbieders"]["p1"]["naam"] = '=HYPERLINK("http://example.invalid","klik")'
    data["aanbieders"]["p2"]["naam"] = "P2 \x01\x07 $\\undefined{$ \x1b[31m"
    data["toelichting"] = "lang " * 9000
    data["bron"] = "+SUM(A1:A9) @cmd -1"
    return data


def _mathtext_ids() -> dict:
    tekst = _tekst(W).replace("stad", "$\\frac{x$").replace("p1", "$p^1$")
    import yaml

    return yaml.safe_load(tekst)


STRUCTUREN: dict[str, tuple[object, int]] = {
    # silently accepted before
    "kader twee keer": (_dubbel_kader(), 2),
    "aanbieder-id twee keer": (
        _dubbel_in_mapping("aanbieders", "    p1: {naam: X, rol: partner}\n"),
        2,
    ),
    "product twee keer onder tarieven": (
        _dubbel_in_mapping("tarieven", "    BGI: {tarief: 10}\n"),
        2,
    ),
    "omzet twee keer in een rij": (
        "naam: x\njaar: 2022\nhistorie: [{aanbieder: p1, omzet: 1, omzet: 2}]\n",
        2,
    ),
    "boolean als omzet": (zet(W, ("historie", 0, "omzet"), True), 2),
    "yes als omzet": (_tekst(W).replace("omzet: 2000000", "omzet: yes"), 2),
    "boolean als capaciteit": (zet(W, ("aanbieders", "p1", "capaciteit", "BGI"), False), 2),
    "boolean in waarden": (
        zet(
            W,
            ("kader", "overige_uitgaven", 0),
            {"gebied": "stad", "product": "BGI", "verdeling": "empirisch", "waarden": [1, True]},
        ),
        2,
    ),
    "per_aanbieder als lijst": (
        zet(W, ("tarieven", "BGI"), {"tarief": 60, "per_aanbieder": [1, 2]}),
        2,
    ),
    "per_aanbieder met een getal": (
        zet(W, ("tarieven", "BGI"), {"tarief": 60, "per_aanbieder": {"p1": 5}}),
        2,
    ),
    "id wijkt af van de sleutel": (zet(W, ("gebieden", "stad", "id"), "dorp"), 2),
    # accepted by validate, refused later before
    "niet-PSD: tussen boven binnen": (_veel_lijnen(0.0, 0.9), 2),
    "niet-PSD: binnen -0.9 bij vier regels": (_veel_lijnen(-0.9, 0.0, gemeenten=1), 2),
    "PSD: binnen -0.2 bij vier regels": (_veel_lijnen(-0.2, 0.0, gemeenten=1), 0),
    "normaal met cv 0.8": (
        zet(
            W,
            ("kader", "overige_uitgaven", 0),
            {
                "gebied": "stad",
                "product": "BGI",
                "verdeling": "normaal",
                "gemiddelde": 6e5,
                "cv": 0.8,
            },
        ),
        2,
    ),  # fmt: skip
    "poisson 1e300": (
        zet(W, ("vraag", 0, "clienten"), {"verdeling": "poisson", "gemiddelde": 1e300}),
        2,
    ),
    "negbin 1e9": (
        zet(W, ("vraag", 0, "clienten"), {"verdeling": "negbin", "gemiddelde": 1e9, "cv": 0.1}),
        2,
    ),
    "negbin te scheef": (
        zet(W, ("vraag", 0, "clienten"), {"verdeling": "negbin", "gemiddelde": 1e5, "cv": 9}),
        2,
    ),
    "taakstelling 1": (zet(W, ("kader", "taakstelling"), 1), 2),
    "productiviteit heel klein": (
        zet(W, ("tarieven", "BGI"), {"cao_uurloon": 20, "productiviteit": 1e-300}),
        2,
    ),
    "uren_per_eenheid oneindig": (
        zet(W, ("tarieven", "BGI"), {"cao_uurloon": 20, "uren_per_eenheid": math.inf}),
        2,
    ),
    "tarief 0": (zet(W, ("tarieven", "BGI", "tarief"), 0), 2),
    "omzet 1e308": (zet(W, ("historie", 0, "omzet"), 1e308), 2),
    "alle inwoners 0": (zet(W, ("gebieden", "stad", "inwoners"), 0), 2),
    "gemeente zonder partner": (_gemeente_zonder_partner(), 2),
    "lumpsum zonder vraag-regel": (_vraag_weg(W), 2),
    "geen partner met lumpsum": (zet(W, ("historie",), W["historie"][2:]) | {"kader": {}}, 2),
    # malformed
    "20.000 geneste lijsten": ("naam: " + "[" * 20000 + "]" * 20000 + "\n", 2),
    "alias": ("a: &x [1]\nb: *x\n", 2),
    "python-tag": ("naam: !!python/object/apply:os.system ['true']\n", 2),
    "leeg": ("", 2),
    "alleen een lijst": ("- 1\n- 2\n", 2),
    "binair": (bytes(range(256)) * 4, 2),
    "latin-1": ("naam: caf\xe9\n".encode("latin-1"), 2),
    "tab-ingesprongen": ("naam: x\n\tjaar: 2022\n", 2),
    "onbekende sleutel": (zet(W, ("kader", "indexatie_"), 0.1), 2),
    "onbekend gebied": (zet(W, ("historie", 0, "gebied"), "nergens"), 2),
    "id met slash": (zet(W, ("naam",), "a/b"), 2),
    "tabel als getal": (zet(W, ("gebieden",), 5), 2),
    # valid: must pass validate and every later command
    "alles vast": (_alles_vast(), 0),
    "partner zonder historie": (zet(W, ("aanbieders", "p3"), {"naam": "P3", "rol": "partner"}), 0),
    "geen vraag": ({k: v for k, v in W.items() if k != "vraag"}, 0),
    "vijandige tekst": (_vijandige_tekst(), 0),
    "mathtext in ids": (_mathtext_ids(), 0),
    "NO als id (geen boolean)": (_tekst(W).replace("stad", "NO"), 0),
}


@pytest.mark.parametrize("naam", list(STRUCTUREN))
def test_structure(naam, tmp_path):
    data, verwacht = STRUCTUREN[naam]
    pad = schrijf_case(data, tmp_path / "case.yaml")
    report = naam in ("alles vast", "vijandige tekst", "mathtext in ids", "geen vraag")
    assert volledig(pad, tmp_path, report=report) == verwacht


def test_duplicate_key_names_the_line(tmp_path):
    pad = schrijf_case(_dubbel_kader(), tmp_path / "case.yaml")
    _, _, err = belofte(["validate", str(pad)])
    assert "'kader' staat twee keer" in err and "regel" in err


def test_all_vast_simulates_with_every_figure_certain(tmp_path):
    pad = schrijf_case(_alles_vast(), tmp_path / "case.yaml")
    import json

    _, out, _ = belofte(["simulate", str(pad), "-n", "64", "--seed", "2", "--json"])
    d = json.loads(out)
    # DOMAIN.md's worked example with C = 640.000: overschrijding 63.521,50, always
    assert d["overschrijdingskans"] == 1.0
    assert d["verwachte_overschrijding"] == pytest.approx(63_521.50, abs=0.01)
    assert d["uitgaven"]["p5"] == pytest.approx(d["uitgaven"]["p99"], abs=1e-6)
    assert d["terugvordering"]["p1"]["verwacht"] == pytest.approx(21_528.81, abs=0.01)


def test_partner_without_historie_gives_null_not_nan(tmp_path):
    data = zet(W, ("aanbieders", "p3"), {"naam": "P3", "rol": "partner"})
    pad = schrijf_case(data, tmp_path / "case.yaml")
    import json

    _, out, _ = belofte(["simulate", str(pad), "-n", "64", "--seed", "2", "--json"])
    assert json.loads(out)["terugvordering"]["p3"]["aandeel_lumpsum"] is None
    _, tekst, _ = belofte(["validate", str(pad)])
    assert "partner p3 heeft geen lumpsum" in tekst


def test_messages_name_the_gemeente_and_the_partner(tmp_path):
    pad = schrijf_case(_gemeente_zonder_partner(), tmp_path / "a.yaml")
    assert "'Dorp'" in belofte(["validate", str(pad)])[2]
    pad = schrijf_case(_vraag_weg(W), tmp_path / "b.yaml")
    assert (
        "'p1'" in belofte(["validate", str(pad)])[2]
        and "dorp/BGI" in draai(["validate", str(pad)])[2]
    )


# --- 3. files that are no case file ---------------------------------------------------------


def _speciaal(soort: str, tmp: Path) -> Path:
    if soort == "map":
        (tmp / "map.yaml").mkdir()
        return tmp / "map.yaml"
    if soort == "/dev/zero":
        os.symlink("/dev/zero", tmp / "nul.yaml")
        return tmp / "nul.yaml"
    if soort == "fifo":
        os.mkfifo(tmp / "pijp.yaml")
        return tmp / "pijp.yaml"
    if soort == "te groot":
        pad = tmp / "groot.yaml"
        with pad.open("wb") as f:
            f.truncate(20_000_001)
        return pad
    if soort == "ontbreekt":
        return tmp / "weg.yaml"
    return schrijf_case(W, tmp / "case.txt")  # onbekend type


@pytest.mark.parametrize("soort", ["map", "/dev/zero", "fifo", "te groot", "ontbreekt", "type"])
@pytest.mark.parametrize("commando", ["validate", "simulate", "optimize", "report"])
def test_special_files_exit_2(soort, commando, tmp_path):
    pad = _speciaal(soort, tmp_path)
    argv = [commando, str(pad)] + (["-o", str(tmp_path / "r.xlsx")] if commando == "report" else [])
    code, _, err = belofte(argv, tmp_path / "r.xlsx")
    assert code == 2 and "kan niet schrijven" not in err


def test_unreadable_input_does_not_say_cannot_write(tmp_path, monkeypatch):
    pad = schrijf_case(W, tmp_path / "case.yaml")

    def weiger(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", weiger)
    code, _, err = belofte(["validate", str(pad)])
    assert code == 2 and "kan niet lezen" in err and "schrijven" not in err
