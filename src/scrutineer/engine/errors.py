"""The engine's errors.

Every error the engine raises on bad input is an `EngineError`, a `ValueError`, so
callers can catch one type at the edge (a form, an import row, an API request) and
show its message. Messages say what is wrong and what to do, in words a data owner
understands, and start in lower case where a caller is expected to prefix them with
context ("Row 14: CSU11 numerator 640 exceeds denominator 600").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrutineer.engine.periods import Period


class EngineError(ValueError):
    """Base of every error raised by the engine on bad input.

    `period`, when known, is the period whose figures caused the error, so that a
    caller can point at the offending row or cell.
    """

    def __init__(self, message: str, *, period: Period | None = None) -> None:
        super().__init__(message)
        self.period = period


# Periods


class PeriodError(EngineError):
    """A period that cannot exist (month 13, a year outside the supported range)."""


class PeriodKeyError(PeriodError):
    """Text that is not a period key (`2020-06`, `2020-21-Q1`, `2020-21`)."""


class FrequencyError(EngineError):
    """Periods of different frequencies mixed where one frequency is needed."""


# Figures


class FigureError(EngineError):
    """A figure that cannot be used as entered."""


class NonFiniteFigureError(FigureError):
    """NaN or infinity where a real number is needed."""


class FigureTextError(FigureError):
    """Text that is not a figure as Scrutineer reads one: "1e5", "NaN", "12_000", "٣"."""


class FigureNotKeptError(FigureError):
    """A figure with more digits than every database Scrutineer runs on keeps exactly
    (decision 0011): more than 15 significant digits, 6 decimal places or 14 whole digits."""


class NegativeFigureError(FigureError):
    """A negative numerator or denominator: the counts behind a rate cannot be negative."""


class ZeroDenominatorError(FigureError):
    """A rate over a denominator of 0, which has no value."""


class NumeratorExceedsDenominatorError(FigureError):
    """A percentage over 100%: more of something than there was in total."""


class PercentageOver100Error(FigureError):
    """A percentage typed as a figure over 100, for an indicator that does not allow it."""


class IncompleteRateError(FigureError):
    """A rate with only one of its numerator and denominator, or a typed value instead of both."""


class DuplicatePeriodError(EngineError):
    """Two figures for one period of one indicator: the engine will not guess which is right."""


# Rules


class AggregationError(EngineError):
    """An aggregation that does not fit the indicator or the periods."""


class ToleranceError(EngineError):
    """A tolerance that cannot define an amber band (negative, NaN)."""


class DisplayError(EngineError):
    """A display setting that cannot be honoured (decimal places, duration style)."""


class RuleError(EngineError):
    """An indicator definition that the engine cannot judge figures with."""


class StatusRuleError(RuleError):
    """A status rule that cannot judge figures: an unknown key, a band that can never
    match, a gap no clause covers. The message names the key or clause."""


class FigureNeededError(EngineError):
    """A figure a status rule needs to decide (last year's, the previous period's, a
    forecast) was not given, where the caller asked to be told rather than be judged
    conservatively. `needs` is "last-year", "previous" or "forecast"."""

    def __init__(self, message: str, *, needs: str, period: Period | None = None) -> None:
        super().__init__(message, period=period)
        self.needs = needs
