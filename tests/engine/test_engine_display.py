"""Figures as the seed report prints them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutineer.engine import (
    DisplayError,
    EngineError,
    MeasureKind,
    format_fraction,
    format_number,
    format_target,
    format_value,
    rate,
)
from scrutineer.engine.figures import EXACT

D = Decimal


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        ("2102", 0, "2102"),
        ("79.333333", 2, "79.33"),
        ("314.3333", 2, "314.33"),
        ("100.00", 2, "100"),
        ("99.865", 2, "99.87"),  # half-up, not banker's rounding
        ("2.345", 2, "2.35"),
        ("79.30", 2, "79.3"),
        ("10155", 2, "10155"),
        ("-0.001", 2, "0"),  # never "-0"
        ("-1.005", 2, "-1.01"),
        ("1E+3", 0, "1000"),
        ("12345678901234567890123456789012.5", 0, "12345678901234567890123456789013"),
    ],
)
def test_format_number(value: str, places: int, shown: str) -> None:
    assert format_number(D(value), places) == shown


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [
        (640, 19498, "3.28%"),
        (3077, 28131, "10.94%"),
        (3528, 28174, "12.52%"),
        (1489, 1491, "99.87%"),
        (634, 634, "100%"),
        (2530, 2536, "99.76%"),
    ],
)
def test_seed_percentages(numerator: int, denominator: int, shown: str) -> None:
    value = rate(D(numerator), D(denominator))
    assert format_value(value, "%", 2, kind=MeasureKind.RATE) == shown
    assert format_fraction(D(numerator), D(denominator)) == f"{numerator} / {denominator}"


def test_seed_values_and_targets() -> None:
    assert format_value(D("79.3333"), "Second(s)", 2, kind=MeasureKind.DURATION) == ("79.33 Second(s)")
    assert format_value(D(325), "Second(s)", 2, kind=MeasureKind.DURATION) == "325 Second(s)"
    assert format_value(D(0), "Second(s)", 2, kind=MeasureKind.DURATION) == "0 Second(s)"
    assert format_value(D(2102), "Attendances", 0, kind=MeasureKind.COUNT) == "2102 Attendances"
    assert format_value(None, "Attendances", 0) == "No Data"
    assert format_target(D(300), "Second(s)", 2) == "Target: 300 Second(s)"
    assert format_target(D("20.000000"), "%", 2) == "Target: 20%"
    assert format_target(None, "Attendances", 0) == "Info Only"
    assert format_fraction(D("640.000000"), D("19498.000000")) == "640 / 19498"
    assert format_fraction(None, D(1)) == ""


def test_durations_as_a_clock() -> None:
    def clock(seconds: str) -> str:
        return format_value(D(seconds), "Second(s)", 2, kind=MeasureKind.DURATION, duration_style="mmss")

    assert clock("79.33") == "1:19"
    assert clock("325") == "5:25"
    assert clock("59.5") == "1:00"
    assert clock("3725") == "1:02:05"
    assert clock("0") == "0:00"
    assert clock("-79") == "-1:19"


def test_currency() -> None:
    def money(value: str, places: int = 2, unit: str = "") -> str:
        return format_value(D(value), unit, places, kind=MeasureKind.CURRENCY)

    assert money("1234.5") == "£1,234.50"
    assert money("1234.5", places=1) == "£1,234.50"
    assert money("1234.5", places=0) == "£1,235"
    assert money("1234567.891") == "£1,234,567.89"
    assert money("-12.5") == "-£12.50"
    assert money("-0.001") == "£0.00"
    assert money("12.5", unit="per household") == "£12.50 per household"
    assert money("12.5", unit="£") == "£12.50"


def test_bad_settings_are_refused() -> None:
    with pytest.raises(DisplayError, match="decimal places must be a whole number from 0 to 10"):
        format_value(D(1), "", 11)
    with pytest.raises(DisplayError, match="decimal places"):
        format_value(None, "", -1)
    with pytest.raises(DisplayError, match="not a duration style"):
        format_value(D(1), "", 2, kind=MeasureKind.DURATION, duration_style="hours")


@settings(deadline=None)
@given(
    st.one_of(st.none(), st.decimals()),
    st.text(max_size=12),
    st.integers(-1, 11),
    st.sampled_from(MeasureKind),
    st.sampled_from(["seconds", "mmss", "bogus"]),
)
def test_format_value_never_crashes(
    value: Decimal | None, unit: str, places: int, kind: MeasureKind, style: str
) -> None:
    try:
        shown = format_value(value, unit, places, kind=kind, duration_style=style)
    except EngineError:
        return
    number = shown.removesuffix(unit).rstrip() if unit else shown
    assert number
    assert number not in {"-0", "-£0", "-£0.00"}  # never a negative zero
    assert "E" not in number  # never scientific notation


@settings(deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, max_value=10**30, min_value=-(10**30)),
    st.integers(0, 10),
)
def test_format_number_reads_back_as_the_rounded_figure(value: Decimal, places: int) -> None:
    shown = format_number(value, places)
    assert EXACT.abs(EXACT.subtract(D(shown), value)) <= D("0.5").scaleb(-places)
    if "." in shown:
        assert not shown.endswith("0")
        assert len(shown.split(".")[1]) <= places
