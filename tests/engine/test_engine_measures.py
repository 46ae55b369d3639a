"""Figures, rates and aggregation of months into quarters and years."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutineer.engine import (
    Aggregate,
    Aggregation,
    AggregationError,
    DuplicatePeriodError,
    FigureError,
    Frequency,
    IncompleteRateError,
    MeasureKind,
    NegativeFigureError,
    NonFiniteFigureError,
    NumeratorExceedsDenominatorError,
    Observation,
    Period,
    ZeroDenominatorError,
    aggregate,
    aggregate_history,
    figure,
    rate,
)

D = Decimal
Q1 = Period.quarter(2020, 1)
APR, MAY, JUN = Q1.months()


def months(*values: str | None) -> list[Observation]:
    return [
        Observation(month, None if value is None else D(value))
        for month, value in zip(Q1.months(), values, strict=False)
    ]


# Rates


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [
        ("640", "19498", "3.28"),
        ("3077", "28131", "10.94"),
        ("3528", "28174", "12.52"),
        ("1489", "1491", "99.87"),
        ("634", "634", "100.00"),
        ("2530", "2536", "99.76"),
    ],
)
def test_seed_rates(numerator: str, denominator: str, shown: str) -> None:
    assert rate(D(numerator), D(denominator)).quantize(D("0.01")) == D(shown)


def test_rate_errors_say_what_is_wrong() -> None:
    with pytest.raises(NumeratorExceedsDenominatorError, match="numerator 640 exceeds denominator 600"):
        rate(D(640), D(600))
    with pytest.raises(ZeroDenominatorError, match="denominator is 0"):
        rate(D(0), D(0))
    with pytest.raises(NegativeFigureError, match="numerator -3 is negative"):
        rate(D(-3), D(10))
    with pytest.raises(NegativeFigureError, match="denominator -10 is negative"):
        rate(D(3), D(-10))
    with pytest.raises(NonFiniteFigureError):
        rate(D("NaN"), D(10))


def test_a_rate_per_thousand_may_exceed_its_denominator() -> None:
    assert rate(D(15), D(10), D(1000)) == D(1500)


def test_figure_derives_a_rate_and_never_takes_a_typed_one() -> None:
    observation = Observation(JUN, numerator=D(640), denominator=D(19498))
    assert figure(observation, MeasureKind.RATE) == rate(D(640), D(19498))
    assert figure(Observation(JUN), MeasureKind.RATE) is None
    with pytest.raises(IncompleteRateError, match="Jun-2020: the numerator has no denominator"):
        figure(Observation(JUN, numerator=D(640)), MeasureKind.RATE)
    with pytest.raises(IncompleteRateError, match=r"enter those instead of the value 3\.28"):
        figure(Observation(JUN, value=D("3.28")), MeasureKind.RATE)
    with pytest.raises(NumeratorExceedsDenominatorError, match=r"^Jun-2020: numerator 7") as caught:
        figure(Observation(JUN, numerator=D(7), denominator=D(6)), MeasureKind.RATE)
    assert caught.value.period == JUN
    assert figure(Observation(JUN, D(79)), MeasureKind.DURATION) == D(79)


def test_observations_refuse_floats_and_nan_but_take_whole_numbers() -> None:
    with pytest.raises(FigureError, match="not a Decimal"):
        Observation(JUN, 79.33)  # type: ignore[arg-type]
    with pytest.raises(NonFiniteFigureError):
        Observation(JUN, D("Infinity"))
    assert Observation(JUN, 79).value == D(79)  # type: ignore[arg-type]


# Aggregation


def test_mean_of_three_months_gives_the_seed_figure() -> None:
    result = aggregate(months("70", "80", "88"), Q1, Aggregation.MEAN, MeasureKind.DURATION)
    assert result.value is not None
    assert result.value.quantize(D("0.01")) == D("79.33")
    assert result.complete and not result.not_measured and result.missing == ()


def test_a_missing_month_is_never_a_zero() -> None:
    observations = [
        Observation(APR, D(10)),
        Observation(MAY, no_data_reason="Service closed"),
        Observation(JUN, D(30)),
    ]
    for method in (Aggregation.SUM, Aggregation.MEAN):
        result = aggregate(observations, Q1, method, MeasureKind.COUNT)
        assert result.value is None
        assert result.missing == (MAY,)
        assert not result.complete
        assert result.no_data_reason == "May-2020: Service closed"


def test_an_absent_month_is_missing_too() -> None:
    result = aggregate(months("10", "20"), Q1, Aggregation.SUM, MeasureKind.COUNT)
    assert (result.value, result.missing, result.no_data_reason) == (None, (JUN,), "")


def test_same_reasons_are_merged() -> None:
    observations = [
        Observation(APR, no_data_reason="APGs closed due to CV-19"),
        Observation(MAY, no_data_reason="APGs closed due to CV-19"),
        Observation(JUN, no_data_reason="Staff redeployed"),
    ]
    result = aggregate(observations, Q1, Aggregation.SUM, MeasureKind.COUNT)
    assert result.missing == (APR, MAY, JUN)
    assert result.no_data_reason == (
        "Apr-2020, May-2020: APGs closed due to CV-19; Jun-2020: Staff redeployed"
    )


def test_a_not_measured_month_makes_the_quarter_not_measured() -> None:
    observations = [
        Observation(APR, D(0), not_measured=True, no_data_reason="Lockdown"),
        Observation(MAY, D(0), not_measured=True, no_data_reason="Lockdown"),
        Observation(JUN, D(0), not_measured=True, no_data_reason="Lockdown"),
    ]
    result = aggregate(observations, Q1, Aggregation.MEAN, MeasureKind.DURATION)
    assert result.value == D(0)  # still shown, as CSU12's "0 Second(s)"
    assert result.not_measured
    assert result.no_data_reason == "Apr-2020, May-2020, Jun-2020: Lockdown"
    one = [Observation(APR, D(5)), Observation(MAY, D(5), not_measured=True)]
    assert aggregate(one, Q1, Aggregation.SUM, MeasureKind.COUNT).not_measured


def test_last_needs_only_the_last_month() -> None:
    observations = [Observation(APR, D(1), not_measured=True), Observation(JUN, D(42))]
    result = aggregate(observations, Q1, Aggregation.LAST, MeasureKind.COUNT)
    assert (result.value, result.missing, result.not_measured) == (D(42), (), False)
    result = aggregate(months("1", "2"), Q1, Aggregation.LAST, MeasureKind.COUNT)
    assert (result.value, result.missing) == (None, (JUN,))


def test_ratio_and_sum_of_a_rate_add_the_fractions() -> None:
    observations = [
        Observation(APR, numerator=D(200), denominator=D(6000)),
        Observation(MAY, numerator=D(220), denominator=D(6500)),
        Observation(JUN, numerator=D(220), denominator=D(6998)),
    ]
    for method in (Aggregation.RATIO, Aggregation.SUM):
        result = aggregate(observations, Q1, method, MeasureKind.RATE)
        assert (result.numerator, result.denominator) == (D(640), D(19498))
        assert result.value == rate(D(640), D(19498))
    mean = aggregate(observations, Q1, Aggregation.MEAN, MeasureKind.RATE)
    assert mean.numerator is None
    assert mean.value is not None and mean.value.quantize(D("0.01")) == D("3.29")


def test_ratio_needs_a_rate() -> None:
    with pytest.raises(AggregationError, match="needs a rate indicator"):
        aggregate(months("1"), Q1, Aggregation.RATIO, MeasureKind.COUNT)


def test_parts_must_be_shorter_than_the_period() -> None:
    with pytest.raises(AggregationError, match="cannot be made from quarterly"):
        aggregate([], Q1, Aggregation.SUM, MeasureKind.COUNT, parts=Frequency.QUARTERLY)


def test_two_figures_for_one_month_are_refused() -> None:
    with pytest.raises(DuplicatePeriodError, match="Apr-2020 has two sets of figures"):
        aggregate(months("1") + months("2"), Q1, Aggregation.SUM, MeasureKind.COUNT)
    with pytest.raises(DuplicatePeriodError):
        aggregate_history(months("1") * 2, Frequency.QUARTERLY, Aggregation.SUM, MeasureKind.COUNT)


def test_other_periods_are_ignored() -> None:
    observations = [*months("1", "2", "3"), Observation(Period.month(2020, 7), D(100))]
    observations.append(Observation(Q1, D(1000)))
    result = aggregate(observations, Q1, Aggregation.SUM, MeasureKind.COUNT)
    assert result.value == D(6)


def test_a_year_from_quarters() -> None:
    year = Period.financial_year(2020)
    quarters = [Observation(q, D(q.number * 10)) for q in year.parts(Frequency.QUARTERLY)]
    result = aggregate(quarters, year, Aggregation.SUM, MeasureKind.COUNT, parts=Frequency.QUARTERLY)
    assert result.value == D(100)


def test_history_covers_every_period_touched_in_order() -> None:
    observations = [
        Observation(Period.month(2021, 3), D(3)),
        *months("1", "2", "3"),
        Observation(Period.month(2020, 9), D(9)),
    ]
    history = aggregate_history(observations, Frequency.QUARTERLY, Aggregation.SUM, MeasureKind.COUNT)
    assert list(history) == [Period.quarter(2020, 1), Period.quarter(2020, 2), Period.quarter(2020, 4)]
    assert history[Q1] == Aggregate(Q1, D(6))
    assert history[Period.quarter(2020, 2)].missing == tuple(Period.quarter(2020, 2).months()[:2])
    yearly = aggregate_history(observations, Frequency.ANNUAL, Aggregation.LAST, MeasureKind.COUNT)
    assert yearly[Period.financial_year(2020)].value == D(3)


# Properties

counts = st.decimals(min_value=0, max_value=10**12, places=3)


@st.composite
def fractions_by_month(draw: st.DrawFn) -> list[tuple[Decimal, Decimal]]:
    pairs = []
    for _ in range(3):
        denominator = draw(st.decimals(min_value=D("0.001"), max_value=10**9, places=3))
        numerator = draw(st.decimals(min_value=0, max_value=denominator, places=3))
        pairs.append((numerator, denominator))
    return pairs


@settings(deadline=None)
@given(fractions_by_month(), st.sampled_from([D(100), D(1000), D(1)]))
def test_ratio_is_summed_numerators_over_summed_denominators(
    pairs: list[tuple[Decimal, Decimal]], scale: Decimal
) -> None:
    observations = [
        Observation(month, numerator=n, denominator=d)
        for month, (n, d) in zip(Q1.months(), pairs, strict=True)
    ]
    result = aggregate(observations, Q1, Aggregation.RATIO, MeasureKind.RATE, scale)
    numerator = sum((n for n, _ in pairs), D(0))
    denominator = sum((d for _, d in pairs), D(0))
    assert (result.numerator, result.denominator) == (numerator, denominator)
    exact = Fraction(numerator) * Fraction(scale) / Fraction(denominator)
    assert result.value is not None
    assert abs(Fraction(result.value) - exact) <= exact * Fraction(1, 10**25)


@settings(deadline=None)
@given(st.lists(counts, min_size=3, max_size=3))
def test_sum_of_a_quarter_is_the_sum_of_its_months(values: list[Decimal]) -> None:
    observations = [Observation(m, v) for m, v in zip(Q1.months(), values, strict=True)]
    result = aggregate(observations, Q1, Aggregation.SUM, MeasureKind.COUNT)
    assert result.value == sum(values, D(0))
    history = aggregate_history(observations, Frequency.QUARTERLY, Aggregation.SUM, MeasureKind.COUNT)
    assert history == {Q1: result}


@settings(deadline=None)
@given(st.lists(st.one_of(st.none(), counts), min_size=3, max_size=3), st.sampled_from(Aggregation))
def test_any_gap_means_no_value(values: list[Decimal | None], method: Aggregation) -> None:
    kind = MeasureKind.RATE if method is Aggregation.RATIO else MeasureKind.COUNT
    observations = [
        Observation(m, numerator=v, denominator=v + 1)
        if kind is MeasureKind.RATE and v is not None
        else Observation(m, v)
        for m, v in zip(Q1.months(), values, strict=True)
    ]
    result = aggregate(observations, Q1, method, kind)
    needed = values[-1:] if method in (Aggregation.LAST, Aggregation.CUMULATIVE) else values
    assert (result.value is None) == (None in needed)
    assert len(result.missing) == needed.count(None)
