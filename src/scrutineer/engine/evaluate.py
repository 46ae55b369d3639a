"""From stored figures to what a report shows: one call per indicator.

`evaluate` turns one period's figures (an `Observation`, or an `Aggregate` of its
months) into a `Result`: the figure rounded as shown, its status against target, and
its display text. `compare` sets a result beside the previous period and the same
period last year, with trends, as a report's columns do ("Jun-2020", "Mar-20",
"Jun-19"). `evaluate_history` does both for every period of an indicator's history
at once, which is how dashboards, charts and reports should call the engine.

The figure is rounded half-up to the indicator's decimal places *before* it is judged
and compared, and `Result.value` holds that rounded figure: status, trend and display
always agree with what people read ("20%" against "Target: 20%" is green, and two
quarters both shown as "79.33" are unchanged).

The status follows the indicator's status rule (`IndicatorRule.status_rule`; none means
`DEFAULT_RULE`, today's rule with the indicator's or the site's tolerance), and
`Result.status_label` is the rule's word for it. A rule that asks about earlier figures
or a forecast (an improvement split, "amber if forecast to meet the year-end target")
is decided in full by `compare` and `evaluate_history`, which have them; `evaluate`
alone has only the period's own figures and gives the conservative status (such a
clause does not match). Trends use the rule's "similar" band.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from functools import lru_cache
from typing import Final

from scrutineer.engine.display import (
    INFO_ONLY_TEXT,
    NO_DATA_TEXT,
    NO_TARGET_TEXT,
    DurationStyle,
    as_duration_style,
    format_target,
    renderer,
    shown_places,
)
from scrutineer.engine.errors import (
    DuplicatePeriodError,
    EngineError,
    FrequencyError,
    NonFiniteFigureError,
    PeriodError,
    RuleError,
)
from scrutineer.engine.figures import DIVIDE, EXACT, HALF_UP, HUNDRED, QUANTA, ZERO, check_places, plain
from scrutineer.engine.measures import (
    Aggregate,
    Aggregation,
    MeasureKind,
    Observation,
    aggregate_history,
    check_aggregation,
    figure,
)
from scrutineer.engine.periods import Frequency, Period
from scrutineer.engine.rules import DEFAULT_RULE, ForecastSource, RuleJudge, StatusRule
from scrutineer.engine.status import Polarity, Status, Tolerance, as_polarity
from scrutineer.engine.targets import expand_targets, year_end_target
from scrutineer.engine.trend import Trend, directions, trend_of_rounded


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """Everything the engine needs to know about an indicator to judge and show its figures.

    `tolerance` None means the site's default tolerance applies. `rate_scale` is what a
    rate is multiplied by (100 for a percentage, 1000 for "per 1,000"). `status_rule`
    None means `DEFAULT_RULE` (amber within the tolerance).
    """

    code: str
    kind: MeasureKind
    polarity: Polarity
    aggregation: Aggregation
    unit: str = ""
    decimal_places: int = 2
    tolerance: Tolerance | None = None
    rate_scale: Decimal = HUNDRED
    duration_style: str = DurationStyle.SECONDS
    status_rule: StatusRule | None = None

    @property
    def judged_by(self) -> StatusRule:
        """The status rule this indicator's figures are judged by, and whose words show them."""
        return DEFAULT_RULE if self.status_rule is None else self.status_rule

    def __post_init__(self) -> None:
        try:
            self._validate()
        except EngineError as error:
            raise type(error)(f"{self.code}: {error}") from None

    def _validate(self) -> None:
        set_field = object.__setattr__
        try:
            set_field(self, "kind", MeasureKind(self.kind))
        except ValueError:
            raise RuleError(
                f"'{self.kind}' is not a kind of measure; "
                f"use number, rate, duration, count, currency or percentage"
            ) from None
        try:
            set_field(self, "aggregation", Aggregation(self.aggregation))
        except ValueError:
            raise RuleError(
                f"'{self.aggregation}' is not an aggregation; use sum, mean, last, ratio or cumulative"
            ) from None
        set_field(self, "polarity", as_polarity(self.polarity))
        set_field(self, "duration_style", as_duration_style(self.duration_style))
        check_places(self.decimal_places)
        check_aggregation(self.kind, self.aggregation)
        scale = self.rate_scale
        if isinstance(scale, int) and not isinstance(scale, bool):
            scale = Decimal(scale)
            set_field(self, "rate_scale", scale)
        if not isinstance(scale, Decimal) or not scale.is_finite() or scale <= ZERO:
            raise RuleError(f"rate scale {scale} must be more than 0 (100 for a percentage)")
        if self.tolerance is not None and not isinstance(self.tolerance, Tolerance):
            raise RuleError(f"tolerance {self.tolerance!r} is not a Tolerance")
        if self.status_rule is not None and not isinstance(self.status_rule, StatusRule):
            raise RuleError(f"status rule {self.status_rule!r} is not a StatusRule")


@dataclass(frozen=True, slots=True)
class Result:
    """One indicator's figures for one period, judged and ready to show.

    `value` is the figure rounded to the indicator's decimal places (what was judged);
    `numerator` and `denominator` are as entered. `missing` lists the periods (months
    of a quarter, or the period itself) that had no figure. `status_label` is the status
    in the words of the indicator's status rule ("On target"; "Green" by default).
    """

    period: Period
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    target: Decimal | None
    status: Status
    display: str
    fraction_display: str
    target_display: str
    no_data_reason: str
    missing: tuple[Period, ...]
    not_measured: bool
    status_label: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """A period's result beside the previous period's and the same period last year's."""

    current: Result
    previous: Result
    last_year: Result
    trend_previous: Trend
    trend_last_year: Trend


def _setters(cls: type) -> tuple[Callable[[object, object], None], ...]:
    return tuple(getattr(cls, item.name).__set__ for item in fields(cls))


# Bulk constructors for `evaluate_history`, which builds a Result and a Comparison per
# period. A frozen dataclass's __init__ calls object.__setattr__ per field; setting the
# slots directly builds the same object about 40% faster. Internal values only: they
# skip nothing but that (neither class validates in __post_init__).
def _new_result(
    period: Period,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    target: Decimal | None,
    status: Status,
    display: str,
    fraction_display: str,
    target_display: str,
    no_data_reason: str,
    missing: tuple[Period, ...],
    not_measured: bool,
    status_label: str,
    _new: Callable[[type[Result]], Result] = object.__new__,
    _setters: tuple[Callable[[object, object], None], ...] = _setters(Result),
) -> Result:
    result = _new(Result)
    s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12 = _setters
    s0(result, period)
    s1(result, value)
    s2(result, numerator)
    s3(result, denominator)
    s4(result, target)
    s5(result, status)
    s6(result, display)
    s7(result, fraction_display)
    s8(result, target_display)
    s9(result, no_data_reason)
    s10(result, missing)
    s11(result, not_measured)
    s12(result, status_label)
    return result


def _new_comparison(
    current: Result,
    previous: Result,
    last_year: Result,
    trend_previous: Trend,
    trend_last_year: Trend,
    _new: Callable[[type[Comparison]], Comparison] = object.__new__,
    _setters: tuple[Callable[[object, object], None], ...] = _setters(Comparison),
) -> Comparison:
    comparison = _new(Comparison)
    s0, s1, s2, s3, s4 = _setters
    s0(comparison, current)
    s1(comparison, previous)
    s2(comparison, last_year)
    s3(comparison, trend_previous)
    s4(comparison, trend_last_year)
    return comparison


_NO_DATA: Final = Status.NO_DATA
_NOT_COMPARABLE: Final = Trend.NOT_COMPARABLE
_UNCHANGED: Final = Trend.UNCHANGED
_CLOSEST: Final = Polarity.CLOSEST_TO_TARGET
_DISPLAY_CACHE_SIZE: Final = 1024


class _Evaluator:
    """One rule's judge, rounding and display settings, built once and reused per period."""

    __slots__ = (
        "info_only",
        "is_rate",
        "judge",
        "labels",
        "quantum",
        "render",
        "rule",
        "shown_places",
        "target_displays",
    )

    def __init__(self, rule: IndicatorRule, default_tolerance: Tolerance | None) -> None:
        tolerance = rule.tolerance if rule.tolerance is not None else default_tolerance
        self.rule = rule
        status_rule = rule.judged_by
        self.judge: RuleJudge = status_rule.judge(rule.polarity, tolerance)
        self.labels = {status: status_rule.label(status) for status in Status}
        self.info_only = rule.polarity is Polarity.INFO_ONLY
        self.is_rate = rule.kind is MeasureKind.RATE
        self.shown_places = shown_places(rule.kind, rule.decimal_places)
        self.quantum = QUANTA[self.shown_places]
        self.render = renderer(rule.unit, rule.kind, rule.duration_style)
        self.target_displays: dict[Decimal | None, str] = {}

    def results(
        self,
        periods: Iterable[Period],
        sources: Iterable[Observation | Aggregate | None],
        targets: Iterable[Decimal | None],
    ) -> list[Result]:
        """A result per period from its figures (None: none) and target, in one lean loop.

        This is the hot path of `evaluate_history`, so everything is bound to locals.
        """
        rule = self.rule
        kind, scale, is_rate = rule.kind, rule.rate_scale, self.is_rate
        quantize, quantum, render = HALF_UP.quantize, self.quantum, self.render
        assess = self.judge.assess
        labels = self.labels
        no_data_label = labels[_NO_DATA]
        target_displays, target_display = self.target_displays, self.target_display
        out: list[Result] = []
        append = out.append
        for period, source, target in zip(periods, sources, targets, strict=True):
            try:
                shown_target = target_displays[target]
            except (KeyError, TypeError):  # new target (TypeError: a signalling NaN)
                shown_target = target_display(target, period)
            if source is None:
                append(
                    _new_result(
                        period,
                        None,
                        None,
                        None,
                        target,
                        _NO_DATA,
                        NO_DATA_TEXT,
                        "",
                        shown_target,
                        "",
                        (period,),
                        False,
                        no_data_label,
                    )
                )
                continue
            if source.period is not period and source.period != period:
                raise PeriodError(
                    f"{rule.code}: figures for {source.period.label} were given "
                    f"as the figures for {period.label}",
                    period=period,
                )
            missing: tuple[Period, ...]
            if isinstance(source, Aggregate):
                value, missing = source.value, source.missing
            else:
                value = figure(source, kind, scale) if is_rate else source.value
                missing = () if value is not None else (period,)
            if value is None:
                text = NO_DATA_TEXT
            else:
                value = quantize(value, quantum)
                text = render(value)
            numerator, denominator = source.numerator, source.denominator
            status = assess(value, target, source.not_measured)
            append(
                _new_result(
                    period,
                    value,
                    numerator,
                    denominator,
                    target,
                    status,
                    text,
                    f"{plain(numerator)} / {plain(denominator)}"
                    if is_rate and numerator is not None and denominator is not None
                    else "",
                    shown_target,
                    source.no_data_reason,
                    missing,
                    source.not_measured,
                    labels[status],
                )
            )
        return out

    def in_context(
        self,
        current: Result,
        trend_previous: Trend,
        trend_last_year: Trend,
        forecast_meets: bool | None,
    ) -> Result:
        """`current` judged in full by a rule that asks about earlier figures or a forecast."""
        value, target = current.value, current.target
        if current.status not in self.judge.unsettled or value is None or target is None:
            return current
        status, _ = self.judge.decide(value, target, trend_previous, trend_last_year, forecast_meets)
        if status is current.status:
            return current
        return replace(current, status=status, status_label=self.labels[status])

    def forecast_meets(
        self,
        period: Period,
        result_for: Callable[[Period], Result | None],
        targets: Mapping[Period, Decimal],
        forecasts: Mapping[Period, Decimal] | None,
    ) -> bool | None:
        """Whether `period`'s year-end forecast meets the year-end target (None: no forecast)."""
        rule = self.rule
        if rule.judged_by.forecast_from is ForecastSource.OWNER:
            entered = forecasts.get(period) if forecasts else None
            forecast = None if entered is None else HALF_UP.quantize(entered, self.quantum)
        else:
            forecast = self.forecast_from_data(period, result_for)
        goal = year_end_target(targets, period, rule.aggregation)
        return self.judge.meets(forecast, goal)

    def forecast_from_data(
        self, period: Period, result_for: Callable[[Period], Result | None]
    ) -> Decimal | None:
        """The year so far carried on at the same pace, rounded as shown: the sum scaled up
        to a whole year (or the year-to-date figure scaled up, for a cumulative one), the
        mean, the last figure or the ratio of the sums, by the indicator's aggregation.
        None when a period of the year so far has no real figure."""
        year = period.within(Frequency.ANNUAL).parts(period.frequency)
        so_far: list[Result] = []
        values: list[Decimal] = []
        for part in year[: year.index(period) + 1]:
            found = result_for(part)
            if found is None or found.value is None or found.not_measured:
                return None
            so_far.append(found)
            values.append(found.value)
        aggregation = self.rule.aggregation
        if aggregation is Aggregation.LAST:
            forecast = values[-1]
        elif aggregation is Aggregation.CUMULATIVE:  # the year so far, at the same pace
            forecast = DIVIDE.divide(EXACT.multiply(values[-1], Decimal(len(year))), Decimal(len(values)))
        elif aggregation is Aggregation.RATIO:
            numerator = denominator = ZERO
            for result in so_far:
                if result.numerator is None or result.denominator is None:
                    return None
                numerator = EXACT.add(numerator, result.numerator)
                denominator = EXACT.add(denominator, result.denominator)
            if not denominator:
                return None
            forecast = DIVIDE.divide(EXACT.multiply(numerator, self.rule.rate_scale), denominator)
        else:
            total = ZERO
            for value in values:
                total = EXACT.add(total, value)
            forecast = DIVIDE.divide(total, Decimal(len(values)))
            if aggregation is Aggregation.SUM:
                forecast = EXACT.multiply(forecast, Decimal(len(year)))
        return HALF_UP.quantize(forecast, self.quantum)

    def target_display(self, target: Decimal | None, period: Period) -> str:
        """ "Target: 300 Second(s)" for a target not yet in the cache, which it checks once."""
        if target is not None and not target.is_finite():
            raise NonFiniteFigureError(
                f"{self.rule.code}: the target for {period.label} is {target}; set a real target",
                period=period,
            )
        if self.info_only:
            text = INFO_ONLY_TEXT
        elif target is None:
            text = NO_TARGET_TEXT
        else:
            rule = self.rule
            text = format_target(
                target,
                rule.unit,
                self.shown_places,
                kind=rule.kind,
                duration_style=rule.duration_style,
            )
        if len(self.target_displays) >= _DISPLAY_CACHE_SIZE:
            self.target_displays.clear()
        self.target_displays[target] = text
        return text


@lru_cache(maxsize=1024)
def _evaluator(rule: IndicatorRule, default_tolerance: Tolerance | None) -> _Evaluator:
    return _Evaluator(rule, default_tolerance)


def evaluate(
    rule: IndicatorRule,
    source: Observation | Aggregate | None,
    period: Period,
    target: Decimal | None,
    default_tolerance: Tolerance | None,
) -> Result:
    """`period`'s result from its figures (None: no figures at all, so no data)."""
    return _evaluator(rule, default_tolerance).results((period,), (source,), (target,))[0]


def compare(
    rule: IndicatorRule,
    results: Mapping[Period, Result],
    period: Period,
    *,
    targets: Mapping[Period, Decimal] | None = None,
    default_tolerance: Tolerance | None = None,
    forecasts: Mapping[Period, Decimal] | None = None,
) -> Comparison:
    """`period`'s result beside the previous period's and last year's, with trends.

    A period missing from `results` is shown as no data, with its target from `targets`
    when given (so the report can still print "Target: 20%" under "No Data").

    A status rule that asks about earlier figures or a forecast decides the current
    result here, in full (the results from `evaluate` hold the conservative status):
    give the `default_tolerance` the results were evaluated with, and for a forecast,
    `targets` (for the year-end target) and either `forecasts` (entered by the owner, by
    period) or, for a forecast from the data, the year so far in `results`. The
    previous and last year's results are shown as given.
    """
    evaluator = _evaluator(rule, default_tolerance)

    def result_for(wanted: Period) -> Result:
        found = results.get(wanted)
        if found is None:
            target = targets.get(wanted) if targets else None
            found = evaluator.results((wanted,), (None,), (target,))[0]
        return found

    current = result_for(period)
    previous = result_for(period.previous())
    last_year = result_for(period.same_period_last_year())
    judge = evaluator.judge

    def trend_to(other: Result) -> Trend:
        if current.not_measured or other.not_measured:
            return _NOT_COMPARABLE
        return judge.trend(current.value, other.value, current.target)

    trend_previous, trend_last_year = trend_to(previous), trend_to(last_year)
    if judge.needs_context and current.status in judge.unsettled:
        meets = (
            evaluator.forecast_meets(period, results.get, targets or {}, forecasts)
            if "forecast" in rule.judged_by.needs
            else None
        )
        current = evaluator.in_context(current, trend_previous, trend_last_year, meets)
    return Comparison(current, previous, last_year, trend_previous, trend_last_year)


def evaluate_history(
    rule: IndicatorRule,
    observations: Iterable[Observation],
    targets: Mapping[Period, Decimal],
    default_tolerance: Tolerance | None,
    *,
    frequency: Frequency | None = None,
    forecasts: Mapping[Period, Decimal] | None = None,
) -> dict[Period, Comparison]:
    """Status and trends for every period of an indicator's history, in order.

    The observations must share one frequency. With `frequency` None they are judged
    at it; with a coarser `frequency` (quarterly or annual from monthly figures, annual
    from quarterly) they are first aggregated by the rule's aggregation. The history
    runs from the first period with figures to the last; a period in between with no
    figures is no data. `targets` may be set for the judged periods or for coarser ones
    (an annual target applies to each quarter; see `engine.targets`).

    A status rule with a forecast from the owner reads it from `forecasts`, by judged
    period; one from the data carries the year so far on. The year-end target comes
    from `targets` (`engine.targets.year_end_target`).
    """
    observed = list(observations)
    if not observed:
        return {}
    own = observed[0].period.frequency
    judged = own if frequency is None else frequency
    sources: dict[int, Observation | Aggregate] = {}
    if judged is own:
        for observation in observed:
            period = observation.period
            if period.frequency is not own:
                raise _mixed(rule, own, period)
            if period.ordinal in sources:
                raise DuplicatePeriodError(
                    f"{rule.code}: {period.label} has two sets of figures; keep the one "
                    f"that is right and remove the other",
                    period=period,
                )
            sources[period.ordinal] = observation
    elif own.is_finer_than(judged):
        for observation in observed:
            if observation.period.frequency is not own:
                raise _mixed(rule, own, observation.period)
        aggregates = aggregate_history(
            observed, judged, rule.aggregation, rule.kind, rule.rate_scale, parts=own
        )
        sources = {period.ordinal: found for period, found in aggregates.items()}
    else:
        raise FrequencyError(
            f"{rule.code}: {own.value} figures cannot be judged {judged.value}; "
            f"a period is judged on figures for it or for the shorter periods within it"
        )

    # Results for the history plus a year before it, so every period has its previous
    # and last year's result at a fixed offset (the lead-in year is all no data).
    per_year = judged.per_year
    first, last = min(sources) - per_year, max(sources)
    periods = [Period.from_ordinal(judged, ordinal) for ordinal in range(first, last + 1)]
    get_source = sources.get
    get_target = expand_targets(targets, judged, rule.aggregation).get
    evaluator = _Evaluator(rule, default_tolerance)
    results = evaluator.results(
        periods,
        [get_source(ordinal) for ordinal in range(first, last + 1)],
        [get_target(period) for period in periods],
    )

    polarity = rule.polarity
    closest = polarity is _CLOSEST
    rising, falling = directions(polarity)
    judge = evaluator.judge
    # A "similar" band, or a clause about earlier figures or a forecast, takes the
    # general path; the default rule keeps the inlined one.
    similar = judge.rule.similar.amount
    in_context = judge.needs_context
    unsettled = judge.unsettled
    forecasting = in_context and "forecast" in rule.judged_by.needs
    by_period = {result.period: result for result in results} if forecasting else {}
    comparisons: dict[Period, Comparison] = {}
    for index in range(per_year, len(results)):
        current = results[index]
        previous = results[index - 1]
        last_year = results[index - per_year]
        value = current.value
        if value is None or current.not_measured:
            trend_previous = trend_last_year = _NOT_COMPARABLE
        elif similar:
            trend_previous = (
                _NOT_COMPARABLE
                if previous.not_measured
                else judge.trend(value, previous.value, current.target)
            )
            trend_last_year = (
                _NOT_COMPARABLE
                if last_year.not_measured
                else judge.trend(value, last_year.value, current.target)
            )
        else:
            # trend_of_rounded, inlined for the polarities that need no target.
            other = previous.value
            if other is None or previous.not_measured:
                trend_previous = _NOT_COMPARABLE
            elif closest:
                trend_previous = trend_of_rounded(value, other, polarity, current.target)
            else:
                trend_previous = _UNCHANGED if value == other else rising if value > other else falling
            other = last_year.value
            if other is None or last_year.not_measured:
                trend_last_year = _NOT_COMPARABLE
            elif closest:
                trend_last_year = trend_of_rounded(value, other, polarity, current.target)
            else:
                trend_last_year = _UNCHANGED if value == other else rising if value > other else falling
        if in_context and current.status in unsettled:
            meets = (
                evaluator.forecast_meets(current.period, by_period.get, targets, forecasts)
                if forecasting
                else None
            )
            # Judged in order, so a later period's previous and last year's results
            # show the statuses decided here.
            current = results[index] = evaluator.in_context(current, trend_previous, trend_last_year, meets)
        comparisons[current.period] = _new_comparison(
            current, previous, last_year, trend_previous, trend_last_year
        )
    return comparisons


def _mixed(rule: IndicatorRule, own: Frequency, period: Period) -> FrequencyError:
    return FrequencyError(
        f"{rule.code}: figures mix {own.value} periods with {period.label} "
        f"({period.frequency.value}); an indicator is collected at one frequency",
        period=period,
    )
