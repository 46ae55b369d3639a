"""Periods of the UK financial year: keys, labels, arithmetic and their properties."""

from __future__ import annotations

import copy
import itertools
import pickle
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrutineer.engine import Frequency, FrequencyError, Period, PeriodError, PeriodKeyError
from scrutineer.engine.periods import FIRST_KEY_YEAR, LAST_KEY_YEAR, MAX_YEAR, MIN_YEAR

KEY_HELP = (
    "is not a period key. Use YYYY-MM for a month (2020-06), YYYY-YY-QN for a quarter "
    "(2020-21-Q1) or YYYY-YY for a financial year (2020-21)."
)

frequencies = st.sampled_from(Frequency)


@st.composite
def periods(draw: st.DrawFn, frequency: Frequency | None = None) -> Period:
    """Any period, kept a year clear of the supported range's ends so neighbours exist."""
    chosen = draw(frequencies) if frequency is None else frequency
    year = draw(st.integers(MIN_YEAR + 1, MAX_YEAR - 1))
    return Period(chosen, year, draw(st.integers(1, chosen.per_year)))


@st.composite
def keyed_periods(draw: st.DrawFn, frequency: Frequency | None = None) -> Period:
    """Any period a key may name (financial years 1900/01 to 2199/00)."""
    chosen = draw(frequencies) if frequency is None else frequency
    year = draw(st.integers(FIRST_KEY_YEAR, LAST_KEY_YEAR))
    return Period(chosen, year, draw(st.integers(1, chosen.per_year)))


# Examples from the seed report (Quarter 1 2020/21)


def test_quarter_one_2020_21_as_the_seed_prints_it() -> None:
    q1 = Period.parse("2020-21-Q1")
    assert (q1.frequency, q1.year, q1.number) == (Frequency.QUARTERLY, 2020, 1)
    assert q1.key == "2020-21-Q1"
    assert q1.label == "Q1 2020/21"
    assert q1.long_label == "Quarter 1 2020/21"
    assert q1.fy_label == "2020/21"
    assert q1.fy_long_label == "2020/2021"  # "Q1 2020/2021" in the introduction
    assert q1.end_month_label == "Jun-2020"  # "Results Jun-2020"
    assert q1.previous() == Period.quarter(2019, 4)
    assert q1.previous().key == "2019-20-Q4"
    assert q1.previous().end_month_short_label == "Mar-20"  # "Last Months Results Mar-20"
    assert q1.same_period_last_year() == Period.quarter(2019, 1)
    assert q1.same_period_last_year().end_month_short_label == "Jun-19"  # "Last Years Results"
    assert (q1.start, q1.end) == (date(2020, 4, 1), date(2020, 6, 30))


def test_month_constructor_uses_calendar_terms() -> None:
    june = Period.month(2020, 6)
    assert (june.frequency, june.year, june.number) == (Frequency.MONTHLY, 2020, 3)
    assert (june.calendar_year, june.calendar_month) == (2020, 6)
    assert june.key == "2020-06"
    assert june.label == "Jun-2020"
    assert june.long_label == "June 2020"
    assert june.end_month_short_label == "Jun-20"
    assert june.within(Frequency.QUARTERLY) == Period.quarter(2020, 1)
    march = Period.month(2021, 3)
    assert (march.year, march.number) == (2020, 12)
    assert march.within(Frequency.ANNUAL) == Period.financial_year(2020)
    assert march.fy_label == "2020/21"
    assert march.end == date(2021, 3, 31)


def test_months_of_a_year_and_a_quarter() -> None:
    year = Period.financial_year(2020)
    assert [m.key for m in year.months()] == [
        "2020-04", "2020-05", "2020-06", "2020-07", "2020-08", "2020-09",
        "2020-10", "2020-11", "2020-12", "2021-01", "2021-02", "2021-03",
    ]  # fmt: skip
    assert Period.quarter(2020, 4).months() == tuple(Period.month(2021, m) for m in (1, 2, 3))
    assert year.parts(Frequency.QUARTERLY) == tuple(Period.quarter(2020, q) for q in range(1, 5))
    assert year.end_month_label == "Mar-2021"
    assert year.label == year.long_label == "2020/21"


def test_year_keys_cross_the_century() -> None:
    year = Period.financial_year(2099)
    assert year.key == "2099-00"
    assert year.label == "2099/00"
    assert year.fy_long_label == "2099/2100"
    assert Period.parse("2099-00") == year
    assert Period.parse("2099-00-Q4") == Period.quarter(2099, 4)
    assert Period.quarter(2099, 4).end_month_label == "Mar-2100"


def test_short_year_keys_that_look_like_months_get_the_long_form() -> None:
    # "2009-10" must name one period: it is October 2009.
    assert Period.parse("2009-10") == Period.month(2009, 10)
    year = Period.financial_year(2009)
    assert year.key == "2009-2010"
    assert year.label == "2009/10"
    assert Period.parse("2009-2010") == year
    assert Period.parse("2009-10", Frequency.ANNUAL) == year
    assert Period.parse("2020-2021") == Period.financial_year(2020)
    assert Period.financial_year(2020).key == "2020-21"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2020",
        "2020-6",
        "2020-00",
        "2020-13",
        "2020-22-Q1",
        "2020-21-Q0",
        "2020-21-Q5",
        "2020-21-X1",
        "2020-2022",
        "20-21",
        "２０２０-06",
        "2020/21",
        "Q1 2020/21",
    ],
)
def test_parse_rejects_anything_else_with_the_formats(text: str) -> None:
    with pytest.raises(PeriodKeyError) as caught:
        Period.parse(text)
    assert str(caught.value) == f"'{text}' {KEY_HELP}"


@pytest.mark.parametrize(
    "text",
    ["1000-01-Q1", "1000-01", "0999-06", "1899-00", "1900-03", "2200-04", "2200-01-Q1", "9998-99", "9999-00"],
)
def test_edge_periods_outside_the_supported_years_are_refused_with_the_range(text: str) -> None:
    # 1000-01-Q1 used to parse, and its previous quarter (or 9998/99's next) then
    # crashed the table with a traceback, or the web with a 500.
    with pytest.raises(PeriodKeyError) as caught:
        Period.parse(text)
    assert str(caught.value) == (
        f"'{text}' is outside the periods Scrutineer handles: April 1900 to March 2200 "
        "(financial years 1900/01 to 2199/00)."
    )
    with pytest.raises(PeriodKeyError, match="outside the periods"):
        Period.parse(text, Frequency.QUARTERLY if "Q" in text else None)


def test_the_first_and_last_supported_periods_parse_and_have_neighbours() -> None:
    first, last = Period.parse("1900-04"), Period.parse("2199-00-Q4")
    assert first.previous().same_period_last_year() == Period.month(1899, 3)
    assert last.next().same_period_last_year() == Period.quarter(2199, 1)
    assert Period.parse("2199-2200") == Period.financial_year(LAST_KEY_YEAR)


def test_parse_forgives_spaces_and_case() -> None:
    assert Period.parse(" 2020-21-q1 ") == Period.quarter(2020, 1)


def test_parse_with_a_frequency_names_the_mismatch() -> None:
    with pytest.raises(PeriodKeyError, match="'2020-06' is a month, but a financial year"):
        Period.parse("2020-06", Frequency.ANNUAL)
    assert Period.parse("2020-21-Q2", Frequency.QUARTERLY) == Period.quarter(2020, 2)


def test_parse_rejects_what_is_not_text() -> None:
    with pytest.raises(PeriodKeyError):
        Period.parse(202006)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Period.month(2020, 13), "month 13 is not a calendar month"),
        (lambda: Period.month(2020, 0), "month 0 is not a calendar month"),
        (lambda: Period.quarter(2020, 5), "a financial year has 4"),
        (lambda: Period(Frequency.MONTHLY, 2020, 13), "a financial year has 12"),
        (lambda: Period("weekly", 2020, 1), "'weekly' is not a frequency"),  # type: ignore[arg-type]
        (lambda: Period.financial_year(999), "outside the years"),
        (lambda: Period.financial_year(MAX_YEAR).next(), "outside the years"),
    ],
)
def test_impossible_periods_are_refused(build: object, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        build()  # type: ignore[operator]


def test_constructors_share_instances_and_survive_pickling() -> None:
    june = Period.month(2020, 6)
    assert Period.month(2020, 6) is june
    assert Period.parse("2020-06") is june
    assert pickle.loads(pickle.dumps(june)) is june
    assert copy.deepcopy(june) is june
    direct = Period(Frequency.MONTHLY, 2020, 3)
    assert direct == june and hash(direct) == hash(june)
    assert Period("monthly", 2020, 3) == june  # type: ignore[arg-type]  # stored text


def test_periods_of_different_frequencies_do_not_order() -> None:
    with pytest.raises(TypeError, match="compare periods of one frequency"):
        assert Period.month(2020, 6) < Period.quarter(2020, 1)
    assert Period.month(2020, 4) != Period.quarter(2020, 1)
    assert sorted([Period.quarter(2020, 1), Period.month(2020, 4)], key=lambda p: p.start)


def test_calendar_fields_are_for_months_only() -> None:
    with pytest.raises(PeriodError, match="not a month"):
        _ = Period.quarter(2020, 1).calendar_month


def test_range_and_containing() -> None:
    months = list(Period.range(Period.month(2020, 11), Period.month(2021, 2)))
    assert [m.label for m in months] == ["Nov-2020", "Dec-2020", "Jan-2021", "Feb-2021"]
    assert list(Period.range(Period.month(2021, 2), Period.month(2020, 11))) == []
    with pytest.raises(FrequencyError):
        list(Period.range(Period.month(2020, 4), Period.quarter(2020, 2)))
    assert Period.containing(date(2021, 3, 31), Frequency.QUARTERLY) == Period.quarter(2020, 4)
    assert Period.containing(date(2021, 4, 1), Frequency.ANNUAL) == Period.financial_year(2021)
    assert Period.containing(date(2020, 6, 15)) == Period.month(2020, 6)


def test_a_month_is_not_made_of_quarters() -> None:
    with pytest.raises(FrequencyError):
        Period.month(2020, 6).parts(Frequency.QUARTERLY)
    with pytest.raises(FrequencyError):
        Period.financial_year(2020).within(Frequency.MONTHLY)


# Properties


@given(keyed_periods())
def test_parse_round_trips(period: Period) -> None:
    assert Period.parse(period.key) == period
    assert Period.parse(period.key, period.frequency) == period


@given(keyed_periods())
def test_every_period_a_key_names_has_the_neighbours_a_report_shows(period: Period) -> None:
    # The table shows the previous period and the same period last year, and charts go
    # back years: none of it may run off the calendar for a period someone can type.
    for neighbour in (period.previous(), period.next(), period.same_period_last_year()):
        assert neighbour.start <= neighbour.end
    assert period.same_period_last_year().same_period_last_year().previous().start.year >= 1897


@given(periods())
def test_previous_and_next_are_inverse(period: Period) -> None:
    assert period.previous().next() == period
    assert period.next().previous() == period
    assert period.previous() < period < period.next()
    assert period.next().ordinal - period.ordinal == 1
    assert period.previous().end + timedelta(days=1) == period.start


@given(periods())
def test_same_period_last_year_is_one_year_back(period: Period) -> None:
    last_year = period.same_period_last_year()
    assert (last_year.frequency, last_year.year, last_year.number) == (
        period.frequency,
        period.year - 1,
        period.number,
    )


@given(periods(Frequency.QUARTERLY))
def test_months_of_a_quarter_are_three_consecutive_months_within_it(quarter: Period) -> None:
    first, second, third = quarter.months()
    assert second == first.next() and third == second.next()
    assert all(m.within(Frequency.QUARTERLY) == quarter for m in (first, second, third))
    assert first.start == quarter.start and third.end == quarter.end


def test_coarser_frequencies_are_listed_nearest_first() -> None:
    assert Frequency.MONTHLY.coarser() == (Frequency.QUARTERLY, Frequency.ANNUAL)
    assert Frequency.QUARTERLY.coarser() == (Frequency.ANNUAL,)
    assert Frequency.ANNUAL.coarser() == ()


@given(periods(), frequencies)
def test_coarser_agrees_with_is_finer_than_and_within(period: Period, frequency: Frequency) -> None:
    coarser = period.frequency.coarser()
    assert (frequency in coarser) == period.frequency.is_finer_than(frequency)
    # Each is within the next: the period's quarter is within its financial year.
    containers = [period.within(f) for f in coarser]
    for nearer, further in itertools.pairwise(containers):
        assert nearer.within(further.frequency) == further


@given(periods(), frequencies)
def test_within_and_parts_agree(period: Period, frequency: Frequency) -> None:
    if period.frequency.is_finer_than(frequency):
        container = period.within(frequency)
        assert period in container.parts(period.frequency)
        assert container.start <= period.start <= period.end <= container.end
    elif frequency.is_finer_than(period.frequency):
        parts = period.parts(frequency)
        assert len(parts) == frequency.per_year // period.frequency.per_year
        assert parts[0].start == period.start and parts[-1].end == period.end
    else:
        assert period.within(frequency) == period == period.parts(frequency)[0]


@given(periods(), periods())
def test_order_is_chronological_within_a_frequency(a: Period, b: Period) -> None:
    if a.frequency is b.frequency:
        assert (a < b) == (a.start < b.start)
        assert (a <= b) == (a.start <= b.start)
        assert (a == b) == (a.start == b.start)


@given(st.dates(date(MIN_YEAR + 1, 1, 1), date(MAX_YEAR, 12, 31)), frequencies)
def test_containing_contains_the_day(day: date, frequency: Frequency) -> None:
    period = Period.containing(day, frequency)
    assert period.frequency is frequency
    assert period.start <= day <= period.end


@given(keyed_periods(Frequency.MONTHLY))
def test_month_labels_follow_the_calendar(month: Period) -> None:
    assert month.label == f"{month.start:%b}-{month.calendar_year}"
    assert month.key == f"{month.calendar_year:04d}-{month.calendar_month:02d}"
    assert Period.month(month.calendar_year, month.calendar_month) is Period.parse(month.key)
