"""Status rules as councils write them: worked examples from public wordings, the key in
the rule's own words, refusals that name the clause, and properties over generated rules."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scrutineer.engine import (
    DEFAULT_RULE,
    Aggregation,
    Clause,
    Comparand,
    FigureNeededError,
    Frequency,
    IndicatorRule,
    MeasureKind,
    Observation,
    Period,
    Polarity,
    RuleError,
    Status,
    StatusRule,
    StatusRuleError,
    Tolerance,
    ToleranceKind,
    Trend,
    Within,
    WithinUnit,
    assess,
    compare,
    evaluate,
    evaluate_history,
    judge_figure,
    summarise,
)
from scrutineer.engine.figures import EXACT
from scrutineer.engine.targets import year_end_target
from tests.status_rules import FIVE_LEVELS as FIVE_LEVELS_EXAMPLE

D = Decimal
HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
CLOSEST, INFO = Polarity.CLOSEST_TO_TARGET, Polarity.INFO_ONLY
GREEN, AMBER, RED = Status.GREEN, Status.AMBER, Status.RED
AMBER_GREEN, AMBER_RED = Status.AMBER_GREEN, Status.AMBER_RED
LEVELS = (GREEN, AMBER_GREEN, AMBER, AMBER_RED, RED)
TEN_PERCENT = Tolerance(ToleranceKind.PERCENTAGE, D(10))
Q1_2020, Q4_2019, Q1_2019 = Period.quarter(2020, 1), Period.quarter(2019, 4), Period.quarter(2019, 1)


def rule(**data: object) -> StatusRule:
    return StatusRule.from_mapping({"name": "A council's rule", **data})


def status(judged_by: StatusRule, polarity: Polarity, value: str, target: str, **figures: str) -> Status:
    """The status of one figure, strictly (every figure the rule needs must be given)."""
    given_figures = {name: D(figure) for name, figure in figures.items()}
    return judge_figure(judged_by, polarity, D(value), D(target), **given_figures).status  # type: ignore[arg-type]


# The default rule: today's statuses and today's words


def test_the_default_rule_is_todays_in_todays_words() -> None:
    for polarity in (HIGHER, LOWER):
        assert [line.line for line in DEFAULT_RULE.key(polarity)] == [
            s.description for s in Status if s not in (AMBER_GREEN, AMBER_RED)
        ]
    assert DEFAULT_RULE.statuses == (GREEN, AMBER, RED)
    assert [DEFAULT_RULE.label(s) for s in Status] == [s.label for s in Status]
    assert [DEFAULT_RULE.symbol(s) for s in Status] == [s.symbol for s in Status]
    assert [DEFAULT_RULE.trend_label(t) for t in Trend] == [t.label for t in Trend]
    assert [line.line for line in DEFAULT_RULE.trend_key()][:3] == [
        Trend.IMPROVING.description,
        Trend.UNCHANGED.description,
        Trend.WORSENING.description,
    ]


def seed_statuses(status_rule: StatusRule | None) -> dict[str, list[Status]]:
    """The seed table's judged indicators (Q1 2020/21 and its two comparison columns)."""
    figures = {
        "CSU10": (LOWER, D(300), [D("79.333333"), D(325), D("314.333333")]),
        "CSU12": (LOWER, D(450), [D(0), D(203), D(195)]),
        "CSU11": (LOWER, D(20), [D("3.28"), D("10.94"), D("12.52")]),
        "CSU06": (HIGHER, D(80), [D("99.87"), D(100), D("99.76")]),
    }
    out = {}
    for code, (polarity, target, values) in figures.items():
        indicator = IndicatorRule(
            code, MeasureKind.NUMBER, polarity, Aggregation.MEAN, status_rule=status_rule
        )
        observations = [
            Observation(period, value, not_measured=(code == "CSU12" and period == Q1_2020))
            for period, value in zip((Q1_2020, Q4_2019, Q1_2019), values, strict=True)
        ]
        history = evaluate_history(
            indicator, observations, dict.fromkeys((Q1_2020, Q4_2019, Q1_2019), target), TEN_PERCENT
        )
        row = history[Q1_2020]
        out[code] = [row.current.status, row.previous.status, row.last_year.status]
    return out


SEED_STATUSES = {
    "CSU10": [GREEN, AMBER, AMBER],
    "CSU12": [Status.NOT_MEASURED, GREEN, GREEN],
    "CSU11": [GREEN, GREEN, GREEN],
    "CSU06": [GREEN, GREEN, GREEN],
}


def test_the_seed_tables_statuses_under_the_default_rule_and_dacorums_written_out() -> None:
    assert seed_statuses(None) == SEED_STATUSES
    assert seed_statuses(DEFAULT_RULE) == SEED_STATUSES
    assert seed_statuses(rule(amber={"within": "10%"})) == SEED_STATUSES
    assert seed_statuses(rule(amber={"within": "tolerance"})) == SEED_STATUSES


figures = st.decimals(allow_nan=False, allow_infinity=False)
tolerances = st.one_of(
    st.none(),
    st.builds(Tolerance, st.sampled_from(ToleranceKind), st.decimals(min_value=0, max_value=10**6)),
)


@settings(deadline=None)
@given(figures, figures, st.sampled_from(Polarity), tolerances, st.booleans())
def test_the_default_rule_judges_as_the_status_module_does(
    value: Decimal, target: Decimal, polarity: Polarity, tolerance: Tolerance | None, not_measured: bool
) -> None:
    judged = DEFAULT_RULE.judge(polarity, tolerance).assess(value, target, not_measured)
    assert judged is assess(value, target, polarity, tolerance, not_measured=not_measured)


# A green band short of the target: "green — on, above or within 5% of target;
# amber — between 5% and 10%; red — more than 10% from target"

WITHIN_5_PERCENT = rule(
    green={"within": "5%"},
    amber={"within": "10%"},
    labels={"green": "On target", "amber": "Close to target", "red": "Off target"},
)
WITHIN_2_POINTS = rule(green={"within": "2"}, amber={"within": "5"})


@pytest.mark.parametrize(
    ("polarity", "value", "expected"),
    [
        # Target 200: 5% is 10, 10% is 20. Each edge, and a hundredth beyond it.
        (HIGHER, "250", GREEN),
        (HIGHER, "200", GREEN),
        (HIGHER, "190", GREEN),
        (HIGHER, "189.99", AMBER),
        (HIGHER, "180", AMBER),
        (HIGHER, "179.99", RED),
        (LOWER, "150", GREEN),
        (LOWER, "210", GREEN),
        (LOWER, "210.01", AMBER),
        (LOWER, "220", AMBER),
        (LOWER, "220.01", RED),
        (CLOSEST, "190", GREEN),
        (CLOSEST, "210", GREEN),
        (CLOSEST, "189.99", AMBER),
        (CLOSEST, "210.01", AMBER),
        (CLOSEST, "180", AMBER),
        (CLOSEST, "220", AMBER),
        (CLOSEST, "179.99", RED),
        (CLOSEST, "220.01", RED),
    ],
)
def test_green_within_5_percent_on_both_edges_of_every_band(
    polarity: Polarity, value: str, expected: Status
) -> None:
    assert status(WITHIN_5_PERCENT, polarity, value, "200") is expected


@pytest.mark.parametrize(
    ("polarity", "value", "expected"),
    [
        # A rate with a target of 60%: 2 and 5 percentage points.
        (HIGHER, "58", GREEN),
        (HIGHER, "57.99", AMBER),
        (HIGHER, "55", AMBER),
        (HIGHER, "54.99", RED),
        (LOWER, "62", GREEN),
        (LOWER, "62.01", AMBER),
        (LOWER, "65", AMBER),
        (LOWER, "65.01", RED),
        (CLOSEST, "58", GREEN),
        (CLOSEST, "62", GREEN),
        (CLOSEST, "57.99", AMBER),
        (CLOSEST, "62.01", AMBER),
        (CLOSEST, "55", AMBER),
        (CLOSEST, "65", AMBER),
        (CLOSEST, "54.99", RED),
        (CLOSEST, "65.01", RED),
    ],
)
def test_green_within_2_points_on_both_edges_of_every_band(
    polarity: Polarity, value: str, expected: Status
) -> None:
    assert status(WITHIN_2_POINTS, polarity, value, "60") is expected


def test_percent_and_points_give_different_statuses_for_the_same_figure() -> None:
    # 57.5% against 60%: 2.5 points short, which is 4.2% of the target.
    assert status(WITHIN_5_PERCENT, HIGHER, "57.5", "60") is GREEN
    assert status(WITHIN_2_POINTS, HIGHER, "57.5", "60") is AMBER


def test_a_percent_band_is_of_the_targets_size_and_exact() -> None:
    assert status(WITHIN_5_PERCENT, HIGHER, "-52.5", "-50") is GREEN
    assert status(WITHIN_5_PERCENT, HIGHER, "-52.51", "-50") is AMBER
    # Edges stay exact with figures a float would round.
    assert status(WITHIN_5_PERCENT, HIGHER, "0.0000000000000000000095", "0.00000000000000000001") is GREEN


def test_the_key_of_a_green_band_in_the_councils_words() -> None:
    assert [line.line for line in WITHIN_5_PERCENT.key()][:3] == [
        "On target: the target was met or missed by no more than 5% of it.",
        "Close to target: the target was missed by more than 5% of it, but by no more than 10% of it.",
        "Off target: the target was missed by more than 10% of it.",
    ]
    assert [line.line for line in WITHIN_2_POINTS.key(unit="%")][:3] == [
        "Green: the target was met or missed by no more than 2 percentage points.",
        "Amber: the target was missed by more than 2 percentage points, but by no more than 5 percentage points.",
        "Red: the target was missed by more than 5 percentage points.",
    ]
    assert WITHIN_5_PERCENT.key()[0].symbol == "✓"


# Five levels, the delivery-confidence scale: green, amber-green, amber, amber-red, red

FIVE_PERCENT_LEVELS = StatusRule.from_mapping(FIVE_LEVELS_EXAMPLE)
FIVE_POINT_LEVELS = rule(
    green={"within": "1"},
    **{"amber-green": {"within": "2"}, "amber": {"within": "3"}, "amber-red": {"within": "5"}},
)

# Target 200: 5% is 10, 10% is 20, 20% is 40. Each edge, and a hundredth beyond it.
FIVE_PERCENT_SHORT = [
    ("200", GREEN),
    ("199.99", AMBER_GREEN),
    ("190", AMBER_GREEN),
    ("189.99", AMBER),
    ("180", AMBER),
    ("179.99", AMBER_RED),
    ("160", AMBER_RED),
    ("159.99", RED),
]
FIVE_PERCENT_OVER = [
    ("200", GREEN),
    ("200.01", AMBER_GREEN),
    ("210", AMBER_GREEN),
    ("210.01", AMBER),
    ("220", AMBER),
    ("220.01", AMBER_RED),
    ("240", AMBER_RED),
    ("240.01", RED),
]


@pytest.mark.parametrize(
    ("polarity", "value", "expected"),
    [
        (HIGHER, "250", GREEN),
        *((HIGHER, value, expected) for value, expected in FIVE_PERCENT_SHORT),
        (LOWER, "150", GREEN),
        *((LOWER, value, expected) for value, expected in FIVE_PERCENT_OVER),
        # Closest to target: short of it either side.
        *((CLOSEST, value, expected) for value, expected in FIVE_PERCENT_SHORT + FIVE_PERCENT_OVER),
    ],
)
def test_five_levels_in_percent_on_both_edges_of_every_band(
    polarity: Polarity, value: str, expected: Status
) -> None:
    assert status(FIVE_PERCENT_LEVELS, polarity, value, "200") is expected


# A rate with a target of 60%: 1, 2, 3 and 5 percentage points.
FIVE_POINTS_SHORT = [
    ("59", GREEN),
    ("58.99", AMBER_GREEN),
    ("58", AMBER_GREEN),
    ("57.99", AMBER),
    ("57", AMBER),
    ("56.99", AMBER_RED),
    ("55", AMBER_RED),
    ("54.99", RED),
]
FIVE_POINTS_OVER = [
    ("61", GREEN),
    ("61.01", AMBER_GREEN),
    ("62", AMBER_GREEN),
    ("62.01", AMBER),
    ("63", AMBER),
    ("63.01", AMBER_RED),
    ("65", AMBER_RED),
    ("65.01", RED),
]


@pytest.mark.parametrize(
    ("polarity", "value", "expected"),
    [
        (HIGHER, "75", GREEN),
        *((HIGHER, value, expected) for value, expected in FIVE_POINTS_SHORT),
        (LOWER, "45", GREEN),
        *((LOWER, value, expected) for value, expected in FIVE_POINTS_OVER),
        *((CLOSEST, value, expected) for value, expected in FIVE_POINTS_SHORT + FIVE_POINTS_OVER),
    ],
)
def test_five_levels_in_points_on_both_edges_of_every_band(
    polarity: Polarity, value: str, expected: Status
) -> None:
    assert status(FIVE_POINT_LEVELS, polarity, value, "60") is expected


def test_five_levels_in_percent_and_points_differ_for_the_same_figure() -> None:
    # 57.5% against 60%: 2.5 points short, which is 4.2% of the target.
    assert status(FIVE_PERCENT_LEVELS, HIGHER, "57.5", "60") is AMBER_GREEN
    assert status(FIVE_POINT_LEVELS, HIGHER, "57.5", "60") is AMBER


def test_the_key_of_five_levels_in_the_councils_words() -> None:
    key = FIVE_PERCENT_LEVELS.key()
    assert [(line.status, line.symbol, line.line) for line in key][:5] == [
        (GREEN, "✓", "On target: the target was met."),
        (AMBER_GREEN, "≈", "Nearly on target: the target was missed, but by no more than 5% of it."),
        (
            AMBER,
            "!",
            "Close to target: the target was missed by more than 5% of it, but by no more than 10% of it.",
        ),
        (
            AMBER_RED,
            "‼",
            "Off target: the target was missed by more than 10% of it, but by no more than 20% of it.",
        ),
        (RED, "✗", "Well off target: the target was missed by more than 20% of it."),
    ]
    assert [line.status for line in key][5:] == [Status.INFO_ONLY, Status.NO_DATA, Status.NOT_MEASURED]
    assert FIVE_PERCENT_LEVELS.statuses == LEVELS
    # Every level's symbol is its own, so no level is told apart by colour alone.
    assert len({line.symbol for line in key}) == len(key)
    assert [line.line for line in FIVE_POINT_LEVELS.key(unit="%")][1] == (
        "Amber/Green: the target was missed by more than 1 percentage point, but by no more than "
        "2 percentage points."
    )


def test_five_levels_survive_the_interchange_format() -> None:
    written = json.loads(FIVE_PERCENT_LEVELS.to_json())
    assert written == {
        key: value for key, value in FIVE_LEVELS_EXAMPLE.items() if key not in ("green", "otherwise")
    }
    assert StatusRule.from_json(FIVE_PERCENT_LEVELS.to_json()) == FIVE_PERCENT_LEVELS
    assert [clause.name for clause in FIVE_PERCENT_LEVELS.clauses] == [
        "green",
        "amber-green",
        "amber",
        "amber-red",
        "otherwise",
    ]


def test_a_rule_may_skip_levels_and_end_on_any_but_green() -> None:
    # "Achieved / Nearly achieved / Not achieved": no amber, no amber-red.
    nearly = rule(
        **{"amber-green": {"within": "2%"}},
        labels={"green": "Achieved", "amber-green": "Nearly achieved", "red": "Not achieved"},
    )
    assert nearly.statuses == (GREEN, AMBER_GREEN, RED)
    assert [status(nearly, HIGHER, v, "100") for v in ("100", "98", "97.99")] == [GREEN, AMBER_GREEN, RED]
    assert [line.label for line in nearly.key()][:3] == ["Achieved", "Nearly achieved", "Not achieved"]
    # A council whose harshest level is amber-red: "otherwise" names it.
    softer = rule(amber={"within": "5"}, otherwise="amber-red")
    assert softer.statuses == (GREEN, AMBER, AMBER_RED)
    assert [status(softer, LOWER, v, "10") for v in ("10", "15", "15.01", "1000")] == [
        GREEN,
        AMBER,
        AMBER_RED,
        AMBER_RED,
    ]
    assert (
        softer.key()[2].line == "Amber/Red: the target was missed by more than 5 (in the indicator's unit)."
    )
    assert json.loads(softer.to_json())["otherwise"] == "amber-red"
    assert StatusRule.from_json(softer.to_json()) == softer


def test_a_summary_counts_the_middle_levels_as_measurable_not_achieved() -> None:
    indicator = IndicatorRule(
        "X", MeasureKind.NUMBER, HIGHER, Aggregation.MEAN, status_rule=FIVE_PERCENT_LEVELS
    )
    results = [
        (str(value), evaluate(indicator, Observation(Q1_2020, D(value)), Q1_2020, D(200), None))
        for value in (200, 195, 185, 170, 100)
    ]
    summary = summarise(results)
    assert [result.status for _, result in results] == list(LEVELS)
    assert [summary.counts[level] for level in LEVELS] == [1, 1, 1, 1, 1]
    assert (summary.measurable, summary.achieved) == (5, 1)


def test_a_five_level_rule_with_an_improvement_split_is_written_as_clauses() -> None:
    # Beyond the amber-red band nothing kinder than amber-red may follow, so a council that
    # wants "amber-red if not worse than last year" writes the clauses out.
    ordered = rule(
        clauses=[
            {"status": "green", "within": "0"},
            {"status": "amber-green", "within": "5%"},
            {"status": "amber", "within": "10%"},
            {"status": "amber-red", "not_worse_than": "last-year"},
            {"status": "red"},
        ]
    )
    assert status(ordered, HIGHER, "89", "100", last_year="88") is AMBER_RED
    assert status(ordered, HIGHER, "89", "100", last_year="90") is RED
    assert status(ordered, HIGHER, "90", "100", last_year="95") is AMBER
    assert ordered.key()[3].line == (
        "Amber/Red: the target was missed by more than 10% of it and the figure is not worse than "
        "the same period last year."
    )
    assert StatusRule.from_json(ordered.to_json()) == ordered


# An improvement split: "within 10% of target (or better) is green; further off target,
# amber if performance improved or was maintained against the same period last year,
# red if it did not"

SPLIT = rule(green={"within": "10%"}, otherwise={"amber_if_not_worse_than": "last-year"})


@pytest.mark.parametrize(
    ("polarity", "value", "last_year", "expected"),
    [
        # Target 80: 10% is 8.
        (HIGHER, "72", "90", GREEN),  # on the green edge: last year does not matter
        (HIGHER, "71.99", "70", AMBER),  # improved
        (HIGHER, "71.99", "71.99", AMBER),  # maintained
        (HIGHER, "71.99", "72", RED),  # worse
        (LOWER, "88", "70", GREEN),
        (LOWER, "88.01", "90", AMBER),
        (LOWER, "88.01", "88.01", AMBER),
        (LOWER, "88.01", "88", RED),
        (CLOSEST, "71.99", "70", AMBER),  # nearer the target than last year
        (CLOSEST, "71.99", "88.01", AMBER),  # as far, on the other side
        (CLOSEST, "88.01", "71", AMBER),
        (CLOSEST, "88.01", "87", RED),
    ],
)
def test_the_improvement_split(polarity: Polarity, value: str, last_year: str, expected: Status) -> None:
    assert status(SPLIT, polarity, value, "80", last_year=last_year) is expected


def test_the_improvement_split_asks_for_last_years_figure_only_when_it_decides() -> None:
    assert status(SPLIT, HIGHER, "72", "80") is GREEN
    with pytest.raises(
        FigureNeededError,
        match="the clause 'otherwise' decides this figure only with the figure for the same period last year",
    ) as raised:
        status(SPLIT, HIGHER, "71.99", "80")
    assert raised.value.needs == "last-year"
    # Without strictness, a condition that cannot be checked does not hold.
    assert SPLIT.judge(HIGHER).assess(D("71.99"), D(80)) is RED


def test_maintained_means_within_the_similar_band() -> None:
    similar = rule(
        green={"within": "10%"}, otherwise={"amber_if_not_worse_than": "previous"}, similar={"within": "0.5"}
    )
    assert status(similar, HIGHER, "70", "80", previous="70.5") is AMBER  # a 0.5 fall is similar
    assert status(similar, HIGHER, "70", "80", previous="70.51") is RED
    assert status(similar, LOWER, "90.5", "80", previous="90") is AMBER


def test_the_key_of_the_improvement_split() -> None:
    assert [line.line for line in SPLIT.key()][:3] == [
        "Green: the target was met or missed by no more than 10% of it.",
        "Amber: the target was missed by more than 10% of it and the figure is not worse than "
        "the same period last year.",
        "Red: the target was missed by more than 10% of it, unless the figure is not worse than "
        "the same period last year.",
    ]


# Pass/fail against a statutory standard: "Achieved" / "Not achieved" against
# "a maximum of 30 weeks" or "a minimum of 50%"

PASS_FAIL = rule(labels={"green": "Achieved", "red": "Not achieved"})


@pytest.mark.parametrize(
    ("polarity", "value", "target", "expected"),
    [
        (LOWER, "30", "30", GREEN),  # a maximum of 30 weeks
        (LOWER, "30.01", "30", RED),
        (LOWER, "12", "30", GREEN),
        (HIGHER, "50", "50", GREEN),  # a minimum of 50%
        (HIGHER, "49.99", "50", RED),
        (CLOSEST, "50", "50", GREEN),
        (CLOSEST, "50.01", "50", RED),
    ],
)
def test_pass_fail(polarity: Polarity, value: str, target: str, expected: Status) -> None:
    judged = judge_figure(PASS_FAIL, polarity, D(value), D(target))
    assert judged.status is expected
    assert judged.label == ("Achieved" if expected is GREEN else "Not achieved")


def test_the_key_of_pass_fail_has_no_amber() -> None:
    assert PASS_FAIL.statuses == (GREEN, RED)
    assert [line.line for line in PASS_FAIL.key()][:2] == [
        "Achieved: the target was met.",
        "Not achieved: the target was missed.",
    ]
    assert [line.status for line in PASS_FAIL.key()][2:] == [
        Status.INFO_ONLY,
        Status.NO_DATA,
        Status.NOT_MEASURED,
    ]


# Forecast: amber when off target now but forecast to meet the year-end target

FORECAST = rule(amber={"within": "5%"}, forecast={"from": "owner"})


@pytest.mark.parametrize(
    ("polarity", "value", "forecast", "expected"),
    [
        # Target 100 now, 1200 at the year end.
        (HIGHER, "95", "0", AMBER),  # within the amber band: the forecast is not asked
        (HIGHER, "94.99", "1200", AMBER),  # forecast on target
        (HIGHER, "94.99", "1199.99", RED),
        (LOWER, "105.01", "1200", AMBER),
        (LOWER, "105.01", "1200.01", RED),
        (CLOSEST, "94.99", "1200", AMBER),
        (CLOSEST, "105.01", "1200.01", RED),
    ],
)
def test_the_forecast(polarity: Polarity, value: str, forecast: str, expected: Status) -> None:
    judged = status(FORECAST, polarity, value, "100", forecast=forecast, year_end_target="1200")
    assert judged is expected


def test_the_forecast_is_asked_for_when_it_decides() -> None:
    with pytest.raises(FigureNeededError, match="a year-end forecast") as raised:
        status(FORECAST, HIGHER, "90", "100")
    assert raised.value.needs == "forecast"
    assert [line.line for line in FORECAST.key()][1] == (
        "Amber: the target was missed, but by no more than 5% of it; or the target was missed by "
        "more than 5% of it and the year-end forecast meets the year-end target."
    )


ATTENDANCES = IndicatorRule(
    "ATT",
    MeasureKind.COUNT,
    HIGHER,
    Aggregation.SUM,
    "Attendances",
    0,
    status_rule=rule(forecast={"from": "data"}, labels={"amber": "On course"}),
)
APRIL, MAY, JUNE = Period.month(2020, 4), Period.month(2020, 5), Period.month(2020, 6)
YEAR_2020 = Period.financial_year(2020)


def test_a_forecast_from_the_data_carries_the_year_so_far_on() -> None:
    # An annual target of 1,200 is 100 a month. May misses its 100, but April and May
    # together (245 in two months) carry on to 1,470 for the year: on course.
    observations = [Observation(APRIL, D(150)), Observation(MAY, D(95)), Observation(JUNE, D(20))]
    history = evaluate_history(ATTENDANCES, observations, {YEAR_2020: D(1200)}, None)
    assert history[APRIL].current.status is GREEN
    assert (history[MAY].current.status, history[MAY].current.status_label) == (AMBER, "On course")
    assert history[JUNE].current.status is RED  # 265 in three months: 1,060 for the year
    assert history[JUNE].previous.status is AMBER  # the previous column shows it decided in full


def test_a_forecast_from_the_owner() -> None:
    owner = IndicatorRule(
        "ATT",
        MeasureKind.COUNT,
        HIGHER,
        Aggregation.SUM,
        decimal_places=0,
        status_rule=rule(forecast={"from": "owner"}),
    )
    observations = [Observation(APRIL, D(90))]
    targets = {YEAR_2020: D(1200)}
    assert evaluate_history(owner, observations, targets, None)[APRIL].current.status is RED
    history = evaluate_history(owner, observations, targets, None, forecasts={APRIL: D(1200)})
    assert history[APRIL].current.status is AMBER
    # compare decides in full too; evaluate alone gives the conservative status.
    alone = evaluate(owner, observations[0], APRIL, D(100), None)
    assert alone.status is RED
    compared = compare(owner, {APRIL: alone}, APRIL, targets=targets, forecasts={APRIL: D(1250)})
    assert compared.current.status is AMBER


def test_the_year_end_target() -> None:
    months = dict.fromkeys(Period.range(APRIL, Period.month(2021, 3)), D(100))
    assert year_end_target({YEAR_2020: D(1000), **months}, MAY, Aggregation.SUM) == D(1000)
    assert year_end_target(months, MAY, Aggregation.SUM) == D(1200)  # the year's months added up
    assert year_end_target(months, MAY, Aggregation.MEAN) == D(100)  # the year's last month
    assert year_end_target({APRIL: D(100)}, MAY, Aggregation.SUM) is None
    quarters = {Period.quarter(2020, q): D(300) for q in (1, 2, 3, 4)}
    assert year_end_target(quarters, MAY, Aggregation.SUM) == D(1200)  # shared out, then added up


# Ordered rules, first match wins

ORDERED = StatusRule.from_mapping(
    {
        "name": "Green within 5%, or within 10% if better than last year",
        "clauses": [
            {"status": "green", "within": "5%"},
            {"status": "green", "within": "10%", "not_worse_than": "last-year"},
            {"status": "amber", "within": "10%"},
            {"status": "amber", "not_worse_than": "previous"},
            {"status": "red"},
        ],
    }
)


@pytest.mark.parametrize(
    ("value", "last_year", "previous", "expected"),
    [
        ("95", "0", "0", GREEN),
        ("94.99", "90", "0", GREEN),
        ("94.99", "95", "0", AMBER),
        ("90", "95", "0", AMBER),
        ("89.99", "95", "89.99", AMBER),
        ("89.99", "95", "90", RED),
    ],
)
def test_ordered_clauses_first_match_wins(
    value: str, last_year: str, previous: str, expected: Status
) -> None:
    assert status(ORDERED, HIGHER, value, "100", last_year=last_year, previous=previous) is expected


def test_the_key_of_ordered_clauses() -> None:
    assert [line.line for line in ORDERED.key()][:3] == [
        "Green: the target was met or missed by no more than 5% of it; or the target was missed by more "
        "than 5% of it, but by no more than 10% of it and the figure is not worse than the same period last year.",
        "Amber: the target was missed by more than 5% of it, but by no more than 10% of it, unless the "
        "figure is not worse than the same period last year; or the target was missed by more than 10% "
        "of it and the figure is not worse than the previous period.",
        "Red: the target was missed by more than 10% of it, unless the figure is not worse than the "
        "previous period.",
    ]


# Direction of travel with a "similar" band, in the council's words


def test_one_councils_similar_is_anothers_getting_worse() -> None:
    similar = rule(
        similar={"within": "0.5"},
        trend_labels={"better": "Improving", "similar": "Similar", "worse": "Worsening"},
    )
    strict = rule(trend_labels={"better": "Getting better", "worse": "Getting worse"})
    fell = judge_figure(similar, HIGHER, D("79.5"), D(70), previous=D(80))
    assert (fell.trend_previous, fell.trend_previous_label) == (Trend.UNCHANGED, "Similar")
    fell = judge_figure(strict, HIGHER, D("79.8"), D(70), previous=D(80))
    assert (fell.trend_previous, fell.trend_previous_label) == (Trend.WORSENING, "Getting worse")
    rose = judge_figure(strict, HIGHER, D("80.2"), D(70), previous=D(80))
    assert rose.trend_previous_label == "Getting better"
    same = rule(trend_labels={"better": "Better", "similar": "Same", "worse": "Worse"})
    assert [line.line for line in same.trend_key()][:3] == [
        "Better: better than the period compared with.",
        "Same: the same as the period compared with, as shown.",
        "Worse: worse than the period compared with.",
    ]
    assert [line.line for line in similar.trend_key()][1] == (
        "Similar: within 0.5 (in the indicator's unit) of the period compared with, either way."
    )


def test_a_similar_band_in_percent_of_the_earlier_figure() -> None:
    similar = rule(similar={"within": "1%"})
    assert judge_figure(similar, LOWER, D(202), D(300), previous=D(200)).trend_previous is Trend.UNCHANGED
    assert (
        judge_figure(similar, LOWER, D("202.01"), D(300), previous=D(200)).trend_previous is Trend.WORSENING
    )
    assert judge_figure(similar, CLOSEST, D(98), D(100), previous=D("97.1")).trend_previous is Trend.UNCHANGED


def test_the_similar_band_goes_through_the_whole_history() -> None:
    indicator = IndicatorRule(
        "SAT",
        MeasureKind.NUMBER,
        HIGHER,
        Aggregation.MEAN,
        decimal_places=1,
        status_rule=rule(similar={"within": "0.5"}, trend_labels={"similar": "Similar"}),
    )
    observations = [Observation(Q4_2019, D("80")), Observation(Q1_2020, D("79.5"))]
    row = evaluate_history(indicator, observations, {}, None)[Q1_2020]
    assert row.trend_previous is Trend.UNCHANGED
    assert indicator.judged_by.trend_label(row.trend_previous) == "Similar"


# The council's vocabulary carried on results


def test_results_carry_the_rules_label() -> None:
    indicator = IndicatorRule("X", MeasureKind.NUMBER, HIGHER, Aggregation.MEAN, status_rule=WITHIN_5_PERCENT)
    history = evaluate_history(
        indicator,
        [Observation(Q1_2019, D(96)), Observation(Q4_2019, D(91)), Observation(Q1_2020, D(50))],
        {Q1_2019: D(100), Q4_2019: D(100), Q1_2020: D(100)},
        None,
    )
    row = history[Q1_2020]
    assert [(r.status, r.status_label) for r in (row.current, row.previous, row.last_year)] == [
        (RED, "Off target"),
        (AMBER, "Close to target"),
        (GREEN, "On target"),
    ]
    plain = IndicatorRule("X", MeasureKind.NUMBER, HIGHER, Aggregation.MEAN)
    assert evaluate(plain, None, Q1_2020, None, None).status_label == "No Data"
    assert plain.judged_by is DEFAULT_RULE


def test_an_indicator_rule_refuses_what_is_not_a_status_rule() -> None:
    with pytest.raises(RuleError, match="X: status rule 'red' is not a StatusRule"):
        IndicatorRule("X", MeasureKind.NUMBER, HIGHER, Aggregation.MEAN, status_rule="red")  # type: ignore[arg-type]


# Refusals, each naming the clause or key


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"green": {"within": "10%"}, "amber": {"within": "5%"}},
            "amber can never match: green (within 10%)",
        ),
        ({"green": {"within": "5%"}, "amber": {"within": "5%"}}, "amber can never match"),
        ({"green": {"within": "5%"}, "amber": {"within": "2"}}, "amber is within 2 but green is within 5%"),
        (
            {"clauses": [{"status": "green", "within": "0"}, {"status": "amber", "within": "10%"}]},
            "clause 2 leaves a gap",
        ),
        (
            {"clauses": [{"status": "green", "within": "0"}, {"status": "red"}, {"status": "amber"}]},
            "clause 3 gives amber after clause 2 gave red",
        ),
        (
            {"clauses": [{"status": "green", "within": "0"}, {"status": "amber"}, {"status": "red"}]},
            "clause 3 can never match: clause 2 before it takes every figure left",
        ),
        (
            {
                "clauses": [
                    {"status": "green", "within": "0"},
                    {"status": "amber", "not_worse_than": "last-year"},
                    {"status": "amber", "within": "5%", "not_worse_than": "last-year"},
                    {"status": "red"},
                ]
            },
            "clause 3 can never match: clause 2 already makes every figure within 5% of the target amber",
        ),
        (
            {"clauses": [{"status": "amber", "within": "10%"}, {"status": "red"}]},
            "clause 1 must be a green band",
        ),
        (
            {"clauses": [{"status": "green", "not_worse_than": "last-year"}, {"status": "red"}]},
            "clause 1 must be a green band",
        ),
        ({"clauses": [{"status": "blue", "within": "0"}, {"status": "red"}]}, "clause 1: the status must be"),
        (
            {"clauses": [{"status": "green", "within": "0", "colour": 1}, {"status": "red"}]},
            "clause 1: unknown key 'colour'",
        ),
        ({"colour": "red"}, "the rule: unknown key 'colour'"),
        ({"amber": {"within": "10 percent"}}, "amber.within: '10 percent' is not a band"),
        ({"amber": {"within": "-5%"}}, "amber.within: '-5%' is not a band"),
        ({"amber": "10%"}, 'amber: write {"within": "5%"}'),
        (
            {"otherwise": "green"},
            'otherwise: write the status of every figure beyond the last band ("amber-green"',
        ),
        ({"otherwise": "Red"}, "otherwise: write the status of every figure beyond the last band"),
        ({"otherwise": {"amber_if_not_worse_than": "last-month"}}, "otherwise.amber_if_not_worse_than"),
        ({"labels": {"amber": "Close"}}, "labels.amber: the rule gives no figure amber"),
        ({"labels": {"purple": "Close"}}, "labels: unknown key 'purple'"),
        (
            {"amber": {"within": "5%"}, "labels": {"amber": "Red"}},
            "labels: 'Red' is the word for both amber and red",
        ),
        (
            {"trend_labels": {"similar": "Worse", "worse": "Worse"}},
            "trend_labels: 'Worse' is the word for both",
        ),
        ({"similar": {"within": "tolerance"}}, "similar: the similar band"),
        ({"forecast": {"from": "crystal ball"}}, "forecast.from"),
        (
            {
                "clauses": [
                    {"status": "green", "within": "0"},
                    {"status": "amber", "forecast_meets_target": True},
                    {"status": "red"},
                ]
            },
            "clause 2 needs a forecast",
        ),
        (
            {"clauses": [{"status": "green", "within": "0"}, {"status": "red"}], "amber": {"within": "5%"}},
            "clauses: give either clauses or amber",
        ),
        (
            {"closest_to_target": {"green": {"within": "5%"}, "amber": {"within": "1%"}}},
            "closest_to_target.amber can never match",
        ),
        ({"name": ""}, "name: a status rule needs a name"),
        # Five levels: the same refusals, naming the new levels' clauses.
        (
            {"amber-green": {"within": "10%"}, "amber": {"within": "5%"}},
            "amber can never match: amber-green (within 10%) already makes every figure within 5% "
            "of the target amber-green",
        ),
        (
            {"amber": {"within": "10%"}, "amber-red": {"within": "10%"}},
            "amber-red can never match: amber (within 10%)",
        ),
        (
            {"amber-green": {"within": "5%"}, "amber-red": {"within": "2"}},
            "amber-red is within 2 but amber-green is within 5%",
        ),
        (
            {
                "clauses": [
                    {"status": "green", "within": "0"},
                    {"status": "amber-red", "within": "10%"},
                    {"status": "amber", "within": "20%"},
                    {"status": "red"},
                ]
            },
            "clause 3 gives amber after clause 2 gave amber-red",
        ),
        (
            {
                "clauses": [
                    {"status": "green", "within": "0"},
                    {"status": "amber-green", "within": "5%"},
                    {"status": "amber-red", "within": "20%"},
                ]
            },
            "clause 3 leaves a gap",
        ),
        (
            {
                "clauses": [
                    {"status": "green", "within": "0"},
                    {"status": "amber-red"},
                    {"status": "red"},
                ]
            },
            "clause 3 can never match: clause 2 before it takes every figure left",
        ),
        (
            {"amber-red": {"within": "20%"}, "otherwise": {"amber_if_not_worse_than": "last-year"}},
            "otherwise gives amber after amber-red gave amber-red",
        ),
        ({"amber-red": {"within": "5%"}, "otherwise": "amber"}, "otherwise gives amber after amber-red"),
        ({"amber_green": {"within": "5%"}}, "the rule: unknown key 'amber_green'"),
        ({"amber-green": {"within": "5 pct"}}, "amber-green.within: '5 pct' is not a band"),
        ({"amber-red": "20%"}, 'amber-red: write {"within": "5%"}'),
        ({"labels": {"amber-green": "Nearly"}}, "labels.amber-green: the rule gives no figure amber-green"),
        (
            {"amber": {"within": "5%"}, "otherwise": "amber-red", "labels": {"red": "Off target"}},
            "labels.red: the rule gives no figure red",
        ),
        (
            {"closest_to_target": {"green": {"within": "5%"}, "amber-red": {"within": "5%"}}},
            "closest_to_target.amber-red can never match",
        ),
        (
            {
                "clauses": [{"status": "green", "within": "0"}, {"status": "red"}],
                "amber-red": {"within": "5%"},
            },
            "clauses: give either clauses or amber-red",
        ),
        (
            {"clauses": [{"status": "green", "within": "0"}, {"status": "amber/red"}]},
            "clause 2: the status must be one of green, amber-green, amber, amber-red, red",
        ),
    ],
)
def test_refusals_name_the_clause(data: dict[str, object], message: str) -> None:
    with pytest.raises(StatusRuleError) as raised:
        StatusRule.from_mapping({"name": "A council's rule", **data})
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"name": "x", "amber": {"within": "10%"},}', "the rule is not valid JSON"),
        ('{"name": "x", "amber": {"within": "5%"}, "amber": {"within": "10%"}}', "'amber' is given twice"),
        ('["green"]', "a status rule is a JSON object"),
        ('{"amber": {"within": "10%"}}', "name: a status rule needs a name"),
    ],
)
def test_refusals_of_json(text: str, message: str) -> None:
    with pytest.raises(StatusRuleError, match=re.escape(message)):
        StatusRule.from_json(text)


def test_a_rule_built_in_python_is_checked_the_same_way() -> None:
    with pytest.raises(StatusRuleError, match="clause 2 can never match"):
        StatusRule(
            "x",
            (
                Clause(GREEN, Within(D(5), WithinUnit.PERCENT)),
                Clause(AMBER, Within(D(5), WithinUnit.PERCENT)),
                Clause(RED),
            ),
        )
    with pytest.raises(StatusRuleError, match="not what a band is measured in"):
        Within(D(5), "furlongs")  # type: ignore[arg-type]
    assert Within(D(0), WithinUnit.PERCENT) == Within(D(0))  # nothing is nothing in any unit


# The interchange format

ISSUE_EXAMPLE = """{"name": "Within 5% is green", "green": {"within": "5%"}, "amber": {"within": "10%"}, "otherwise": "red",
   "labels": {"green": "On target", "amber": "Close to target", "red": "Off target"},
   "similar": {"within": "0.5"}, "trend_labels": {"better": "Improving", "similar": "Similar", "worse": "Worsening"}}"""


def test_the_example_from_the_issue() -> None:
    example = StatusRule.from_json(ISSUE_EXAMPLE)
    judged = judge_figure(example, HIGHER, D("91.2"), D(95), previous=D("90.1"), last_year=D(88))
    assert (judged.status, judged.label) == (GREEN, "On target")
    assert (judged.trend_previous, judged.trend_last_year) == (Trend.IMPROVING, Trend.IMPROVING)
    assert judged.clause == "green"
    assert judged.reason == "the target was met or missed by no more than 5% of it."
    assert StatusRule.from_json(example.to_json()) == example


def test_the_default_rule_survives_the_interchange_format() -> None:
    assert StatusRule.from_mapping(DEFAULT_RULE.as_mapping()) == DEFAULT_RULE
    assert DEFAULT_RULE.as_mapping() == {
        "name": "Amber within the tolerance",
        "amber": {"within": "tolerance"},
        "closest_to_target": {"green": {"within": "tolerance"}, "amber": {"within": "2 × tolerance"}},
    }
    assert hash(StatusRule.from_mapping(DEFAULT_RULE.as_mapping())) == hash(DEFAULT_RULE)


def test_numbers_in_json_are_read_exactly() -> None:
    written = StatusRule.from_json('{"name": "x", "green": {"within": 0.1}, "amber": {"within": 2}}')
    assert written.clauses[0].within == Within(D("0.1"))
    assert written.clauses[1].within == Within(D(2))


# Properties over generated rules

amounts = st.decimals(min_value=0, max_value=40, places=1)
COUNCIL_WORDS = {GREEN: "On target", AMBER: "Close to target", RED: "Off target"}
FIVE_WORDS = {
    GREEN: "On target",
    AMBER_GREEN: "Nearly on target",
    AMBER: "Close to target",
    AMBER_RED: "Off target",
    RED: "Well off target",
}
comparands = st.sampled_from(Comparand)


@st.composite
def status_rules(draw: st.DrawFn) -> StatusRule:
    """Any valid rule: ordered bands in one unit, some with conditions, kindest first, on
    the five levels (green, amber-green, amber, amber-red, red), any of which may be
    skipped after green."""
    unit = draw(st.sampled_from([WithinUnit.PERCENT, WithinUnit.UNITS]))
    # Half the rules climb the ladder one level a band, so that many use all five levels.
    ladder = draw(st.booleans())
    widths = sorted(set(draw(st.lists(amounts, min_size=4 if ladder else 1, max_size=5))))
    clauses = [Clause(GREEN, Within(widths[0], unit))]
    rank = 0
    for index, width in enumerate(widths[1:], start=1):
        rank = min(index, 4) if ladder else draw(st.integers(rank, 4))
        condition = draw(st.sampled_from([None, "last-year", "previous", "forecast"]))
        clauses.append(
            Clause(
                LEVELS[rank],
                Within(width, unit),
                not_worse_than=Comparand(condition) if condition in ("last-year", "previous") else None,
                forecast_meets_target=condition == "forecast",
            )
        )
    for condition in draw(
        st.lists(st.sampled_from(["last-year", "previous", "forecast"]), max_size=2, unique=True)
    ):
        if rank == 4:
            break
        rank = draw(st.integers(rank, 3))
        clauses.append(
            Clause(
                LEVELS[rank],
                not_worse_than=Comparand(condition) if condition != "forecast" else None,
                forecast_meets_target=condition == "forecast",
            )
        )
    clauses.append(Clause(LEVELS[draw(st.integers(max(rank, 1), 4))]))
    forecasting = any(clause.forecast_meets_target for clause in clauses)
    similar = draw(st.one_of(st.just(D(0)), amounts))
    given = {clause.status for clause in clauses}
    try:
        return StatusRule(
            "generated",
            tuple(clauses),
            similar=Within(similar, draw(st.sampled_from([WithinUnit.PERCENT, WithinUnit.UNITS]))),
            forecast_from=draw(st.sampled_from(["data", "owner"])) if forecasting else None,  # type: ignore[arg-type]
            labels=draw(st.sampled_from([{}, {s: w for s, w in FIVE_WORDS.items() if s in given}]))
            if given == set(COUNCIL_WORDS) or draw(st.booleans())
            else {},
        )
    except StatusRuleError:
        assume(False)
        raise


figures_2dp = st.decimals(min_value=-1000, max_value=1000, places=2)
maybe = st.one_of(st.none(), figures_2dp)
judged_polarities = st.sampled_from([HIGHER, LOWER, CLOSEST])


def shortfall(value: Decimal, target: Decimal, polarity: Polarity) -> Decimal:
    if polarity is HIGHER:
        return EXACT.subtract(target, value)
    if polarity is LOWER:
        return EXACT.subtract(value, target)
    return EXACT.abs(EXACT.subtract(value, target))


def amount_in(words: str, target: Decimal) -> Decimal:
    """A band's width from the key's words, read independently of the engine."""
    if match := re.fullmatch(r"(\S+)% of it", words):
        return D(match[1]) * abs(target) / 100
    if match := re.fullmatch(r"(\S+) \(in the indicator's unit\)", words):
        return D(match[1])
    raise AssertionError(f"the key says a band as {words!r}")


def not_worse(
    value: Decimal, earlier: Decimal | None, target: Decimal, polarity: Polarity, band: Within
) -> bool:
    if earlier is None:
        return False
    width = band.amount * abs(earlier) / 100 if band.unit is WithinUnit.PERCENT else band.amount
    if polarity is HIGHER:
        return value >= earlier - width
    if polarity is LOWER:
        return value <= earlier + width
    return abs(value - target) <= abs(earlier - target) + width


def the_key_says(
    line: str,
    shortfall_now: Decimal,
    target: Decimal,
    met: dict[str, bool],
) -> bool:
    """Whether a key line's words take this figure: the key read as a reader would."""

    def band_holds(base: str) -> bool:
        if base == "the target was met":
            return shortfall_now <= 0
        if base == "the target was missed":
            return shortfall_now > 0
        if match := re.fullmatch(r"the target was met or missed by no more than (.+)", base):
            return shortfall_now <= amount_in(match[1], target)
        if match := re.fullmatch(r"the target was missed, but by no more than (.+)", base):
            return 0 < shortfall_now <= amount_in(match[1], target)
        if match := re.fullmatch(r"the target was missed by more than (.+), but by no more than (.+)", base):
            return amount_in(match[1], target) < shortfall_now <= amount_in(match[2], target)
        if match := re.fullmatch(r"the target was missed by more than (.+)", base):
            return shortfall_now > amount_in(match[1], target)
        if match := re.fullmatch(r"the target was missed by no more than (.+)", base):
            return shortfall_now <= amount_in(match[1], target)
        raise AssertionError(f"the key says {base!r}")

    def conditions_hold(words: str) -> bool:
        return all(
            band_holds(part) if part.startswith("the target was") else met[part]
            for part in words.split(" and ")
        )

    for alternative in line.removesuffix(".").split("; or "):
        head, _, unless = alternative.partition(", unless ")
        base, _, conditions = head.partition(" and ")
        if not band_holds(base) or (conditions and not conditions_hold(conditions)):
            continue
        if unless and any(conditions_hold(excepted) for excepted in unless.split(", or ")):
            continue
        return True
    return False


@settings(deadline=None, max_examples=300)
@given(status_rules(), judged_polarities, figures_2dp, figures_2dp, maybe, maybe, maybe, figures_2dp)
def test_the_key_and_the_status_agree(
    generated: StatusRule,
    polarity: Polarity,
    value: Decimal,
    target: Decimal,
    previous: Decimal | None,
    last_year: Decimal | None,
    forecast: Decimal | None,
    year_end: Decimal,
) -> None:
    judge = generated.judge(polarity)
    meets = judge.meets(forecast, year_end)
    judged, _ = judge.verdict(
        value,
        target,
        trend_previous=judge.trend(value, previous, target),
        trend_last_year=judge.trend(value, last_year, target),
        forecast_meets=meets,
    )
    met = {
        "the figure is not worse than the same period last year": not_worse(
            value, last_year, target, polarity, generated.similar
        ),
        "the figure is not worse than the previous period": not_worse(
            value, previous, target, polarity, generated.similar
        ),
        "the year-end forecast meets the year-end target": meets is True,
    }
    short = shortfall(value, target, polarity)
    saying = [line for line in generated.key(polarity) if line.status in LEVELS]
    taken = [line for line in saying if the_key_says(line.text, short, target, met)]
    # Exactly one line of the key takes the figure, and it is the status the engine gave.
    assert [line.status for line in taken] == [judged]
    assert taken[0].label == generated.label(judged)


RANK = {status: rank for rank, status in enumerate(LEVELS)}


@settings(deadline=None, max_examples=300)
@given(
    status_rules(),
    judged_polarities,
    figures_2dp,
    figures_2dp,
    st.fractions(min_value=0, max_value=1),
    maybe,
    maybe,
    st.one_of(st.none(), st.booleans()),
)
def test_moving_a_figure_towards_its_target_never_worsens_its_status(
    generated: StatusRule,
    polarity: Polarity,
    value: Decimal,
    target: Decimal,
    closer: object,
    previous: Decimal | None,
    last_year: Decimal | None,
    meets: bool | None,
) -> None:
    judge = generated.judge(polarity)
    nearer = target + (value - target) * D(closer.numerator) / D(closer.denominator)  # type: ignore[attr-defined]

    def judged(figure: Decimal) -> Status:
        return judge.verdict(
            figure,
            target,
            trend_previous=judge.trend(figure, previous, target),
            trend_last_year=judge.trend(figure, last_year, target),
            forecast_meets=meets,
        )[0]

    assert RANK[judged(nearer)] <= RANK[judged(value)]


MIRROR = {HIGHER: LOWER, LOWER: HIGHER, CLOSEST: CLOSEST}


@settings(deadline=None, max_examples=300)
@given(status_rules(), judged_polarities, figures_2dp, figures_2dp, maybe, maybe, maybe, figures_2dp)
def test_reversing_polarity_and_mirroring_the_figures_gives_the_same_status(
    generated: StatusRule,
    polarity: Polarity,
    value: Decimal,
    target: Decimal,
    previous: Decimal | None,
    last_year: Decimal | None,
    forecast: Decimal | None,
    year_end: Decimal,
) -> None:
    # A similar band in percent is of the earlier figure, whose size mirroring changes.
    assume(generated.similar.unit is WithinUnit.UNITS)

    def mirrored(figure: Decimal | None, about: Decimal) -> Decimal | None:
        return None if figure is None else 2 * about - figure

    def judged(
        polarity: Polarity,
        value: Decimal,
        previous: Decimal | None,
        last_year: Decimal | None,
        forecast: Decimal | None,
    ) -> Status:
        judge = generated.judge(polarity)
        return judge.verdict(
            value,
            target,
            trend_previous=judge.trend(value, previous, target),
            trend_last_year=judge.trend(value, last_year, target),
            forecast_meets=judge.meets(forecast, year_end),
        )[0]

    assert judged(polarity, value, previous, last_year, forecast) is judged(
        MIRROR[polarity],
        2 * target - value,
        mirrored(previous, target),
        mirrored(last_year, target),
        mirrored(forecast, year_end),
    )


@settings(deadline=None, max_examples=200)
@given(status_rules())
def test_every_rule_survives_the_interchange_format(generated: StatusRule) -> None:
    again = StatusRule.from_json(generated.to_json())
    assert again == generated
    assert again.key(CLOSEST, "%") == generated.key(CLOSEST, "%")


quarterly = st.lists(
    st.one_of(st.none(), st.decimals(min_value=0, max_value=200, places=1)), min_size=5, max_size=9
)


@settings(deadline=None, max_examples=150)
@given(status_rules(), judged_polarities, quarterly, st.decimals(min_value=1, max_value=200, places=0))
def test_the_history_and_compare_agree(
    generated: StatusRule, polarity: Polarity, figures_in: list[Decimal | None], target: Decimal
) -> None:
    indicator = IndicatorRule(
        "X", MeasureKind.NUMBER, polarity, Aggregation.MEAN, decimal_places=1, status_rule=generated
    )
    periods = list(
        Period.range(Q1_2019, Period.from_ordinal(Frequency.QUARTERLY, Q1_2019.ordinal + len(figures_in) - 1))
    )
    observations = [Observation(p, f) for p, f in zip(periods, figures_in, strict=True) if f is not None]
    assume(observations)
    targets = {Period.financial_year(year): target * 4 for year in (2019, 2020, 2021)} | dict.fromkeys(
        periods, target
    )
    forecasts = {p: target * 4 for p in periods[::2]}
    history = evaluate_history(indicator, observations, targets, None, forecasts=forecasts)
    alone = {
        p: evaluate(
            indicator, next((o for o in observations if o.period == p), None), p, targets.get(p), None
        )
        for p in periods
    }
    for period, row in history.items():
        compared = compare(indicator, alone, period, targets=targets, forecasts=forecasts)
        assert (compared.current.status, compared.current.status_label) == (
            row.current.status,
            row.current.status_label,
        )
        assert (compared.trend_previous, compared.trend_last_year) == (
            row.trend_previous,
            row.trend_last_year,
        )


def test_json_of_a_rule_is_readable() -> None:
    assert json.loads(SPLIT.to_json()) == {
        "name": "A council's rule",
        "green": {"within": "10%"},
        "otherwise": {"amber_if_not_worse_than": "last-year"},
    }
    assert json.loads(ORDERED.to_json())["clauses"][1] == {
        "status": "green",
        "within": "10%",
        "not_worse_than": "last-year",
    }
