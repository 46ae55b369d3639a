"""The committee report as a standalone HTML page: the seed reports, figure for figure."""

from __future__ import annotations

import dataclasses
import itertools
import re
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5

from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.document import ReportDocument
from scrutineer.reports.renderers.html import page_title, render_html

pytestmark = pytest.mark.django_db

Q1_2020 = "2020-21-Q1"
Q2_2018 = "2018-19-Q2"
NS = "{http://www.w3.org/1999/xhtml}"


def document(period: str) -> ReportDocument:
    from scrutineer.reports.models import Report

    return build_document(Report.objects.get(period=Period.parse(period)))


def parse(html: str) -> Element:
    return tinyhtml5.parse(html)


def text(element: Element) -> str:
    """An element's text as read: whitespace collapsed, as a browser shows it."""
    return " ".join("".join(element.itertext()).split())


def find_all(root: Element, tag: str) -> list[Element]:
    return list(root.iter(NS + tag))


def by_class(root: Element, tag: str, cls: str) -> list[Element]:
    return [e for e in find_all(root, tag) if cls in e.get("class", "").split()]


def by_id(root: Element, ident: str) -> Element:
    found = [e for e in root.iter() if e.get("id") == ident]
    assert len(found) == 1, f"expected one element with id {ident!r}, found {len(found)}"
    return found[0]


@pytest.fixture
def q1(seed_council) -> tuple[ReportDocument, str, Element]:
    doc = document(Q1_2020)
    html = render_html(doc)
    return doc, html, parse(html)


@pytest.fixture
def q2(seed_council) -> tuple[ReportDocument, str, Element]:
    doc = document(Q2_2018)
    html = render_html(doc)
    return doc, html, parse(html)


# The page ---------------------------------------------------------------------------


def test_a_complete_standalone_html5_document(q1):
    doc, html, root = q1
    assert html.startswith("<!DOCTYPE html>")
    assert root.get("lang") == "en-GB"
    (title,) = find_all(root, "title")
    assert title.text == page_title(doc)
    assert title.text == (
        "Quarter 1 Performance Report – Children Services & Community Safety Partnership, Customer "
        "Services, The Old Town Hall, Communications and Community Partnerships – Housing and Community "
        "Overview & Scrutiny – Q1 2020/21"
    )
    # Works from a folder or an email: CSS inlined, nothing local or remote to load.
    styles = "".join(text(s) for s in find_all(root, "style"))
    assert ".govuk-table" in styles
    assert ".report-table" in styles
    assert not find_all(root, "link")
    assert not find_all(root, "script")
    assert not find_all(root, "img")
    for a in find_all(root, "a"):
        href = a.get("href", "")
        assert href.startswith(("#", "https://")), href
    # GDS Transport is for GOV.UK services only.
    assert "GDS Transport" not in html


def test_the_inlined_css_stays_small_enough_to_email(q1):
    _, html, _ = q1
    assert len(html.encode()) < 150_000


def test_cover_sheet_has_every_field_and_value_of_the_seed(q1):
    _, _, root = q1
    (cover,) = by_class(root, "dl", "govuk-summary-list")
    rows = [(text(row.find(NS + "dt")), text(row.find(NS + "dd"))) for row in cover if row.tag == NS + "div"]
    labels = [label for label, _ in rows]
    assert labels == [
        "Report for:",
        "Date of meeting:",
        "PART:",
        "If Part II, reason:",
        "Title of report:",
        "Contact:",
        "Author/Responsible Officers:",
        "Purpose of report:",
        "Recommendations:",
        "Corporate objectives:",
        "Implications:",
        "Value for Money Implications:",
        "Risk Implications:",
        "Equalities Implications:",
        "Health and Safety Implications:",
        "Consultees:",
    ]
    values = dict(rows)
    assert values["Report for:"] == "Housing and Community Overview & Scrutiny"
    assert values["Date of meeting:"] == "9 September 2020"
    assert values["Title of report:"] == (
        "Quarter 1 Performance Report – Children Services & Community Safety Partnership, Customer "
        "Services, The Old Town Hall, Communications and Community Partnerships"
    )
    assert values["Contact:"] == "Cllr Julie Banks, Portfolio Holder for Community and Regulatory Services"
    assert values["Author/Responsible Officers:"] == (
        "Linda Roberts (Assistant Director – People, Performance and Innovation) "
        "Matt Rawdon (Group Manager – People and Communities) "
        "Joe Guiton (Community Safety and Children Team Leader) "
        "Sara Railson (Arts Team Leader) "
        "Alex Care (Community Partnerships Team Leader) "
        "Kelvin Soley (Communications Team Leader) "
        "Tracy Lancashire (Customer Service Team Leader)"
    )
    assert values["Purpose of report:"] == "Monitoring and information"
    assert values["Recommendations:"] == (
        "That Members note the report and identify any areas where they require additional information"
    )
    assert values["Corporate objectives:"] == (
        "Building strong and vibrant communities Delivering an efficient and modern council"
    )
    assert values["Implications:"] == "Financial Within existing budgets"
    assert values["Value for Money Implications:"] == (
        "Value for Money Services are regularly reviewed to ensure they are efficiently delivered and "
        "commercial opportunities are actively sought."
    )
    for label in ("Risk Implications:", "Equalities Implications:", "Health and Safety Implications:"):
        assert values[label] == "None at this stage."
    assert values["Consultees:"] == "Service Team Leaders"
    # The seed leaves PART blank; an empty cell would be read out as nothing at all.
    assert values["PART:"] == "Not stated"


def test_cover_sheet_sublabels_are_marked_up_as_such(q1):
    _, _, root = q1
    sublabels = [text(e) for e in by_class(root, "span", "report-cover__sublabel")]
    assert sublabels == ["Financial", "Value for Money"]


def test_q2_cover_sheet_states_part_i_and_background_papers(q2):
    _, _, root = q2
    (cover,) = by_class(root, "dl", "govuk-summary-list")
    values = {text(row.find(NS + "dt")): text(row.find(NS + "dd")) for row in cover if row.tag == NS + "div"}
    assert values["PART:"] == "I"
    assert values["Date of meeting:"] == "7 November 2018"
    assert values["Background papers:"] == "Nil"
    assert values["Contact:"] == "Cllr Neil Harden, Portfolio Holder for Resident and Regulatory Services"


# Headings and numbering ---------------------------------------------------------------


def headings(root: Element) -> list[tuple[int, str]]:
    return [
        (int(e.tag[-1]), text(e))
        for e in root.iter()
        if isinstance(e.tag, str) and re.fullmatch(re.escape(NS) + "h[1-6]", e.tag)
    ]


def test_one_h1_and_a_heading_hierarchy_that_never_skips_a_level(q1, q2):
    for doc, _, root in (q1, q2):
        found = headings(root)
        assert [h for h in found if h[0] == 1] == [(1, doc.title)]
        assert found[0] == (1, doc.title)
        for (before, _), (after, heading) in itertools.pairwise(found):
            assert after <= before + 1, f"{heading!r} skips from h{before} to h{after}"


def test_q1_headings_carry_their_section_numbers(q1):
    _, _, root = q1
    found = headings(root)
    assert (2, "1. Introduction") in found
    assert (2, "2. Performance Reports 2020/21 - Quarter 1") in found
    assert (2, "3. Quarter 1 Achievements") in found
    assert [h for h in found if h[0] == 3 and h[1][:1].isdigit()] == [
        (3, "3.1 Children Services and Community Safety Partnership"),
        (3, "3.2 The Old Town Hall"),
        (3, "3.3 Customer Services"),
        (3, "3.4 Community Partnerships"),
        (3, "3.5 Communications"),
    ]


def test_numbered_paragraphs_show_their_numbers(q1):
    _, _, root = q1
    paragraphs = [text(p) for p in by_class(root, "p", "report-numbered")]
    assert paragraphs[0].startswith(
        "1.1 This paper will provide an update on service performance over Q1 2020/2021"
    )
    assert paragraphs[1].startswith("2.1 Quarter 1 performance is detailed below.")
    assert paragraphs[2].startswith("2.2 The Customer Service Unit (CSU) had a positive quarter")
    numbers = [p.split(" ", 1)[0] for p in paragraphs]
    assert numbers[3:9] == ["3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.1.6"]
    assert numbers[-1] == "3.5.3"


def test_item_3_2_2_keeps_its_ten_bullets_and_closing_paragraph(q1):
    _, _, root = q1
    item = by_id(root, "item-3-2-2")
    lead, bullets, closing = list(item)
    assert text(lead) == (
        "3.2.2 When staff were allowed back into the building in May the following works to the "
        "building were achieved:"
    )
    assert bullets.tag == NS + "ul"
    items = [text(li) for li in bullets]
    assert len(items) == 10
    assert (
        items[0] == "Completion of an essential water quality test following the re-opening of the building."
    )
    assert items[-1] == "Replacement of broken window that looks out onto the High Street"
    assert text(closing).startswith("In addition our cleaning staff are engaged")


def test_contents_link_to_every_section(q1):
    _, _, root = q1
    nav = find_all(root, "nav")[0]
    links = [(a.get("href"), text(a)) for a in find_all(nav, "a")]
    assert links[:3] == [
        ("#introduction", "1. Introduction"),
        ("#performance", "2. Performance Reports 2020/21 - Quarter 1"),
        ("#achievements", "3. Quarter 1 Achievements"),
    ]
    assert ("#service-old-town-hall", "3.2 The Old Town Hall") in links
    for href, _ in links:
        by_id(root, href[1:])


def test_q2_report_is_quarter_2_throughout_with_services_as_sections_and_the_table_in_an_appendix(q2):
    _, html, root = q2
    found = headings(root)
    assert (2, "3. Quarter 2 Achievements") in found
    assert "1st Quarter" not in html
    assert "Quarter 1" not in html
    assert [h for h in found if h[0] == 2 and h[1][:1] in "4567"] == [
        (2, "4. Children Services and Community Safety Partnership"),
        (2, "5. The Old Town Hall"),
        (2, "6. Customer Services"),
        (2, "7. Community Partnerships"),
    ]
    numbers = [text(p).split(" ", 1)[0] for p in by_class(root, "p", "report-numbered")]
    assert "4.1" in numbers
    assert "7.6" in numbers
    assert "4.3" not in numbers
    paragraphs = [text(p) for p in by_class(root, "p", "report-numbered")]
    assert "2.1 Quarter 2 report - See Appendix 1" in paragraphs
    (appendix,) = by_class(root, "section", "report-appendix")
    assert text(appendix.find(NS + "h2")) == "Appendix 1: Performance report Q2 2018/19"
    (table,) = find_all(root, "table")
    assert table in list(appendix.iter(NS + "table"))
    assert text(table.find(NS + "caption")) == (
        "OSC Report - Housing & Community - Performance, People and Innovation Sep-2018"
    )


# The performance table ----------------------------------------------------------------


def the_table(root: Element) -> Element:
    (table,) = find_all(root, "table")
    return table


def indicator_rows(root: Element) -> dict[str, Element]:
    rows = {}
    for tr in find_all(the_table(root), "tr"):
        header = tr.find(NS + "th")
        if header is not None and header.get("scope") == "row":
            rows[text(header).split(" - ", 1)[0]] = tr
    return rows


def cells(tr: Element) -> list[str]:
    return [text(td) for td in tr.findall(NS + "td")]


def test_table_has_a_caption_column_headers_and_a_row_group_per_theme(q1):
    _, _, root = q1
    table = the_table(root)
    assert text(table.find(NS + "caption")) == (
        "OSC Report - Housing & Community - Performance, People and Innovation Jun-2020"
    )
    head = table.find(NS + "thead")
    columns = head.findall(f"{NS}tr/{NS}th")
    assert [text(th) for th in columns] == [
        "Indicator",
        "Results Jun-2020",
        "Previous Mar-2020",
        "Last year Jun-2019",
        "Status",
        "Trend",
        "Comments",
    ]
    assert {th.get("scope") for th in columns} == {"col"}
    groups = table.findall(NS + "tbody")
    themes = []
    for body in groups:
        first = body.find(f"{NS}tr/{NS}th")
        assert first.get("scope") == "rowgroup"
        assert first.get("colspan") == "7"
        themes.append(text(first))
        for tr in body.findall(NS + "tr")[1:]:
            (row_header,) = tr.findall(NS + "th")
            assert row_header.get("scope") == "row"
            assert len(tr.findall(NS + "td")) == 6
    assert themes == [
        "Building Community Capacity - Empower local community action and delivery",
        "Dacorum Delivers - Performance excellence",
        "Dacorum Delivers - Reputation and profile delivery",
    ]
    assert list(indicator_rows(root)) == ["YP01a", "CSU10", "CSU11", "CSU12", "CSU06"]


# code → (row header, [current, previous, last year] cell texts, status cell)
SEED_ROWS = {
    "YP01a": (
        "YP01a - Number of children attending Adventure Playgrounds",
        [
            "No Data Info Only The APGs have been closed during this period due to CV-19 guidance.",
            "2102 Attendances Info Only",
            "10155 Attendances Info Only",
        ],
        "– No Data",
    ),
    "CSU10": (
        "CSU10 - Call Handling: Average wait time",
        [
            "79.33 Second(s) Target: 300 Second(s)",
            "325 Second(s) Target: 300 Second(s)",
            "314.33 Second(s) Target: 300 Second(s)",
        ],
        "✓ Green",
    ),
    "CSU11": (
        "CSU11 - Call Handling: Abandoned Call Rate",
        [
            "3.28% 640 / 19498 Target: 20%",
            "10.94% 3077 / 28131 Target: 20%",
            "12.52% 3528 / 28174 Target: 20%",
        ],
        "✓ Green",
    ),
    "CSU12": (
        "CSU12 - Face to Face; Average Wait Time",
        [
            "0 Second(s) Target: 450 Second(s)",
            "203 Second(s) Target: 450 Second(s)",
            "195 Second(s) Target: 450 Second(s)",
        ],
        "○ Not measured",  # lockdown: a suspended service is never green
    ),
    "CSU06": (
        "CSU06 - Percentage of customers satisfied with service received from the Customer Service Unit",
        [
            "99.87% 1489 / 1491 Target: 80%",
            "100% 634 / 634 Target: 80%",
            "99.76% 2530 / 2536 Target: 80%",
        ],
        "✓ Green",
    ),
}


@pytest.mark.parametrize("code", list(SEED_ROWS))
def test_each_indicator_row_has_its_figures_fractions_targets_and_status(q1, code):
    _, _, root = q1
    header, figures, status = SEED_ROWS[code]
    tr = indicator_rows(root)[code]
    assert text(tr.find(NS + "th")) == header
    row = cells(tr)
    assert row[:3] == figures
    assert row[3] == status


def test_csu11_row_reads_as_in_the_seed(q1):
    _, _, root = q1
    row = " ".join(cells(indicator_rows(root)["CSU11"]))
    expected = [
        "3.28%",
        "640 / 19498",
        "Target: 20%",
        "10.94%",
        "3077 / 28131",
        "12.52%",
        "3528 / 28174",
        "Green",
    ]
    positions = [row.index(part) for part in expected]
    assert positions == sorted(positions), row


def test_status_is_shown_in_words_and_symbol_never_colour_alone(q1):
    _, _, root = q1
    tags = {code: tr.findall(f"{NS}td/{NS}strong")[0] for code, tr in indicator_rows(root).items()}
    assert tags["CSU10"].get("class").split() == ["govuk-tag", "govuk-tag--green", "report-tag"]
    assert tags["CSU12"].get("class").split()[1] == "govuk-tag--purple"
    assert tags["YP01a"].get("class").split()[1] == "govuk-tag--grey"
    for tag in tags.values():
        symbol, *_ = list(tag)
        assert symbol.get("aria-hidden") == "true"  # the word says it; the symbol repeats it
        assert re.fullmatch(r"\S \w[\w ]*", text(tag))


def test_trends_against_both_earlier_periods_in_words(q1):
    _, _, root = q1
    rows = indicator_rows(root)
    assert cells(rows["CSU10"])[4] == "▲ Improving vs Mar-2020 ▲ Improving vs Jun-2019"
    assert cells(rows["CSU06"])[4] == "▼ Worsening vs Mar-2020 ▲ Improving vs Jun-2019"
    assert cells(rows["YP01a"])[4] == "– Not comparable vs Mar-2020 – Not comparable vs Jun-2019"


def test_comments_are_the_approvers_without_repeating_a_no_data_reason(q1):
    _, _, root = q1
    rows = indicator_rows(root)
    # Each comment under the seed's label, as the seed prints it.
    assert cells(rows["CSU10"])[5] == "Approver Comments: KPI Achieved."
    assert (
        cells(rows["CSU12"])[5] == "Approver Comments: No face to face meetings during the lockdown period."
    )
    assert cells(rows["YP01a"])[5] == ""  # shown once, beside "No Data"


def test_key_explains_every_status_and_trend_in_words(q1):
    doc, _, root = q1
    (key,) = by_class(root, "div", "report-key")
    key_text = text(key)
    block = doc.table_block
    for entry in (*block.statuses, *block.trends):
        assert entry.label in key_text
        assert entry.symbol in key_text
    assert "✓ Green the target was met." in key_text
    assert "○ Not measured the figure is not a real measurement" in key_text
    assert "▲ Improving better than the period compared with." in key_text
    assert block.tolerance_rule in key_text
    assert "Amber when within 10% of target" in key_text
    assert "3 of 3 measurable targets achieved." in key_text


# Safety, versions and the footer --------------------------------------------------------


def test_text_from_data_is_escaped_never_run(seed_council):
    from scrutineer.collection.models import Achievement

    achievement = Achievement.objects.filter(period=Period.parse(Q1_2020)).order_by("pk").first()
    achievement.body = 'Opened <script>alert("x")</script> and <b>bold</b>\n\n- <img src=x onerror=alert(1)>'
    achievement.save()
    doc = dataclasses.replace(document(Q1_2020), title="Q1 <script>document.write(1)</script>")
    html = render_html(doc)
    root = parse(html)
    assert not find_all(root, "script")
    assert not find_all(root, "img")
    assert not find_all(root, "b")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' in "".join(text(p) for p in by_class(root, "p", "report-numbered"))
    assert find_all(root, "title")[0].text.startswith("Q1 <script>document.write(1)</script>")


def test_a_draft_shows_no_version(q1):
    _, html, _ = q1
    assert "Version" not in html
    assert "Restatements" not in html


def test_a_reissue_shows_its_version_and_what_it_restates(seed_council):
    doc = dataclasses.replace(
        document(Q1_2020),
        version=2,
        restatements=("CSU10 Jun-2020: restated from 79.33 Second(s) to 80.5 Second(s).",),
    )
    root = parse(render_html(doc))
    (header,) = find_all(root, "header")
    assert "Version 2" in text(header)
    section = by_id(root, "restatements")
    assert text(section) == "Restatements"
    (restated,) = by_class(root, "section", "report-restatements")
    assert [text(li) for li in find_all(restated, "li")] == [
        "CSU10 Jun-2020: restated from 79.33 Second(s) to 80.5 Second(s)."
    ]


def test_footer_names_the_licence_and_the_council(q1):
    _, _, root = q1
    (footer,) = find_all(root, "footer")
    assert "Published under the Open Government Licence v3.0" in text(footer)
    assert "Dacorum Borough Council" in text(footer)
    (link,) = find_all(footer, "a")
    assert link.get("href") == "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def test_the_main_landmark_holds_the_report(q1):
    doc, _, root = q1
    (main,) = find_all(root, "main")
    assert main.get("id") == "main-content"
    assert text(main.find(NS + "h1")) == doc.title
    assert the_table(root) in list(main.iter(NS + "table"))
