"""Report layouts a committee chooses (docs/report-layouts.md): each choice in each format
(HTML, PDF text, Word, CSV, the `scrutineer table` command), the defaults that print the
seed as it was, sections left out when empty, and a council of its own end to end."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import docx as python_docx
import pypdf
import pytest
import tinyhtml5
from django.core.management import call_command
from django.utils.html import strip_tags
from docx.oxml.ns import qn

from scrutineer.catalogue.models import (
    SITE_DEFAULTS_PK,
    Committee,
    Grouping,
    PeriodLabels,
    SiteDefaults,
    SummaryStyle,
)
from scrutineer.collection.models import Achievement
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.layout import Layout, layout_of
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.csvfile import render_csv
from scrutineer.reports.renderers.docx import render_docx
from scrutineer.reports.renderers.html import render_html
from scrutineer.reports.renderers.pdf import render_pdf
from tests.factories import (
    CommitteeFactory,
    IndicatorFactory,
    PriorityFactory,
    ServiceTeamFactory,
    StatusRuleFactory,
    TargetFactory,
    ThemeFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db

Q1 = "2020-21-Q1"
NS = "{http://www.w3.org/1999/xhtml}"


def words(text: str) -> str:
    return " ".join(text.replace("&#x27;", "'").replace("&amp;", "&").split())


def seed_committee(**layout) -> Committee:
    Committee.objects.filter(slug="housing-community").update(**layout)
    return Committee.objects.get(slug="housing-community")


def q1_document(*, drafted: bool = False, **layout):
    """The seed's Q1 report under the committee's `layout`; `drafted`: with the summary
    drafted from the figures instead of the seed's typed one. The report keeps no choice of
    its own about the appendix, so the committee's holds."""
    seed_committee(**layout)
    changes = {"table_as_appendix": None, **({"performance_commentary": ""} if drafted else {})}
    Report.objects.filter(period=Period.parse(Q1)).update(**changes)
    return build_document(Report.objects.get(period=Period.parse(Q1)))


def html_table(doc) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """The table's column headers, group headings and each row's cells, as text."""
    root = tinyhtml5.parse(render_html(doc))
    table = next(root.iter(NS + "table"))

    def text(el):
        return " ".join("".join(el.itertext()).split())

    headers = [text(th) for th in table.find(NS + "thead").iter(NS + "th")]
    groups, rows = [], {}
    for body in table.findall(NS + "tbody"):
        trs = body.findall(NS + "tr")
        groups.append(text(trs[0]))
        for tr in trs[1:]:
            code = tr.get("id").removeprefix("indicator-")
            rows[code] = [text(td) for td in tr.findall(NS + "td")]
    return headers, groups, rows


def word_table(doc) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in word_performance_table(doc).rows]


def word_performance_table(doc):
    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    return next(t for t in word.tables if t.rows[0].cells[0].text == "Indicator")


def word_description(doc) -> str:
    """The table's alternative text, as a screen reader in Word reads it."""
    (found,) = word_performance_table(doc)._tbl.tblPr.xpath("./w:tblDescription")
    return found.get(qn("w:val"))


def csv_rows(doc) -> list[dict[str, str]]:
    text = render_csv(doc)
    data = "\n".join(line for line in text.splitlines() if not line.startswith("# "))
    return list(csv.DictReader(io.StringIO(data)))


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def table_text(capsys) -> str:
    call_command("table", "--committee", "housing-community", "--period", Q1)
    return capsys.readouterr().out


# The defaults -------------------------------------------------------------------


def test_a_new_committee_starts_with_the_seed_layout_and_no_seed_wording():
    committee = CommitteeFactory()
    assert layout_of(committee) == Layout()
    assert committee.comment_label == "Approver Comments:"
    assert committee.purpose == committee.financial_implications == committee.risk_implications == ""
    assert committee.background_papers == committee.recommendations == ""


def test_the_seed_layout_prints_each_comment_under_its_label_in_every_format(seed_council, capsys):
    doc = q1_document()
    headers, groups, rows = html_table(doc)
    assert headers == [
        "Indicator",
        "Results Jun-2020",
        "Previous Mar-2020",
        "Last year Jun-2019",
        "Status",
        "Trend",
        "Comments",
    ]
    assert groups[0] == "Building Community Capacity - Empower local community action and delivery"
    assert rows["CSU10"][-1] == "Approver Comments: KPI Achieved."
    assert rows["YP01a"][-1] == ""  # its reason is beside the figure, so no label either
    word = {row[0]: row for row in word_table(doc)}
    assert word["CSU10 - Call Handling: Average wait time"][-1] == "Approver Comments: KPI Achieved."
    assert "Approver Comments: KPI Achieved." in table_text(capsys)
    # The CSV is data: the comment as written, without the label.
    assert {r["comment"] for r in csv_rows(doc) if r["code"] == "CSU10" and r["column"] == "current"} == {
        "KPI Achieved."
    }


def test_a_committee_changes_or_blanks_the_comment_label(seed_council, capsys):
    _, _, rows = html_table(q1_document(comment_label="Comments:"))
    assert rows["CSU10"][-1] == "Comments: KPI Achieved."
    doc = q1_document(comment_label="")
    _, _, rows = html_table(doc)
    assert rows["CSU10"][-1] == "KPI Achieved."
    word = {row[0]: row for row in word_table(doc)}
    assert word["CSU10 - Call Handling: Average wait time"][-1] == "KPI Achieved."
    out = table_text(capsys)
    assert "KPI Achieved." in out
    assert "Approver Comments" not in out


# Period labels --------------------------------------------------------------------


def test_quarter_labels_name_every_period_the_same_way(seed_council, capsys):
    doc = q1_document(period_labels=PeriodLabels.QUARTER)
    headers, _, rows = html_table(doc)
    assert headers[1:4] == ["Results Q1 2020/21", "Previous Q4 2019/20", "Last year Q1 2019/20"]
    assert doc.table_block.caption.endswith(" Q1 2020/21")
    assert rows["CSU10"][4] == "▲ Improving vs Q4 2019/20 ▲ Improving vs Q1 2019/20"
    word = word_table(doc)
    assert word[0][1:4] == ["Results Q1 2020/21", "Previous Q4 2019/20", "Last year Q1 2019/20"]
    out = table_text(capsys)
    assert "Previous Q4 2019/20" in out
    assert "Jun-2020" not in out and "Mar-20" not in out


def test_month_labels_in_the_command_never_mix_long_and_short_years(seed_council, capsys):
    out = table_text(capsys)
    assert "Previous Mar-2020" in out
    assert "Last year Jun-2019" in out
    assert "Mar-20 " not in out and "Mar-20:" not in out


# Grouping -------------------------------------------------------------------------


def test_grouped_by_theme_alone(seed_council, capsys):
    doc = q1_document(grouping=Grouping.THEME)
    _, groups, _ = html_table(doc)
    assert groups == [
        "Empower local community action and delivery",
        "Performance excellence",
        "Reputation and profile delivery",
    ]
    assert "Performance excellence" in [row[0] for row in word_table(doc)]
    assert "│ Performance excellence " in table_text(capsys)


def test_grouped_by_service_in_report_order(seed_council):
    doc = q1_document(grouping=Grouping.SERVICE)
    _, groups, rows = html_table(doc)
    services = [g.theme for g in doc.table.groups]
    assert groups == services
    assert len(services) == len(set(services)) == 2
    assert [r.code for g in doc.table.groups for r in g.rows if r.service == services[0]]
    assert set(rows) == {"YP01a", "CSU10", "CSU11", "CSU12", "CSU06"}
    # The CSV's rows come in the same order as the table's.
    codes = list(dict.fromkeys(r["code"] for r in csv_rows(doc)))
    assert codes == [r.code for g in doc.table.groups for r in g.rows]


# Comparison columns --------------------------------------------------------------


def test_only_this_period_and_its_status(seed_council, capsys):
    doc = q1_document(show_previous=False, show_last_year=False, show_trend=False, show_comments=False)
    headers, _groups, rows = html_table(doc)
    assert headers == ["Indicator", "Results Jun-2020", "Status"]
    assert rows["CSU10"] == ["79.33 Second(s) Target: 300 Second(s)", "✓ Green"]
    assert 'colspan="3"' in render_html(doc)
    assert word_table(doc)[0] == ["Indicator", "Results Jun-2020", "Status"]
    assert word_description(doc) == (
        "Performance indicators for Q1 2020/21: each indicator's result, with targets and status."
    )
    found = csv_rows(doc)
    assert {r["column"] for r in found} == {"current"}
    assert "comment" not in found[0] and "trend_previous" not in found[0]
    out = table_text(capsys)
    assert "Previous" not in out and "Comments" not in out and "vs Mar-2020" not in out
    # Without a trend column (nor a summary of directions) the key explains no trends.
    html = render_html(doc)
    assert 'class="report-key__trend"' not in html
    assert "# Trend " not in render_csv(doc)


def test_the_same_period_last_year_and_comments_without_the_previous_period(seed_council):
    doc = q1_document(show_previous=False)
    headers, _, rows = html_table(doc)
    assert headers == ["Indicator", "Results Jun-2020", "Last year Jun-2019", "Status", "Trend", "Comments"]
    assert rows["CSU11"][1].startswith("12.52%")
    word = word_table(doc)
    assert word[0] == headers
    assert word_description(doc) == (
        "Performance indicators for Q1 2020/21: each indicator's result, the same period last "
        "year's, with targets, status, trend and comments."
    )
    assert {r["column"] for r in csv_rows(doc)} == {"current", "last_year"}


# Summary styles --------------------------------------------------------------------


def summary_and_draft(doc) -> tuple[str, str]:
    block = doc.table_block
    performance = next(s for s in doc.sections if s.anchor == "performance")
    return block.summary, performance.blocks[0].text


def test_the_seed_summary(seed_council):
    summary, drafted = summary_and_draft(q1_document(drafted=True))
    assert summary.startswith("3 of 3 measurable targets achieved. By status: Green 3")
    assert "Of 5 indicators reported, 3 of 3 measurable targets achieved." in drafted


def test_percentage_achieved(seed_council):
    doc = q1_document(drafted=True, summary_style=SummaryStyle.PERCENTAGE)
    summary, drafted = summary_and_draft(doc)
    assert summary.startswith("100% of measurable targets achieved. By status:")
    assert "Of 5 indicators reported, 100% of measurable targets achieved." in drafted
    assert "100% of measurable targets achieved." in words(strip_tags(render_html(doc)))
    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    assert any(p.text.startswith("100% of measurable targets achieved.") for p in word.paragraphs)


def test_counts_by_status_in_the_rules_words(seed_council):
    summary, drafted = summary_and_draft(q1_document(drafted=True, summary_style=SummaryStyle.STATUS_COUNTS))
    assert summary.startswith("Green 3, No Data 1, Not measured 1. No data: YP01a.")
    assert "By status" not in summary  # said once
    assert "Of 5 indicators reported: Green 3, No Data 1, Not measured 1." in drafted


def test_direction_counts_in_the_rules_trend_words(seed_council):
    summary, drafted = summary_and_draft(q1_document(drafted=True, summary_style=SummaryStyle.DIRECTIONS))
    # Against Mar-2020: CSU10 and CSU11 improved, CSU06 worsened; YP01a and CSU12 cannot compare.
    assert summary.startswith("Against the previous period: 2 improving, 0 unchanged, 1 worsening.")
    assert "against the previous period: 2 improving, 0 unchanged, 1 worsening." in drafted


def test_direction_counts_use_a_councils_own_trend_words(seed_council):
    rule = StatusRuleFactory(
        rule={
            "name": "Own words",
            "green": {"within": "5%"},
            "trend_labels": {"better": "Better", "similar": "Similar", "worse": "Worse"},
        }
    )
    SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).update(status_rule=rule)
    summary, _ = summary_and_draft(q1_document(summary_style=SummaryStyle.DIRECTIONS))
    assert summary.startswith("Against the previous period: 2 better, 0 similar, 1 worse.")


# Table in the body or an appendix ---------------------------------------------------


def test_the_table_in_an_appendix_in_every_format(seed_council):
    doc = q1_document(table_as_appendix=True)
    assert [a.heading_text for a in doc.appendices] == ["Appendix 1: Performance report Q1 2020/21"]
    html = words(strip_tags(render_html(doc)))
    assert "Quarter 1 report - See Appendix 1" in html
    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    assert "Appendix 1: Performance report Q1 2020/21" in [p.text for p in word.paragraphs]
    assert len(csv_rows(doc)) == 15


# Footer and licence ---------------------------------------------------------------------


def test_the_committees_footer_and_licence(seed_council):
    doc = q1_document(footer_text="Planning Committee, 14 March 2024", licence="Creative Commons BY 4.0")
    assert doc.footer_line == "Planning Committee, 14 March 2024 – Published under Creative Commons BY 4.0"
    html = render_html(doc)
    assert "Planning Committee, 14 March 2024" in html
    assert "Open Government Licence" not in html
    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    footer = " ".join(p.text for p in word.sections[0].footer.paragraphs)
    assert doc.footer_line in footer
    assert "# Licence: Creative Commons BY 4.0" in render_csv(doc)
    pages = pdf_pages(render_pdf(doc))
    assert all("Planning Committee, 14 March 2024" in page for page in pages)
    assert not any("Open Government Licence" in page for page in pages)


def test_without_a_licence_anywhere_none_is_printed(seed_council):
    SiteDefaults.objects.update(licence="")
    doc = q1_document(licence="")
    assert doc.licence == "" and doc.footer_line == ""
    assert "Published under" not in render_html(doc)
    assert "# Licence" not in render_csv(doc)


def test_the_seed_prints_the_open_government_licence(seed_council):
    doc = q1_document()
    assert doc.licence == "Open Government Licence v3.0"
    assert "Published under the Open Government Licence v3.0" in words(strip_tags(render_html(doc)))


# Sections left out when empty ---------------------------------------------------------


def test_no_achievements_means_no_achievements_section_nor_its_wording(seed_council):
    Achievement.objects.filter(period=Period.parse(Q1)).delete()
    doc = q1_document()
    assert [s.heading_text for s in doc.sections] == [
        "1. Introduction",
        "2. Performance Reports 2020/21 - Quarter 1",
    ]
    html = words(strip_tags(render_html(doc)))
    assert "Achievements" not in html
    assert "The following achievements are a sample" not in html
    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    assert not any("Achievements" in p.text for p in word.paragraphs)


def test_a_committee_may_keep_an_empty_section(seed_council):
    Achievement.objects.filter(period=Period.parse(Q1)).delete()
    doc = q1_document(omit_empty_sections=False)
    assert doc.sections[-1].heading_text == "3. Quarter 1 Achievements"


def test_sections_after_a_left_out_one_are_numbered_in_order(seed_council):
    doc = q1_document(table_as_appendix=True, achievements_as_sections=True)
    numbers = [s.number for s in doc.sections]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


# The PDF's pages ---------------------------------------------------------------------------


def test_the_seed_pdf_has_no_near_blank_page_and_an_unbroken_appendix_heading(seed_council):
    for key in (Q1, "2018-19-Q2"):
        doc = build_document(Report.objects.get(period=Period.parse(key)))
        pages = pdf_pages(render_pdf(doc))
        running = {doc.council, doc.committee, doc.period.label, doc.footer_line}
        for n, page in enumerate(pages, start=1):
            text = page
            for part in running:
                text = text.replace(part, "")
            assert len(text.split()) > 60, f"{key} page {n} is nearly blank: {page!r}"
        # The cover sheet starts the first page and runs on with the contents, never alone.
        assert "Consultees:" in pages[0] or "Contents" in pages[1].split("Consultees:")[-1]
        if key == "2018-19-Q2":
            lines = [line.strip() for page in pages for line in page.splitlines()]
            assert "Appendix 1: Performance report Q2 2018/19" in lines


# A council of its own, end to end ----------------------------------------------------------------


def test_a_q3_2023_24_committee_with_a_percentage_summary_in_every_format():
    Q3 = Period.parse("2023-24-Q3")
    committee = CommitteeFactory(
        name="Planning Committee",
        slug="planning",
        period_labels=PeriodLabels.QUARTER,
        grouping=Grouping.THEME,
        summary_style=SummaryStyle.PERCENTAGE,
        show_last_year=False,
        comment_label="",
        footer_text="Planning Committee",
        licence="Open Government Licence v3.0",
    )
    service = ServiceTeamFactory(name="Development Management")
    committee.services.add(service)
    theme = ThemeFactory(name="Speed of decisions", priority=PriorityFactory(name="A growing borough"))
    figures = {"MAJ": ("80", "60", "higher-is-better"), "MIN": ("60", "70", "higher-is-better")}
    for code, (value, target, polarity) in figures.items():
        indicator = IndicatorFactory(
            code=code,
            name=f"{code} applications decided in time",
            unit="%",
            measure_kind="number",
            polarity=polarity,
            service=service,
            theme=theme,
        )
        committee.indicators.add(indicator)
        for period in (Q3, Q3.previous()):
            TargetFactory(indicator=indicator, period=period, value=Decimal(target))
        ValueFactory(indicator=indicator, period=Q3, value=Decimal(value), approver_comment="Checked.")
        ValueFactory(indicator=indicator, period=Q3.previous(), value=Decimal(value) - 5)
    report = Report.objects.create(committee=committee, period=Q3, meeting_date=date(2024, 2, 1))
    doc = build_document(report)

    headers, groups, _rows = html_table(doc)
    assert headers == [
        "Indicator",
        "Results Q3 2023/24",
        "Previous Q2 2023/24",
        "Status",
        "Trend",
        "Comments",
    ]
    assert groups == ["Speed of decisions"]
    assert doc.table_block.caption == "Planning Committee Q3 2023/24"
    assert doc.table_block.summary.startswith("50% of measurable targets achieved.")
    html = words(strip_tags(render_html(doc)))
    assert "Of 2 indicators reported, 50% of measurable targets achieved." in html
    assert "Achievements" not in html  # none this quarter
    word = word_table(doc)
    assert word[0] == headers
    pdf = " ".join(pdf_pages(render_pdf(doc)))
    assert "Results Q3 2023/24" in pdf
    assert "50% of measurable targets achieved." in pdf
    assert "Planning Committee – Published under the Open Government Licence v3.0" in pdf
    found = csv_rows(doc)
    assert {r["column"] for r in found} == {"current", "previous"}
    assert {r["period_label"] for r in found} == {"Q3 2023/24", "Q2 2023/24"}
