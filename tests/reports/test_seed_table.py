"""The reference: the Q1 2020/21 performance table of the seed report, figure for figure."""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def table_json(capsys, period="2020-21-Q1"):
    call_command("table", "--committee", "housing-community", "--period", period, "--format", "json")
    return json.loads(capsys.readouterr().out)


def by_code(rows):
    return {row["code"]: row for row in rows}


def test_rows_in_the_seed_order_grouped_by_theme(seed_council, capsys):
    rows = table_json(capsys)
    assert [(r["code"], r["theme"]) for r in rows] == [
        ("YP01a", "Building Community Capacity - Empower local community action and delivery"),
        ("CSU10", "Dacorum Delivers - Performance excellence"),
        ("CSU11", "Dacorum Delivers - Performance excellence"),
        ("CSU12", "Dacorum Delivers - Performance excellence"),
        ("CSU06", "Dacorum Delivers - Reputation and profile delivery"),
    ]
    assert by_code(rows)["CSU10"]["name"] == "Call Handling: Average wait time"


def test_columns_are_this_quarter_previous_quarter_and_a_year_ago(seed_council, capsys):
    row = by_code(table_json(capsys))["CSU10"]
    assert (row["current"]["period"], row["current"]["label"]) == ("2020-21-Q1", "Jun-2020")
    assert (row["previous"]["period"], row["previous"]["label"]) == ("2019-20-Q4", "Mar-2020")
    assert (row["last_year"]["period"], row["last_year"]["label"]) == ("2019-20-Q1", "Jun-2019")


# code → column → (display, numerator, denominator, target display, status)
SEED = {
    "YP01a": {
        "current": ("No Data", None, None, "Info Only", "no-data"),
        "previous": ("2102 Attendances", None, None, "Info Only", "info-only"),
        "last_year": ("10155 Attendances", None, None, "Info Only", "info-only"),
    },
    "CSU10": {
        "current": ("79.33 Second(s)", None, None, "Target: 300 Second(s)", "green"),
        # Over target but within the site's default 10% band: amber.
        "previous": ("325 Second(s)", None, None, "Target: 300 Second(s)", "amber"),
        "last_year": ("314.33 Second(s)", None, None, "Target: 300 Second(s)", "amber"),
    },
    "CSU11": {
        "current": ("3.28%", 640, 19498, "Target: 20%", "green"),
        "previous": ("10.94%", 3077, 28131, "Target: 20%", "green"),
        "last_year": ("12.52%", 3528, 28174, "Target: 20%", "green"),
    },
    "CSU12": {
        "current": ("0 Second(s)", None, None, "Target: 450 Second(s)", "not-measured"),
        "previous": ("203 Second(s)", None, None, "Target: 450 Second(s)", "green"),
        "last_year": ("195 Second(s)", None, None, "Target: 450 Second(s)", "green"),
    },
    "CSU06": {
        "current": ("99.87%", 1489, 1491, "Target: 80%", "green"),
        "previous": ("100%", 634, 634, "Target: 80%", "green"),
        "last_year": ("99.76%", 2530, 2536, "Target: 80%", "green"),
    },
}


@pytest.mark.parametrize("code", list(SEED))
def test_every_figure_target_and_status_of_the_seed(seed_council, capsys, code):
    row = by_code(table_json(capsys))[code]
    for column, (display, numerator, denominator, target_display, status) in SEED[code].items():
        cell = row[column]
        assert cell["display"] == display, (code, column)
        assert cell["numerator"] == numerator, (code, column)
        assert cell["denominator"] == denominator, (code, column)
        assert cell["target_display"] == target_display, (code, column)
        if status is not None:
            assert cell["status"] == status, (code, column)


def test_figures_and_targets_as_numbers(seed_council, capsys):
    rows = by_code(table_json(capsys))
    assert rows["CSU10"]["current"]["value"] == 79.33
    assert rows["CSU10"]["current"]["target"] == 300
    assert rows["CSU11"]["current"]["value"] == 3.28
    assert rows["CSU11"]["current"]["target"] == 20
    assert rows["CSU06"]["previous"]["value"] == 100
    assert rows["YP01a"]["previous"]["value"] == 2102
    assert rows["YP01a"]["current"]["value"] is None
    assert rows["YP01a"]["current"]["target"] is None


def test_comments_and_reasons(seed_council, capsys):
    rows = by_code(table_json(capsys))
    assert rows["CSU10"]["current"]["comment"] == "KPI Achieved."
    assert rows["CSU11"]["current"]["comment"] == "KPI Achieved."
    assert rows["CSU06"]["current"]["comment"] == "KPI Achieved"
    assert rows["CSU12"]["current"]["comment"] == "No face to face meetings during the lockdown period."
    reason = "The APGs have been closed during this period due to CV-19 guidance."
    assert rows["YP01a"]["current"]["comment"] == reason
    assert rows["YP01a"]["current"]["no_data_reason"] == reason


def test_trend_follows_polarity(seed_council, capsys):
    rows = by_code(table_json(capsys))
    # Wait time fell from 325 to 79.33 seconds: lower is better, so improving.
    assert rows["CSU10"]["trend_previous"] == "improving"
    # Satisfaction 99.87% against 100% the quarter before: worse.
    assert rows["CSU06"]["trend_previous"] == "worsening"
    assert rows["YP01a"]["trend_previous"] == "not-comparable"


def test_text_table_has_every_figure_and_the_summary(seed_council, capsys):
    call_command("table", "--committee", "housing-community", "--period", "2020-21-Q1")
    out = capsys.readouterr().out
    for fragment in [
        "79.33 Second(s)",
        "640 / 19498",
        "3.28%",
        "99.87%",
        "1489 / 1491",
        "No Data",
        "Info Only",
        "Target: 450 Second(s)",
        "KPI Achieved.",
        "Not measured",
        "3 of 3 measurable targets achieved",
    ]:
        assert fragment in out, fragment


def test_summary_counts_three_of_three(seed_council):
    from scrutineer.catalogue.models import Committee
    from scrutineer.engine import Period, Status
    from scrutineer.performance import build_table

    table = build_table(Committee.objects.get(slug="housing-community"), Period.parse("2020-21-Q1"))
    summary = table.summary
    assert summary.achieved_text == "3 of 3 measurable targets achieved"
    assert summary.counts[Status.GREEN] == 3
    assert summary.counts[Status.NOT_MEASURED] == 1
    assert summary.counts[Status.NO_DATA] == 1
    assert summary.missing == ("YP01a",)
    assert summary.not_measured == ("CSU12",)
