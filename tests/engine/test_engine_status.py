"""Status against target: the precedence, the bands and their properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scrutineer.engine import (
    JUDGED_STATUSES,
    EngineError,
    Judge,
    NonFiniteFigureError,
    Polarity,
    Status,
    Tolerance,
    ToleranceError,
    ToleranceKind,
    assess,
)
from scrutineer.engine.figures import EXACT

D = Decimal
HIGHER, LOWER = Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER
CLOSEST, INFO = Polarity.CLOSEST_TO_TARGET, Polarity.INFO_ONLY
TEN_PERCENT = Tolerance(ToleranceKind.PERCENTAGE, D(10))
FIVE = Tolerance(ToleranceKind.ABSOLUTE, D(5))


# The seed's statuses (Quarter 1 2020/21)


def test_seed_statuses() -> None:
    assert assess(D("79.33"), D(300), LOWER, TEN_PERCENT) is Status.GREEN  # CSU10
    assert assess(D("3.28"), D(20), LOWER, TEN_PERCENT) is Status.GREEN  # CSU11
    assert assess(D("99.87"), D(80), HIGHER, TEN_PERCENT) is Status.GREEN  # CSU06
    assert assess(D(0), D(450), LOWER, TEN_PERCENT, not_measured=True) is Status.NOT_MEASURED
    assert assess(None, None, INFO, TEN_PERCENT) is Status.NO_DATA  # YP01a Jun-2020
    assert assess(D(2102), None, INFO, TEN_PERCENT) is Status.INFO_ONLY  # YP01a Mar-20


def test_precedence() -> None:
    # Not measured beats everything, then no data, then info only.
    assert assess(None, D(1), HIGHER, None, not_measured=True) is Status.NOT_MEASURED
    assert assess(None, None, HIGHER, None) is Status.NO_DATA
    assert assess(D(5), None, HIGHER, None) is Status.INFO_ONLY
    assert assess(D(5), D(1), INFO, None) is Status.INFO_ONLY


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [
        ("100", HIGHER, Status.GREEN),
        ("100.01", HIGHER, Status.GREEN),
        ("99.99", HIGHER, Status.AMBER),
        ("90", HIGHER, Status.AMBER),  # on the band's edge: the kinder status
        ("89.99", HIGHER, Status.RED),
        ("100", LOWER, Status.GREEN),
        ("110", LOWER, Status.AMBER),
        ("110.01", LOWER, Status.RED),
        ("90", CLOSEST, Status.GREEN),
        ("110", CLOSEST, Status.GREEN),
        ("80", CLOSEST, Status.AMBER),
        ("120", CLOSEST, Status.AMBER),
        ("79.99", CLOSEST, Status.RED),
        ("120.01", CLOSEST, Status.RED),
    ],
)
def test_bands_around_a_target_of_100_with_ten_percent(
    value: str, polarity: Polarity, expected: Status
) -> None:
    assert assess(D(value), D(100), polarity, TEN_PERCENT) is expected


def test_percentage_band_uses_the_size_of_a_negative_target() -> None:
    assert TEN_PERCENT.band(D(-50)) == D(5)
    assert assess(D(-54), D(-50), HIGHER, TEN_PERCENT) is Status.AMBER
    assert assess(D(-56), D(-50), HIGHER, TEN_PERCENT) is Status.RED


def test_no_tolerance_means_no_amber() -> None:
    assert assess(D("99.999"), D(100), HIGHER, None) is Status.RED
    assert assess(D(100), D(100), CLOSEST, Tolerance(ToleranceKind.ABSOLUTE, D(0))) is Status.GREEN


def test_tolerance_validation_and_words() -> None:
    with pytest.raises(ToleranceError, match="must be a number of 0 or more"):
        Tolerance(ToleranceKind.ABSOLUTE, D(-1))
    with pytest.raises(ToleranceError):
        Tolerance(ToleranceKind.PERCENTAGE, D("NaN"))
    with pytest.raises(ToleranceError, match="not a kind of tolerance"):
        Tolerance("relative", D(1))  # type: ignore[arg-type]
    assert TEN_PERCENT.describe("Second(s)") == "Amber when within 10% of target"
    assert FIVE.describe("Second(s)") == "Amber when within 5 Second(s) of target"
    assert Tolerance(ToleranceKind.ABSOLUTE, D(2)).describe("%") == (
        "Amber when within 2 percentage points of target"
    )
    assert FIVE.describe("Second(s)", polarity=CLOSEST) == (
        "Green when within 5 Second(s) of target, amber when within 10 Second(s)"
    )
    assert Tolerance(ToleranceKind.ABSOLUTE, D(0)).describe() == (
        "No amber band: any figure that misses its target is red"
    )


def test_statuses_read_without_colour() -> None:
    symbols = [status.symbol for status in Status]
    assert len(set(symbols)) == len(symbols)
    assert [status.label for status in Status] == [
        "Green", "Amber/Green", "Amber", "Amber/Red", "Red", "Info Only", "No Data", "Not measured",
    ]  # fmt: skip
    assert all(status.description.endswith(".") for status in Status)
    assert (
        [status for status in Status if status.is_measurable]
        == list(JUDGED_STATUSES)
        == [
            Status.GREEN,
            Status.AMBER_GREEN,
            Status.AMBER,
            Status.AMBER_RED,
            Status.RED,
        ]
    )


def test_the_default_judge_gives_green_amber_and_red_only() -> None:
    """The two middle levels are a council's rule's to use; today's rule never gives them."""
    given = {
        assess(D(value), D(100), polarity, TEN_PERCENT)
        for value in range(70, 131)
        for polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.CLOSEST_TO_TARGET)
    }
    assert given == {Status.GREEN, Status.AMBER, Status.RED}


def test_nan_is_refused_with_an_engine_error() -> None:
    with pytest.raises(NonFiniteFigureError):
        assess(D("NaN"), D(1), HIGHER, None)
    with pytest.raises(NonFiniteFigureError):
        assess(D(1), D("sNaN"), HIGHER, None)


def test_a_judge_takes_stored_text() -> None:
    judge = Judge("lower-is-better", FIVE)  # type: ignore[arg-type]
    assert judge.polarity is LOWER
    assert judge.assess(D(104), D(100)) is Status.AMBER
    with pytest.raises(EngineError, match="not a polarity"):
        Judge("sideways")  # type: ignore[arg-type]


# Properties

figures = st.decimals(allow_nan=False, allow_infinity=False)
polarities = st.sampled_from(Polarity)
tolerances = st.one_of(
    st.none(),
    st.builds(Tolerance, st.sampled_from(ToleranceKind), st.decimals(min_value=0, max_value=10**6)),
)
RANK = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2}


def band(tolerance: Tolerance | None, target: Decimal) -> Decimal:
    return D(0) if tolerance is None else tolerance.band(target)


@settings(deadline=None)
@given(figures, figures, tolerances)
def test_flipping_polarity_swaps_green_and_red_outside_the_band(
    value: Decimal, target: Decimal, tolerance: Tolerance | None
) -> None:
    distance = EXACT.abs(EXACT.subtract(value, target))
    assume(distance > band(tolerance, target))
    higher = assess(value, target, HIGHER, tolerance)
    lower = assess(value, target, LOWER, tolerance)
    # Outside the band there is no amber: one side is green, the other red.
    assert {higher, lower} == {Status.GREEN, Status.RED}


@settings(deadline=None)
@given(figures, figures, figures, polarities, tolerances)
def test_status_is_monotone_in_the_figure(
    a: Decimal, b: Decimal, target: Decimal, polarity: Polarity, tolerance: Tolerance | None
) -> None:
    assume(polarity is not INFO)
    low, high = sorted([a, b])
    low_status = assess(low, target, polarity, tolerance)
    high_status = assess(high, target, polarity, tolerance)
    if polarity is HIGHER:
        assert RANK[low_status] <= RANK[high_status]
    elif polarity is LOWER:
        assert RANK[low_status] >= RANK[high_status]
    else:
        # Closest to target: monotone in the distance from the target.
        near, far = sorted([a, b], key=lambda v: EXACT.abs(EXACT.subtract(v, target)))
        assert (
            RANK[assess(near, target, polarity, tolerance)] >= RANK[assess(far, target, polarity, tolerance)]
        )


@settings(deadline=None)
@given(figures, polarities, tolerances)
def test_on_target_is_green(target: Decimal, polarity: Polarity, tolerance: Tolerance | None) -> None:
    assume(polarity is not INFO)
    assert assess(target, target, polarity, tolerance) is Status.GREEN


@settings(deadline=None)
@given(
    st.one_of(st.none(), st.decimals()),
    st.one_of(st.none(), st.decimals()),
    polarities,
    tolerances,
    st.booleans(),
)
def test_assess_never_crashes(
    value: Decimal | None,
    target: Decimal | None,
    polarity: Polarity,
    tolerance: Tolerance | None,
    not_measured: bool,
) -> None:
    try:
        status = assess(value, target, polarity, tolerance, not_measured=not_measured)
    except EngineError:
        return
    assert isinstance(status, Status)
    if not_measured:
        assert status is Status.NOT_MEASURED
