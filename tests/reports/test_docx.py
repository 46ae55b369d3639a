"""The Word document: editable structure (styles, numbers as text, real tables) and every
seed figure in the right row and column, read back with python-docx."""

import io
import os
import re
import shutil
import subprocess
from dataclasses import replace

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.document import BulletList, Item, Paragraph, Section
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.docx import render_docx

pytestmark = pytest.mark.django_db

Q1 = "2020-21-Q1"
Q2_2018 = "2018-19-Q2"


def seed_doc(key=Q1):
    return build_document(Report.objects.get(period=Period.parse(key)))


def open_docx(data):
    return Document(io.BytesIO(data))


def words(text):
    return " ".join(text.split())


def body(word):
    """(style name, text) of every body paragraph, outside tables, in order."""
    return [(p.style.name, words(p.text)) for p in word.paragraphs]


def headings(word, level):
    return [text for style, text in body(word) if style == f"Heading {level}"]


def lines(cell):
    return [words(p.text) for p in cell.paragraphs if p.text.strip()]


def performance_table(word):
    (table,) = [t for t in word.tables if words(t.rows[0].cells[0].text) == "Indicator"]
    return table


def row_for(table, code):
    (row,) = [r for r in table.rows if words(r.cells[0].text).startswith(f"{code} - ")]
    return row


def section_of(word, element):
    """The python-docx section that holds `element` (a body-level paragraph or table)."""
    index = 0
    for child in word.element.body.iterchildren():
        if child is element:
            return word.sections[index]
        if child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1
    raise AssertionError("element not in the body")


@pytest.fixture
def q1(seed_council):
    return open_docx(render_docx(seed_doc()))


# -- structure ----------------------------------------------------------------------


def test_sections_are_word_headings_with_the_seed_texts(q1):
    assert headings(q1, 1) == [
        "1. Introduction",
        "2. Performance Reports 2020/21 - Quarter 1",
        "3. Quarter 1 Achievements",
    ]
    assert headings(q1, 2) == [
        "3.1 Children Services and Community Safety Partnership",
        "3.2 The Old Town Hall",
        "3.3 Customer Services",
        "3.4 Community Partnerships",
        "3.5 Communications",
    ]
    (title,) = [text for style, text in body(q1) if style == "Title"]
    assert title.startswith("Quarter 1 Performance Report – Children Services & Community Safety Partnership")


def test_paragraph_numbers_are_text_so_they_survive_copying(q1):
    paragraphs = body(q1)
    texts = [text for _, text in paragraphs]
    assert (
        "1.1 This paper will provide an update on service performance over Q1 2020/2021 and also "
        "highlight key achievements over this same period." in texts
    )
    assert any(t.startswith("2.2 The Customer Service Unit (CSU) had a positive quarter") for t in texts)
    numbers = [m.group(1) for t in texts if (m := re.match(r"(\d+\.\d+\.\d+) ", t))]
    assert numbers == [
        *(f"3.1.{n}" for n in range(1, 7)),
        "3.2.1",
        "3.2.2",
        *(f"3.3.{n}" for n in range(1, 7)),
        *(f"3.4.{n}" for n in range(1, 6)),
        *(f"3.5.{n}" for n in range(1, 4)),
    ]
    # Nothing relies on Word's automatic numbering, which committee systems lose.
    for p in q1.paragraphs:
        if p.style.name != "List Bullet":
            assert p._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is None, p.text


def test_3_2_2_is_followed_by_its_ten_bullets_then_its_closing_paragraph(q1):
    paragraphs = body(q1)
    at = next(
        i for i, (_, text) in enumerate(paragraphs) if text.startswith("3.2.2 When staff were allowed back")
    )
    bullets = paragraphs[at + 1 : at + 11]
    assert [style for style, _ in bullets] == ["List Bullet"] * 10
    assert (
        bullets[0][1]
        == "Completion of an essential water quality test following the re-opening of the building."
    )
    assert bullets[-1][1] == "Replacement of broken window that looks out onto the High Street"
    after_style, after_text = paragraphs[at + 11]
    assert after_style != "List Bullet"
    assert after_text.startswith("In addition our cleaning staff are engaged")


def test_cover_sheet_is_a_two_column_table_with_every_seed_field(q1):
    cover = q1.tables[0]
    rows = {words(r.cells[0].text): r.cells[1] for r in cover.rows}
    assert all(len(r.cells) == 2 for r in cover.rows)
    expected = {
        "Report for:": ["Housing and Community Overview & Scrutiny"],
        "Date of meeting:": ["9 September 2020"],
        "PART:": [],
        "If Part II, reason:": [],
        "Title of report:": [
            "Quarter 1 Performance Report – Children Services & Community Safety Partnership, Customer "
            "Services, The Old Town Hall, Communications and Community Partnerships"
        ],
        "Contact:": ["Cllr Julie Banks, Portfolio Holder for Community and Regulatory Services"],
        "Author/Responsible Officers:": [
            "Linda Roberts (Assistant Director – People, Performance and Innovation)",
            "Matt Rawdon (Group Manager – People and Communities)",
            "Joe Guiton (Community Safety and Children Team Leader)",
            "Sara Railson (Arts Team Leader)",
            "Alex Care (Community Partnerships Team Leader)",
            "Kelvin Soley (Communications Team Leader)",
            "Tracy Lancashire (Customer Service Team Leader)",
        ],
        "Purpose of report:": ["Monitoring and information"],
        "Recommendations:": [
            "That Members note the report and identify any areas where they require additional information"
        ],
        "Corporate objectives:": [
            "Building strong and vibrant communities",
            "Delivering an efficient and modern council",
        ],
        "Implications:": ["Financial", "Within existing budgets"],
        "Value for Money Implications:": [
            "Value for Money",
            "Services are regularly reviewed to ensure they are efficiently delivered and commercial "
            "opportunities are actively sought.",
        ],
        "Risk Implications:": ["None at this stage."],
        "Equalities Implications:": ["None at this stage."],
        "Health and Safety Implications:": ["None at this stage."],
        "Consultees:": ["Service Team Leaders"],
    }
    assert {label: lines(cell) for label, cell in rows.items()} == expected
    for label, sublabel in (
        ("Implications:", "Financial"),
        ("Value for Money Implications:", "Value for Money"),
    ):
        first = rows[label].paragraphs[0]
        assert first.text == sublabel
        assert all(run.bold for run in first.runs), label
        assert not any(run.bold for run in rows[label].paragraphs[1].runs), label


# -- the performance table ----------------------------------------------------------

# code → column → lines of the cell: figure, fraction (rates), target, reason (no data)
SEED = {
    "YP01a": {
        "current": [
            "No Data",
            "Info Only",
            "The APGs have been closed during this period due to CV-19 guidance.",
        ],
        "previous": ["2102 Attendances", "Info Only"],
        "last_year": ["10155 Attendances", "Info Only"],
    },
    "CSU10": {
        "current": ["79.33 Second(s)", "Target: 300 Second(s)"],
        "previous": ["325 Second(s)", "Target: 300 Second(s)"],
        "last_year": ["314.33 Second(s)", "Target: 300 Second(s)"],
    },
    "CSU11": {
        "current": ["3.28%", "640 / 19498", "Target: 20%"],
        "previous": ["10.94%", "3077 / 28131", "Target: 20%"],
        "last_year": ["12.52%", "3528 / 28174", "Target: 20%"],
    },
    "CSU12": {
        "current": ["0 Second(s)", "Target: 450 Second(s)"],
        "previous": ["203 Second(s)", "Target: 450 Second(s)"],
        "last_year": ["195 Second(s)", "Target: 450 Second(s)"],
    },
    "CSU06": {
        "current": ["99.87%", "1489 / 1491", "Target: 80%"],
        "previous": ["100%", "634 / 634", "Target: 80%"],
        "last_year": ["99.76%", "2530 / 2536", "Target: 80%"],
    },
}
COLUMN = {"current": 1, "previous": 2, "last_year": 3}


def test_header_row_names_the_periods_and_repeats_on_every_page(q1):
    table = performance_table(q1)
    assert [words(c.text) for c in table.rows[0].cells] == [
        "Indicator",
        "Results Jun-2020",
        "Previous Mar-2020",
        "Last year Jun-2019",
        "Status",
        "Trend",
        "Comments",
    ]
    repeats = [r._tr.trPr is not None and r._tr.trPr.find(qn("w:tblHeader")) is not None for r in table.rows]
    assert repeats == [True] + [False] * (len(table.rows) - 1)


@pytest.mark.parametrize("code", list(SEED))
def test_every_seed_figure_fraction_and_target_in_its_row_and_column(q1, code):
    row = row_for(performance_table(q1), code)
    for column, expected in SEED[code].items():
        assert lines(row.cells[COLUMN[column]]) == expected, (code, column)


def test_themes_are_bold_rows_spanning_the_table(q1):
    table = performance_table(q1)
    themes = []
    for row in table.rows[1:]:
        tcs = row._tr.findall(qn("w:tc"))
        if len(tcs) == 1:
            span = tcs[0].find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            assert span is not None and span.get(qn("w:val")) == "7"
            assert all(run.bold for p in row.cells[0].paragraphs for run in p.runs)
            themes.append(words(row.cells[0].text))
    assert themes == [
        "Building Community Capacity - Empower local community action and delivery",
        "Dacorum Delivers - Performance excellence",
        "Dacorum Delivers - Reputation and profile delivery",
    ]
    codes = [
        words(r.cells[0].text).split(" - ")[0] for r in table.rows[1:] if len(r._tr.findall(qn("w:tc"))) > 1
    ]
    assert codes == ["YP01a", "CSU10", "CSU11", "CSU12", "CSU06"]


def fill(cell):
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return shd.get(qn("w:fill")) if shd is not None else None


def test_status_is_symbol_and_word_with_a_shade_never_colour_alone(q1):
    table = performance_table(q1)
    status = {code: row_for(table, code).cells[4] for code in SEED}
    assert lines(status["CSU10"])[0] == "✓ Green"
    assert lines(status["CSU10"])[1:] == ["Mar-2020: ! Amber", "Jun-2019: ! Amber"]
    assert lines(status["CSU12"])[0] == "○ Not measured"
    assert lines(status["YP01a"])[0] == "– No Data"
    assert fill(status["CSU10"]) == fill(status["CSU11"]) != fill(status["CSU12"])
    assert fill(status["CSU10"]) is not None


def test_trend_in_words_and_comments(q1):
    table = performance_table(q1)
    assert lines(row_for(table, "CSU10").cells[5]) == ["vs Mar-2020: ▲ Improving", "vs Jun-2019: ▲ Improving"]
    assert lines(row_for(table, "CSU06").cells[5])[0] == "vs Mar-2020: ▼ Worsening"
    assert lines(row_for(table, "YP01a").cells[5])[0] == "vs Mar-2020: – Not comparable"
    # Each comment under the seed's label, as the seed prints it.
    assert lines(row_for(table, "CSU10").cells[6]) == ["Approver Comments: KPI Achieved."]
    assert lines(row_for(table, "CSU12").cells[6]) == [
        "Approver Comments: No face to face meetings during the lockdown period."
    ]
    # YP01a's reason is shown beside the figure, not repeated as a comment.
    assert lines(row_for(table, "YP01a").cells[6]) == []


def test_caption_summary_and_key_follow_the_table(q1):
    paragraphs = body(q1)
    texts = [text for _, text in paragraphs]
    assert "OSC Report - Housing & Community - Performance, People and Innovation Jun-2020" in texts
    assert any(t.startswith("3 of 3 measurable targets achieved.") for t in texts)
    key = [text for style, text in paragraphs if style == "Key Bullet"]
    assert q1.styles["Key Bullet"].base_style.name == "List Bullet"
    assert "✓ Green: the target was met." in key
    assert any(t.startswith("○ Not measured:") for t in key)
    assert "▲ Improving: better than the period compared with." in key
    assert len(key) == 12
    assert any(t.startswith("Tolerance: Amber when within 10% of target") for t in texts)


def test_the_table_has_a_landscape_section_and_the_rest_is_portrait(q1):
    table = performance_table(q1)
    landscape = section_of(q1, table._tbl)
    assert landscape.page_width > landscape.page_height
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    heading = next(p for p in q1.paragraphs if p.text == "1. Introduction")
    achievements = next(p for p in q1.paragraphs if p.text == "3. Quarter 1 Achievements")
    for paragraph in (heading, achievements):
        section = section_of(q1, paragraph._p)
        assert section.page_height > section.page_width
    assert round(q1.sections[0].page_width.mm) == 210  # A4, not the template's Letter


def test_document_properties_language_and_font(seed_council):
    doc = seed_doc()
    word = open_docx(render_docx(doc))
    props = word.core_properties
    assert props.title == doc.title
    assert props.subject == "Housing and Community Overview & Scrutiny performance Q1 2020/21"
    assert props.language == "en-GB"
    assert props.author == "Dacorum Borough Council"
    normal = word.styles["Normal"].element
    assert normal.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    assert normal.rPr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Arial"
    assert normal.rPr.find(qn("w:rFonts")).get(qn("w:asciiTheme")) is None


def test_footer_has_page_x_of_y_fields(q1):
    footer = q1.sections[0].footer
    xml = footer._element.xml
    instructions = [words(t.text) for t in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE \\* MERGEFORMAT", "NUMPAGES \\* MERGEFORMAT"]
    assert "Page " in xml and " of " in xml
    assert all(s.footer.is_linked_to_previous for s in q1.sections[1:])


# -- other shapes of report ---------------------------------------------------------


def test_quarter_2_2018_has_numbered_service_sections_and_the_table_in_appendix_1(seed_council):
    word = open_docx(render_docx(seed_doc(Q2_2018)))
    assert headings(word, 1) == [
        "1. Introduction",
        "2. Performance Reports 2018/19 - Quarter 2",
        "3. Quarter 2 Achievements",
        "4. Children Services and Community Safety Partnership",
        "5. The Old Town Hall",
        "6. Customer Services",
        "7. Community Partnerships",
        "Appendix 1: Performance report Q2 2018/19",
    ]
    everything = " ".join(text for _, text in body(word))
    assert "1st Quarter" not in everything
    assert "Quarter 2 Achievements" in everything
    assert "2.1 Quarter 2 report - See Appendix 1" in everything
    assert "7.6 Inflatable pop up events" in everything

    table = performance_table(word)
    children = list(word.element.body.iterchildren())
    appendix = next(p for p in word.paragraphs if p.text.startswith("Appendix 1"))
    assert children.index(appendix._p) < children.index(table._tbl)
    last_heading = next(p for p in word.paragraphs if p.text == "7. Community Partnerships")
    assert children.index(last_heading._p) < children.index(appendix._p)
    for element in (appendix._p, table._tbl):  # the heading stands on the table's landscape page
        section = section_of(word, element)
        assert section.page_width > section.page_height
    assert lines(row_for(table, "CSU10").cells[1]) == ["No Data", "No target set"]


def test_restatements_come_first_when_a_version_has_them(seed_council):
    change = "CSU10 Jun-2020: restated from 79.33 Second(s), Green to 80.5 Second(s), Green."
    word = open_docx(render_docx(replace(seed_doc(), version=2, restatements=(change,))))
    paragraphs = body(word)
    at = paragraphs.index(("Heading 1", "Restatements"))
    assert at < paragraphs.index(("Heading 1", "1. Introduction"))
    assert paragraphs[at + 1][1] == "Version 2 of this report restates what an earlier version said:"
    assert paragraphs[at + 2] == ("List Bullet", change)
    assert word.core_properties.content_status == "Version 2"

    draft = open_docx(render_docx(seed_doc()))
    assert "Restatements" not in headings(draft, 1)
    assert draft.core_properties.content_status == "Draft"


def test_items_that_open_with_bullets_and_a_missing_meeting_date(seed_council):
    section = Section(
        "1",
        "Introduction",
        (
            BulletList(("First point",)),
            Item("1.1", (BulletList(("Only bullets here", "And here")), Paragraph("Then a closing line."))),
        ),
    )
    doc = replace(seed_doc(), sections=(section,), appendices=(), meeting_date=None)
    paragraphs = body(open_docx(render_docx(doc)))
    at = paragraphs.index(("Heading 1", "1. Introduction"))
    assert paragraphs[at + 1 : at + 6] == [
        ("List Bullet", "First point"),
        ("Normal", "1.1"),
        ("List Bullet", "Only bullets here"),
        ("List Bullet", "And here"),
        ("Normal", "Then a closing line."),
    ]


# -- it opens elsewhere -------------------------------------------------------------


def test_libreoffice_converts_it_to_pdf(seed_council, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        message = "LibreOffice is not installed (Debian: libreoffice-writer-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must run the conversion test")
        pytest.skip(message)
    source = tmp_path / "report.docx"
    source.write_bytes(render_docx(seed_doc()))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists()
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(content) > 10_000
    from pypdf import PdfReader

    text = words(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    for fragment in ("1. Introduction", "640 / 19498", "79.33 Second(s)", "Target: 20%", "Page 3 of"):
        assert fragment in text, fragment


def test_a_title_longer_than_word_allows_is_shortened_only_in_the_properties(seed_council):
    import io
    from dataclasses import replace

    import docx as python_docx

    from scrutineer.engine import Period
    from scrutineer.reports.builder import build_document
    from scrutineer.reports.models import Report
    from scrutineer.reports.renderers.docx import render_docx

    doc = build_document(Report.objects.get(period=Period.parse("2020-21-Q1")))
    long_title = "Quarter 1 Performance Report – " + ", ".join(f"Service {n}" for n in range(60))
    word = python_docx.Document(io.BytesIO(render_docx(replace(doc, title=long_title))))
    assert len(word.core_properties.title) == 255
    assert word.core_properties.title.endswith("…")
    assert any(long_title in p.text for p in word.paragraphs) or any(
        long_title in cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
