"""From stored figures to the seed's performance table, and the bulk path that does it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutineer.engine import (
    Aggregate,
    Aggregation,
    AggregationError,
    Comparison,
    DisplayError,
    DuplicatePeriodError,
    Frequency,
    FrequencyError,
    IndicatorRule,
    MeasureKind,
    NonFiniteFigureError,
    Observation,
    Period,
    PeriodError,
    Polarity,
    Result,
    RuleError,
    Status,
    Tolerance,
    ToleranceKind,
    Trend,
    aggregate_history,
    compare,
    evaluate,
    evaluate_history,
    format_value,
    summarise,
)
from scrutineer.engine.targets import resolve_target

D = Decimal
TOLERANCE = Tolerance(ToleranceKind.PERCENTAGE, D(10))
Q1_2020 = Period.quarter(2020, 1)
Q4_2019 = Period.quarter(2019, 4)
Q1_2019 = Period.quarter(2019, 1)
CLOSED = "The APGs have been closed during this period due to CV-19 guidance."

YP01A = IndicatorRule("YP01a", MeasureKind.COUNT, Polarity.INFO_ONLY, Aggregation.SUM, "Attendances", 0)
CSU10 = IndicatorRule("CSU10", MeasureKind.DURATION, Polarity.LOWER_IS_BETTER, Aggregation.MEAN, "Second(s)")
CSU11 = IndicatorRule("CSU11", MeasureKind.RATE, Polarity.LOWER_IS_BETTER, Aggregation.RATIO, "%")
CSU12 = IndicatorRule("CSU12", MeasureKind.DURATION, Polarity.LOWER_IS_BETTER, Aggregation.MEAN, "Second(s)")
CSU06 = IndicatorRule("CSU06", MeasureKind.RATE, Polarity.HIGHER_IS_BETTER, Aggregation.RATIO, "%")


def fraction(numerator: int, denominator: int) -> dict[str, object]:
    return {"numerator": D(numerator), "denominator": D(denominator)}


# The seed's table, stored as quarterly figures: (rule, targets, {quarter: figures}).
SEED: list[tuple[IndicatorRule, Decimal | None, dict[Period, dict[str, object]]]] = [
    (
        YP01A,
        None,
        {
            Q1_2020: {"no_data_reason": CLOSED},
            Q4_2019: {"value": D(2102)},
            Q1_2019: {"value": D(10155)},
        },
    ),
    (
        CSU10,
        D(300),
        {
            Q1_2020: {"value": D("79.333333")},
            Q4_2019: {"value": D(325)},
            Q1_2019: {"value": D("314.333333")},
        },
    ),
    (
        CSU11,
        D(20),
        {Q1_2020: fraction(640, 19498), Q4_2019: fraction(3077, 28131), Q1_2019: fraction(3528, 28174)},
    ),
    (
        CSU12,
        D(450),
        {
            Q1_2020: {"value": D(0), "not_measured": True},
            Q4_2019: {"value": D(203)},
            Q1_2019: {"value": D(195)},
        },
    ),
    (
        CSU06,
        D(80),
        {Q1_2020: fraction(1489, 1491), Q4_2019: fraction(634, 634), Q1_2019: fraction(2530, 2536)},
    ),
]


def seed_table() -> dict[str, Comparison]:
    table = {}
    for rule, target, figures in SEED:
        observations = [Observation(period, **spec) for period, spec in figures.items()]  # type: ignore[arg-type]
        targets = {} if target is None else dict.fromkeys(figures, target)
        history = evaluate_history(rule, observations, targets, TOLERANCE)
        table[rule.code] = history[Q1_2020]
    return table


def row(comparison: Comparison) -> list[tuple[str, str, str, Status]]:
    return [
        (r.display, r.fraction_display, r.target_display, r.status)
        for r in (comparison.current, comparison.previous, comparison.last_year)
    ]


def test_the_seed_table_figure_for_figure() -> None:
    table = seed_table()
    g, i, nd, nm = Status.GREEN, Status.INFO_ONLY, Status.NO_DATA, Status.NOT_MEASURED
    a = Status.AMBER
    assert row(table["YP01a"]) == [
        ("No Data", "", "Info Only", nd),
        ("2102 Attendances", "", "Info Only", i),
        ("10155 Attendances", "", "Info Only", i),
    ]
    assert row(table["CSU10"]) == [
        ("79.33 Second(s)", "", "Target: 300 Second(s)", g),
        ("325 Second(s)", "", "Target: 300 Second(s)", a),
        ("314.33 Second(s)", "", "Target: 300 Second(s)", a),
    ]
    assert row(table["CSU11"]) == [
        ("3.28%", "640 / 19498", "Target: 20%", g),
        ("10.94%", "3077 / 28131", "Target: 20%", g),
        ("12.52%", "3528 / 28174", "Target: 20%", g),
    ]
    assert row(table["CSU12"]) == [
        ("0 Second(s)", "", "Target: 450 Second(s)", nm),
        ("203 Second(s)", "", "Target: 450 Second(s)", g),
        ("195 Second(s)", "", "Target: 450 Second(s)", g),
    ]
    assert row(table["CSU06"]) == [
        ("99.87%", "1489 / 1491", "Target: 80%", g),
        ("100%", "634 / 634", "Target: 80%", g),
        ("99.76%", "2530 / 2536", "Target: 80%", g),
    ]


def test_the_seed_table_columns_and_reasons() -> None:
    table = seed_table()
    csu10 = table["CSU10"]
    assert csu10.current.period.end_month_label == "Jun-2020"
    assert csu10.previous.period.end_month_short_label == "Mar-20"
    assert csu10.last_year.period.end_month_short_label == "Jun-19"
    assert table["YP01a"].current.no_data_reason == CLOSED
    assert table["YP01a"].current.missing == (Q1_2020,)
    assert table["CSU12"].current.not_measured


def test_the_seed_trends() -> None:
    table = seed_table()
    assert (table["CSU10"].trend_previous, table["CSU10"].trend_last_year) == (
        Trend.IMPROVING,
        Trend.IMPROVING,
    )
    assert (table["CSU06"].trend_previous, table["CSU06"].trend_last_year) == (
        Trend.WORSENING,
        Trend.IMPROVING,
    )
    assert table["CSU12"].trend_previous is Trend.NOT_COMPARABLE  # not a real measurement
    assert table["YP01a"].trend_previous is Trend.NOT_COMPARABLE  # no data
    assert table["YP01a"].previous.status is Status.INFO_ONLY


def test_the_seed_summary() -> None:
    summary = summarise((code, comparison.current) for code, comparison in seed_table().items())
    assert summary.achieved_text == "3 of 3 measurable targets achieved"
    assert summary.missing == ("YP01a",)
    assert summary.not_measured == ("CSU12",)
    assert summary.total == 5


def test_quarters_from_monthly_figures() -> None:
    months = Period.range(Period.month(2019, 4), Period.month(2020, 6))
    waits = [D(300), D(320), D(323), *[D(325)] * 9, D(70), D(80), D(88)]
    observations = [Observation(m, w) for m, w in zip(months, waits, strict=True)]
    history = evaluate_history(
        CSU10, observations, {Q1_2020: D(300)}, TOLERANCE, frequency=Frequency.QUARTERLY
    )
    assert list(history) == list(Period.range(Q1_2019, Q1_2020))
    now = history[Q1_2020]
    assert (now.current.display, now.current.status) == ("79.33 Second(s)", Status.GREEN)
    assert now.previous.display == "325 Second(s)"
    assert now.last_year.display == "314.33 Second(s)"
    assert now.last_year.status is Status.INFO_ONLY  # no target given for it

    calls = [(200, 6000), (220, 6500), (220, 6998)]
    observations = [
        Observation(m, numerator=D(n), denominator=D(d))
        for m, (n, d) in zip(Q1_2020.months(), calls, strict=True)
    ]
    history = evaluate_history(
        CSU11, observations, {Q1_2020: D(20)}, TOLERANCE, frequency=Frequency.QUARTERLY
    )
    result = history[Q1_2020].current
    assert (result.display, result.fraction_display) == ("3.28%", "640 / 19498")


def test_a_month_missing_from_a_quarter() -> None:
    observations = [
        Observation(Period.month(2020, 4), D(10)),
        Observation(Period.month(2020, 5), no_data_reason="Service closed"),
        Observation(Period.month(2020, 6), D(10)),
    ]
    history = evaluate_history(
        CSU10, observations, {Q1_2020: D(300)}, TOLERANCE, frequency=Frequency.QUARTERLY
    )
    result = history[Q1_2020].current
    assert (result.value, result.status, result.display) == (None, Status.NO_DATA, "No Data")
    assert result.missing == (Period.month(2020, 5),)
    assert result.no_data_reason == "May-2020: Service closed"
    assert result.target_display == "Target: 300 Second(s)"


def test_figures_are_judged_as_shown() -> None:
    # 20.004% shows as "20%" against "Target: 20%": green, not red.
    observation = Observation(Q1_2020, numerator=D("20.004"), denominator=D(100))
    result = evaluate(CSU11, observation, Q1_2020, D(20), None)
    assert (result.value, result.display, result.status) == (D("20.00"), "20%", Status.GREEN)


def test_not_measured_whatever_the_figure() -> None:
    observation = Observation(Q1_2020, D(1), not_measured=True)
    assert evaluate(CSU10, observation, Q1_2020, D(300), TOLERANCE).status is Status.NOT_MEASURED


def test_no_source_is_no_data() -> None:
    result = evaluate(CSU10, None, Q1_2020, D(300), TOLERANCE)
    assert (result.status, result.display, result.target_display) == (
        Status.NO_DATA,
        "No Data",
        "Target: 300 Second(s)",
    )


def test_the_rule_tolerance_wins_over_the_default() -> None:
    strict = IndicatorRule(
        "X1",
        MeasureKind.NUMBER,
        Polarity.HIGHER_IS_BETTER,
        Aggregation.SUM,
        tolerance=Tolerance(ToleranceKind.ABSOLUTE, D(0)),
    )
    observation = Observation(Q1_2020, D(95))
    assert evaluate(strict, observation, Q1_2020, D(100), TOLERANCE).status is Status.RED
    loose = IndicatorRule("X2", MeasureKind.NUMBER, Polarity.HIGHER_IS_BETTER, Aggregation.SUM)
    assert evaluate(loose, observation, Q1_2020, D(100), TOLERANCE).status is Status.AMBER


def test_compare_fills_gaps_with_no_data() -> None:
    current = evaluate(CSU10, Observation(Q1_2020, D(80)), Q1_2020, D(300), TOLERANCE)
    comparison = compare(CSU10, {Q1_2020: current}, Q1_2020, targets={Q4_2019: D(300)})
    assert comparison.current is current
    assert comparison.previous.period == Q4_2019
    assert (comparison.previous.status, comparison.previous.target_display) == (
        Status.NO_DATA,
        "Target: 300 Second(s)",
    )
    # CSU10 is judged against targets: a period without one says so, not "Info Only".
    assert comparison.last_year.target_display == "No target set"
    assert comparison.trend_previous is Trend.NOT_COMPARABLE


def test_info_only_says_info_only_and_a_missing_target_says_none_was_set() -> None:
    info = IndicatorRule("YP01a", MeasureKind.COUNT, Polarity.INFO_ONLY, Aggregation.SUM, "Attendances", 0)
    assert (
        evaluate(info, Observation(Q1_2020, D(2102)), Q1_2020, None, TOLERANCE).target_display == "Info Only"
    )
    result = evaluate(CSU10, Observation(Q1_2020, D(80)), Q1_2020, None, TOLERANCE)
    assert (result.status, result.target_display) == (Status.INFO_ONLY, "No target set")


def test_history_has_every_period_including_gaps() -> None:
    observations = [Observation(Period.month(2020, 4), D(1)), Observation(Period.month(2020, 7), D(2))]
    history = evaluate_history(CSU10, observations, {}, TOLERANCE)
    assert [p.label for p in history] == ["Apr-2020", "May-2020", "Jun-2020", "Jul-2020"]
    assert history[Period.month(2020, 5)].current.status is Status.NO_DATA
    assert history[Period.month(2020, 7)].previous.status is Status.NO_DATA
    assert evaluate_history(CSU10, [], {}, TOLERANCE) == {}


def test_history_refuses_bad_input() -> None:
    june = Observation(Period.month(2020, 6), D(1))
    with pytest.raises(DuplicatePeriodError, match="CSU10: Jun-2020 has two sets of figures"):
        evaluate_history(CSU10, [june, june], {}, TOLERANCE)
    with pytest.raises(FrequencyError, match="figures mix monthly periods with Q1 2020/21"):
        evaluate_history(CSU10, [june, Observation(Q1_2020, D(1))], {}, TOLERANCE)
    with pytest.raises(FrequencyError, match="quarterly figures cannot be judged monthly"):
        evaluate_history(CSU10, [Observation(Q1_2020, D(1))], {}, TOLERANCE, frequency=Frequency.MONTHLY)
    with pytest.raises(NonFiniteFigureError, match="CSU10: the target for Jun-2020"):
        evaluate_history(CSU10, [june], {june.period: D("NaN")}, TOLERANCE)
    with pytest.raises(PeriodError, match="figures for Jun-2020 were given as the figures for"):
        evaluate(CSU10, june, Q1_2020, None, None)


def test_rules_are_checked_and_take_stored_text() -> None:
    with pytest.raises(AggregationError, match=r"^CSU10: ratio aggregation"):
        IndicatorRule("CSU10", MeasureKind.DURATION, Polarity.LOWER_IS_BETTER, Aggregation.RATIO)
    with pytest.raises(DisplayError, match=r"^X: decimal places"):
        IndicatorRule("X", MeasureKind.NUMBER, Polarity.HIGHER_IS_BETTER, Aggregation.SUM, decimal_places=12)
    with pytest.raises(RuleError, match="rate scale 0"):
        IndicatorRule("X", MeasureKind.RATE, Polarity.HIGHER_IS_BETTER, Aggregation.RATIO, rate_scale=D(0))
    with pytest.raises(DisplayError, match="not a duration style"):
        IndicatorRule(
            "X", MeasureKind.DURATION, Polarity.HIGHER_IS_BETTER, Aggregation.MEAN, duration_style="hh"
        )
    rule = IndicatorRule("X", "rate", "higher-is-better", "ratio", rate_scale=1000)  # type: ignore[arg-type]
    assert (rule.kind, rule.polarity, rule.aggregation) == (
        MeasureKind.RATE,
        Polarity.HIGHER_IS_BETTER,
        Aggregation.RATIO,
    )
    assert rule.rate_scale == D(1000)


# The bulk path must agree with the one-at-a-time path.

rules = st.builds(
    IndicatorRule,
    code=st.just("K1"),
    kind=st.sampled_from([MeasureKind.NUMBER, MeasureKind.DURATION, MeasureKind.CURRENCY]),
    polarity=st.sampled_from(Polarity),
    aggregation=st.sampled_from([Aggregation.SUM, Aggregation.MEAN, Aggregation.LAST]),
    unit=st.sampled_from(["", "%", "Second(s)"]),
    decimal_places=st.integers(0, 3),
    duration_style=st.sampled_from(["seconds", "mmss"]),
)
figures = st.one_of(st.none(), st.decimals(min_value=-(10**6), max_value=10**6, places=3))


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Observation], dict[Period, Decimal]]:
    start = Period.month(2020, 4).ordinal + draw(st.integers(0, 24))
    length = draw(st.integers(1, 30))
    observations, targets = [], {}
    for ordinal in range(start, start + length):
        month = Period.from_ordinal(Frequency.MONTHLY, ordinal)
        if draw(st.booleans()) or ordinal == start:
            observations.append(Observation(month, draw(figures), not_measured=draw(st.booleans())))
        target = draw(figures)
        if target is not None:
            targets[month] = target
            targets[month.within(Frequency.QUARTERLY)] = target
    return observations, targets


@settings(deadline=None, max_examples=60)
@given(rules, histories(), st.sampled_from([None, Frequency.QUARTERLY, Frequency.ANNUAL]))
def test_history_agrees_with_evaluate_and_compare(
    rule: IndicatorRule,
    history: tuple[list[Observation], dict[Period, Decimal]],
    frequency: Frequency | None,
) -> None:
    observations, targets = history
    bulk = evaluate_history(rule, observations, targets, TOLERANCE, frequency=frequency)
    assert bulk
    periods = list(bulk)
    assert periods == list(Period.range(periods[0], periods[-1]))
    if frequency is None:
        sources: dict[Period, Observation | Aggregate] = {o.period: o for o in observations}
    else:
        sources = dict(aggregate_history(observations, frequency, rule.aggregation, rule.kind))
    single: dict[Period, Result] = {}
    for period in periods:
        for wanted in (period, period.previous(), period.same_period_last_year()):
            single[wanted] = evaluate(
                rule,
                sources.get(wanted),
                wanted,
                resolve_target(targets, wanted, rule.aggregation),
                TOLERANCE,
            )
    for period, comparison in bulk.items():
        assert comparison == compare(rule, single, period)
        current = comparison.current
        if current.not_measured:
            assert current.status is Status.NOT_MEASURED
        # The bulk path inlines the plain display; it must match display.format_value.
        assert current.display == format_value(
            current.value,
            rule.unit,
            rule.decimal_places,
            kind=rule.kind,
            duration_style=rule.duration_style,
        )
