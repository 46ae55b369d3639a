"""What a status rule would make of figures already judged: the preview an officer reads
before changing or applying a rule ("with this rule, last quarter's figures would be: …").

The figures are judged twice through the one read path (`judge_indicators`): once by the
rules in force now and once by the rule proposed, so the preview can never disagree with
what the dashboard will show once the rule is applied.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from scrutineer.catalogue.models import Indicator
from scrutineer.engine import Period, Status, StatusRule
from scrutineer.performance.history import approved_quarters
from scrutineer.performance.judging import Cell, PerformanceTable, judge_indicators, reported_indicators


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One indicator's figure for the period: as judged now and as the rule would judge it."""

    code: str
    name: str
    now: Cell
    then: Cell

    @property
    def changed(self) -> bool:
        """The status itself would change (green to amber), not only its word."""
        return self.now.result.status is not self.then.result.status

    @property
    def reworded(self) -> bool:
        return self.now.result.status_label != self.then.result.status_label


@dataclass(frozen=True, slots=True)
class StatusCount:
    """How many figures have a status now and would have under the rule, in both words."""

    status: Status
    label_now: str
    label_then: str
    now: int
    then: int


@dataclass(frozen=True, slots=True)
class RulePreview:
    """The rule's effect on `period`'s figures of the indicators it would judge."""

    rule: StatusRule
    period: Period | None
    rows: tuple[PreviewRow, ...]
    counts: tuple[StatusCount, ...]

    @property
    def changed(self) -> tuple[PreviewRow, ...]:
        return tuple(row for row in self.rows if row.changed)

    @property
    def unchanged(self) -> tuple[PreviewRow, ...]:
        return tuple(row for row in self.rows if not row.changed)


def preview_rule(
    rule: StatusRule, indicators: QuerySet[Indicator], period: Period | None = None
) -> RulePreview:
    """`indicators`' figures for `period` (by default the latest quarter with approved
    figures among them) judged now and by `rule`."""
    if period is None:
        quarters = approved_quarters(indicators)
        period = quarters[0] if quarters else None
    if period is None:
        return RulePreview(rule, None, (), ())
    chosen = reported_indicators(indicators, period)
    now = judge_indicators(chosen, period, title="", slug="")
    then = judge_indicators(chosen, period, title="", slug="", judged_by=rule)
    rows = tuple(
        PreviewRow(before.code, before.name, before.current, after.current)
        for before, after in zip(now.rows(), then.rows(), strict=True)
    )
    return RulePreview(rule, period, rows, _counts(now, then))


def _counts(now: PerformanceTable, then: PerformanceTable) -> tuple[StatusCount, ...]:
    before = Counter(row.current.result.status for row in now.rows())
    after = Counter(row.current.result.status for row in then.rows())
    return tuple(
        StatusCount(status, now.label(status), then.label(status), before[status], after[status])
        for status in Status
        if before[status] or after[status]
    )
