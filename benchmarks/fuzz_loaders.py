"""Fuzz the two case loaders (YAML and Excel) with hypothesis; run by hand, not by CI.

    python benchmarks/fuzz_loaders.py [voorbeelden]      # default 2000 per loader

Each input is written to a file and read with ``plafond.cases.load_case``; the only
allowed outcomes are a Case or a one-line :class:`CaseError`. Any other exception is a
bug: hypothesis shrinks it and prints the smallest input. YAML inputs are random text and
mutations of the worked example; Excel inputs are the worked example's workbook with random
bytes changed, cut or inserted (the zip and its XML broken in every way).
"""

from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from conftest import WORKED_EXAMPLE  # noqa: E402
from plafond.cases import CaseError, case_from_dict, load_case  # noqa: E402
from plafond.cases.excel_schrijven import write_workbook  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
INSTELLING = settings(max_examples=N, deadline=None, suppress_health_check=list(HealthCheck))
BASIS_YAML = yaml.safe_dump(WORKED_EXAMPLE, allow_unicode=True)


def _laad(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pad = Path(tmp) / f"case{suffix}"
        pad.write_bytes(data)
        try:
            load_case(pad)
        except CaseError as exc:
            assert "\n" not in str(exc), str(exc)


def _werkmap() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        pad = Path(tmp) / "case.xlsx"
        write_workbook(case_from_dict(WORKED_EXAMPLE), pad)
        return pad.read_bytes()


BASIS_XLSX = _werkmap()


@st.composite
def bytes_mutatie(draw, basis: bytes) -> bytes:
    data = bytearray(basis)
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(data) - 1))
        soort = draw(st.sampled_from(["zet", "knip", "voeg"]))
        if soort == "zet":
            data[i] = draw(st.integers(0, 255))
        elif soort == "knip":
            del data[i : i + draw(st.integers(1, 64))]
        else:
            data[i:i] = draw(st.binary(max_size=32))
    return bytes(data)


@st.composite
def xml_mutatie(draw) -> bytes:
    """The workbook with one XML member's text mutated (the zip stays valid)."""
    uit = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BASIS_XLSX)) as bron, zipfile.ZipFile(uit, "w") as z:
        namen = bron.namelist()
        doel = draw(st.sampled_from(namen))
        for naam in namen:
            data = bron.read(naam)
            if naam == doel:
                data = draw(bytes_mutatie(data))
            z.writestr(naam, data)
    return uit.getvalue()


@INSTELLING
@given(st.one_of(st.text().map(str.encode), bytes_mutatie(BASIS_YAML.encode())))
def fuzz_yaml(data: bytes) -> None:
    _laad(data, ".yaml")


@INSTELLING
@given(st.one_of(bytes_mutatie(BASIS_XLSX), xml_mutatie()))
def fuzz_xlsx(data: bytes) -> None:
    _laad(data, ".xlsx")


if __name__ == "__main__":
    fuzz_yaml()
    print(f"yaml: {N} voorbeelden zonder fout")
    fuzz_xlsx()
    print(f"xlsx: {N} voorbeelden zonder fout")
