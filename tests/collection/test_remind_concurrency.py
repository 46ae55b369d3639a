"""Two `scrutineer remind` processes at the same moment, on PostgreSQL: each reminder is
sent exactly once.

The test holds a lock on the outbox table that lets both processes read and plan but
not insert, waits until both are blocked on their first claim (so both planned the same
digests), then lets them go: they race to insert the same rows, and the unique
constraint gives each row to one of them. Every email printed by the console backend is
counted: one `Subject:` line per reminder, in the two outputs together.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from scrutineer.collection.actions import open_round
from scrutineer.collection.models import Reminder, ReminderStatus
from scrutineer.collection.reminders import due_digests
from scrutineer.engine import Frequency, Period
from tests.factories import OwnedIndicatorFactory, PerformanceOfficerFactory, PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgresql://…)")


def database_url():
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgresql://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def late_round():
    """A quarter's round three days overdue, escalated after one: every step but due soon."""
    today = timezone.localdate()
    officer = PerformanceOfficerFactory(email="officer@example.org")
    approver = PersonFactory(name="Matt Rawdon", email="matt@example.org")
    for n in range(6):
        owner = PersonFactory(name=f"Owner {n}", email=f"owner{n}@example.org")
        OwnedIndicatorFactory(code=f"PI{n:02d}", owner=owner, approver=approver)
    period = Period.containing(today, Frequency.QUARTERLY).previous()
    open_round(
        period,
        user=officer,
        opens_on=today - timedelta(days=20),
        due_on=today - timedelta(days=3),
        approvals_due_on=today - timedelta(days=1),
        escalate_days_after=1,
    )


def blocked_on_outbox(cursor):
    cursor.execute(
        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'collection_reminder'::regclass"
    )
    return cursor.fetchone()[0]


def test_two_processes_at_once_send_each_reminder_exactly_once(tmp_path):
    late_round()
    due, _ = due_digests(timezone.localdate())
    assert len(due) == 8  # six owners, their approver, the officer

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "scrutineer.settings",
        "SCRUTINEER_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "SCRUTINEER_VAR_DIR": str(tmp_path),
    }
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s.get("PASSWORD") or None,
        dbname=s["NAME"],
    ) as gate:
        with gate.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE collection_reminder IN SHARE ROW EXCLUSIVE MODE"
            )  # reads pass, inserts wait
            runs = [
                subprocess.Popen(
                    [sys.executable, "-m", "scrutineer", "remind"],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(2)
            ]
            with (
                psycopg.connect(
                    host=s["HOST"] or "127.0.0.1",
                    port=s["PORT"] or 5432,
                    user=s["USER"],
                    password=s.get("PASSWORD") or None,
                    dbname=s["NAME"],
                    autocommit=True,
                ) as watcher,
                watcher.cursor() as watching,
            ):
                deadline = time.monotonic() + 60
                while blocked_on_outbox(watching) < 2 and time.monotonic() < deadline:
                    time.sleep(0.1)
                assert blocked_on_outbox(watching) == 2, "both runs should be waiting to claim"
        gate.commit()  # both go at once
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs

    printed = "".join(out for out, _ in outputs)
    subjects = [line for line in printed.splitlines() if line.startswith("Subject:")]
    recipients = [line for line in printed.splitlines() if line.startswith("To:")]
    assert len(subjects) == 8, printed  # one email per reminder, from one run or the other
    assert len(recipients) == len(set(recipients)) == 8, printed  # each person once
    assert sum("another run sent" in out for out, _ in outputs) >= 1  # the loser said so
    assert Reminder.objects.count() == 8
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}
