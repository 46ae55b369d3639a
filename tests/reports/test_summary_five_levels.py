"""The drafted summary counts every figure of a five-level rule, in the rule's own words,
in every summary style: amber-green and amber-red beside amber and red, never dropped
(found after the five levels came: "N are close to target (amber) and M are off target
(red)" left the middle levels out)."""

import json

import pytest

from scrutineer.catalogue import actions
from scrutineer.catalogue.models import SummaryStyle
from scrutineer.catalogue.status_rules import RuleScope
from scrutineer.collection.models import Value
from scrutineer.engine import DEFAULT_RULE, JUDGED_STATUSES, Period, Status, StatusRule, Summary
from scrutineer.engine.summary import directions
from scrutineer.engine.trend import Trend
from scrutineer.performance import build_table
from scrutineer.reports.builder import drafted_summary, levels
from scrutineer.reports.layout import Layout
from scrutineer.reports.models import Report
from scrutineer.reports.narrative import Tally, draft_summary
from tests.factories import PerformanceOfficerFactory
from tests.reports.test_five_level_reports import FIVE_LEVELS

Q3 = Period.parse("2023-24-Q3")
RULE = StatusRule.from_mapping(FIVE_LEVELS)
WORDS = {status: RULE.label(status) for status in Status}


def tally() -> Tally:
    counts = dict.fromkeys(Status, 0) | {
        Status.GREEN: 1,
        Status.AMBER_GREEN: 2,
        Status.AMBER: 0,
        Status.AMBER_RED: 1,
        Status.RED: 3,
    }
    summary = Summary(counts=counts, measurable=7, achieved=1, missing=(), not_measured=())
    return Tally(summary, directions([Trend.IMPROVING, Trend.WORSENING]))


@pytest.mark.parametrize("style", list(SummaryStyle))
def test_every_level_of_a_five_level_rule_is_counted_in_its_words_in_every_style(style):
    first = draft_summary(Q3, tally(), {}, labels=WORDS, style=style, levels=RULE.statuses)[0]
    if style == SummaryStyle.STATUS_COUNTS:
        expected = "On target 1, Nearly on target 2, Off target 1, Well off target 3."
    else:
        expected = (
            '2 indicators are "Nearly on target", 0 indicators are "Close to target", '
            '1 indicator is "Off target" and 3 indicators are "Well off target".'
        )
    assert expected in first, first
    if style in (SummaryStyle.ACHIEVED, SummaryStyle.PERCENTAGE):
        # The middle levels are measurable targets not achieved (engine.summary).
        assert ("1 of 7 measurable targets achieved" if style == SummaryStyle.ACHIEVED else "14% of") in first


def test_the_default_words_name_the_middle_levels_too():
    first = draft_summary(Q3, tally(), {}, levels=JUDGED_STATUSES)[0]
    assert (
        "2 indicators are nearly on target (amber/green), 0 indicators are close to target (amber), "
        "1 indicator is further from target (amber/red) and 3 indicators are off target (red)."
    ) in first, first


def test_a_level_counted_but_not_named_by_the_rules_is_still_counted():
    # No levels given (the default rule's three): an amber-green figure is not dropped.
    first = draft_summary(Q3, tally(), {})[0]
    assert "2 indicators are nearly on target (amber/green)" in first
    assert "1 indicator is further from target (amber/red)" in first


def test_the_default_rules_sentence_is_unchanged():
    counts = dict.fromkeys(Status, 0) | {Status.GREEN: 2, Status.AMBER: 1}
    summary = Summary(counts=counts, measurable=3, achieved=2, missing=(), not_measured=())
    first = draft_summary(Q3, summary, {}, levels=DEFAULT_RULE.statuses)[0]
    assert first.endswith("1 indicator is close to target (amber) and 0 indicators are off target (red).")


def test_a_pass_fail_rule_counts_only_its_own_levels():
    rule = StatusRule.from_mapping(
        {
            "name": "Pass or fail",
            "green": {"within": "0"},
            "labels": {"green": "Achieved", "red": "Not achieved"},
        }
    )
    counts = dict.fromkeys(Status, 0) | {Status.GREEN: 2, Status.RED: 1}
    summary = Summary(counts=counts, measurable=3, achieved=2, missing=(), not_measured=())
    first = draft_summary(Q3, summary, {}, labels={s: rule.label(s) for s in Status}, levels=rule.statuses)[0]
    assert first.endswith('1 indicator is "Not achieved".'), first
    assert "amber" not in first.lower() and "close to target" not in first.lower()


@pytest.mark.django_db
def test_a_report_under_a_five_level_rule_counts_its_amber_green_figure(seed_council):
    officer = PerformanceOfficerFactory()
    definition = actions.save_status_rule(None, json.dumps(FIVE_LEVELS), user=officer)
    scope = RuleScope.site()
    actions.apply_status_rule(
        definition, scope, user=officer, reason="Five levels", expected_version=scope.version
    )
    q1 = Period.parse("2020-21-Q1")
    # CSU10 (lower is better, target 300): 310 is 3.3% over, within 5%: amber-green.
    Value.objects.filter(indicator__code="CSU10", period=q1).update(value=310)
    report = Report.objects.get(period=q1)
    table = build_table(report.committee, report.period)
    assert levels(table) == JUDGED_STATUSES
    assert table.summary.counts[Status.AMBER_GREEN] == 1
    for style in SummaryStyle:
        first = drafted_summary(table, Layout(summary_style=style))[0]
        said = (
            "Nearly on target 1"
            if style == SummaryStyle.STATUS_COUNTS
            else '1 indicator is "Nearly on target"'
        )
        assert said in first, (style, first)
