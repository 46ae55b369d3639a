"""Checking what was typed for a figure or an achievement, before anything is stored.

The collection actions call these; they add messages to an `errors` dict keyed by the
form fields (`value`, `numerator`, `denominator`, `no_data_reason`, `note`, `period`,
`body`, …), each prefixed with the figure it is about ("CSU11 Jun-2020: …").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone

from scrutineer.catalogue.models import Indicator
from scrutineer.changes import NON_FIELD
from scrutineer.collection.models import ValueState
from scrutineer.engine import (
    FigureError,
    Frequency,
    IncompleteRateError,
    MeasureKind,
    NegativeFigureError,
    NonFiniteFigureError,
    NumeratorExceedsDenominatorError,
    Observation,
    Period,
    PeriodKeyError,
    ZeroDenominatorError,
    check_percentage,
    figure,
)
from scrutineer.engine.figures import echo, plain, read_figure

EDITABLE = (ValueState.DRAFT, ValueState.RETURNED)
"""States in which a figure may be changed, and from which it may be submitted."""

# Kinds whose figure counts or times something, so it is never below 0.
_NEVER_NEGATIVE = {MeasureKind.COUNT: "a count", MeasureKind.DURATION: "a duration"}


# Plain text


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--|<![A-Za-z\[]|<\?")


# Control characters other than a line break or a tab: invisible, unprintable, and NUL is
# refused by PostgreSQL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text_error(text: str) -> str | None:
    """Why `text` is not plain text, or None. Reports lay text out themselves."""
    control = _CONTROL.search(text)
    if control is not None:
        return (
            f"Text only, please: it contains a control character (U+{ord(control.group(0)):04X}), "
            f"which cannot be stored or printed. Remove it; it may have come with text pasted "
            f"from another program."
        )
    found = _TAG.search(text)
    if found is None:
        return None
    return (
        f'Text only, please: "{echo(found.group(0))}" looks like an HTML tag. Remove it; reports '
        f'lay text out themselves (a blank line starts a new paragraph, a line starting "- " '
        f"is a bullet point)."
    )


def clean_text(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_texts(texts: Mapping[str, str], errors: dict[str, list[str]]) -> None:
    for field, text in texts.items():
        problem = plain_text_error(text)
        if problem:
            errors.setdefault(field, []).append(problem)


# Figures


def as_decimal(raw: Any, field: str, prefix: str, errors: dict[str, list[str]]) -> Decimal | None:
    """The figure in `raw` (a Decimal, an int, or typed text such as "19,498"), or None if
    blank; whatever is not a figure every database keeps exactly (decision 0011) adds a
    message to `errors` instead: "CSU10 Jun-2020: value 99999999999999.995 has 17
    significant digits; …"."""
    try:
        return read_figure(raw)
    except FigureError as error:
        errors.setdefault(field, []).append(f"{prefix}: {field} {error}.")
        return None


def _engine_error_field(
    error: FigureError, value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> str:
    """The form field an engine error is about."""
    if isinstance(error, NumeratorExceedsDenominatorError):
        return "numerator"
    if isinstance(error, ZeroDenominatorError):
        return "denominator"
    if isinstance(error, NegativeFigureError):
        return "numerator" if numerator is not None and numerator < 0 else "denominator"
    if isinstance(error, IncompleteRateError):
        if numerator is None and denominator is None:
            return "value"
        return "numerator" if numerator is None else "denominator"
    if isinstance(error, NonFiniteFigureError):
        for name, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
            if number is not None and not number.is_finite():
                return name
    return NON_FIELD


def check_figures(
    indicator: Indicator,
    period: Period,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    no_data_reason: str,
    not_measured: bool,
    errors: dict[str, list[str]],
) -> None:
    """Add to `errors` whatever the engine (and the store) would refuse in these figures."""
    prefix = f"{indicator.code} {period.label}"
    kind = MeasureKind(indicator.measure_kind)
    # A stored figure is checked again when it is submitted: one written before these
    # limits, or by hand, is refused rather than sent for approval.
    for name, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None:
            as_decimal(number, name, prefix, errors)
    if errors:
        return

    def engine(
        value: Decimal | None = None, numerator: Decimal | None = None, denominator: Decimal | None = None
    ) -> None:
        try:
            observation = Observation(
                period=period, value=value, numerator=numerator, denominator=denominator
            )
            figure(observation, kind, indicator.rate_scale)
        except FigureError as error:
            field = _engine_error_field(error, value, numerator, denominator)
            errors.setdefault(field, []).append(f"{indicator.code} {error}")

    if kind is MeasureKind.RATE:
        if value is not None:  # the engine's own refusal of a typed rate
            engine(value=value)
        engine(numerator=numerator, denominator=denominator)
    else:
        for name, number in (("numerator", numerator), ("denominator", denominator)):
            if number is not None:
                errors.setdefault(name, []).append(
                    f"{prefix}: {indicator.code} is measured as one figure, not a fraction; "
                    f"enter it as the value and leave numerator and denominator blank."
                )
        engine(value=value)
        if kind is MeasureKind.PERCENTAGE and value is not None and value.is_finite():
            try:
                check_percentage(value, period, may_exceed_100=indicator.may_exceed_100)
            except FigureError as error:
                errors.setdefault("value", []).append(f"{indicator.code} {error}")
        if value is not None and value.is_finite() and value < 0 and kind in _NEVER_NEGATIVE:
            error = NegativeFigureError(
                f"{period.label}: value {plain(value)} is negative; {_NEVER_NEGATIVE[kind]} cannot be below 0"
            )
            errors.setdefault("value", []).append(f"{indicator.code} {error}")
    has_figure = value is not None or numerator is not None or denominator is not None

    if not has_figure and not not_measured and not no_data_reason:
        errors.setdefault("no_data_reason", []).append(
            f"{prefix}: there is no figure, so say why in the reason for no data "
            f'(e.g. "Service closed due to CV-19"); a gap is never reported as zero.'
        )
    if has_figure and not not_measured and no_data_reason:
        errors.setdefault("no_data_reason", []).append(
            f"{prefix}: there is a figure, so leave the reason for no data blank, or mark the "
            f"figure as not measured if it is not a real measurement (say why in the reason)."
        )


def parse_period(period: Period | str, errors: dict[str, list[str]]) -> Period | None:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(str(period))
    except PeriodKeyError as error:
        errors.setdefault("period", []).append(str(error))
        return None


def check_period(indicator: Indicator, period: Period, errors: dict[str, list[str]]) -> None:
    frequency = Frequency(indicator.frequency)
    if period.frequency is not frequency:
        example = Period.containing(timezone.localdate(), frequency).previous()
        errors.setdefault("period", []).append(
            f"{indicator.code} is collected {frequency.value}, so enter figures for "
            f"{_a_period(frequency)} (e.g. {example.label}), not {period.label}."
        )
    elif indicator.retired_on is not None and period.start > indicator.retired_on:
        errors.setdefault("period", []).append(
            f"{indicator.code} was retired on {indicator.retired_on:%d %B %Y}, before {period.label} began."
        )


def _a_period(frequency: Frequency) -> str:
    return {Frequency.MONTHLY: "a month", Frequency.QUARTERLY: "a quarter"}.get(frequency, "a financial year")
