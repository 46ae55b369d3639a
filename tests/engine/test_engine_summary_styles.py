"""The summary's other styles: the percentage of measurable targets achieved, and the
directions of travel (improving, unchanged, worsening)."""

from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from hypothesis import given
from hypothesis import strategies as st

from scrutineer.engine.status import Status
from scrutineer.engine.summary import Summary, directions
from scrutineer.engine.trend import Trend


def summary(achieved: int, measurable: int) -> Summary:
    counts = dict.fromkeys(Status, 0)
    counts[Status.GREEN] = achieved
    counts[Status.RED] = measurable - achieved
    return Summary(MappingProxyType(counts), measurable, achieved, (), ())


@given(st.integers(min_value=1, max_value=500).flatmap(lambda m: st.tuples(st.integers(0, m), st.just(m))))
def test_the_percentage_is_rounded_half_up_and_never_out_of_range(pair):
    achieved, measurable = pair
    expected = (Decimal(100 * achieved) / measurable).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert summary(achieved, measurable).percentage == int(expected)
    assert 0 <= int(expected) <= 100


def test_percentage_in_words():
    assert summary(3, 4).percentage_text == "75% of measurable targets achieved"
    assert summary(2, 3).percentage_text == "67% of measurable targets achieved"
    assert summary(1, 8).percentage_text == "13% of measurable targets achieved"  # 12.5 rounds up
    assert summary(0, 0).percentage is None
    assert summary(0, 0).percentage_text == "No measurable targets"


@given(st.lists(st.sampled_from(list(Trend))))
def test_directions_count_only_improving_unchanged_and_worsening(trends):
    found = directions(trends)
    assert found.improving == trends.count(Trend.IMPROVING)
    assert found.unchanged == trends.count(Trend.UNCHANGED)
    assert found.worsening == trends.count(Trend.WORSENING)
    assert found.total == len([t for t in trends if t not in (Trend.UP, Trend.DOWN, Trend.NOT_COMPARABLE)])
    assert [t for t, _ in found.counts] == [Trend.IMPROVING, Trend.UNCHANGED, Trend.WORSENING]
