"""Reports under a council's status rule: every format prints the key written from the
rule(s) that judged the table and words each status as the rule does; the seed's reports
are unchanged under the default rule; and a published report keeps the statuses it was
published with when the site's rule changes, while the dashboard shows the new ones."""

import csv
import html
import io
import json
import re

import docx as python_docx
import pypdf
import pytest

from scrutineer.catalogue import actions
from scrutineer.catalogue.models import Indicator
from scrutineer.catalogue.status_rules import RuleScope
from scrutineer.engine import DEFAULT_RULE, Period, Status
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report, ReportVersion
from scrutineer.reports.renderers.csvfile import render_csv
from scrutineer.reports.renderers.docx import render_docx
from scrutineer.reports.renderers.html import render_html
from scrutineer.reports.renderers.pdf import render_pdf
from tests.factories import PerformanceOfficerFactory
from tests.publishing import publish

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
FIVE = {
    "name": "Within 5% is green",
    "green": {"within": "5%"},
    "amber": {"within": "10%"},
    "labels": {"green": "On target", "amber": "Close to target", "red": "Off target"},
}
STATUTORY = {"name": "Statutory standard", "labels": {"green": "Achieved", "red": "Not achieved"}}


@pytest.fixture
def officer(seed_council):
    return PerformanceOfficerFactory()


def set_rule(officer, rule, scope=None):
    definition = actions.save_status_rule(None, json.dumps(rule), user=officer)
    scope = scope or RuleScope.site()
    actions.apply_status_rule(
        definition, scope, user=officer, reason="The council's rule", expected_version=scope.version
    )
    return definition


def q1_document():
    return build_document(Report.objects.get(period=Q1))


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def csv_rows(text):
    data = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    return {(r["code"], r["column"]): r for r in csv.DictReader(io.StringIO(data))}


def docx_texts(data):
    word = python_docx.Document(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs]
    for table in word.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    return texts


def test_under_the_default_rule_the_key_is_todays_word_for_word(seed_council):
    block = q1_document().table_block
    assert [key.name for key in block.keys] == [DEFAULT_RULE.name]
    assert [entry.description for entry in block.statuses] == [
        s.description
        for s in (
            Status.GREEN,
            Status.AMBER,
            Status.RED,
            Status.INFO_ONLY,
            Status.NO_DATA,
            Status.NOT_MEASURED,
        )
    ]
    assert block.tolerance_rule.startswith(
        "Amber when within 10% of target, unless the indicator sets its own band."
    )


def test_a_new_draft_prints_the_sites_rule_and_its_words_in_every_format(officer):
    set_rule(officer, FIVE)
    doc = q1_document()
    block = doc.table_block
    assert [key.heading for key in block.keys] == ["Status rule: Within 5% is green"]
    line = "On target: the target was met or missed by no more than 5% of it."

    page = plain(render_html(doc))
    assert "Status rule: Within 5% is green" in page
    assert "✓ On target the target was met or missed by no more than 5% of it." in page
    assert "✓ On target ▲ Improving vs Mar-2020" in page  # CSU10's status, in the rule's words
    assert "By status: On target 3" in page
    assert "Amber when within" not in page  # the rule has no tolerance band, so no tolerance line

    word = docx_texts(render_docx(doc))
    assert f"✓ {line}" in word
    assert "Status rule: Within 5% is green." in word
    assert any(text.startswith("✓ On target") for text in word)

    text = render_csv(doc)
    assert f"# Status ✓ {line}" in text.splitlines()
    assert csv_rows(text)[("CSU10", "current")]["status_label"] == "On target"

    pdf = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(doc))).pages)
    assert "Status rule: Within 5% is green" in pdf
    assert "On target" in pdf and "no more than 5% of it" in " ".join(pdf.split())


def test_two_rules_on_one_table_print_two_keys_each_naming_its_indicators(officer):
    theme = Indicator.objects.get(code="CSU06").theme
    set_rule(officer, FIVE, RuleScope.parse(f"theme-{theme.pk}"))
    block = q1_document().table_block
    assert [key.heading for key in block.keys] == [
        "Status rule: Amber within the tolerance (YP01a, CSU10, CSU11, CSU12)",
        "Status rule: Within 5% is green (CSU06)",
    ]
    assert block.keys[0].tolerance and not block.keys[1].tolerance
    word = docx_texts(render_docx(q1_document()))
    assert "Status rule: Within 5% is green (CSU06):" in word
    page = plain(render_html(q1_document()))
    assert "By status: Green / On target 3" in page


def test_the_drafted_summary_words_statuses_as_the_table_does():
    from scrutineer.engine import StatusRule, Summary
    from scrutineer.reports.narrative import draft_summary

    counts = {status: 0 for status in Status} | {Status.GREEN: 2, Status.AMBER: 1, Status.RED: 1}
    summary = Summary(counts=counts, measurable=4, achieved=2, missing=(), not_measured=())
    default = draft_summary(Q1, summary, {})[0]
    assert "1 indicator is close to target (amber) and 1 indicator is off target (red)." in default
    rule = StatusRule.from_mapping(FIVE)
    worded = draft_summary(Q1, summary, {}, labels={s: rule.label(s) for s in Status})[0]
    assert '1 indicator is "Close to target" and 1 indicator is "Off target".' in worded


def test_a_published_report_keeps_its_statuses_when_the_sites_rule_changes(client, officer):
    report = Report.objects.get(period=Q1)
    version = publish(report, by=officer, formats=("html", "csv", "docx"))
    published = {f.format: bytes(f.content) for f in version.files.all()}

    # Pass/fail: CSU10's previous quarter (325 against 300, amber by the default) is now red.
    set_rule(officer, STATUTORY)
    assert ReportVersion.objects.count() == 1  # nothing republished

    version.refresh_from_db()
    assert {f.format: bytes(f.content) for f in version.files.all()} == published
    served = client.get("/reports/housing-community/2020-21-Q1/v1/html")
    assert b"".join(served.streaming_content if served.streaming else [served.content]) == published["html"]
    page = plain(published["html"].decode())
    assert "✓ Green ▲ Improving vs Mar-2020" in page
    assert "✓ Achieved" not in page
    rows = csv_rows(published["csv"].decode("utf-8-sig"))
    assert (rows[("CSU10", "current")]["status_label"], rows[("CSU10", "previous")]["status"]) == (
        "Green",
        "amber",
    )

    # The dashboard and a new draft show the new rule's statuses and words.
    client.force_login(officer)
    dashboard = plain(client.get("/committees/housing-community/?period=2020-21-Q1").content.decode())
    assert "✓ Achieved" in dashboard and "✓ Green" not in dashboard
    assert "Status rule: Statutory standard" in dashboard
    draft = csv_rows(render_csv(q1_document()))
    assert (draft[("CSU10", "current")]["status_label"], draft[("CSU10", "previous")]["status"]) == (
        "Achieved",
        "red",
    )
    assert draft[("CSU10", "previous")]["status_label"] == "Not achieved"
    assert "Mar-2020: ✗ Not achieved" in "\n".join(docx_texts(render_docx(q1_document())))
