"""Targets for a new financial year, rolled forward from the last: what would change.

Each target of an active indicator in the year rolled from — the year's own, and its
quarters' and months' — gives the same target for the same period of the year rolled to
(2020/21's Q2 target becomes 2021/22's Q2 target). `plan_roll_forward` says, row by row,
what that would do: a new target, a change to one already set (from → to), or none. The
performance officer reviews every row, then `catalogue.actions.roll_targets_forward`
saves the rows they keep, with their reason, in one transaction. This module only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from scrutineer.catalogue.models import Indicator, Target
from scrutineer.engine import Frequency, Period

__all__ = ["TargetRoll", "plan_roll_forward", "shifted"]


@dataclass(frozen=True, slots=True)
class TargetRoll:
    """One target rolled forward: `was` is the target already set for `period` (None: none),
    `version` its version (what the review page shows, so a target changed since is refused)."""

    indicator: Indicator
    period: Period
    value: Decimal
    note: str
    was: Decimal | None
    version: int | None

    @property
    def key(self) -> str:
        """How the review form names the row: "<indicator id>:<period key>"."""
        return f"{self.indicator.pk}:{self.period.key}"

    @property
    def kind(self) -> str:
        if self.was is None:
            return "new"
        return "unchanged" if self.was == self.value else "changed"


def shifted(period: Period, years: int) -> Period:
    """The same month, quarter or financial year `years` years later."""
    return Period.from_ordinal(period.frequency, period.ordinal + years * period.frequency.per_year)


def plan_roll_forward(from_year: Period, to_year: Period) -> list[TargetRoll]:
    """What rolling `from_year`'s targets forward to `to_year` would do, by indicator code
    then period: three queries however many indicators."""
    years = to_year.ordinal - from_year.ordinal
    within = {p for f in Frequency for p in from_year.parts(f) if not from_year.frequency.is_finer_than(f)}
    indicators = Indicator.objects.filter(Q(active=True) | Q(retired_on__gte=to_year.start))
    rows = list(
        Target.objects.filter(indicator__in=indicators, period__in=within)
        .select_related("indicator")
        .order_by("indicator__code")
    )
    wanted = {(t.indicator_id, shifted(t.period, years)) for t in rows}
    existing = {
        (t.indicator_id, t.period): t
        for t in Target.objects.filter(
            indicator_id__in={i for i, _ in wanted}, period__in={p for _, p in wanted}
        )
    }
    plan = []
    for target in rows:
        if target.value is None:  # a stored target no reading could make sense of: not rolled
            continue
        period = shifted(target.period, years)
        found = existing.get((target.indicator_id, period))
        plan.append(
            TargetRoll(
                indicator=target.indicator,
                period=period,
                value=target.value,
                note=target.note,
                was=found.value if found is not None else None,
                version=found.version if found is not None else None,
            )
        )
    return sorted(plan, key=lambda r: (r.indicator.code, r.period.frequency.months * -1, r.period.start))
