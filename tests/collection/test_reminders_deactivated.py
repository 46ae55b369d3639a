"""Reminders are never sent to someone who has left (a deactivated person, or an account
that can no longer sign in) though an indicator still names them: the run says whose
figures went unreminded so that an officer names someone else, and the overdue tracker
says the holder is deactivated beside a link to the indicator."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from scrutineer.catalogue.organisation import deactivate_person
from scrutineer.collection.actions import open_round, save_value, submit_value
from scrutineer.collection.actions.reminders import send_due_reminders
from scrutineer.engine import Period
from tests.factories import OwnedIndicatorFactory, PerformanceOfficerFactory, PersonFactory

pytestmark = pytest.mark.django_db

Q2 = Period.parse("2020-21-Q2")


def at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 8, tzinfo=UTC), tick=False)


@pytest.fixture
def council():
    officer = PerformanceOfficerFactory(username="pat", email="pat@example.org")
    leaver = PersonFactory(name="Lee Leaver", email="lee@example.org")
    stayer = PersonFactory(name="Sam Stayer", email="sam@example.org")
    approver = PersonFactory(name="Matt Rawdon", email="matt@example.org")
    left = OwnedIndicatorFactory(code="CSU10", name="Average wait", owner=leaver, approver=approver)
    kept = OwnedIndicatorFactory(code="CSU12", name="Face to face wait", owner=stayer, approver=approver)
    with at(date(2020, 10, 1)):
        open_round(Q2, user=officer, due_on=date(2020, 10, 14), approvals_due_on=date(2020, 10, 21))
    return officer, leaver, stayer, approver, left, kept


def addresses():
    return sorted({m.to[0] for m in mail.outbox})


def test_a_deactivated_data_owner_is_not_reminded_and_their_approver_is_told(council):
    officer, leaver, _stayer, approver, _left, _kept = council
    deactivate_person(leaver, user=officer, expected_version=leaver.version, reason="Left the council")
    with at(date(2020, 10, 11)):
        run = send_due_reminders()
    assert addresses() == ["sam@example.org"]
    assert [(u.name, u.deactivated, u.items) for u in run.unreachable] == [("Lee Leaver", True, 1)]
    with at(date(2020, 10, 15)):
        send_due_reminders()
    assert "lee@example.org" not in addresses()
    team = next(m for m in mail.outbox if m.to == [approver.email])
    assert "with Lee Leaver (data owner, deactivated: name someone else)" in team.body


def test_an_account_that_cannot_sign_in_is_not_reminded(council):
    _officer, leaver, _stayer, _approver, _left, _kept = council
    leaver.user.is_active = False  # turned off in the admin, the person left as they were
    leaver.user.save()
    with at(date(2020, 10, 11)):
        run = send_due_reminders()
    assert addresses() == ["sam@example.org"]
    assert [u.name for u in run.unreachable if u.deactivated] == ["Lee Leaver"]


def test_a_deactivated_approver_is_not_reminded_of_approvals(council):
    officer, _leaver, stayer, approver, _left, kept = council
    with at(date(2020, 10, 12)):
        value = save_value(kept, Q2, user=stayer.user, value=200)
        submit_value(value, user=stayer.user, expected_version=value.version)
    approver.refresh_from_db()
    deactivate_person(approver, user=officer, expected_version=approver.version)
    with at(date(2020, 10, 22)):
        run = send_due_reminders()
    assert "matt@example.org" not in addresses()
    assert {(u.name, u.step.value) for u in run.unreachable if u.deactivated} >= {
        ("Matt Rawdon", "approvals-overdue")
    }


def test_the_remind_command_names_whose_indicators_need_someone_else(council, capsys):
    officer, leaver, *_ = council
    deactivate_person(leaver, user=officer, expected_version=leaver.version)
    with at(date(2020, 10, 11)):
        call_command("remind", "--dry-run")
        out, err = capsys.readouterr()
    assert "lee@example.org" not in out and "Would send 1 reminder." in out
    assert (
        "Lee Leaver is deactivated: 1 figure of the Q2 2020/21 round not reminded (due soon). "
        "Name another data owner or approver on their indicators' pages." in err
    )


def test_the_overdue_tracker_and_who_does_what_say_the_holder_is_deactivated(client, council):
    officer, leaver, _stayer, _approver, left, _kept = council
    deactivate_person(leaver, user=officer, expected_version=leaver.version)
    client.force_login(officer)
    with at(date(2020, 10, 16)):
        page = client.get("/overdue/").content.decode()
    row = next(r for r in page.split("<tr") if "CSU10" in r)
    assert "Lee Leaver (data owner), deactivated" in row
    assert 'href="/manage/indicators/CSU10/"' in row and "name someone else" in row
    kept_row = next(r for r in page.split("<tr") if "CSU12" in r)
    assert "deactivated" not in kept_row
    with at(date(2020, 10, 16)):
        service = client.get(f"/manage/services/{left.service.slug}/").content.decode()
    overdue = service.split("Overdue figures")[1].split("Data owners")[0]
    assert "Lee Leaver (data owner), deactivated" in overdue and "/manage/indicators/CSU10/" in overdue
