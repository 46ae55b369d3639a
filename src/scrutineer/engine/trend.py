"""Trend: is this period's figure better or worse than an earlier one?

Figures are compared as people see them, rounded half-up to the indicator's decimal
places, so two figures both printed "79.33" are *unchanged* even if they differ in
the fourth place.

- Equal rounded figures are **unchanged**, for every polarity; so are figures that
  differ by no more than a council's "similar" band (`similar`, an amount in the
  indicator's unit, edges included: a 0.5-point fall within a 0.5 band is similar).
  A status rule sets the band (`StatusRule.similar`); by default there is none.
- Higher or lower is better: **improving** or **worsening** by that polarity.
- Closest to target: improving when the figure moved nearer the (current) target,
  worsening when further away, unchanged when just as far on the other side. Without
  a target there is no "nearer", so the trend is **not comparable**.
- Info only: the figure went **up** or **down**, with no judgement.
- A missing figure on either side is **not comparable**; so is a figure that is not a
  real measurement (callers that know, like `evaluate`, check that first).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Final

from scrutineer.engine.figures import EXACT, HALF_UP, ZERO, check_finite, check_places
from scrutineer.engine.status import Polarity, as_polarity


class Trend(StrEnum):
    """Direction of a figure against an earlier period's (see the module docstring)."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    UNCHANGED = "unchanged"
    UP = "up"
    DOWN = "down"
    NOT_COMPARABLE = "not-comparable"

    @property
    def label(self) -> str:
        return _TREND_LABELS[self]

    @property
    def symbol(self) -> str:
        """A text symbol distinct per trend, safe in PDFs and read out by screen readers."""
        return _TREND_SYMBOLS[self]

    @property
    def description(self) -> str:
        return f"{_TREND_LABELS[self]}: {_TREND_EXPLANATIONS[self]}"

    @property
    def explanation(self) -> str:
        """`description` without the label, so a council's own word can lead it."""
        return _TREND_EXPLANATIONS[self]


_TREND_LABELS: Final = {
    Trend.IMPROVING: "Improving",
    Trend.WORSENING: "Worsening",
    Trend.UNCHANGED: "Unchanged",
    Trend.UP: "Up",
    Trend.DOWN: "Down",
    Trend.NOT_COMPARABLE: "Not comparable",
}
_TREND_SYMBOLS: Final = {
    Trend.IMPROVING: "▲",
    Trend.WORSENING: "▼",
    Trend.UNCHANGED: "►",
    Trend.UP: "↑",
    Trend.DOWN: "↓",
    Trend.NOT_COMPARABLE: "–",
}
_TREND_EXPLANATIONS: Final = {
    Trend.IMPROVING: "better than the period compared with.",
    Trend.WORSENING: "worse than the period compared with.",
    Trend.UNCHANGED: "the same as the period compared with, as shown.",
    Trend.UP: "higher than the period compared with (an information-only figure).",
    Trend.DOWN: "lower than the period compared with (an information-only figure).",
    Trend.NOT_COMPARABLE: (
        "a figure is missing or not a real measurement, or there is no target to compare distances with."
    ),
}

_LOWER: Final = Polarity.LOWER_IS_BETTER
_CLOSEST: Final = Polarity.CLOSEST_TO_TARGET
_IMPROVING: Final = Trend.IMPROVING
_WORSENING: Final = Trend.WORSENING


def trend(
    current: Decimal | None,
    comparison: Decimal | None,
    polarity: Polarity,
    *,
    places: int,
    target: Decimal | None = None,
    similar: Decimal = ZERO,
) -> Trend:
    """The trend from `comparison` to `current`, rounded to `places` (see the module docstring).

    `similar` is the width of the "similar" band in the indicator's unit (a rule's band
    in percent is worked out by `RuleJudge.trend`).
    """
    quantum = check_places(places)
    if current is None or comparison is None:
        return Trend.NOT_COMPARABLE
    return trend_of_rounded(
        HALF_UP.quantize(check_finite(current), quantum),
        HALF_UP.quantize(check_finite(comparison), quantum),
        as_polarity(polarity),
        target,
        similar,
    )


def directions(polarity: Polarity) -> tuple[Trend, Trend]:
    """The trends for a figure that rose and one that fell, for a polarity without a target.

    Closest-to-target is not covered: whether a move is better depends on the target.
    """
    if polarity is _LOWER:
        return _WORSENING, _IMPROVING
    if polarity is Polarity.INFO_ONLY:
        return Trend.UP, Trend.DOWN
    return _IMPROVING, _WORSENING


def trend_of_rounded(
    current: Decimal,
    comparison: Decimal,
    polarity: Polarity,
    target: Decimal | None,
    similar: Decimal = ZERO,
) -> Trend:
    """`trend` for figures already rounded as shown (the bulk path in `evaluate_history`)."""
    if current == comparison:
        return Trend.UNCHANGED
    if polarity is _CLOSEST:
        if target is None:
            return Trend.NOT_COMPARABLE
        check_finite(target, "target")
        now = EXACT.abs(EXACT.subtract(current, target))
        before = EXACT.abs(EXACT.subtract(comparison, target))
        if now == before or (similar and EXACT.abs(EXACT.subtract(now, before)) <= similar):
            return Trend.UNCHANGED
        return _IMPROVING if now < before else _WORSENING
    if similar and EXACT.abs(EXACT.subtract(current, comparison)) <= similar:
        return Trend.UNCHANGED
    rising, falling = directions(polarity)
    return rising if current > comparison else falling
