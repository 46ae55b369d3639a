"""The overdue tracker: who owes what and how late, now and over the last year.

Performance officers see every indicator; approvers the indicators they approve
(`catalogue.access.indicators_approved_by`). A return is late when the data owner first
submitted it after the round's due date, or had not submitted it by today once the due
date passed; how late is counted in whole days after the due date. Resubmissions after
a return do not make a figure late again: the first submission is the return. Reads
only, in a fixed number of queries however many rounds and indicators.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Min
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.catalogue.models import ServiceTeam
from scrutineer.collection.models import CollectionRound, RoundState, Value, ValueState
from scrutineer.collection.rounds import RoundItem, round_items
from scrutineer.spreadsheets import formula_safe

__all__ = ["LateCount", "Return", "late_now", "overdue_csv", "returns_over_year", "summarise"]


def _scope(user: Any) -> Any:
    return access.indicators_approved_by(user)


def late_now(user: Any, today: date, *, service: ServiceTeam | None = None) -> list[RoundItem]:
    """Figures late in the open rounds, longest late first: who holds each and how late.
    With `service`, only its indicators, and no others are read (its "who does what" page)."""
    rounds = list(CollectionRound.objects.filter(state=RoundState.OPEN, opens_on__lte=today))
    scope = _scope(user) if service is None else _scope(user).filter(service=service)
    items = round_items(rounds, today, indicators=scope)
    return sorted((i for i in items if i.overdue), key=lambda i: (-i.days_late, i.indicator.code))


@dataclass(frozen=True, slots=True)
class Return:
    """One indicator's return in one round: when it was first submitted (None: not yet, on
    `today`), and how many days after the due date."""

    item: RoundItem
    first_submitted: date | None
    today: date

    @property
    def days_late(self) -> int:
        returned = self.first_submitted if self.first_submitted is not None else self.today
        return max(0, (returned - self.item.round.due_on).days)

    @property
    def late(self) -> bool:
        return self.days_late > 0


def returns_over_year(user: Any, today: date) -> list[Return]:
    """Every return due in the year to `today` (rounds due from a year ago until yesterday),
    oldest round first."""
    since = today - timedelta(days=365)
    rounds = list(CollectionRound.objects.filter(due_on__gte=since, due_on__lt=today))
    items = round_items(rounds, today, indicators=_scope(user))
    ids = [i.value.pk for i in items if i.value is not None]
    first = dict(
        Value.history.filter(id__in=ids, state=ValueState.SUBMITTED)
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    found = []
    for item in items:
        when = first.get(item.value.pk) if item.value is not None else None
        if when is None and item.value is not None and item.value.state == ValueState.APPROVED:
            when = item.value.approved_at  # approved without a submission (imported as approved)
        day = timezone.localtime(when).date() if when is not None else None
        found.append(Return(item, day, today))
    return found


@dataclass(frozen=True, slots=True)
class LateCount:
    """Late returns of one service or one person over the year."""

    name: str
    due: int
    late: int
    days_late: int  # summed over the late returns

    @property
    def share(self) -> str:
        return f"{round(100 * self.late / self.due)}%" if self.due else "–"

    @property
    def average_days(self) -> str:
        return f"{self.days_late / self.late:.1f}" if self.late else "–"


def summarise(returns: Iterable[Return], by: str) -> list[LateCount]:
    """Late returns per service (`by="service"`) or per data owner (`by="person"`), most late first."""
    groups: dict[str, list[Return]] = defaultdict(list)
    for r in returns:
        indicator = r.item.indicator
        name = (
            indicator.service.name
            if by == "service"
            else (indicator.owner.name if indicator.owner else "No data owner")
        )
        groups[name].append(r)
    counts = [
        LateCount(name, len(rs), sum(r.late for r in rs), sum(r.days_late for r in rs))
        for name, rs in groups.items()
    ]
    return sorted(counts, key=lambda c: (-c.late, -c.days_late, c.name))


CSV_HEADER = (
    "round",
    "indicator",
    "name",
    "service",
    "data owner",
    "approver",
    "due",
    "first submitted",
    "days late",
    "state now",
    "held by",
)


def overdue_csv(returns: Iterable[Return], now: Iterable[RoundItem]) -> str:
    """Every return of the year, then what is late in the open rounds now, as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    seen = set()
    rows = [(r.item, r.first_submitted, r.days_late) for r in returns]
    for item in now:
        rows.append((item, None, item.days_late))
    for item, first, late in rows:
        key = (item.round.pk, item.indicator.pk)
        if key in seen:
            continue
        seen.add(key)
        indicator = item.indicator
        writer.writerow(
            [
                formula_safe(str(v))
                for v in (
                    item.round.period.label,
                    indicator.code,
                    indicator.name,
                    indicator.service.name,
                    indicator.owner.name if indicator.owner else "",
                    indicator.approver.name if indicator.approver else "",
                    item.round.due_on.isoformat(),
                    first.isoformat() if first else "not yet",
                    late,
                    item.state.label,
                    f"{item.holder.name} ({item.holder_role})" if item.holder else "",
                )
            ]
        )
    return out.getvalue()
