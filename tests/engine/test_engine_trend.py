"""Trend against an earlier period, as people see the figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scrutineer.engine import DisplayError, EngineError, Polarity, Trend, trend
from scrutineer.engine.figures import round_half_up

D = Decimal
HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
CLOSEST, INFO = Polarity.CLOSEST_TO_TARGET, Polarity.INFO_ONLY


def test_seed_trends() -> None:
    # CSU10 wait time fell from 325 to 79.33 seconds: lower is better.
    assert trend(D("79.33"), D(325), LOWER, places=2) is Trend.IMPROVING
    # CSU06 satisfaction 99.87% against 100% the quarter before: higher is better.
    assert trend(D("99.87"), D(100), HIGHER, places=2) is Trend.WORSENING
    # YP01a attendances are info only: direction, no judgement.
    assert trend(D(2102), D(10155), INFO, places=0) is Trend.DOWN
    assert trend(None, D(2102), INFO, places=0) is Trend.NOT_COMPARABLE


def test_unchanged_as_shown() -> None:
    assert trend(D("79.334"), D("79.33"), HIGHER, places=2) is Trend.UNCHANGED
    assert trend(D("79.335"), D("79.33"), HIGHER, places=2) is Trend.IMPROVING  # half-up


def test_closest_to_target() -> None:
    assert trend(D(98), D(95), CLOSEST, places=0, target=D(100)) is Trend.IMPROVING
    assert trend(D(106), D(103), CLOSEST, places=0, target=D(100)) is Trend.WORSENING
    assert trend(D(97), D(103), CLOSEST, places=0, target=D(100)) is Trend.UNCHANGED
    assert trend(D(97), D(103), CLOSEST, places=0) is Trend.NOT_COMPARABLE


def test_words_and_symbols() -> None:
    symbols = [t.symbol for t in Trend]
    assert len(set(symbols)) == len(symbols)
    assert Trend.NOT_COMPARABLE.label == "Not comparable"
    assert all(t.description.endswith(".") for t in Trend)


def test_bad_places_are_refused() -> None:
    with pytest.raises(DisplayError, match="decimal places"):
        trend(D(1), D(2), HIGHER, places=-1)


figures = st.decimals(allow_nan=False, allow_infinity=False)
polarities = st.sampled_from(Polarity)
places = st.integers(0, 6)
targets = st.one_of(st.none(), figures)


@settings(deadline=None)
@given(figures, polarities, places, targets)
def test_a_figure_against_itself_is_unchanged(
    value: Decimal, polarity: Polarity, places: int, target: Decimal | None
) -> None:
    assert trend(value, value, polarity, places=places, target=target) is Trend.UNCHANGED


@settings(deadline=None)
@given(figures, figures, places, targets, st.sampled_from([(HIGHER, LOWER), (LOWER, HIGHER)]))
def test_flipping_polarity_swaps_improving_and_worsening(
    a: Decimal,
    b: Decimal,
    places: int,
    target: Decimal | None,
    pair: tuple[Polarity, Polarity],
) -> None:
    one = trend(a, b, pair[0], places=places, target=target)
    other = trend(a, b, pair[1], places=places, target=target)
    swapped = {
        Trend.IMPROVING: Trend.WORSENING,
        Trend.WORSENING: Trend.IMPROVING,
        Trend.UNCHANGED: Trend.UNCHANGED,
    }
    assert other is swapped[one]


@settings(deadline=None)
@given(figures, figures, places)
def test_info_only_goes_up_or_down_with_higher_is_better(a: Decimal, b: Decimal, places: int) -> None:
    judged = trend(a, b, HIGHER, places=places)
    plain = trend(a, b, INFO, places=places)
    assert {
        Trend.IMPROVING: Trend.UP,
        Trend.WORSENING: Trend.DOWN,
        Trend.UNCHANGED: Trend.UNCHANGED,
    }[judged] is plain


@settings(deadline=None)
@given(figures, figures, figures, places)
def test_closest_agrees_with_higher_below_the_target(
    a: Decimal, b: Decimal, target: Decimal, places: int
) -> None:
    rounded = [round_half_up(x, places) for x in (a, b)]
    assume(all(x <= target for x in rounded))
    assert trend(a, b, CLOSEST, places=places, target=target) is trend(a, b, HIGHER, places=places)


@settings(deadline=None)
@given(
    st.one_of(st.none(), st.decimals()),
    st.one_of(st.none(), st.decimals()),
    polarities,
    st.integers(-2, 12),
    st.one_of(st.none(), st.decimals()),
)
def test_trend_never_crashes(
    a: Decimal | None, b: Decimal | None, polarity: Polarity, places: int, target: Decimal | None
) -> None:
    try:
        result = trend(a, b, polarity, places=places, target=target)
    except EngineError:
        return
    assert isinstance(result, Trend)
