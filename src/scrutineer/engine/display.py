"""Figures as council reports print them: "79.33 Second(s)", "3.28%", "640 / 19498".

One place decides how a figure looks, so the web page, the PDF, the Word document and
the open data never disagree:

- Round half-up to the indicator's decimal places, then drop trailing zeros and a
  trailing point ("100", not "100.00"; "79.3", not "79.30"). No thousands separators,
  as in the seed ("10155 Attendances"). Never "-0".
- The unit follows after a space ("2102 Attendances"), except "%", which attaches ("3.28%").
  A percentage entered as a figure with no unit set shows "%" too ("93.3%").
- Currency is "£1,234.50": pound sign, thousands separators and exactly two decimal
  places (whole pounds when the indicator has none). A unit other than "£" follows.
- A duration may be shown as a clock ("mmss" style): 79.33 seconds is "1:19", past an
  hour "1:02:05", the figure (rounded to its places) rounded again to the whole second;
  the clock replaces the unit.
- No figure is "No Data"; no target is "Info Only".
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Final

from scrutineer.engine.errors import DisplayError
from scrutineer.engine.figures import check_finite, check_places, plain, round_half_up
from scrutineer.engine.measures import MeasureKind

NO_DATA_TEXT: Final = "No Data"
INFO_ONLY_TEXT: Final = "Info Only"
NO_TARGET_TEXT: Final = "No target set"
"""For an indicator judged against targets, in a period nobody set one for: "Info Only"
would wrongly say the indicator is reported for information."""
ATTACHED_UNITS: Final = frozenset({"%"})
"""Units written straight after the figure, with no space."""
CURRENCY_UNITS: Final = frozenset({"", "£", "GBP"})
"""Units a currency figure's "£" already says."""


class DurationStyle(StrEnum):
    """How a duration is shown: in its unit ("79.33 Second(s)") or as a clock ("1:19")."""

    SECONDS = "seconds"
    MMSS = "mmss"


def as_duration_style(value: object) -> DurationStyle:
    """`value` as a `DurationStyle`; `DisplayError` if it is none."""
    try:
        return DurationStyle(str(value))
    except ValueError:
        raise DisplayError(
            f"'{value}' is not a duration style; use seconds (79.33 Second(s)) or mmss (1:19)"
        ) from None


def format_number(value: Decimal, places: int) -> str:
    """`value` rounded half-up to `places`, without trailing zeros: 79.333 → "79.33"."""
    return plain(round_half_up(value, places))


def with_unit(number: str, unit: str) -> str:
    """A formatted number with its unit: "2102 Attendances", "3.28%"."""
    if not unit:
        return number
    if unit in ATTACHED_UNITS:
        return number + unit
    return f"{number} {unit}"


def shown_places(kind: MeasureKind, places: int) -> int:
    """The decimal places a figure is rounded to: currency shows pence if it shows any."""
    return 2 if kind is MeasureKind.CURRENCY and places else places


Renderer = Callable[[Decimal], str]
"""Text for a figure already rounded to its shown places."""


@lru_cache(maxsize=512)
def renderer(
    unit: str,
    kind: MeasureKind = MeasureKind.NUMBER,
    duration_style: str = DurationStyle.SECONDS,
) -> Renderer:
    """The text form for an indicator's rounded figures, worked out once per indicator.

    `format_value` rounds and then renders; bulk callers round once and call this.
    """
    style = as_duration_style(duration_style)
    try:
        kind = MeasureKind(kind)
    except ValueError:
        raise DisplayError(f"'{kind}' is not a kind of measure") from None
    if kind is MeasureKind.CURRENCY:
        suffix = "" if unit in CURRENCY_UNITS else f" {unit}"

        def render_money(rounded: Decimal) -> str:
            text = format(rounded, ",f")
            if text[0] == "-":
                return f"{'-' if rounded else ''}£{text[1:]}{suffix}"
            return f"£{text}{suffix}"

        return render_money
    if kind is MeasureKind.DURATION and style is DurationStyle.MMSS:
        return format_clock
    if kind is MeasureKind.PERCENTAGE and not unit:
        unit = "%"  # a percentage typed as a figure reads as one: "93.3%"
    suffix = unit if unit in ATTACHED_UNITS or not unit else f" {unit}"

    def render_number(rounded: Decimal) -> str:
        text = format(rounded, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text == "-0":
            text = "0"
        return text + suffix

    return render_number


def format_value(
    value: Decimal | None,
    unit: str,
    places: int,
    *,
    kind: MeasureKind = MeasureKind.NUMBER,
    duration_style: str = DurationStyle.SECONDS,
) -> str:
    """A figure with its unit as reports print it (see the module docstring)."""
    render = renderer(unit, kind, duration_style)
    if value is None:
        check_places(places)  # reject bad settings even when there is no figure
        return NO_DATA_TEXT
    return render(round_half_up(value, shown_places(kind, places)))


def format_currency(value: Decimal, places: int, unit: str = "") -> str:
    """ "£1,234.50": two decimal places, or whole pounds when `places` is 0."""
    return format_value(value, unit, places, kind=MeasureKind.CURRENCY)


def format_clock(seconds: Decimal) -> str:
    """A number of seconds as a clock: 79.33 → "1:19", 3725 → "1:02:05" (whole seconds, half-up)."""
    whole = int(round_half_up(seconds, 0))
    sign = "-" if whole < 0 else ""
    hours, rest = divmod(abs(whole), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def format_fraction(numerator: Decimal | None, denominator: Decimal | None) -> str:
    """A rate's fraction as the seed prints it: "640 / 19498"; "" unless both are given."""
    if numerator is None or denominator is None:
        return ""
    return f"{plain(check_finite(numerator))} / {plain(check_finite(denominator))}"


def format_target(
    target: Decimal | None,
    unit: str,
    places: int,
    *,
    kind: MeasureKind = MeasureKind.NUMBER,
    duration_style: str = DurationStyle.SECONDS,
) -> str:
    """ "Target: 300 Second(s)", or "Info Only" when there is no target."""
    if target is None:
        return INFO_ONLY_TEXT
    return "Target: " + format_value(target, unit, places, kind=kind, duration_style=duration_style)
