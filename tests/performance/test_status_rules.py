"""The read path judges each indicator by its status rule in force: every column of the
table decided in full (an improvement split, a forecast from the year so far), the
rule's words on every cell, one key per rule, the preview, and constant queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.catalogue.models import Committee, Indicator, Theme
from scrutineer.demo.generate import generate_council
from scrutineer.engine import DEFAULT_RULE, Period, Status, StatusRule, Trend
from scrutineer.performance import build_table, judge_indicators, preview_rule, status_keys
from tests.factories import (
    CommitteeFactory,
    IndicatorFactory,
    StatusRuleFactory,
    TargetFactory,
    ThemeFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
FIVE = {
    "name": "Within 5% is green",
    "green": {"within": "5%"},
    "amber": {"within": "10%"},
    "labels": {"green": "On target", "amber": "Close", "red": "Off target"},
    "trend_labels": {"better": "Getting better"},
}
SPLIT = {
    "name": "Improvement split",
    "green": {"within": "10%"},
    "otherwise": {"amber_if_not_worse_than": "last-year"},
}


def committee_of(*indicators):
    committee = CommitteeFactory()
    committee.indicators.set(indicators)
    return committee


def figures(indicator, **by_period):
    for key, figure in by_period.items():
        ValueFactory(indicator=indicator, period=Period.parse(key.replace("_", "-")), value=Decimal(figure))


def row_of(table, code):
    return next(row for row in table.rows() if row.code == code)


def test_an_improvement_split_decides_every_column_with_the_figure_a_year_before_it():
    rule = StatusRuleFactory(rule=SPLIT)
    indicator = IndicatorFactory(code="SPLIT", polarity="higher-is-better", status_rule=rule)
    for year in ("2018-19", "2019-20", "2020-21"):
        TargetFactory(indicator=indicator, period=Period.parse(year), value=Decimal(80))
    # Jun-2020 70 (last year 65: better), Mar-2020 60 (Mar-2019 70: worse), Jun-2019 65 (Jun-2018 60: better).
    figures(
        indicator,
        **{"2020_21_Q1": 70, "2019_20_Q4": 60, "2018_19_Q4": 70, "2019_20_Q1": 65, "2018_19_Q1": 60},
    )
    row = row_of(build_table(committee_of(indicator), Q1), "SPLIT")
    assert [cell.result.status for cell in row.cells] == [Status.AMBER, Status.RED, Status.AMBER]
    assert row.trend_last_year is Trend.IMPROVING


def test_a_forecast_from_the_data_reads_the_year_so_far():
    rule = StatusRuleFactory(
        rule={"name": "On course", "amber": {"within": "5%"}, "forecast": {"from": "data"}}
    )
    indicator = IndicatorFactory(code="FCST", polarity="higher-is-better", status_rule=rule)
    TargetFactory(indicator=indicator, period=Period.parse("2020-21"), value=Decimal(100))
    figures(indicator, **{"2020_21_Q1": 130, "2020_21_Q2": 80})
    table = build_table(committee_of(indicator), Period.parse("2020-21-Q2"))
    # 80 is 20% short, beyond the amber band; the year so far (mean 105) meets 100.
    assert row_of(table, "FCST").current.result.status is Status.AMBER
    assert row_of(table, "FCST").current.result.status_label == "Amber"


def test_every_cell_and_trend_is_worded_by_the_rule_that_judged_it():
    # Named so that OWN's heading comes first whatever the factories' counters have reached
    # ("Priority 10" sorts before "Priority 9").
    theme = ThemeFactory(status_rule=StatusRuleFactory(rule=FIVE), priority__name="A priority")
    own = IndicatorFactory(code="OWN", theme=theme, polarity="higher-is-better")
    plain = IndicatorFactory(code="PLAIN", theme=ThemeFactory(priority__name="B priority"))
    for indicator in (own, plain):
        TargetFactory(indicator=indicator, period=Q1, value=Decimal(100))
        TargetFactory(indicator=indicator, period=Q1.previous(), value=Decimal(100))
    figures(own, **{"2020_21_Q1": 96, "2019_20_Q4": 90})
    figures(plain, **{"2020_21_Q1": 100})
    table = build_table(committee_of(own, plain), Q1)
    mine = row_of(table, "OWN")
    assert (mine.current.result.status, mine.current.result.status_label) == (Status.GREEN, "On target")
    assert mine.current.status_symbol == "✓"
    assert mine.trend_previous_label == "Getting better"
    assert row_of(table, "PLAIN").current.result.status_label == "Green"
    assert table.rules == (StatusRule.from_mapping(FIVE), DEFAULT_RULE)
    assert table.label(Status.GREEN) == "On target / Green"
    assert table.label(Status.NO_DATA) == "No Data"


def test_one_key_per_rule_naming_its_indicators_and_a_closest_to_target_reading_of_its_own():
    theme = ThemeFactory(status_rule=StatusRuleFactory(rule=FIVE))
    IndicatorFactory(code="A1", theme=theme)
    IndicatorFactory(code="A2", theme=theme, polarity="info-only")
    IndicatorFactory(code="B1")
    IndicatorFactory(code="C1", polarity="closest-to-target")
    rows = judge_indicators(
        list(Indicator.objects.select_related("theme", "service").order_by("code")), Q1, title="", slug=""
    ).rows()
    keys = status_keys(rows)
    assert [(key.heading, key.codes) for key in keys] == [
        ("Within 5% is green", ("A1", "A2")),
        ("Amber within the tolerance", ("B1",)),
        ("Amber within the tolerance (closest to target)", ("C1",)),
    ]
    assert keys[0].statuses[0].line == "On target: the target was met or missed by no more than 5% of it."
    assert not keys[0].uses_tolerance and keys[1].uses_tolerance
    only = status_keys(
        [row for row in judge_indicators([Indicator.objects.get(code="A1")], Q1, title="", slug="").rows()]
    )
    assert only[0].codes == ()  # the only key: for every row


def test_a_preview_judges_the_same_figures_by_the_rule_proposed():
    theme = ThemeFactory()
    near, far = IndicatorFactory(code="NEAR", theme=theme), IndicatorFactory(code="FAR", theme=theme)
    for indicator, figure in ((near, 104), (far, 50)):
        TargetFactory(indicator=indicator, period=Q1, value=Decimal(100))
        figures(indicator, **{"2020_21_Q1": figure})
    preview = preview_rule(StatusRule.from_mapping(FIVE), Indicator.objects.filter(theme=theme))
    assert preview.period == Q1  # the latest quarter with approved figures
    assert [
        (row.code, row.now.result.status_label, row.then.result.status_label) for row in preview.changed
    ] == [("NEAR", "Amber", "On target")]
    assert [row.code for row in preview.unchanged] == ["FAR"]
    assert preview.unchanged[0].reworded
    assert [(c.label_now, c.now, c.label_then, c.then) for c in preview.counts] == [
        ("Green", 1, "On target", 2),
        ("Amber", 1, "Close", 0),
    ]
    assert preview_rule(DEFAULT_RULE, Indicator.objects.none()).period is None


def queries_for(indicators, seed, *, rules):
    generate_council(indicators, 2, Period.parse("2025-26"), seed)
    committee = Committee.objects.get(slug__startswith=f"syn{seed}-")
    if rules:
        own = committee.indicators.order_by("code")
        Theme.objects.filter(pk__in=own.values("theme_id")[:2]).update(
            status_rule=StatusRuleFactory(rule={**SPLIT, "name": f"Split {seed}"})
        )
        for index, indicator in enumerate(own[:5]):
            Indicator.objects.filter(pk=indicator.pk).update(
                status_rule=StatusRuleFactory(rule={**FIVE, "name": f"Five {seed} {index}"})
            )
    with CaptureQueriesContext(connection) as captured:
        table = build_table(committee, Period.parse("2025-26-Q2"))
    assert sum(1 for _ in table.rows()) == indicators
    return len(captured)


def test_query_count_does_not_grow_with_the_committee_or_its_rules():
    assert queries_for(10, 31, rules=True) == queries_for(120, 32, rules=True)
    assert queries_for(10, 33, rules=False) == queries_for(10, 34, rules=True)
