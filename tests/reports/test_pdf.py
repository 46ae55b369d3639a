"""The committee report as a tagged PDF: figures that survive text extraction, PDF/UA
metadata, landscape table pages with a repeated header row, and fonts that hold the
status and trend symbols."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from fontTools.ttLib import TTFont

from scrutineer.engine import Period, Status, Trend
from scrutineer.reports.builder import build_document
from scrutineer.reports.document import ReportDocument, Section, TableBlock
from scrutineer.reports.renderers.html import page_title
from scrutineer.reports.renderers.pdf import render_pdf
from tests.browser import missing

pytestmark = pytest.mark.django_db

Q1_2020 = "2020-21-Q1"
# The seed's rule gives three judged levels; amber-green's and amber-red's symbols are
# checked under a five-level rule (test_five_level_reports.py).
SYMBOLS = sorted(
    {s.symbol for s in Status if s not in (Status.AMBER_GREEN, Status.AMBER_RED)} | {t.symbol for t in Trend}
)


def document(period: str = Q1_2020) -> ReportDocument:
    from scrutineer.reports.models import Report

    return build_document(Report.objects.get(period=Period.parse(period)))


@pytest.fixture
def q1(seed_council) -> tuple[ReportDocument, bytes]:
    doc = document()
    return doc, render_pdf(doc)


def pdftotext(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page as `pdftotext -layout` lays it out (poppler-utils)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        missing("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")


def row_block(lines: list[str], code: str, stop: tuple[str, ...]) -> list[str]:
    """The lines of one indicator's row: from its code to the next row, theme or page end."""
    start = next(i for i, line in enumerate(lines) if f"{code} - " in line)
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if any(marker in line for marker in stop):
            break
        block.append(line)
    return block


def assert_in_reading_order(line: str, parts: list[str]) -> None:
    """Each part appears on `line` after the one before it, left to right."""
    at = 0
    for part in parts:
        found = line.find(part, at)
        assert found >= 0, f"{part!r} missing from {line[at:]!r} in {parts}, line {line!r}"
        at = found + len(part)


# code → first line, in order; then lines that follow, each in order; status word.
ROWS = {
    "YP01a": (["No Data", "2102 Attendances", "10155 Attendances", "No Data"], [["Info Only"] * 3]),
    "CSU10": (
        ["79.33 Second(s)", "325 Second(s)", "314.33 Second(s)", "Green"],
        [["Target: 300", "Target: 300", "Target: 300"]],
    ),
    "CSU11": (
        ["3.28%", "10.94%", "12.52%", "Green"],
        [["640 / 19498", "3077 / 28131", "3528 / 28174"], ["Target: 20%", "Target: 20%", "Target: 20%"]],
    ),
    "CSU12": (
        ["0 Second(s)", "203 Second(s)", "195 Second(s)", "Not"],
        [["Target: 450", "Target: 450", "Target: 450"]],
    ),
    "CSU06": (
        ["99.87%", "100%", "99.76%", "Green"],
        [["1489 / 1491", "634 / 634", "2530 / 2536"], ["Target: 80%", "Target: 80%", "Target: 80%"]],
    ),
}


def test_each_indicator_row_survives_text_extraction_in_reading_order(q1, tmp_path):
    _, pdf = q1
    pages = pdftotext(pdf, tmp_path)
    (table_page,) = [p for p in pages if "CSU10 - " in p]
    lines = table_page.splitlines()
    stop = (
        *(f"{code} - " for code in ROWS),
        "Dacorum Delivers - ",
        "Building Community Capacity - ",
        "Page ",
    )
    for code, (first, following) in ROWS.items():
        block = row_block(lines, code, stop)
        assert_in_reading_order(block[0], first)
        for parts in following:
            assert any(all(p in line for p in parts) for line in block), (code, parts, block)
            line = next(line for line in block if all(p in line for p in parts))
            assert_in_reading_order(line, parts)
    csu12 = "\n".join(row_block(lines, "CSU12", stop))
    assert "Green" not in csu12  # a suspended service is never green
    assert "Not measured" in " ".join(csu12.split())
    # A wrapped cell shares its lines with the cells beside it: its words keep their order.
    yp01a = " ".join(row_block(lines, "YP01a", stop)).split()
    words = iter(yp01a)
    reason = "The APGs have been closed during this period due to CV-19 guidance."
    assert all(word in words for word in reason.split(" ")), yp01a


def test_status_and_trend_symbols_survive_text_extraction(q1, tmp_path):
    _, pdf = q1
    text = "\n".join(pdftotext(pdf, tmp_path))
    assert "✓ Green" in text
    assert "○ Not" in text
    assert "▲ Improving vs Mar-2020" in text
    assert "▼ Worsening vs Mar-2020" in text
    for symbol in SYMBOLS:  # all in the key
        assert symbol in text, symbol


def test_page_numbers_and_landscape_table_pages(q1, tmp_path):
    _, pdf = q1
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    count = len(reader.pages)
    assert count > 1
    pages = pdftotext(pdf, tmp_path)
    assert f"Page 1 of {count}" in pages[0]
    assert f"Page {count} of {count}" in pages[count - 1]
    for number, (page, page_text) in enumerate(zip(reader.pages, pages, strict=False), start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        landscape = width > height
        assert landscape == ("CSU10 - " in page_text), f"page {number}"
        assert "Published under the Open Government Licence v3.0" in page_text
        assert "Dacorum Borough Council" in page_text


def test_the_table_header_row_repeats_on_every_page_of_a_long_table(seed_council, tmp_path):
    doc = document()
    table = doc.table
    long_table = dataclasses.replace(table, groups=table.groups * 12)

    def swap(section: Section) -> Section:
        blocks = tuple(
            dataclasses.replace(b, table=long_table)
            if isinstance(b, TableBlock)
            else swap(b)
            if isinstance(b, Section)
            else b
            for b in section.blocks
        )
        return dataclasses.replace(section, blocks=blocks)

    pdf = render_pdf(dataclasses.replace(doc, sections=tuple(swap(s) for s in doc.sections)))
    pages = [p for p in pdftotext(pdf, tmp_path) if "CSU10 - " in p]
    assert len(pages) >= 3
    for page in pages:
        header = next(line for line in page.splitlines() if line.lstrip().startswith("Indicator"))
        assert_in_reading_order(
            header,
            ["Indicator", "Results Jun-2020", "Previous Mar-2020", "Last year Jun-2019", "Status", "Trend"],
        )


def test_tagged_pdf_ua_with_title_and_language(q1):
    doc, pdf = q1
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    assert reader.metadata.title == page_title(doc)
    assert reader.metadata.title.startswith(doc.title)
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', xmp)
    assert doc.title.replace("&", "&amp;") in xmp
    assert float(reader.pdf_header.removeprefix("%PDF-")) >= 1.7


def structure_types(element, found: list[str]) -> list[str]:
    element = element.get_object()
    if isinstance(element, pypdf.generic.DictionaryObject):
        if "/S" in element:
            found.append(element["/S"])
        kids = element.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
                structure_types(kid, found)
    return found


def test_structure_tree_has_headings_lists_and_a_table_with_header_cells(q1):
    _, pdf = q1
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    types = structure_types(reader.trailer["/Root"]["/StructTreeRoot"], [])
    assert types.count("/H1") == 1
    assert {"/H2", "/H3", "/P", "/L", "/LI", "/Table", "/Caption", "/TH", "/TD", "/THead", "/TBody"} <= set(
        types
    )


def embedded_fonts(pdf: bytes) -> dict[str, tuple[TTFont, dict[str, int]]]:
    """Each embedded font by name, with its glyphs by the character each one draws."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts: dict[str, tuple[TTFont, dict[str, int]]] = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            (descendant,) = font["/DescendantFonts"]
            descriptor = descendant.get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, f"{name} is not embedded"
            ttf = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            glyphs = {
                chr(int(uni, 16)): int(cid, 16)
                for cid, uni in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>", cmap)
            }
            fonts[name] = (ttf, glyphs)
    return fonts


def test_fonts_are_embedded_debian_fonts_holding_every_symbol_drawn(q1):
    _, pdf = q1
    fonts = embedded_fonts(pdf)
    assert fonts
    for name in fonts:
        assert name.startswith(("Liberation-Sans", "DejaVu-Sans", "Arial")), name
    for symbol in SYMBOLS:
        drawn = [(name, ttf, glyphs[symbol]) for name, (ttf, glyphs) in fonts.items() if symbol in glyphs]
        assert drawn, f"{symbol!r} is not in the PDF"
        for name, ttf, gid in drawn:
            # Identity-H: the character code is the glyph id; 0 would be the empty .notdef box.
            assert gid != 0, f"{symbol!r} drawn as .notdef in {name}"
            glyph_name = ttf.getGlyphOrder()[gid]
            assert ttf["glyf"][glyph_name].numberOfContours != 0, f"{symbol!r} is blank in {name}"


def test_dejavu_sans_on_this_machine_has_every_status_and_trend_symbol():
    tool = shutil.which("fc-match")
    if tool is None:
        missing("fontconfig's fc-match is not installed")
    path = subprocess.run([tool, "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True).stdout
    if "DejaVuSans" not in path:
        missing("DejaVu Sans is not installed (apt-get install fonts-dejavu-core)")
    cmap = TTFont(path).getBestCmap()
    assert [s for s in SYMBOLS if ord(s) not in cmap] == []


def test_the_same_document_gives_the_same_bytes(q1):
    """Published versions are stored with their SHA-256: a re-render must match it."""
    doc, pdf = q1
    assert render_pdf(doc) == pdf
