"""Sending the reminders that are due: each one exactly once, however many runs at once.

`send_due_reminders` is what `scrutineer remind` runs (daily, from cron, until the
background task system lands). It opens the rounds the schedules say are due, works out
the digests due today (`collection.reminders`), and for each one first **claims** it: an
INSERT into the outbox (`Reminder`), whose unique constraint on (round, step, address)
lets exactly one run have it. Only the run that claimed a digest sends it, then records
it sent (or failed, with the error, to be claimed again by a later run). A second run at
the same moment, or a second worker, fails to insert and sends nothing: the database
decides, never a check followed by an act.

A crash between the claim and the send leaves the row "sending": that email is not sent
twice, and the row says so (at most once, by design).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from scrutineer.collection.actions.rounds import open_scheduled_rounds
from scrutineer.collection.models import CollectionRound, Reminder, ReminderStatus
from scrutineer.collection.reminders import Digest, Unreachable, due_digests
from scrutineer.collection.rounds import rounds_to_open

__all__ = ["ReminderRun", "send_due_reminders"]


@dataclass
class ReminderRun:
    """What one run did (or, dry, would do)."""

    dry_run: bool
    today: date
    opened: list[CollectionRound] = field(default_factory=list)
    would_open: list[str] = field(default_factory=list)
    sent: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)
    claimed_elsewhere: list[Digest] = field(default_factory=list)
    due: list[Digest] = field(default_factory=list)
    unreachable: list[Unreachable] = field(default_factory=list)


def send_due_reminders(*, today: date | None = None, dry_run: bool = False) -> ReminderRun:
    """Open the scheduled rounds due today, then send each reminder due, once. `dry_run`
    changes nothing and sends nothing: the run lists what it would open and send. Call it
    outside a transaction, so that each claim is seen by other runs as soon as it is made."""
    today = today or timezone.localdate()
    run = ReminderRun(dry_run=dry_run, today=today)
    if dry_run:
        run.would_open = [f"{period.label} ({schedule})" for schedule, period in rounds_to_open(today)]
    else:
        run.opened = open_scheduled_rounds(today)
    run.due, run.unreachable = due_digests(today)
    if dry_run:
        return run
    connection = get_connection()
    for digest in run.due:
        body = digest.body(today)
        if not _claim(digest, body):
            run.claimed_elsewhere.append(digest)
            continue
        message = EmailMessage(
            subject=digest.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[digest.address],
            connection=connection,
        )
        try:
            message.send()
        except Exception as error:  # recorded, and sent by a later run
            _record(digest, ReminderStatus.FAILED, f"{type(error).__name__}: {error}")
            run.failed.append((digest, str(error)))
        else:
            _record(digest, ReminderStatus.SENT, "")
            run.sent.append(digest)
    return run


def _claim(digest: Digest, body: str) -> bool:
    """Claim `digest` for this run: insert its outbox row, or take back a failed one. False
    when another run has it (the unique constraint, or the conditional update, says so)."""
    now = timezone.now()
    fields = {
        "person": digest.person,
        "subject": digest.subject[:300],
        "body": body,
        "items": digest.items,
        "status": ReminderStatus.SENDING,
        "claimed_at": now,
        "error": "",
    }
    key = {"round": digest.round, "step": digest.step.value, "address": digest.address}
    try:
        with transaction.atomic():
            Reminder.objects.create(**key, **fields)
        return True
    except IntegrityError:
        return Reminder.objects.filter(**key, status=ReminderStatus.FAILED).update(**fields) == 1


def _record(digest: Digest, status: ReminderStatus, error: str) -> None:
    Reminder.objects.filter(round=digest.round, step=digest.step.value, address=digest.address).update(
        status=status, sent_at=timezone.now() if status == ReminderStatus.SENT else None, error=error
    )
