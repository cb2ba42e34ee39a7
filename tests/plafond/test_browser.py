"""The HTML report in a real browser: headless Chromium (Debian's package; .ci/run installs it).

A copy of the report gets a small measuring script and is shown in an iframe of the width
under test (headless Chromium's window is at least 500 px wide, an iframe can be 390); the
script posts what it measured to the outer page, which ``--dump-dom`` prints. The report
itself carries no script. Printing goes through ``--print-to-pdf`` and ``pdftotext``.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
from html import unescape
from pathlib import Path

import pytest
from plafond.cases import bundled_path, load_case

from plafond.report import maak_rapport, schrijf_html, sha256_bestand

REF = "maastricht-heuvelland-2022"

MEET = """<script>
window.addEventListener("load", function () {
  var d = document.documentElement;
  var r = {breedte: d.clientWidth, pagina: d.scrollWidth, tabellen: [], plaatjes: []};
  document.querySelectorAll(".scroll").forEach(function (s) {
    r.tabellen.push({sectie: s.closest("section").id, scroll: s.scrollWidth,
                     client: s.clientWidth});
  });
  document.querySelectorAll("figure img").forEach(function (i) {
    var bron = i.parentElement.querySelector("source");
    r.plaatjes.push({id: i.closest("figure").id, breed: i.getBoundingClientRect().width,
                     smal: bron !== null && i.currentSrc === bron.srcset});
  });
  parent.postMessage(JSON.stringify(r), "*");
});
</script></body>"""

OMLIJST = """<!DOCTYPE html><html><body style="margin:0">
<iframe src="{bron}" width="{breedte}" height="900" style="border:0"></iframe>
<pre id="meting"></pre>
<script>
window.addEventListener("message", function (e) {{
  document.getElementById("meting").textContent = e.data;
}});
</script></body></html>"""


def _chromium() -> str:
    pad = shutil.which("chromium") or shutil.which("chromium-browser")
    assert pad, "chromium ontbreekt: apt-get install -y chromium (zie .ci/run)"
    return pad


def _draai(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={tmp / 'profiel'}", *args],
        capture_output=True, encoding="utf-8", timeout=60,
    )  # fmt: skip


@pytest.fixture(scope="module")
def rapport(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("browser")
    bron = bundled_path(REF)
    r = maak_rapport(
        load_case(REF), n=2**11, seed=6, gevoeligheid_n=2**9, bron=str(bron),
        bron_sha256=sha256_bestand(bron),
    )  # fmt: skip
    schrijf_html(r, d / "rapport.html")
    tekst = (d / "rapport.html").read_text(encoding="utf-8")
    (d / "gemeten.html").write_text(tekst.replace("</body>", MEET), encoding="utf-8")
    return d / "rapport.html"


def _meet(rapport: Path, breedte: int) -> dict:
    d = rapport.parent
    lijst = d / f"omlijst{breedte}.html"
    lijst.write_text(OMLIJST.format(bron="gemeten.html", breedte=breedte), encoding="utf-8")
    uit = _draai(d, "--window-size=1400,1000", "--dump-dom", lijst.as_uri())
    m = re.search(r'<pre id="meting">(.+?)</pre>', uit.stdout, re.S)
    assert m, uit.stderr[-2000:]
    return json.loads(m[1].replace("&quot;", '"').replace("&amp;", "&"))


def test_no_table_overflows_at_1280_px(rapport):
    m = _meet(rapport, 1280)
    assert m["breedte"] == 1280 and m["pagina"] <= m["breedte"]
    assert len(m["tabellen"]) >= 9
    for t in m["tabellen"]:
        assert t["scroll"] <= t["client"], t  # no sideways scrolling, partners included
    assert sum(t["sectie"] == "partners" for t in m["tabellen"]) == 2
    assert all(not p["smal"] and p["breed"] <= 1280 for p in m["plaatjes"])


def test_phone_width_scales_plots_and_keeps_the_page_in_view(rapport):
    m = _meet(rapport, 390)
    assert m["breedte"] == 390
    assert m["pagina"] <= 390  # only a table's own box scrolls sideways, never the page
    assert len(m["plaatjes"]) == 6
    for p in m["plaatjes"]:
        assert p["smal"], p  # the narrow drawing: its text about 12 px high at 390 px
        assert p["breed"] <= 390


def _png_breedte(pad: Path) -> int:
    kop = pad.read_bytes()[:24]
    assert kop[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", kop[16:20])[0]


@pytest.mark.parametrize("breedte", [1280, 390])
def test_screenshot(rapport, breedte):
    png = rapport.parent / f"scherm{breedte}.png"
    uit = _draai(
        rapport.parent, f"--window-size={breedte},2400", f"--screenshot={png}", rapport.as_uri()
    )
    assert png.exists(), uit.stderr[-2000:]
    assert _png_breedte(png) == breedte and png.stat().st_size > 50_000


def test_printed_report_opens_the_aannames_and_keeps_every_column(rapport):
    pdf = rapport.parent / "rapport.pdf"
    uit = _draai(rapport.parent, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                 rapport.as_uri())  # fmt: skip
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF", uit.stderr[-2000:]
    assert shutil.which("pdftotext"), "pdftotext ontbreekt: apt-get install -y poppler-utils"
    # -raw: the text in the order it is drawn. A hash wrapped in its cell then reads on in
    # one piece; in the default mode pdftotext may set the cell's second line elsewhere
    # (seen with a cold font cache, when the columns come out a little wider)
    tekst = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, encoding="utf-8", check=True
    ).stdout
    plat = " ".join(tekst.split())
    html = rapport.read_text(encoding="utf-8")
    sha = sha256_bestand(bundled_path(REF))
    assert sha in html
    # the aannames sit inside a closed <details>: printed, they are there in full
    assert "Toon alle invoer en regels" not in plat
    assert "invoerbestand" in plat.replace("- ", "").replace(" ", "")
    assert sha in tekst.replace("\n", "").replace(" ", "")
    assert "risicodeling" in plat

    # the last column of every table is on the paper, not cut off at the right. pdftotext
    # drops the hyphen where a word (a long file path) breaks at a line end, so spaces and
    # hyphens are left out on both sides; a cell wrapped over lines may come out with the
    # next row's text between its lines, so each of its words is looked for.
    def _kaal(tekst: str) -> str:
        return re.sub(r"[\s\-]", "", tekst)

    plat_zonder = _kaal(plat)
    laatste = re.findall(r"<td[^>]*>([^<]*)</td>\s*</tr>", html)
    assert len(laatste) > 50
    for cel in laatste:
        assert all(_kaal(woord) in plat_zonder for woord in unescape(cel).split()), cel
