"""What an indicator measures, the figure each observation reports, and aggregation.

A council collects most indicators monthly and reports them quarterly, so a quarter's
figure is made from its months (and a year's from its months or quarters). The rules,
in one place:

- **Missing is missing, never zero.** A month with no observation, or whose observation
  has no figure, is *missing*. If any month of a quarter is missing, the quarter has no
  value (`value is None`) and `missing` lists the months, so the report says "No Data"
  and why, instead of a total that quietly dropped a month.
- **Not measured spreads.** If any month is *not measured* (the figure is not a real
  measurement, e.g. the service was suspended), the quarter is not measured: a
  suspended service is never green. Its value is still worked out when every month has
  a figure, so the report can show it.
- **Reasons travel.** The no-data reasons of missing and not-measured months are joined
  into the quarter's reason: "Apr-2020, May-2020: Service closed".
- **SUM** adds the months' values. For a rate it adds numerators and denominators and
  derives the rate from the totals (adding percentages would be meaningless).
- **MEAN** is the mean of the months' figures, each month counting equally (for a rate,
  the mean of the monthly rates). CSU10's "79.33 Second(s)" is a mean of three months.
- **LAST** is the last month's figure (a count of households at the month end, say).
  Only the last month must be present, and only it can make the quarter not measured:
  earlier months do not contribute to the figure.
- **RATIO** adds numerators and denominators and derives the rate: "640 / 19498" is the
  quarter's calls abandoned over calls offered, shown as 3.28%. It needs a rate.
- **CUMULATIVE** is for figures entered as the financial year so far (year to date):
  each month's (or quarter's) figure already includes every earlier one, so a quarter is
  its last month's figure, never the months added again, and a year is its last part's.
  It combines like LAST; it differs in its targets (a coarser target is profiled, see
  `engine.targets`) and in being shown as "year to date".

A rate's figure is always derived from its numerator and denominator, never typed. A
**percentage** is the other way round: the council has only the rate, so the figure is
typed as it is printed (93.3 for 93.3%) and there is no numerator or denominator. With
nothing to add up, its quarter is the mean of the months, the last month's or the year
so far; summing percentages is refused (`check_aggregation`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from scrutineer.engine.errors import (
    AggregationError,
    DuplicatePeriodError,
    EngineError,
    FigureError,
    IncompleteRateError,
    NegativeFigureError,
    NonFiniteFigureError,
    NumeratorExceedsDenominatorError,
    PercentageOver100Error,
    PeriodError,
    RuleError,
    ZeroDenominatorError,
)
from scrutineer.engine.figures import DIVIDE, EXACT, HUNDRED, ZERO, plain
from scrutineer.engine.periods import Frequency, Period


class MeasureKind(StrEnum):
    """What sort of figure an indicator reports; decides how it is derived and displayed."""

    NUMBER = "number"
    RATE = "rate"
    DURATION = "duration"
    COUNT = "count"
    CURRENCY = "currency"
    PERCENTAGE = "percentage"
    """A rate the council has only as a figure (93.3 meaning 93.3%): typed, not derived."""


class Aggregation(StrEnum):
    """How the months of a quarter (or the parts of a year) combine; see the module docstring."""

    SUM = "sum"
    MEAN = "mean"
    LAST = "last"
    RATIO = "ratio"
    CUMULATIVE = "cumulative"
    """Each figure is the financial year so far; a quarter is its last month's figure."""


# What each kind of measure may not be aggregated by, and why (for the messages).
_REFUSED: dict[MeasureKind, dict[Aggregation, str]] = {
    MeasureKind.PERCENTAGE: {
        Aggregation.SUM: "adding percentages up gives no percentage of anything",
        Aggregation.RATIO: "a percentage entered as a figure has no numerators or denominators to add",
    },
}


def aggregation_problem(kind: MeasureKind | str, method: Aggregation | str) -> str:
    """Why `kind` cannot be aggregated by `method`, or "" when it can: a ratio needs a rate,
    and a percentage entered as a figure can be neither summed nor a ratio of sums."""
    kind, method = MeasureKind(kind), Aggregation(method)
    if method is Aggregation.RATIO and kind is not MeasureKind.RATE:
        if kind is MeasureKind.PERCENTAGE:
            return (
                "ratio aggregation divides summed numerators by summed denominators, and "
                f"{_REFUSED[kind][method]}; use mean, last or cumulative"
            )
        return (
            f"ratio aggregation divides summed numerators by summed denominators, so it "
            f"needs a rate indicator, not a {kind.value}; use sum, mean or last"
        )
    reason = _REFUSED.get(kind, {}).get(method)
    if reason:
        return (
            f"a {kind.value} cannot be aggregated by {method.value}: {reason}; use mean, last or cumulative"
        )
    return ""


def check_aggregation(kind: MeasureKind | str, method: Aggregation | str) -> None:
    """Raise `AggregationError` when `kind` cannot be aggregated by `method` (see
    `aggregation_problem`)."""
    problem = aggregation_problem(kind, method)
    if problem:
        raise AggregationError(problem)


@dataclass(frozen=True, slots=True)
class Observation:
    """One indicator's figures for one period, as entered and approved.

    A rate holds `numerator` and `denominator` and no `value`; every other kind holds
    `value`. No figure at all means no data (say why in `no_data_reason`).
    `not_measured` marks a figure that is not a real measurement.
    """

    period: Period
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    no_data_reason: str = ""
    not_measured: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.period, Period):
            raise PeriodError(f"an observation needs a Period, not {self.period!r}; use Period.parse(key)")
        # Cheap checks first: figures from the database are finite Decimals already.
        for name in ("value", "numerator", "denominator"):
            figure_in = getattr(self, name)
            if figure_in is not None and (figure_in.__class__ is not Decimal or not figure_in.is_finite()):
                object.__setattr__(self, name, _as_figure(figure_in, name, self.period))


def _as_figure(figure_in: object, name: str, period: Period) -> Decimal:
    if isinstance(figure_in, int) and not isinstance(figure_in, bool):
        return Decimal(figure_in)
    if not isinstance(figure_in, Decimal):
        raise FigureError(
            f"{period.label}: {name} {figure_in!r} is not a Decimal; "
            f"figures are exact decimals (Decimal('79.33'), not 79.33)",
            period=period,
        )
    if not figure_in.is_finite():
        raise NonFiniteFigureError(
            f"{period.label}: {name} {figure_in} is not a number; enter a real figure",
            period=period,
        )
    return figure_in


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A quarter's or year's figures made from its parts (see the module docstring)."""

    period: Period
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    missing: tuple[Period, ...] = ()
    not_measured: bool = False
    no_data_reason: str = ""

    @property
    def complete(self) -> bool:
        """True when every part needed had a figure."""
        return not self.missing


def rate(numerator: Decimal, denominator: Decimal, scale: Decimal = HUNDRED) -> Decimal:
    """`numerator` over `denominator`, times `scale` (100 for a percentage, 1000 per thousand).

    Raises when the fraction cannot be a rate: a negative count, a zero denominator, or
    (for a percentage) more in the numerator than in the denominator, which is always a
    data-entry slip (640 calls abandoned out of 600 offered).
    """
    try:
        if (
            numerator.is_finite()
            and denominator.is_finite()
            and numerator >= ZERO
            and denominator > ZERO
            and (numerator <= denominator if scale == HUNDRED else scale > ZERO)
        ):
            return DIVIDE.divide(EXACT.multiply(numerator, scale), denominator)
    except InvalidOperation:  # a NaN scale
        pass
    raise _rate_error(numerator, denominator, scale)


def _rate_error(numerator: Decimal, denominator: Decimal, scale: Decimal) -> EngineError:
    """Why a fraction is not a rate (the slow path of `rate`)."""
    if not numerator.is_finite() or not denominator.is_finite():
        return NonFiniteFigureError(
            f"numerator {numerator} and denominator {denominator} must both be real numbers"
        )
    if numerator < ZERO:
        return NegativeFigureError(
            f"numerator {plain(numerator)} is negative; a rate's numerator counts something, "
            f"so it is 0 or more"
        )
    if denominator < ZERO:
        return NegativeFigureError(
            f"denominator {plain(denominator)} is negative; a rate's denominator counts "
            f"something, so it is more than 0"
        )
    if not denominator:
        return ZeroDenominatorError(
            "denominator is 0, so there is no rate to work out; correct it, or leave "
            "numerator and denominator blank and give a reason for no data"
        )
    if scale.is_finite() and scale == HUNDRED:
        return NumeratorExceedsDenominatorError(
            f"numerator {plain(numerator)} exceeds denominator {plain(denominator)}; "
            f"a percentage cannot be over 100%"
        )
    return RuleError(f"rate scale {scale} must be more than 0 (100 for a percentage)")


def check_percentage(value: Decimal, period: Period, *, may_exceed_100: bool = False) -> None:
    """Refuse a percentage typed as a figure that cannot be one: below 0, or over 100 unless
    the indicator allows it (spending against budget, say). 93.3 means 93.3%."""
    if not value.is_finite():
        raise NonFiniteFigureError(
            f"{period.label}: value {value} is not a number; enter a real figure", period=period
        )
    if value < ZERO:
        raise NegativeFigureError(
            f"{period.label}: value {plain(value)} is negative; a percentage is 0 to 100",
            period=period,
        )
    if value > HUNDRED and not may_exceed_100:
        raise PercentageOver100Error(
            f"{period.label}: value {plain(value)} is over 100; a percentage is 0 to 100 "
            f"(type 93.3 for 93.3%), unless its indicator is set to allow figures over 100%",
            period=period,
        )


def figure(observation: Observation, kind: MeasureKind, rate_scale: Decimal = HUNDRED) -> Decimal | None:
    """The figure an observation reports: the derived rate for a rate, else its value.

    None means no data. Errors carry the period, and their messages start with its label.
    """
    if kind is not MeasureKind.RATE:
        return observation.value
    numerator, denominator = observation.numerator, observation.denominator
    if numerator is None or denominator is None:
        if numerator is None and denominator is None:
            if observation.value is None:
                return None
            raise IncompleteRateError(
                f"{observation.period.label}: a rate is worked out from its numerator and "
                f"denominator, so enter those instead of the value {plain(observation.value)}",
                period=observation.period,
            )
        given = "numerator" if denominator is None else "denominator"
        wanted = "denominator" if denominator is None else "numerator"
        raise IncompleteRateError(
            f"{observation.period.label}: the {given} has no {wanted}; "
            f"enter both, or neither with a reason for no data",
            period=observation.period,
        )
    try:
        return rate(numerator, denominator, rate_scale)
    except FigureError as error:
        raise type(error)(f"{observation.period.label}: {error}", period=observation.period) from None


def aggregate(
    observations: Iterable[Observation],
    period: Period,
    method: Aggregation,
    kind: MeasureKind,
    rate_scale: Decimal = HUNDRED,
    parts: Frequency = Frequency.MONTHLY,
) -> Aggregate:
    """`period`'s figures made from the observations of its `parts` (months by default).

    Observations of other periods or frequencies are ignored, so a whole history can be
    passed. See the module docstring for the rules.
    """
    ratio = _check(method, kind, parts, period.frequency, rate_scale)
    slots: list[Observation | None] = [None] * ratio
    for observation in observations:
        part = observation.period
        if part.frequency is parts:
            container, index = divmod(part.ordinal, ratio)
            if container == period.ordinal:
                if slots[index] is not None:
                    raise _duplicate(part)
                slots[index] = observation
    return _combine(period, period.parts(parts), slots, method, kind, rate_scale)


def aggregate_history(
    observations: Iterable[Observation],
    frequency: Frequency,
    method: Aggregation,
    kind: MeasureKind,
    rate_scale: Decimal = HUNDRED,
    parts: Frequency = Frequency.MONTHLY,
) -> dict[Period, Aggregate]:
    """Every period of `frequency` that the observations touch, aggregated, in order.

    One pass over the observations, then one aggregate per period: the bulk form of
    `aggregate`, with the same rules.
    """
    ratio = _check(method, kind, parts, frequency, rate_scale)
    groups: dict[int, list[Observation | None]] = {}
    for observation in observations:
        part = observation.period
        if part.frequency is not parts:
            continue
        container, index = divmod(part.ordinal, ratio)
        slots = groups.get(container)
        if slots is None:
            slots = groups[container] = [None] * ratio
        elif slots[index] is not None:
            raise _duplicate(part)
        slots[index] = observation
    result: dict[Period, Aggregate] = {}
    for container in sorted(groups):
        period = Period.from_ordinal(frequency, container)
        result[period] = _combine(period, period.parts(parts), groups[container], method, kind, rate_scale)
    return result


def _check(
    method: Aggregation,
    kind: MeasureKind,
    parts: Frequency,
    frequency: Frequency,
    rate_scale: Decimal,
) -> int:
    """How many parts make one period; raises if the aggregation cannot work."""
    check_aggregation(kind, method)
    if not parts.is_finer_than(frequency):
        raise AggregationError(
            f"{frequency.value} periods cannot be made from {parts.value} figures; "
            f"aggregation builds a period from shorter ones (months into quarters or years, "
            f"quarters into years)"
        )
    if kind is MeasureKind.RATE and (not rate_scale.is_finite() or rate_scale <= ZERO):
        raise RuleError(f"rate scale {rate_scale} must be more than 0 (100 for a percentage)")
    return parts.per_year // frequency.per_year


def _duplicate(part: Period) -> DuplicatePeriodError:
    return DuplicatePeriodError(
        f"{part.label} has two sets of figures; keep the one that is right and remove the other",
        period=part,
    )


def _combine(
    period: Period,
    parts: tuple[Period, ...],
    slots: list[Observation | None],
    method: Aggregation,
    kind: MeasureKind,
    rate_scale: Decimal,
) -> Aggregate:
    """Apply the aggregation rules to the observations of `period`'s parts (None = absent)."""
    last_only = method is Aggregation.LAST or method is Aggregation.CUMULATIVE
    if last_only:
        parts, slots = parts[-1:], slots[-1:]
    missing: list[Period] = []
    reasons: list[tuple[Period, str]] = []
    figures: list[Decimal] = []
    not_measured = False
    is_rate = kind is MeasureKind.RATE
    for part, observation in zip(parts, slots, strict=True):
        if observation is None:
            missing.append(part)
            continue
        value = figure(observation, kind, rate_scale) if is_rate else observation.value
        if value is None:
            missing.append(part)
        else:
            figures.append(value)
        if observation.not_measured:
            not_measured = True
        if observation.no_data_reason and (value is None or observation.not_measured):
            reasons.append((part, observation.no_data_reason))
    reason = _join_reasons(reasons) if reasons else ""
    if missing:
        return Aggregate(period, None, None, None, tuple(missing), not_measured, reason)

    numerator = denominator = None
    if last_only:
        last = slots[-1]
        assert last is not None
        value = figures[0]
        numerator, denominator = last.numerator, last.denominator
    elif method is Aggregation.MEAN:
        total = ZERO
        for value in figures:
            total = EXACT.add(total, value)
        value = DIVIDE.divide(total, len(figures))
    elif is_rate:  # SUM or RATIO of a rate: totals, then the rate
        numerator = denominator = ZERO
        for observation in slots:
            assert observation is not None and observation.numerator is not None
            assert observation.denominator is not None
            numerator = EXACT.add(numerator, observation.numerator)
            denominator = EXACT.add(denominator, observation.denominator)
        value = rate(numerator, denominator, rate_scale)
    else:
        value = ZERO
        for part_value in figures:
            value = EXACT.add(value, part_value)
    return Aggregate(period, value, numerator, denominator, (), not_measured, reason)


def _join_reasons(reasons: list[tuple[Period, str]]) -> str:
    """ "Apr-2020, May-2020: Service closed; Jun-2020: Staff shortage" (same reasons merged)."""
    by_reason: dict[str, list[str]] = {}
    for part, reason in reasons:
        by_reason.setdefault(reason.strip(), []).append(part.label)
    return "; ".join(f"{', '.join(labels)}: {reason}" for reason, labels in by_reason.items())
