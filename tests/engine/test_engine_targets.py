from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scrutineer.engine import Aggregation, Frequency, Period
from scrutineer.engine.targets import expand_targets, resolve_target

YEAR = Period.parse("2020-21")
Q1 = Period.parse("2020-21-Q1")
JUNE = Period.parse("2020-06")


def test_own_target_wins_over_the_quarter_and_the_year():
    targets = {YEAR: Decimal(80), Q1: Decimal(85), JUNE: Decimal(90)}
    assert resolve_target(targets, JUNE) == 90
    assert resolve_target(targets, Period.parse("2020-05")) == 85
    assert resolve_target(targets, Period.parse("2020-09")) == 80
    assert resolve_target(targets, Period.parse("2021-04")) is None


def test_a_rate_or_mean_target_holds_for_each_part():
    assert resolve_target({YEAR: Decimal(20)}, Q1, Aggregation.RATIO) == 20
    assert resolve_target({YEAR: Decimal(300)}, JUNE, Aggregation.MEAN) == 300


def test_a_summed_indicator_shares_a_coarser_target_out():
    assert resolve_target({YEAR: Decimal(1200)}, Q1, Aggregation.SUM) == 300
    assert resolve_target({YEAR: Decimal(1200)}, JUNE, Aggregation.SUM) == 100
    assert resolve_target({Q1: Decimal(300)}, JUNE, Aggregation.SUM) == 100


periods = st.sampled_from(
    [YEAR, Period.parse("2021-22"), Q1, Period.parse("2020-21-Q3"), JUNE, Period.parse("2021-01")]
)


@given(
    st.dictionaries(periods, st.decimals(min_value=0, max_value=10**6, places=2), max_size=6),
    st.sampled_from([Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL]),
    st.sampled_from(list(Aggregation)),
)
def test_expanding_a_history_agrees_with_resolving_each_period(targets, frequency, aggregation):
    expanded = expand_targets(targets, frequency, aggregation)
    for year in (YEAR, Period.parse("2021-22")):
        for period in year.parts(frequency):
            assert expanded.get(period) == resolve_target(targets, period, aggregation)
