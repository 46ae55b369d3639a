"""One indicator's figures through time, and one figure as it is being entered.

The indicator page, the entry and review pages and My work read here; every figure,
approved or not, goes through `collection.reading.reported_observation`, so a figure awaiting
approval reads the same in the table, on the indicator page and in My work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from scrutineer.catalogue.models import Indicator, RuleInForce, default_tolerance
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.reading import reported_observation
from scrutineer.engine import Comparison, Frequency, Period, evaluate_history
from scrutineer.performance.judging import TableRow, judge_indicators


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One period of an indicator's history: its judged figure, trends and the approver's
    comment (only once approved: a return's reason is for the data owner)."""

    period: Period
    comparison: Comparison
    comment: str


def indicator_history(indicator: Indicator, in_force: RuleInForce | None = None) -> list[HistoryRow]:
    """Every period from the indicator's first stored figure to its last, oldest first,
    judged by its status rule in force (`in_force`, when the caller has it already).

    Figures not yet approved read "No Data: Awaiting approval (…)", as in the table."""
    values = list(Value.objects.filter(indicator=indicator).order_by("period"))
    rule = indicator.rule(in_force)
    observations = [o for o in (reported_observation(v, v.period, rule) for v in values) if o is not None]
    targets = {t.period: t.value for t in indicator.targets.all()}
    history = evaluate_history(rule, observations, targets, default_tolerance())
    comments = {v.period: v.report_comment for v in values if v.state == ValueState.APPROVED}
    return [
        HistoryRow(period, comparison, comments.get(period, "")) for period, comparison in history.items()
    ]


def judge_one(indicator: Indicator, period: Period) -> TableRow:
    """`indicator`'s row for `period` as the committee table shows it (beside the entry form)."""
    return judge_indicators([indicator], period, title=indicator.name, slug=indicator.code).groups[0].rows[0]


def as_reported(
    indicators: Iterable[Indicator], keys: Iterable[tuple[int, Period]]
) -> dict[tuple[int, Period], TableRow]:
    """For My work: each (indicator id, period) judged as the table shows it now."""
    by_id = {i.pk: i for i in indicators}
    wanted: dict[Period, list[Indicator]] = {}
    for pk, period in keys:
        wanted.setdefault(period, []).append(by_id[pk])
    found: dict[tuple[int, Period], TableRow] = {}
    for period, chosen in wanted.items():
        table = judge_indicators(chosen, period, title="", slug="")
        codes = {i.code: i.pk for i in chosen}
        for row in table.rows():
            found[(codes[row.code], period)] = row
    return found


def approved_quarters(indicators: QuerySet[Indicator]) -> list[Period]:
    """Quarters with approved figures for `indicators`, newest first: the period picker."""
    keys = (
        Value.objects.filter(indicator__in=indicators, state=ValueState.APPROVED)
        .order_by()  # no default ordering: DISTINCT over the period alone
        .values_list("period", flat=True)
        .distinct()
    )
    quarters = {
        p if p.frequency is Frequency.QUARTERLY else p.within(Frequency.QUARTERLY)
        for p in keys
        if p.frequency is not Frequency.ANNUAL
    }
    return sorted(quarters, reverse=True)
