"""A council's rule of five levels (green, amber-green, amber, amber-red, red) in every
report format: the key prints each level's line in the council's words, each level has its
own symbol and its own colour (never colour alone), and the colours pass WCAG AA."""

import csv
import html
import io
import json
import re
from pathlib import Path

import docx as python_docx
import pypdf
import pytest

from scrutineer.catalogue import actions
from scrutineer.catalogue.status_rules import RuleScope
from scrutineer.engine import JUDGED_STATUSES, Period, Status
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.csvfile import render_csv
from scrutineer.reports.renderers.docx import STATUS_FILL, render_docx
from scrutineer.reports.renderers.html import STATUS_TAG_CLASSES, render_html, stylesheets
from scrutineer.reports.renderers.pdf import render_pdf
from tests.factories import PerformanceOfficerFactory
from tests.reports.test_pdf import embedded_fonts

Q1 = Period.parse("2020-21-Q1")
ROOT = Path(__file__).resolve().parents[2]
# CSU10 (lower is better, target 300): Mar-2020's 325 is 8.3% over, so amber-red here;
# Jun-2019's 314.33 is 4.8% over, so amber-green. Every current figure is on target.
FIVE_LEVELS = {
    "name": "Five levels",
    "green": {"within": "0"},
    "amber-green": {"within": "5%"},
    "amber": {"within": "8%"},
    "amber-red": {"within": "10%"},
    "labels": {
        "green": "On target",
        "amber-green": "Nearly on target",
        "amber": "Close to target",
        "amber-red": "Off target",
        "red": "Well off target",
    },
}
KEY = [
    "✓ On target: the target was met.",
    "≈ Nearly on target: the target was missed, but by no more than 5% of it.",
    "! Close to target: the target was missed by more than 5% of it, but by no more than 8% of it.",
    "‼ Off target: the target was missed by more than 8% of it, but by no more than 10% of it.",
    "✗ Well off target: the target was missed by more than 10% of it.",
]


@pytest.fixture
def five_levels(seed_council):
    officer = PerformanceOfficerFactory()
    definition = actions.save_status_rule(None, json.dumps(FIVE_LEVELS), user=officer)
    scope = RuleScope.site()
    actions.apply_status_rule(
        definition, scope, user=officer, reason="Five levels", expected_version=scope.version
    )
    return build_document(Report.objects.get(period=Q1))


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.mark.django_db
def test_the_key_and_the_statuses_in_every_format(five_levels):
    doc = five_levels
    block = doc.table_block
    assert [f"{entry.symbol} {entry.description}" for entry in block.statuses][:5] == KEY

    markup = render_html(doc)
    page = plain(markup)
    for line in KEY:
        symbol, rest = line.split(" ", 1)
        label, text = rest.split(": ", 1)
        assert f"{symbol} {label} {text}" in page
    # The key's tags: each level's own colour class, with its symbol and word in it.
    assert re.search(
        r'govuk-tag scrutineer-tag--amber-green report-tag"><span class="report-symbol">≈</span> Nearly on target',
        markup,
    )
    assert re.search(
        r'govuk-tag govuk-tag--orange report-tag"><span class="report-symbol">‼</span> Off target', markup
    )

    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    texts = [p.text for p in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    for line in KEY:
        assert line in texts
    assert any("Mar-2020: ‼ Off target" in cell and "Jun-2019: ≈ Nearly on target" in cell for cell in cells)

    text = render_csv(doc)
    for line in KEY:
        assert f"# Status {line}" in text.splitlines()
    data = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    rows = {(r["code"], r["column"]): r for r in csv.DictReader(io.StringIO(data))}
    assert (rows[("CSU10", "previous")]["status"], rows[("CSU10", "previous")]["status_label"]) == (
        "amber-red",
        "Off target",
    )
    assert rows[("CSU10", "last_year")]["status"] == "amber-green"

    pdf_bytes = render_pdf(doc)
    pdf = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages).split()
    )
    assert "Status rule: Five levels" in pdf
    for symbol, label in (("≈", "Nearly on target"), ("‼", "Off target"), ("✗", "Well off target")):
        assert f"{symbol} {label}" in pdf
    # Drawn with real glyphs of an embedded Debian font, never the empty .notdef box.
    fonts = embedded_fonts(pdf_bytes)
    for symbol in ("≈", "‼"):
        drawn = [(name, glyphs[symbol]) for name, (_, glyphs) in fonts.items() if symbol in glyphs]
        assert drawn and all(gid != 0 and name.startswith("DejaVu-Sans") for name, gid in drawn), symbol


def test_every_status_has_its_own_symbol_colour_and_fill():
    assert set(STATUS_TAG_CLASSES) == set(Status) == set(STATUS_FILL)
    judged = list(JUDGED_STATUSES)
    assert len({s.symbol for s in Status}) == len(Status)
    assert len({STATUS_TAG_CLASSES[s] for s in judged}) == 5
    assert len({STATUS_FILL[s] for s in judged}) == 5


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    "css",
    [
        stylesheets(),  # the report's (HTML and PDF), as inlined
        (ROOT / "src/scrutineer/web/static/web/scrutineer.css").read_text(encoding="utf-8"),
    ],
)
def test_the_new_levels_colours_pass_wcag_aa(css):
    for status in (Status.AMBER_GREEN, Status.AMBER_RED):
        name = STATUS_TAG_CLASSES[status]
        rule = re.findall(rf"\.{re.escape(name)}\s*\{{([^}}]*)\}}", css)
        if not rule and name.startswith("govuk-"):
            continue  # GOV.UK Frontend's own tag, in its stylesheet (checked by GOV.UK)
        assert rule, f"no style for {name}"
        colour = re.search(r"(?<![-\w])color:\s*#([0-9a-f]{6})", rule[-1]).group(1)
        background = re.search(r"background-color:\s*#([0-9a-f]{6})", rule[-1]).group(1)
        assert contrast(colour, background) >= 4.5
    for fill in STATUS_FILL.values():
        assert contrast("000000", fill) >= 12  # black text in Word


def test_gov_uk_orange_is_in_the_reports_stylesheet():
    assert re.search(r"\.govuk-tag--orange\{color:#6e3619;background-color:#fcd6c3\}", stylesheets())
    assert contrast("6e3619", "fcd6c3") >= 4.5
