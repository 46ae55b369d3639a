"""The performance table: stored rows → engine inputs → engine results.

`judge_indicators` is the one place that turns indicators and a period into judged rows;
`build_table` calls it for a committee, the service and theme dashboards for theirs.
The CLI, the web pages and the report renderers all read its `PerformanceTable` and
never compute a status themselves. How a figure that is not yet approved reads is
decided once, in `collection.reading.reported_observation`.

Each indicator is judged by the status rule in force for it (its own, its theme's, the
site's, else the default: `catalogue.models.rules_in_force`), and every cell carries
that rule, so a page or a report words each status and trend as the rule does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Q, QuerySet

from scrutineer.catalogue.models import (
    Committee,
    CommitteeIndicatorPeriods,
    Indicator,
    RuleInForce,
    RuleSource,
    Target,
    default_tolerance,
    reported_in,
    rules_in_force,
)
from scrutineer.collection.models import ActionState, CorrectiveAction, Value, ValueState
from scrutineer.collection.reading import reported_observation
from scrutineer.engine import (
    DEFAULT_RULE,
    Aggregate,
    Aggregation,
    Frequency,
    IndicatorRule,
    Observation,
    Period,
    Polarity,
    Result,
    Status,
    StatusRule,
    Summary,
    Trend,
    aggregate,
    compare,
    evaluate,
    summarise,
)
from scrutineer.engine.targets import resolve_target, target_periods

_JUDGED = tuple(status for status in Status if status.is_measurable)  # green to red: five levels

YEAR_TO_DATE = Aggregation.CUMULATIVE
"""An indicator whose figures are the year so far: its row's name says "(year to date)"."""

NOT_REPORTED_TEXT = "Not reported this period"
"""A comparison column in a period the indicator was not in the committee's set, with no
figure to show: not "No Data", since nobody was asked for one (docs/measures.md)."""

ReportedPeriods = dict[int, tuple[Period | None, Period | None]]
"""Indicator id → the periods it is reported to a committee in (from, until; None: open)."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One period of one indicator: the engine's result, the approver's comment, and the
    status rule that judged it, whose words show it (`result.status_label` is its word)."""

    result: Result
    comment: str
    rule: StatusRule = DEFAULT_RULE

    @property
    def status_symbol(self) -> str:
        """The rule's symbol for the status, shown beside its word."""
        return self.rule.symbol(self.result.status)


@dataclass(frozen=True, slots=True)
class TableRow:
    code: str
    name: str
    unit: str
    decimal_places: int
    theme: str
    theme_id: int
    service: str
    service_slug: str
    current: Cell
    previous: Cell
    last_year: Cell
    trend_previous: Trend
    trend_last_year: Trend
    polarity: Polarity = Polarity.HIGHER_IS_BETTER

    @property
    def cells(self) -> tuple[Cell, Cell, Cell]:
        """This period, the previous period and the same period last year, in table order."""
        return (self.current, self.previous, self.last_year)

    @property
    def rule(self) -> StatusRule:
        """The status rule the row is judged by, whose words show its statuses and trends."""
        return self.current.rule

    @property
    def trend_previous_label(self) -> str:
        return self.rule.trend_label(self.trend_previous)

    @property
    def trend_last_year_label(self) -> str:
        return self.rule.trend_label(self.trend_last_year)


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    theme: str
    rows: tuple[TableRow, ...]


@dataclass(frozen=True, slots=True)
class PerformanceTable:
    """Judged rows grouped by theme. `committee` and `committee_slug` name what the table
    is of: the committee for reports, or the service or theme on its dashboard."""

    committee: str
    committee_slug: str
    period: Period
    previous: Period
    last_year: Period
    groups: tuple[ThemeGroup, ...]
    summary: Summary
    rules: tuple[StatusRule, ...] = ()

    def rows(self) -> Iterator[TableRow]:
        for group in self.groups:
            yield from group.rows

    def label(self, status: Status) -> str:
        """The status in the words of the rules on the table ("On target / Achieved" when
        two rules word it differently); a rule that never gives it does not word it."""
        return words_for(status, self.rules)

    def symbol(self, status: Status) -> str:
        return symbol_for(status, self.rules)

    @property
    def labels(self) -> dict[Status, str]:
        return {status: self.label(status) for status in Status}


def _wording(status: Status, rules: Iterable[StatusRule]) -> list[StatusRule]:
    found = [r for r in rules if status not in _JUDGED or status in r.statuses]
    return found or [DEFAULT_RULE]


def words_for(status: Status, rules: Iterable[StatusRule]) -> str:
    """`status` in the words of `rules`, joined with " / " where they differ; the default
    words when no rule gives it."""
    return " / ".join(dict.fromkeys(r.label(status) for r in _wording(status, rules)))


def symbol_for(status: Status, rules: Iterable[StatusRule]) -> str:
    """`status`'s symbol in `rules` (each different one, where they differ)."""
    return " ".join(dict.fromkeys(r.symbol(status) for r in _wording(status, rules)))


def reported_indicators(indicators: QuerySet[Indicator], period: Period) -> list[Indicator]:
    """Those of `indicators` reported for `period` (active, or retired after it ended), in
    table order: priority, theme, code."""
    return list(
        indicators.filter(Q(active=True) | Q(retired_on__gt=period.end))
        .select_related("theme__priority", "service")
        .order_by(
            "theme__priority__position", "theme__priority__name", "theme__position", "theme__name", "code"
        )
    )


def reported_periods(committee: Committee) -> ReportedPeriods:
    """The committee's indicators that are in its set only for some periods, with those periods
    (`CommitteeIndicatorPeriods`); an indicator not listed is reported in every period."""
    return {
        indicator_id: (reported_from, reported_until)
        for indicator_id, reported_from, reported_until in CommitteeIndicatorPeriods.objects.filter(
            committee=committee
        ).values_list("indicator_id", "reported_from", "reported_until")
    }


def committee_indicators(
    committee: Committee, period: Period, ranges: ReportedPeriods | None = None
) -> list[Indicator]:
    """The committee's indicators reported for `period`: active, or retired after it ended,
    and in the committee's set for `period` (`reported_periods`; read when not given)."""
    if ranges is None:
        ranges = reported_periods(committee)
    return [
        indicator
        for indicator in reported_indicators(committee.indicators.all(), period)
        if indicator.pk not in ranges or reported_in(period, *ranges[indicator.pk])
    ]


def build_table(committee: Committee, period: Period) -> PerformanceTable:
    """Judge every indicator of `committee` for `period`, its previous period and a year earlier.

    An indicator in the committee's set only for some periods is left out of the table for
    a period outside them, as a retired one is; in a comparison column outside them, with no
    figure, it reads "Not reported this period"."""
    ranges = reported_periods(committee)
    return judge_indicators(
        committee_indicators(committee, period, ranges),
        period,
        title=committee.name,
        slug=committee.slug,
        reported=ranges,
    )


def judge_indicators(
    indicators: Sequence[Indicator],
    period: Period,
    *,
    title: str,
    slug: str,
    judged_by: StatusRule | None = None,
    reported: ReportedPeriods | None = None,
) -> PerformanceTable:
    """Judge `indicators` (in table order, with theme and service loaded) for `period`, its
    previous period and a year earlier: three queries whatever their number (their status
    rules with the site's, values and targets).

    Only approved figures count: a figure still in draft or awaiting approval is shown
    as missing, with that reason, because councillors see only what was signed off.

    Each indicator is judged by its status rule in force; `judged_by` judges every one by
    that rule instead (what a rule would make of the figures, before it is applied). A
    rule that asks about earlier figures (an improvement split) or a forecast decides each
    column in full, so the figures before each column and the year so far are read too.

    `reported` gives the periods some indicators are reported in (a committee's set): a
    comparison column outside them with no figure reads `NOT_REPORTED_TEXT`.
    """
    periods = (period, period.previous(), period.same_period_last_year())
    ids = [i.pk for i in indicators]
    in_force = rules_in_force(indicators) if judged_by is None else {}
    rules: dict[int, IndicatorRule] = {}
    for indicator in indicators:
        if judged_by is None:
            rules[indicator.pk] = indicator.rule(in_force[indicator.pk])
        else:
            rule = indicator.rule(RuleInForce(None, RuleSource.DEFAULT))
            rules[indicator.pk] = replace(rule, status_rule=judged_by)
    needs: set[str] = set()
    for rule in rules.values():
        needs |= rule.judged_by.needs

    judged = set(periods)
    year_parts: set[Period] = set()
    if needs:
        for q in periods:
            judged |= {q.previous(), q.same_period_last_year()}
            if "forecast" in needs:
                year = q.within(Frequency.ANNUAL).parts(q.frequency)
                judged |= set(year[: year.index(q) + 1])
                year_parts |= set(year)
    value_keys = {
        p for q in judged for f in Frequency if not q.frequency.is_finer_than(f) for p in q.parts(f)
    }
    target_keys = {t for q in value_keys | year_parts for t in target_periods(q)}

    values: dict[int, dict[Period, Value]] = defaultdict(dict)
    for v in Value.objects.filter(indicator_id__in=ids, period__in=value_keys):
        values[v.indicator_id][v.period] = v
    actions = corrective_actions_in(ids, period)
    targets: dict[int, dict[Period, Decimal]] = defaultdict(dict)
    for indicator_id, target_period, target_value in Target.objects.filter(
        indicator_id__in=ids, period__in=target_keys
    ).values_list("indicator_id", "period", "value"):
        targets[indicator_id][target_period] = target_value

    tolerance = default_tolerance()
    grouped: dict[str, list[TableRow]] = {}
    judged_results: list[tuple[str, Result]] = []
    used: dict[StatusRule, None] = {}
    for indicator in indicators:
        rule = rules[indicator.pk]
        status_rule = rule.judged_by
        used[status_rule] = None
        frequency = Frequency(indicator.frequency)
        stored = values.get(indicator.pk, {})
        own_targets = targets.get(indicator.pk, {})
        results: dict[Period, Result] = {}
        for q in judged if status_rule.needs else periods:
            source = _source(stored, q, frequency, rule)
            target = resolve_target(own_targets, q, rule.aggregation)
            results[q] = evaluate(rule, source, q, target, tolerance)
        comparison = compare(rule, results, period, targets=own_targets, default_tolerance=tolerance)
        shown = {period: comparison.current}
        for q in periods[1:]:
            shown[q] = (
                compare(rule, results, q, targets=own_targets, default_tolerance=tolerance).current
                if status_rule.needs
                else results[q]
            )
        cells: dict[Period, Cell] = {}
        in_set = reported.get(indicator.pk) if reported else None
        for q in periods:
            result = shown[q]
            if in_set is not None and result.value is None and not reported_in(q, *in_set):
                result = replace(result, display=NOT_REPORTED_TEXT, no_data_reason="")
            cells[q] = Cell(result, _comment(stored.get(q)), status_rule)
        if actions.get(indicator.pk):
            words = " ".join([cells[period].comment, *actions[indicator.pk]]).strip()
            cells[period] = replace(cells[period], comment=words)
        row = TableRow(
            code=indicator.code,
            name=f"{indicator.name} (year to date)" if rule.aggregation is YEAR_TO_DATE else indicator.name,
            unit=indicator.unit,
            decimal_places=indicator.decimal_places,
            theme=str(indicator.theme),
            theme_id=indicator.theme_id,
            service=indicator.service.name,
            service_slug=indicator.service.slug,
            current=cells[periods[0]],
            previous=cells[periods[1]],
            last_year=cells[periods[2]],
            trend_previous=comparison.trend_previous,
            trend_last_year=comparison.trend_last_year,
            polarity=rule.polarity,
        )
        grouped.setdefault(row.theme, []).append(row)
        judged_results.append((indicator.code, comparison.current))

    return PerformanceTable(
        committee=title,
        committee_slug=slug,
        period=periods[0],
        previous=periods[1],
        last_year=periods[2],
        groups=tuple(ThemeGroup(theme, tuple(rows)) for theme, rows in grouped.items()),
        summary=summarise(judged_results),
        rules=tuple(used),
    )


def _comment(value: Value | None) -> str:
    """The Comments column: once approved, the data owner's commentary and the approver's
    comment (`Value.report_comment`); before, what the approver last said."""
    if value is None:
        return ""
    return value.report_comment if value.state == ValueState.APPROVED else value.approver_comment


def corrective_actions_in(ids: Sequence[int], period: Period) -> dict[int, list[str]]:
    """Each indicator's corrective actions as the Comments column prints them beside its
    figure for `period`: those set for it or earlier and not done before it ended. One query."""
    found: dict[int, list[str]] = defaultdict(list)
    candidates = CorrectiveAction.objects.filter(indicator_id__in=ids).filter(
        Q(state=ActionState.OPEN) | Q(completed_on__gt=period.end)
    )
    for action in candidates.select_related("owner").order_by("due_on", "pk"):
        if action.period.start <= period.end:
            found[action.indicator_id].append(action.report_text)
    return found


def _source(
    stored: dict[Period, Value], period: Period, frequency: Frequency, rule: IndicatorRule
) -> Observation | Aggregate | None:
    """The engine input for one period: the approved figure, or the aggregate of approved parts."""
    if frequency == period.frequency:
        return reported_observation(stored.get(period), period, rule)
    if period.frequency.is_finer_than(frequency):
        return Observation(
            period=period, no_data_reason=f"Collected {frequency.value}, not {period.frequency.value}"
        )
    parts = period.parts(frequency)
    observations = [o for o in (reported_observation(stored.get(p), p, rule) for p in parts) if o is not None]
    return aggregate(observations, period, rule.aggregation, rule.kind, rule.rate_scale, parts=frequency)
