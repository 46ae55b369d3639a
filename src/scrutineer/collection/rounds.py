"""Collection rounds: which periods are open for entry, and what each round is waiting for.

A performance officer opens a round for a period (or the schedule opens it), with a due
date for data owners and a later one for approvers. Once a council has opened a round of
a frequency, the open rounds of that frequency are the periods open for entry. Until
then the date rule holds (decision 15): a period opens for entry when it has ended, and
stays open through the next one, so late figures can still be entered and corrected
before the committee meets: on 24 November the open quarters are Q2 (Jul–Sep) and Q1
(Apr–Jun).

`check_open_for_entry` is the rule `save_value` enforces itself, so the entry page, an
import and an API call all meet it. The rest of this module only reads: each round's
items (every indicator due in it, its state, whether it is late and who holds it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.catalogue.models import Indicator, Person
from scrutineer.catalogue.people import is_deactivated
from scrutineer.collection.models import CollectionRound, RoundSchedule, RoundState, Value, ValueState
from scrutineer.engine import Frequency, Period

__all__ = [
    "ItemState",
    "RoundItem",
    "check_open_for_entry",
    "open_for_entry",
    "open_periods",
    "open_rounds",
    "round_dates_for",
    "round_for",
    "round_items",
    "rounds_decide",
    "rounds_to_open",
]


def open_periods(frequency: Frequency, today: date) -> list[Period]:
    """The date rule, which holds while a council has opened no round of `frequency`: the
    last two periods that have ended, newest first. `open_for_entry` says what is open."""
    latest = Period.containing(today, frequency).previous()
    return [latest, latest.previous()]


def rounds_decide(frequency: Frequency) -> bool:
    """True once any round of `frequency` has been opened: from then on rounds alone say
    which of its periods are open (decision 15)."""
    return CollectionRound.objects.filter(frequency=frequency.value).exists()


def open_rounds(today: date | None = None) -> QuerySet[CollectionRound]:
    """Rounds open for entry on `today`: opened, not closed."""
    today = today or timezone.localdate()
    return CollectionRound.objects.filter(state=RoundState.OPEN, opens_on__lte=today)


def open_for_entry(frequency: Frequency, today: date) -> list[Period]:
    """Periods of `frequency` open for entry on `today`, newest first: those with an open
    round once the council runs rounds of that frequency, else the date rule's two."""
    if not rounds_decide(frequency):
        return open_periods(frequency, today)
    found = open_rounds(today).filter(frequency=frequency.value).values_list("period", flat=True)
    return sorted(found, reverse=True)


def round_for(period: Period) -> CollectionRound | None:
    return CollectionRound.objects.filter(period=period).first()


def round_dates_for(schedule: RoundSchedule, period: Period) -> tuple[date, date, date]:
    """When `schedule` opens `period`'s round, and its two due dates: days of the month
    after the period ends."""
    month = period.end + timedelta(days=1)
    return (
        month.replace(day=schedule.open_day),
        month.replace(day=schedule.due_day),
        month.replace(day=schedule.approvals_day),
    )


def rounds_to_open(today: date) -> list[tuple[RoundSchedule, Period]]:
    """The rounds the active schedules open on `today`: for each, the latest period that has
    ended, once its opening day has come and if it has no round yet."""
    due = []
    for schedule in RoundSchedule.objects.filter(active=True):
        period = Period.containing(today, Frequency(schedule.frequency)).previous()
        opens, _, _ = round_dates_for(schedule, period)
        if today >= opens and not CollectionRound.objects.filter(period=period).exists():
            due.append((schedule, period))
    return due


def check_open_for_entry(user: Any, indicator: Indicator, period: Period, stored: Any) -> None:
    """A data owner enters figures for the open periods, and finishes one still in draft or
    returned to them; performance officers correct any period. `stored` is the figure
    already stored for the period, or None."""
    if access.may_enter_any_period(user):
        return
    frequency = Frequency(indicator.frequency)
    if period.frequency is not frequency:
        return  # the action refuses the wrong kind of period with its own message
    open_now = open_for_entry(frequency, timezone.localdate())
    unfinished = stored is not None and stored.state in (ValueState.DRAFT, ValueState.RETURNED)
    if period in open_now or unfinished:
        return
    if not rounds_decide(frequency):
        takes = f"takes figures for {' and '.join(p.label for p in open_now)} now"
    elif open_now:
        takes = f"has a collection round open for {' and '.join(p.label for p in open_now)} only"
    else:
        takes = "has no collection round open now"
    raise PermissionDenied(
        f"{period.label} is not open for entry: {indicator.code} {takes}. "
        f"A performance officer opens rounds and corrects earlier periods."
    )


# What a round is waiting for


class ItemState(StrEnum):
    """Where one indicator's figure stands in a round."""

    NOT_STARTED = "not-started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return {
            ItemState.NOT_STARTED: "Not started",
            ItemState.DRAFT: "Draft",
            ItemState.SUBMITTED: "Submitted",
            ItemState.RETURNED: "Returned",
            ItemState.APPROVED: "Approved",
        }[self]


@dataclass(frozen=True, slots=True)
class RoundItem:
    """One indicator due in a round: its figure's state, who holds it, and how late it is.

    The data owner holds a figure until it is submitted, the approver until it is
    approved. It is overdue when its holder's date has passed: the due date for the
    owner, the approvals date for the approver. `days_late` counts whole days after it."""

    round: CollectionRound
    indicator: Indicator
    value: Value | None
    state: ItemState
    holder: Person | None
    holder_role: str  # "data owner", "approver" or ""
    deadline: date | None
    days_late: int

    @property
    def overdue(self) -> bool:
        return self.days_late > 0

    @property
    def holder_deactivated(self) -> bool:
        """Its holder has left (`catalogue.people.is_deactivated`): no one is reminded, and an
        officer should name someone else on the indicator."""
        return is_deactivated(self.holder)

    @property
    def status_label(self) -> str:
        """ "Overdue (draft)", "Submitted", "Not started"."""
        if self.overdue:
            return f"Overdue ({self.state.label.lower()})"
        return self.state.label


def indicators_due(round: CollectionRound) -> QuerySet[Indicator]:
    """The indicators due in `round`: active and collected at its period's frequency."""
    return Indicator.objects.filter(active=True, frequency=round.frequency)


def round_items(
    rounds: Sequence[CollectionRound], today: date, indicators: Iterable[Indicator] | None = None
) -> list[RoundItem]:
    """Every indicator due in each of `rounds` (or only those of `indicators`, a query
    asked as part of this one), oldest round first, then by code: two queries however
    many rounds and indicators (owners and approvers come with their accounts)."""
    rounds = list(rounds)
    if not rounds:
        return []
    frequencies = {r.frequency for r in rounds}
    if indicators is None:
        chosen = Indicator.objects.filter(active=True, frequency__in=frequencies)
    elif isinstance(indicators, QuerySet):  # asked in the same query, never read first
        chosen = Indicator.objects.filter(pk__in=indicators.values("pk"), frequency__in=frequencies)
    else:
        chosen = Indicator.objects.filter(pk__in=[i.pk for i in indicators], frequency__in=frequencies)
    wanted = list(chosen.select_related("owner__user", "approver__user", "service").order_by("code"))
    stored = {
        (v.indicator_id, v.period): v
        for v in Value.objects.filter(indicator__in=wanted, period__in=[r.period for r in rounds])
    }
    items = []
    for r in sorted(rounds, key=lambda r: (r.period.start, r.period.frequency.months)):
        for indicator in wanted:
            if indicator.frequency == r.frequency:
                items.append(_item(r, indicator, stored.get((indicator.pk, r.period)), today))
    return items


def _item(round: CollectionRound, indicator: Indicator, value: Value | None, today: date) -> RoundItem:
    state = ItemState.NOT_STARTED if value is None else ItemState(value.state)
    if state is ItemState.APPROVED:
        holder, role, deadline = None, "", None
    elif state is ItemState.SUBMITTED:
        holder, role, deadline = indicator.approver, "approver", round.approvals_due_on
    else:
        holder, role, deadline = indicator.owner, "data owner", round.due_on
    late = (today - deadline).days if deadline is not None and today > deadline else 0
    return RoundItem(round, indicator, value, state, holder, role, deadline, late)
