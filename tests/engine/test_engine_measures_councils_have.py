"""Measures councils actually have: a percentage typed as a figure, and figures that are the
financial year so far (cumulative) with targets profiled through the year."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scrutineer.engine import (
    Aggregation,
    AggregationError,
    Frequency,
    IndicatorRule,
    MeasureKind,
    NegativeFigureError,
    Observation,
    PercentageOver100Error,
    Period,
    Polarity,
    Status,
    Tolerance,
    ToleranceKind,
    Trend,
    aggregate,
    aggregate_history,
    aggregation_problem,
    check_percentage,
    evaluate,
    evaluate_history,
    figure,
    format_target,
    format_value,
)
from scrutineer.engine.targets import expand_targets, resolve_target, year_end_target

D = Decimal
POINTS = Tolerance(ToleranceKind.ABSOLUTE, D(5))  # 5 percentage points
Q1 = Period.quarter(2023, 1)
Q2 = Period.quarter(2023, 2)
YEAR = Period.financial_year(2023)
APR, MAY, JUN = Q1.months()
JUL, AUG, SEP = Q2.months()

# Invoices paid within 30 days: the council has only the percentage (93.3 for 93.3%).
PAID = IndicatorRule("FIN01", MeasureKind.PERCENTAGE, Polarity.HIGHER_IS_BETTER, Aggregation.MEAN, "", 1)
PAID_LAST = IndicatorRule(
    "FIN01", MeasureKind.PERCENTAGE, Polarity.HIGHER_IS_BETTER, Aggregation.LAST, "%", 1
)


# A percentage entered as a figure


def test_a_percentage_figure_is_its_value_and_shows_with_a_percent_sign_and_no_fraction():
    observation = Observation(JUN, value=D("93.3"))
    assert figure(observation, MeasureKind.PERCENTAGE) == D("93.3")
    result = evaluate(PAID, observation, JUN, D(90), POINTS)
    assert result.display == "93.3%"
    assert result.fraction_display == ""
    assert result.target_display == "Target: 90%"
    # With the unit set to "%" it reads the same.
    assert evaluate(PAID_LAST, observation, JUN, D(90), POINTS).display == "93.3%"
    assert format_value(D("93.25"), "", 1, kind=MeasureKind.PERCENTAGE) == "93.3%"
    assert format_target(D(90), "", 1, kind=MeasureKind.PERCENTAGE) == "Target: 90%"


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("90", Status.GREEN),  # on the target
        ("90.04", Status.GREEN),  # rounds to 90.0, as shown
        ("89.96", Status.GREEN),  # rounds to 90.0 too
        ("89.94", Status.AMBER),  # 89.9: under target, within 5 points
        ("85", Status.AMBER),  # the amber band's edge: exactly 5 points under
        ("84.96", Status.AMBER),  # shown as 85.0
        ("84.94", Status.RED),  # shown as 84.9: more than 5 points under
        ("0", Status.RED),
        ("100", Status.GREEN),
    ],
)
def test_a_percentage_figure_is_judged_in_percentage_points_on_the_band_edges(typed, status):
    result = evaluate(PAID, Observation(JUN, value=D(typed)), JUN, D(90), POINTS)
    assert result.status is status


def test_a_percentage_is_0_to_100_unless_its_indicator_allows_more():
    for fine in ("0", "100", "93.3", "0.001"):
        check_percentage(D(fine), JUN)
    with pytest.raises(
        PercentageOver100Error, match=r"Jun-2023: value 100.01 is over 100; a percentage is 0 to 100"
    ):
        check_percentage(D("100.01"), JUN)
    with pytest.raises(NegativeFigureError, match=r"Jun-2023: value -0\.1 is negative"):
        check_percentage(D("-0.1"), JUN)
    check_percentage(D("112.5"), JUN, may_exceed_100=True)
    with pytest.raises(NegativeFigureError):
        check_percentage(D("-1"), JUN, may_exceed_100=True)


def test_a_percentage_quarter_is_the_mean_or_last_month_never_a_sum():
    months = [
        Observation(APR, value=D("93.3")),
        Observation(MAY, value=D(95)),
        Observation(JUN, value=D("96.7")),
    ]
    assert aggregate(months, Q1, Aggregation.MEAN, MeasureKind.PERCENTAGE).value == D(95)
    assert aggregate(months, Q1, Aggregation.LAST, MeasureKind.PERCENTAGE).value == D("96.7")
    assert aggregate(months, Q1, Aggregation.CUMULATIVE, MeasureKind.PERCENTAGE).value == D("96.7")
    for method in (Aggregation.SUM, Aggregation.RATIO):
        with pytest.raises(AggregationError, match="use mean, last or cumulative"):
            aggregate(months, Q1, method, MeasureKind.PERCENTAGE)
        with pytest.raises(AggregationError, match=r"FIN01: .*use mean, last or cumulative"):
            IndicatorRule("FIN01", MeasureKind.PERCENTAGE, Polarity.HIGHER_IS_BETTER, method)
    # A missing month is still missing, never a lower mean.
    partial = aggregate(months[:2], Q1, Aggregation.MEAN, MeasureKind.PERCENTAGE)
    assert partial.value is None and partial.missing == (JUN,)


def test_which_aggregations_each_kind_may_have():
    assert aggregation_problem(MeasureKind.PERCENTAGE, Aggregation.MEAN) == ""
    assert aggregation_problem(MeasureKind.PERCENTAGE, Aggregation.SUM).startswith(
        "a percentage cannot be aggregated by sum: adding percentages up"
    )
    assert "needs a rate indicator, not a count" in aggregation_problem(MeasureKind.COUNT, Aggregation.RATIO)
    for kind in MeasureKind:
        assert aggregation_problem(kind, Aggregation.CUMULATIVE) == ""
        assert aggregation_problem(kind, Aggregation.LAST) == ""


def test_a_quarterly_percentage_history_compares_with_last_year():
    history = evaluate_history(
        PAID,
        [Observation(Q1, value=D("93.3")), Observation(Period.quarter(2022, 1), value=D("88.1"))],
        {YEAR: D(90), Period.financial_year(2022): D(90)},
        POINTS,
    )
    q1 = history[Q1]
    assert (q1.current.display, q1.current.status) == ("93.3%", Status.GREEN)
    assert (q1.last_year.display, q1.last_year.status) == ("88.1%", Status.AMBER)
    assert q1.trend_last_year is Trend.IMPROVING


# Year to date (cumulative) figures and profiled targets

# Homes built this year, counted as the year so far each month: the target is 100 a year.
HOMES = IndicatorRule(
    "HOU07", MeasureKind.COUNT, Polarity.HIGHER_IS_BETTER, Aggregation.CUMULATIVE, "Homes", 0
)


def ytd(values: dict[Period, str]) -> list[Observation]:
    return [Observation(period, value=D(value)) for period, value in values.items()]


def test_a_cumulative_quarter_is_its_last_month_year_so_far_never_the_months_added():
    months = ytd({APR: "10", MAY: "18", JUN: "27", JUL: "30", AUG: "41", SEP: "52"})
    quarters = aggregate_history(months, Frequency.QUARTERLY, Aggregation.CUMULATIVE, MeasureKind.COUNT)
    assert quarters[Q1].value == 27  # not 10 + 18 + 27
    assert quarters[Q2].value == 52  # Apr–Sep
    # Only the last month is needed, as for "last month's figure".
    assert aggregate(months[:1] + months[2:3], Q1, Aggregation.CUMULATIVE, MeasureKind.COUNT).value == 27
    gap = aggregate(months[:2], Q1, Aggregation.CUMULATIVE, MeasureKind.COUNT)
    assert gap.value is None and gap.missing == (JUN,)
    # A year of quarters is its fourth quarter, the whole year.
    q = [Period.quarter(2023, n) for n in (1, 2, 3, 4)]
    year = aggregate(
        ytd(dict(zip(q, ("27", "52", "70", "96"), strict=True))),
        YEAR,
        Aggregation.CUMULATIVE,
        MeasureKind.COUNT,
        parts=Frequency.QUARTERLY,
    )
    assert year.value == 96


def test_an_annual_target_is_profiled_in_a_straight_line_through_the_year():
    targets = {YEAR: D(100)}
    by_quarter = [
        resolve_target(targets, Period.quarter(2023, n), Aggregation.CUMULATIVE) for n in (1, 2, 3, 4)
    ]
    assert by_quarter == [25, 50, 75, 100]
    assert resolve_target(targets, JUL, Aggregation.CUMULATIVE) == D(100) * 4 / 12
    assert resolve_target(targets, Period.month(2024, 3), Aggregation.CUMULATIVE) == 100
    # A quarter's target is where the year should be at its end: July is 4/6 of the way to Q2's.
    assert resolve_target({Q2: D(50)}, JUL, Aggregation.CUMULATIVE) == D(50) * 4 / 6
    assert resolve_target({Q2: D(50)}, SEP, Aggregation.CUMULATIVE) == 50


def test_a_profile_set_per_quarter_wins_over_the_straight_line():
    profile = {YEAR: D(100), Q1: D(20), Q2: D(40), Period.quarter(2023, 3): D(70)}
    assert [
        resolve_target(profile, Period.quarter(2023, n), Aggregation.CUMULATIVE) for n in (1, 2, 3, 4)
    ] == [
        20,
        40,
        70,
        100,
    ]
    expanded = expand_targets(profile, Frequency.QUARTERLY, Aggregation.CUMULATIVE)
    assert [expanded[Period.quarter(2023, n)] for n in (1, 2, 3, 4)] == [20, 40, 70, 100]
    monthly = expand_targets(profile, Frequency.MONTHLY, Aggregation.CUMULATIVE)
    assert monthly[SEP] == 40 and monthly[Period.month(2024, 3)] == 100
    assert year_end_target(profile, Q2, Aggregation.CUMULATIVE) == 100
    assert year_end_target({Q2: D(40), Period.quarter(2023, 4): D(90)}, Q2, Aggregation.CUMULATIVE) == 90


def test_each_quarter_is_judged_against_its_profiled_target_and_last_year_at_the_same_point():
    last_year = {
        Period.month(2022, m): v for m, v in ((4, "5"), (5, "12"), (6, "20"), (7, "26"), (8, "33"), (9, "44"))
    }
    this_year = {APR: "10", MAY: "18", JUN: "27", JUL: "30", AUG: "41", SEP: "46"}
    targets = {YEAR: D(100), Period.financial_year(2022): D(100)}
    history = evaluate_history(
        HOMES,
        ytd(last_year | this_year),
        targets,
        Tolerance(ToleranceKind.ABSOLUTE, D(5)),
        frequency=Frequency.QUARTERLY,
    )
    q1, q2 = history[Q1], history[Q2]
    assert (q1.current.value, q1.current.target, q1.current.status) == (27, 25, Status.GREEN)
    assert q1.current.target_display == "Target: 25 Homes"
    assert (q2.current.value, q2.current.target, q2.current.status) == (46, 50, Status.AMBER)
    # Q2 year to date against last year's Q2 year to date (44), not last year's Jul–Sep.
    assert q2.last_year.value == 44 and q2.trend_last_year is Trend.IMPROVING
    # And against Q1's year to date, which it always exceeds: the trend is of the year so far.
    assert q2.previous.value == 27
