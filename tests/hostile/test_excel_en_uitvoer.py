"""Hostile workbooks, hostile outputs, atomic writes and interrupts: the promise holds."""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))
from _belofte import belofte, draai, schrijf_case, volledig  # noqa: E402
from conftest import WORKED_EXAMPLE  # noqa: E402
from plafond.cases import case_from_dict  # noqa: E402
from plafond.cases.excel_schrijven import write_workbook  # noqa: E402
from plafond.cases.files import AFGEKAPT, MAX_CEL, atomic_write  # noqa: E402

W = WORKED_EXAMPLE


@pytest.fixture(scope="module")
def werkmap(tmp_path_factory) -> Path:
    pad = tmp_path_factory.mktemp("xlsx") / "case.xlsx"
    write_workbook(case_from_dict(copy.deepcopy(W)), pad)
    return pad


def _blad_xml(werkmap: Path, blad: str) -> str:
    wb = openpyxl.load_workbook(werkmap, read_only=True)
    index = wb.sheetnames.index(blad) + 1
    wb.close()
    return f"xl/worksheets/sheet{index}.xml"


def _zip_vervang(werkmap: Path, doel: Path, lid: str, nieuw) -> Path:
    with zipfile.ZipFile(werkmap) as bron, zipfile.ZipFile(doel, "w") as uit:
        for info in bron.infolist():
            data = bron.read(info)
            if info.filename == lid:
                data = nieuw(data)
            uit.writestr(info, data)
    return doel


def _cel(werkmap: Path, doel: Path, blad: str, cel: str, waarde) -> Path:
    wb = openpyxl.load_workbook(werkmap)
    wb[blad][cel] = waarde
    wb.save(doel)
    return doel


def _omzet_cel(werkmap: Path) -> str:
    wb = openpyxl.load_workbook(werkmap, read_only=True)
    kop = next(wb["historie"].iter_rows(values_only=True))
    wb.close()
    return f"{openpyxl.utils.get_column_letter(kop.index('omzet') + 1)}2"


def _xml(functie):
    return lambda data: functie(data.decode("utf-8")).encode("utf-8")


MUTATIES = {
    "afgekapte blad-XML": lambda w, d: _zip_vervang(
        w, d, _blad_xml(w, "historie"), lambda b: b[: len(b) // 2]
    ),
    "shared string buiten bereik": lambda w, d: _zip_vervang(
        w,
        d,
        _blad_xml(w, "historie"),
        _xml(lambda t: re.sub(r"<c r=\"A2\"[^>]*>.*?</c>", '<c r="A2" t="s"><v>99999</v></c>', t)),
    ),
    "ongeldige celverwijzing": lambda w, d: _zip_vervang(
        w, d, _blad_xml(w, "historie"), _xml(lambda t: t.replace('r="A2"', 'r="A0ZZ"', 1))
    ),
    "kapotte datumcel": lambda w, d: _zip_vervang(
        w,
        d,
        _blad_xml(w, "historie"),
        _xml(
            lambda t: re.sub(r"<c r=\"A2\"[^>]*>.*?</c>", '<c r="A2" t="d"><v>gisteren</v></c>', t)
        ),
    ),
    "vervalste dimensie": lambda w, d: _zip_vervang(
        w,
        d,
        _blad_xml(w, "historie"),
        _xml(
            lambda t: re.sub(r"<dimension ref=\"[^\"]*\"/>", '<dimension ref="A1:XFD1048576"/>', t)
        ),
    ),
    "cel op rij 1.048.576": lambda w, d: _cel(w, d, "historie", "A1048576", "p1"),
    "cel in kolom XFD": lambda w, d: _cel(w, d, "historie", "XFD2", 5),
    "TRUE als omzet": lambda w, d: _cel(w, d, "historie", _omzet_cel(w), True),
    "tekst als omzet": lambda w, d: _cel(w, d, "historie", _omzet_cel(w), "twee miljoen"),
    "datum als omzet": lambda w, d: _cel(
        w, d, "historie", _omzet_cel(w), __import__("datetime").datetime(2024, 1, 1)
    ),
    "formule als omzet": lambda w, d: _cel(w, d, "historie", _omzet_cel(w), "=1/0"),
    "geen zip": lambda w, d: (d.write_text("naam: x\n"), d)[1],
    "lege zip": lambda w, d: (zipfile.ZipFile(d, "w").close(), d)[1],
}


def _onbekend_blad(w: Path, d: Path) -> Path:
    wb = openpyxl.load_workbook(w)
    wb.create_sheet("werkgebeid")
    wb.save(d)
    return d


def _zipbom(w: Path, d: Path, megabytes: int) -> Path:
    with zipfile.ZipFile(w) as bron, zipfile.ZipFile(d, "w", zipfile.ZIP_DEFLATED) as uit:
        for info in bron.infolist():
            uit.writestr(info, bron.read(info))
        with uit.open("xl/media/opvulling.bin", "w") as f:
            nul = bytes(1 << 20)
            for _ in range(megabytes):
                f.write(nul)
    return d


MUTATIES |= {"onbekend blad werkgebeid": _onbekend_blad}
#: Workbooks that are valid: a forged dimension is ignored.
GELDIG = ("vervalste dimensie",)


@pytest.mark.parametrize("naam", list(MUTATIES))
def test_hostile_workbook(naam, werkmap, tmp_path):
    pad = MUTATIES[naam](werkmap, tmp_path / "vijandig.xlsx")
    start = time.perf_counter()
    code = volledig(pad, tmp_path)
    assert time.perf_counter() - start < 30
    assert code == (0 if naam in GELDIG else 2), naam


def test_zipbomb_is_refused_before_inflating(werkmap, tmp_path, monkeypatch):
    import plafond.cases.excel_indeling as indeling

    monkeypatch.setattr(indeling, "MAX_UITGEPAKT", 8_000_000)  # the mechanism, at a small size
    pad = _zipbom(werkmap, tmp_path / "bom.xlsx", 10)
    assert pad.stat().st_size < 200_000
    _, _, err = belofte(["validate", str(pad)])
    assert "pakt uit tot" in err and "hoogstens 8 MB" in err


def test_unknown_sheet_is_named(werkmap, tmp_path):
    _, _, err = belofte(["validate", str(_onbekend_blad(werkmap, tmp_path / "x.xlsx"))])
    assert "werkgebeid" in err and "onbekend blad" in err


# --- outputs --------------------------------------------------------------------------------


def _vijandig(tmp: Path) -> Path:
    data = copy.deepcopy(W)
    data["aanbieders"]["p1"]["naam"] = '=HYPERLINK("http://example.invalid","klik")'
    data["aanbieders"]["p2"]["naam"] = "-2+3 \x01\x02\x1b $\\undefined{$"
    data["toelichting"] = "x" * 40_000
    return schrijf_case(data, tmp / "vijandig.yaml")


def _geen_formules(pad: Path) -> list[str]:
    wb = openpyxl.load_workbook(pad)
    teksten = []
    for ws in wb.worksheets:
        for rij in ws.iter_rows():
            for cel in rij:
                assert cel.data_type != "f", (ws.title, cel.coordinate, cel.value)
                if isinstance(cel.value, str):
                    assert not cel.value.startswith(("=", "+", "-", "@")), cel.value
                    assert len(cel.value) <= MAX_CEL
                    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", cel.value)
                    teksten.append(cel.value)
    return teksten


@pytest.mark.parametrize(
    "argv",
    [
        ["template", "{uit}", "--case", "{case}"],
        ["report", "{case}", "-n", "256", "--seed", "1", "--quiet", "-o", "{uit}"],
        ["optimize", "{case}", "-o", "{uit}"],
        ["simulate", "{case}", "-n", "256", "--seed", "1", "-o", "{uit}"],
    ],
    ids=lambda a: a[0],
)
def test_every_xlsx_writer_neutralises_formulas(argv, tmp_path):
    case, uit = _vijandig(tmp_path), tmp_path / "uit.xlsx"
    code, _, err = belofte([a.format(case=case, uit=uit) for a in argv])
    assert code == 0 and uit.exists()
    teksten = _geen_formules(uit)
    if argv[0] in ("template", "report"):
        assert any(t.endswith(AFGEKAPT) for t in teksten)
        assert "afgekapt" in err and err.count("\n") == err.count("waarschuwing")


def test_csv_writers_neutralise_formulas(tmp_path):
    data = copy.deepcopy(W)
    data["aanbieders"] = {"=p1": data["aanbieders"].pop("p1"), **data["aanbieders"]}
    for rij in data["historie"] + data["kader"]["opslagen"]:
        rij["aanbieder"] = "=p1" if rij["aanbieder"] == "p1" else rij["aanbieder"]
    case = schrijf_case(data, tmp_path / "c.yaml")
    for argv in (["optimize", str(case)], ["simulate", str(case), "-n", "256", "--seed", "1"]):
        uit = tmp_path / f"{argv[0]}.csv"
        assert belofte([*argv, "-o", str(uit)])[0] == 0
        regels = uit.read_text(encoding="utf-8-sig").splitlines()
        cellen = [cel.strip('"') for r in regels for cel in re.split("[;,]", r)]
        assert all(not cel.startswith("=") for cel in cellen)
        assert any("'=p1" in r for r in regels)


def test_html_report_with_mathtext_ids(tmp_path):
    case, uit = _vijandig(tmp_path), tmp_path / "r.html"
    assert (
        belofte(["report", str(case), "-n", "256", "--seed", "1", "--quiet", "-o", str(uit)])[0]
        == 0
    )
    assert "<svg" in uit.read_text(encoding="utf-8") or "data:image/svg" in uit.read_text(
        encoding="utf-8"
    )  # the plots were drawn, the $...$ ids taken as plain text


@pytest.mark.parametrize("n", ["0", "-5", str(10**12), str(10**20), "veel", "1e6"])
def test_n_limits_are_one_dutch_line(n):
    code, _, err = belofte(["simulate", "maastricht-heuvelland-2022", "-n", n])
    assert code == 2 and "scenario's" in err


def test_n_1_gives_valid_json_with_null():
    code, out, _ = belofte(["simulate", "maastricht-heuvelland-2022", "-n", "1", "--json"])
    d = json.loads(out)
    assert code == 0 and d["verwachte_overschrijding_se"] is None


# --- atomic writes --------------------------------------------------------------------------


def test_unwritable_output_names_the_users_path(tmp_path):
    uit = tmp_path / "map"
    uit.mkdir()
    code, _, err = belofte(["optimize", "maastricht-heuvelland-2022", "-o", str(tmp_path)])
    assert code == 2
    code, _, err = belofte(["template", str(tmp_path / "weg" / "t.xlsx")])
    assert code == 2 and str(tmp_path / "weg" / "t.xlsx") in err and ".t.xlsx." not in err


def test_write_error_names_the_target_not_the_temp_file(tmp_path):
    def kapot(p: Path) -> None:
        raise OSError(28, "No space left on device", str(p))

    from plafond.cases import CaseError

    with pytest.raises(CaseError) as fout:
        atomic_write(tmp_path / "uit.json", kapot)
    assert str(tmp_path / "uit.json") in str(fout.value) and ".uit.json." not in str(fout.value)
    assert list(tmp_path.iterdir()) == []


def test_leftover_of_a_killed_write_is_cleaned(tmp_path):
    dood = subprocess.Popen([sys.executable, "-c", "pass"])
    dood.wait()
    rest = tmp_path / f".uit.json.{dood.pid}.abcd.json"
    rest.write_bytes(b"")
    levend = tmp_path / f".uit.json.{os.getpid()}.efgh.json"
    levend.write_bytes(b"")
    assert (
        belofte(["optimize", "maastricht-heuvelland-2022", "-o", str(tmp_path / "uit.json")])[0]
        == 0
    )
    assert not rest.exists() and levend.exists()


def test_an_interrupt_that_a_library_swallows_still_exits_130_without_file(tmp_path, monkeypatch):
    import plafond.commands.template as template

    uit = tmp_path / "t.xlsx"

    def run(args):
        atomic_write(uit, lambda p: p.write_bytes(b"x"))
        with contextlib.suppress(KeyboardInterrupt):  # a library that swallows it
            signal.raise_signal(signal.SIGINT)
        return 0

    monkeypatch.setattr(template, "run", run)
    code, _, err = draai(["template", str(uit)])
    assert code == 130 and not uit.exists() and list(tmp_path.iterdir()) == []


def test_sigint_during_report_exits_130_and_writes_nothing(tmp_path):
    uit = tmp_path / "int.xlsx"
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from plafond.cli import main; sys.exit(main())",
         "report", "maastricht-heuvelland-2022", "-n", "1048576", "-o", str(uit)],
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    gezien = ""
    while "simuleren" not in gezien:  # the progress bar: the run is under way
        teken = proc.stderr.read(1)
        assert teken, gezien
        gezien += teken
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    err = gezien + err
    assert proc.returncode == 130, err
    assert "Traceback" not in err and not uit.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("na", [0.02, 0.05, 0.15, 0.3])
def test_sigint_while_plafond_loads_exits_130_without_traceback(tmp_path, na):
    """The console entry point (plafond.start) catches an interrupt during plafond's imports.

    The signal is sent once the interpreter runs the script (it writes "start"): during
    Python's own start-up (site, a .pth file) an interrupt is outside any program's reach.
    """
    import time

    code = ("import sys; sys.stderr.write('start\\n'); sys.stderr.flush(); "
            "from plafond.start import main; sys.exit(main())")  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "validate", "maastricht-heuvelland-2022"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert proc.stderr.readline() == "start\n"
    time.sleep(na)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    # interrupted (130, one line), or (on a fast machine) done before the signal
    assert proc.returncode in (130, 0), (proc.returncode, err)
    if proc.returncode == 130:
        assert err.strip().splitlines()[-1] == "afgebroken"


def test_the_console_script_is_the_start_module():
    from importlib.metadata import entry_points

    (ep,) = [e for e in entry_points(group="console_scripts") if e.name == "plafond"]
    assert ep.value == "plafond.start:main"
