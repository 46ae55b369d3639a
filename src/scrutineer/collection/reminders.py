"""Reminders that escalate: who is owed which email today, one digest per person and step.

For each open round, on `today`:

1. **due soon** — from `remind_days_before` days before the due date until the due day, to
   each data owner holding figures not yet submitted;
2. **overdue** — after the due date, to each data owner still holding figures, and to
   the approver of those figures (what their data owners owe);
3. **approvals overdue** — after the approvals date, to each approver with submitted
   figures still waiting for them;
4. **escalated** — `escalate_days_after` days after the due date, to every performance
   officer: everything still late in the round.

A step whose time has passed unsent (the job did not run) is not sent late: due soon is
never sent after the due date. A person is their email address; one digest lists all
their figures in the round for the step. Someone who has left (a deactivated person, or an
account that can no longer sign in) is reminded of nothing, though an indicator may still
name them: the run lists them, so that an officer names someone else, and their approver's
digest says so beside each figure. This module only reads and composes:
`collection.actions.reminders` claims each digest in the outbox and sends it, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings

from scrutineer.catalogue import access
from scrutineer.catalogue.models import Person, council_name
from scrutineer.catalogue.people import is_deactivated
from scrutineer.collection.models import CollectionRound, Reminder, ReminderStatus, ReminderStep
from scrutineer.collection.rounds import ItemState, RoundItem, open_rounds, round_items

__all__ = ["Digest", "Unreachable", "address_of", "due_digests"]


def address_of(person: Person | None = None, user: Any = None) -> str:
    """Where to email someone: the person's own address, else their account's (lower case);
    "" when there is none."""
    for candidate in (
        getattr(person, "email", ""),
        getattr(getattr(person, "user", None), "email", ""),
        getattr(user, "email", ""),
        getattr(getattr(user, "person", None), "email", "") if user is not None else "",
    ):
        if candidate:
            return str(candidate).strip().lower()
    return ""


@dataclass
class Digest:
    """One email: everything `name` at `address` is reminded of in one round for one step."""

    round: CollectionRound
    step: ReminderStep
    address: str
    name: str
    person: Person | None = None
    owed: list[RoundItem] = field(default_factory=list)  # theirs to submit
    awaiting: list[RoundItem] = field(default_factory=list)  # theirs to approve
    team: list[RoundItem] = field(default_factory=list)  # late, from the owners they approve for
    late: list[RoundItem] = field(default_factory=list)  # everything late (performance officers)

    @property
    def items(self) -> int:
        return len(
            {(i.indicator.pk, i.round.pk) for i in (*self.owed, *self.awaiting, *self.team, *self.late)}
        )

    @property
    def subject(self) -> str:
        r = self.round
        n = self.items
        figures = f"{n} figure{'s' if n != 1 else ''}"
        if self.step == ReminderStep.DUE_SOON:
            return f"{r.period.label} figures due on {_day(r.due_on)}: {figures} to submit"
        if self.step == ReminderStep.OVERDUE:
            return f"Overdue: {figures} for {r.period.label} (due on {_day(r.due_on)})"
        if self.step == ReminderStep.APPROVALS_OVERDUE:
            return f"Approvals overdue: {figures} for {r.period.label} (due on {_day(r.approvals_due_on)})"
        return f"Escalated: {figures} for {r.period.label} still late"

    def body(self, today: date) -> str:
        r = self.round
        site = settings.SCRUTINEER_SITE_URL.rstrip("/")
        lines = [
            f"Dear {self.name},",
            "",
            f"The {r.period.long_label} collection round opened on {_day(r.opens_on)}. Figures are due "
            f"from data owners on {_day(r.due_on)} and approvals on {_day(r.approvals_due_on)}.",
        ]
        sections = (
            ("Figures for you to submit", self.owed),
            ("Figures waiting for your approval", self.awaiting),
            ("Late figures of the indicators you approve", self.team),
            ("Everything still late in the round", self.late),
        )
        for heading, items in sections:
            if not items:
                continue
            lines += ["", f"{heading}:"]
            for item in items:
                lines.append(f"- {_line(item, today)}")
                if item.state is ItemState.SUBMITTED and item.value is not None:
                    lines.append(f"  Review: {site}/approvals/{item.value.pk}/")
                else:
                    lines.append(f"  Enter: {site}/indicators/{item.indicator.code}/{item.round.period.key}/")
        lines += [
            "",
            f"Your work list: {site}/my-work/",
            "",
            "This reminder is sent once for this step of the round; you will not get it again.",
            f"— {council_name() or 'The'} performance team (Scrutineer)",
        ]
        return "\n".join(lines)


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _line(item: RoundItem, today: date) -> str:
    words = f"{item.indicator.code} {item.indicator.name}: {item.status_label}"
    if item.holder is not None and item.holder_role:
        left = ", deactivated: name someone else" if item.holder_deactivated else ""
        words += f", with {item.holder.name} ({item.holder_role}{left})"
    if item.overdue:
        words += f", {item.days_late} day{'s' if item.days_late != 1 else ''} late"
    elif item.deadline is not None:
        left = (item.deadline - today).days
        words += ", due today" if left == 0 else f", due in {left} day{'s' if left != 1 else ''}"
    return words


@dataclass(frozen=True)
class Unreachable:
    """Someone who would be reminded but is not: they have no email address, or they are
    `deactivated` (left, though still named on indicators)."""

    round: CollectionRound
    step: ReminderStep
    name: str
    items: int
    deactivated: bool = False


def due_digests(
    today: date, rounds: Iterable[CollectionRound] | None = None
) -> tuple[list[Digest], list[Unreachable]]:
    """The digests due on `today` and not yet sent (a failed one is due again), and who
    is not reminded: for want of an address, or because they have left. Open rounds only; a
    fixed number of queries however many rounds, indicators and people."""
    rounds = list(open_rounds(today).order_by("period") if rounds is None else rounds)
    if not rounds:
        return [], []
    items = round_items(rounds, today)  # owners and approvers with their accounts
    digests: dict[tuple[int, ReminderStep, str], Digest] = {}
    unreachable: dict[tuple[int, ReminderStep, str, bool], Unreachable] = {}

    def add(
        r: CollectionRound, step: ReminderStep, who: Person | None, user: Any, kind: str, item: RoundItem
    ) -> None:
        address = address_of(who, user)
        name = who.name if who is not None else (user.get_full_name() or user.username)
        left = is_deactivated(who) or (user is not None and not user.is_active)
        if left or not address:
            key = (r.pk, step, name, left)
            found = unreachable.get(key)
            unreachable[key] = Unreachable(r, step, name, (found.items if found else 0) + 1, left)
            return
        digest = digests.setdefault((r.pk, step, address), Digest(r, step, address, name, who))
        getattr(digest, kind).append(item)

    officers = list(access.performance_officers().select_related("person")) if items else []
    for item in items:
        r = item.round
        held_by_owner = item.state in (ItemState.NOT_STARTED, ItemState.DRAFT, ItemState.RETURNED)
        owner, approver = item.indicator.owner, item.indicator.approver
        if held_by_owner and owner is not None:
            if r.due_on - timedelta(days=r.remind_days_before) <= today <= r.due_on:
                add(r, ReminderStep.DUE_SOON, owner, None, "owed", item)
            if today > r.due_on:
                add(r, ReminderStep.OVERDUE, owner, None, "owed", item)
        if held_by_owner and today > r.due_on and approver is not None:
            add(r, ReminderStep.OVERDUE, approver, None, "team", item)
        if item.state is ItemState.SUBMITTED and today > r.approvals_due_on and approver is not None:
            add(r, ReminderStep.APPROVALS_OVERDUE, approver, None, "awaiting", item)
        if item.overdue and today > r.due_on and (today - r.due_on).days >= r.escalate_days_after:
            for officer in officers:
                add(r, ReminderStep.ESCALATED, getattr(officer, "person", None), officer, "late", item)

    sent = set(
        Reminder.objects.filter(round__in=rounds)
        .exclude(status=ReminderStatus.FAILED)
        .values_list("round_id", "step", "address")
    )
    due = [d for key, d in digests.items() if (key[0], key[1].value, key[2]) not in sent]
    order = list(ReminderStep)
    due.sort(key=lambda d: (d.round.period.start, order.index(d.step), d.address))
    return due, sorted(
        unreachable.values(), key=lambda u: (u.round.period.start, order.index(u.step), u.name)
    )
