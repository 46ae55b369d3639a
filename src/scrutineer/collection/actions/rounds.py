"""Collection rounds: opening, closing and scheduling them, and locking what they collected.

Performance officers open a round for a period with its deadlines (`open_round`), or set
a schedule that opens each period's round by itself (`save_schedule`, carried out by
`open_scheduled_rounds`, which `scrutineer remind` runs). Closing a round (`close_round`)
locks its approved figures, as publishing a report locks the approved figures it uses
(`lock_reported_figures`): a locked figure changes only by a correction, recorded as a
restatement (`collection.actions.corrections`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.catalogue.models import Indicator
from scrutineer.changes import Rejected, as_version, claim, raise_version, record_change, stale
from scrutineer.collection.models import (
    CollectionRound,
    RoundSchedule,
    RoundState,
    Value,
    ValueState,
)
from scrutineer.collection.rounds import round_dates_for, rounds_to_open
from scrutineer.collection.validation import parse_period
from scrutineer.engine import Frequency, Period

__all__ = [
    "close_round",
    "lock_if_round_closed",
    "lock_reported_figures",
    "open_round",
    "open_scheduled_rounds",
    "save_schedule",
]


def _check_days(name: str, raw: Any, errors: dict[str, list[str]], *, low: int, high: int, what: str) -> int:
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(f"Give {what} as a whole number from {low} to {high}.")
        return low
    if not low <= number <= high:
        errors.setdefault(name, []).append(
            f"Give {what} as a whole number from {low} to {high}, not {number}."
        )
    return number


def _check_date(name: str, raw: Any, errors: dict[str, list[str]], what: str) -> date | None:
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    if not text:
        errors.setdefault(name, []).append(f"Give {what}.")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.setdefault(name, []).append(f"Give {what} as a date, such as 2020-10-14, not “{text[:40]}”.")
        return None


def open_round(
    period: Period | str,
    *,
    user: Any,
    due_on: Any,
    approvals_due_on: Any,
    opens_on: Any = None,
    remind_days_before: Any = 3,
    escalate_days_after: Any = 5,
) -> CollectionRound:
    """Open the round for `period` as `user` (a performance officer): from `opens_on` (today
    when not given) its figures are open for entry, due from data owners on `due_on` and
    from approvers on `approvals_due_on`. Every active indicator collected at the period's
    frequency is due in it. A period has one round: a second is refused, saying when the
    first was opened."""
    access.check_may_run_rounds(user)
    input = {
        "period": period if isinstance(period, str) else period.key,
        "opens_on": opens_on,
        "due_on": due_on,
        "approvals_due_on": approvals_due_on,
        "remind_days_before": remind_days_before,
        "escalate_days_after": escalate_days_after,
    }
    errors: dict[str, list[str]] = {}
    parsed = parse_period(period, errors)
    opens = (
        timezone.localdate()
        if opens_on in (None, "")
        else _check_date("opens_on", opens_on, errors, "the day it opens")
    )
    due = _check_date("due_on", due_on, errors, "the day figures are due")
    approvals = _check_date("approvals_due_on", approvals_due_on, errors, "the day approvals are due")
    before = _check_days(
        "remind_days_before", remind_days_before, errors, low=0, high=60, what="the days before"
    )
    after = _check_days(
        "escalate_days_after", escalate_days_after, errors, low=0, high=90, what="the days after"
    )
    if opens and due and opens > due:
        errors.setdefault("due_on", []).append(
            f"Figures cannot be due ({due:%d %B %Y}) before the round opens."
        )
    if due and approvals and due > approvals:
        errors.setdefault("approvals_due_on", []).append(
            f"Approvals cannot be due before the figures are ({due:%d %B %Y}): give a later day."
        )
    if parsed is not None and not errors:
        existing = CollectionRound.objects.filter(period=parsed).first()
        if existing is not None:
            errors["period"] = [_already_open(existing)]
    if errors or parsed is None or opens is None or due is None or approvals is None:
        raise Rejected.from_errors(errors, input=input)
    created = CollectionRound(
        period=parsed,
        frequency=parsed.frequency.value,
        opens_on=opens,
        due_on=due,
        approvals_due_on=approvals,
        remind_days_before=before,
        escalate_days_after=after,
        opened_by=user,
        opened_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            record_change(created, user, "Opened")
    except IntegrityError:
        existing = CollectionRound.objects.filter(period=parsed).first()
        if existing is None:
            raise
        raise Rejected("period", _already_open(existing), input=input) from None
    return created


def _already_open(existing: CollectionRound) -> str:
    when = f"{timezone.localtime(existing.opened_at):%d %B %Y}"
    state = "and is still open" if existing.is_open else "and has been closed"
    return f"The {existing.period.label} round was opened on {when} {state}: a period has one round."


def close_round(round: CollectionRound, *, user: Any, expected_version: Any) -> int:
    """Close `round` as `user` (a performance officer) and lock its approved figures; return
    how many locked. Figures still outstanding stay so, listed as late; each locks when it
    is approved. A round changed since the officer looked is refused as a stale edit."""
    access.check_may_run_rounds(user)
    input = {"expected_version": expected_version}
    with transaction.atomic():
        stored: CollectionRound = claim(
            CollectionRound.objects.all(), round.pk, as_version(expected_version), "round", input
        )
        if not stored.is_open:
            raise Rejected("__all__", f"The {stored.period.label} round is already closed.", input=input)
        now = timezone.now()
        stored.state, stored.closed_by, stored.closed_at = RoundState.CLOSED, user, now
        record_change(stored, user, "Closed")
        values = Value.objects.filter(
            period=stored.period, indicator__frequency=stored.frequency, state=ValueState.APPROVED
        )
        locked = _lock(
            values, user, f"{stored.period.label} round closed on {timezone.localtime(now):%d %B %Y}"
        )
    round.state, round.closed_at, round.closed_by, round.version = (
        stored.state,
        stored.closed_at,
        stored.closed_by,
        stored.version,
    )
    return locked


def lock_reported_figures(
    indicators: Iterable[Indicator], periods: Iterable[Period], *, user: Any, reason: str
) -> int:
    """Lock the approved figures of `indicators` for `periods` and the months (or quarters)
    within them, as publishing a report that shows them does; return how many locked.
    Only a performance officer publishes, so only one locks."""
    access.check_may_manage(user, "lock figures")
    keys = {p for period in periods for p in _within(period)}
    values = Value.objects.filter(
        indicator__in=list(indicators), period__in=keys, state=ValueState.APPROVED, locked_at__isnull=True
    )
    with transaction.atomic():
        return _lock(values, user, reason)


def _within(period: Period) -> set[Period]:
    """`period` and every shorter period within it (a quarter and its months)."""
    return {p for f in Frequency if not period.frequency.is_finer_than(f) for p in period.parts(f)}


def lock_if_round_closed(value: Value, user: Any) -> None:
    """Lock a figure approved after its round closed (`approve_value` calls this, holding
    the figure's row): a late figure locks like the rest once approved."""
    closed = CollectionRound.objects.filter(
        period=value.period, frequency=value.indicator.frequency, state=RoundState.CLOSED
    ).first()
    if closed is not None and value.state == ValueState.APPROVED and value.locked_at is None:
        value.locked_at = timezone.now()
        value.lock_reason = f"approved after the {closed.period.label} round closed"


def _lock(values: QuerySet[Value], user: Any, reason: str) -> int:
    """Lock each of `values` (approved), holding its row: a history row per figure says so."""
    now = timezone.now()
    count = 0
    for value in values.filter(locked_at__isnull=True).select_for_update(of=("self",)).order_by("pk"):
        value.locked_at, value.lock_reason = now, reason[:300]
        raise_version(value)
        record_change(value, user, f"Locked: {reason}")
        count += 1
    return count


# Schedules


def save_schedule(
    frequency: Frequency | str,
    *,
    user: Any,
    open_day: Any,
    due_day: Any,
    approvals_day: Any,
    remind_days_before: Any = 3,
    escalate_days_after: Any = 5,
    active: bool = True,
    expected_version: Any = None,
) -> RoundSchedule:
    """Set when `frequency`'s rounds open by themselves, as `user` (a performance officer):
    on `open_day` of the month after each period ends, due on `due_day`, approvals on
    `approvals_day` (1 to 28, in that order). `expected_version` is the version the officer
    saw (None for a new schedule)."""
    access.check_may_run_rounds(user, "schedule collection rounds")
    input = {
        "frequency": str(frequency),
        "open_day": open_day,
        "due_day": due_day,
        "approvals_day": approvals_day,
        "remind_days_before": remind_days_before,
        "escalate_days_after": escalate_days_after,
        "active": active,
        "expected_version": expected_version,
    }
    errors: dict[str, list[str]] = {}
    try:
        chosen = Frequency(str(frequency))
    except ValueError:
        raise Rejected(
            "frequency", f"Rounds are monthly, quarterly or annual, not “{frequency}”.", input=input
        ) from None
    days = {
        name: _check_days(name, raw, errors, low=1, high=28, what=what)
        for name, raw, what in (
            ("open_day", open_day, "the day rounds open"),
            ("due_day", due_day, "the day figures are due"),
            ("approvals_day", approvals_day, "the day approvals are due"),
        )
    }
    before = _check_days(
        "remind_days_before", remind_days_before, errors, low=0, high=60, what="the days before"
    )
    after = _check_days(
        "escalate_days_after", escalate_days_after, errors, low=0, high=90, what="the days after"
    )
    if not errors and not days["open_day"] <= days["due_day"] <= days["approvals_day"]:
        errors["due_day"] = [
            "A round opens, then its figures are due, then its approvals: give days in that order "
            "(e.g. open on the 1st, due on the 10th, approvals on the 15th)."
        ]
    if errors:
        raise Rejected.from_errors(errors, input=input)
    with transaction.atomic():
        existing = RoundSchedule.objects.filter(frequency=chosen.value).first()
        if existing is None:
            if expected_version not in (None, ""):
                raise stale("schedule", as_version(expected_version), None, input)
            schedule = RoundSchedule(frequency=chosen.value)
        else:
            schedule = claim(
                RoundSchedule.objects.all(), existing.pk, as_version(expected_version), "schedule", input
            )
        for name, number in days.items():
            setattr(schedule, name, number)
        schedule.remind_days_before, schedule.escalate_days_after = before, after
        schedule.active = bool(active)
        try:
            with transaction.atomic():
                record_change(schedule, user, "Schedule set" if existing is None else "Schedule changed")
        except IntegrityError:
            raise stale("schedule", None, 1, input) from None
    return schedule


def open_scheduled_rounds(today: date | None = None) -> list[CollectionRound]:
    """Open each active schedule's round whose opening day has come: the round of the
    latest period that has ended, once, if none was opened for it. Runs without a person
    (`scrutineer remind`, daily): the history row says the schedule opened it. A period
    whose round an officer already opened, or closed, is left alone; periods before the
    latest are never opened late."""
    today = today or timezone.localdate()
    opened = []
    for schedule, period in rounds_to_open(today):
        opens, due, approvals = round_dates_for(schedule, period)
        created = CollectionRound(
            period=period,
            frequency=schedule.frequency,
            opens_on=opens,
            due_on=due,
            approvals_due_on=approvals,
            remind_days_before=schedule.remind_days_before,
            escalate_days_after=schedule.escalate_days_after,
            opened_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                record_change(
                    created, None, f"Opened by the {schedule.get_frequency_display().lower()} schedule"
                )
        except IntegrityError:  # another run opened it at the same moment
            continue
        opened.append(created)
    return opened
