"""The collection cycle on a controllable clock: a round opens, reminders go out and
escalate, figures come in late (a red one with its required comment), are approved, the
round closes and locks them, and a correction is approved and shown as a restatement."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from scrutineer.changes import Rejected
from scrutineer.collection.actions import (
    InvalidTransition,
    ValueRejected,
    approve_value,
    close_round,
    correct_value,
    open_round,
    open_scheduled_rounds,
    reopen_value,
    return_value,
    save_schedule,
    save_value,
    submit_value,
)
from scrutineer.collection.actions.reminders import send_due_reminders
from scrutineer.collection.models import (
    CollectionRound,
    CommentFrom,
    CommentRequirement,
    Reminder,
    Restatement,
    RestatementState,
    RoundState,
    Value,
    ValueState,
)
from scrutineer.collection.rounds import ItemState, open_for_entry, open_periods, round_items
from scrutineer.engine import Frequency, Period
from tests.factories import OwnedIndicatorFactory, PerformanceOfficerFactory, PersonFactory, TargetFactory

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
Q2 = Period.parse("2020-21-Q2")


def at(day, hour=9):
    """Travel to `day` (a date) at `hour` o'clock, London time in October (UTC+1)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour - 1, tzinfo=UTC), tick=False)


@pytest.fixture
def council():
    officer = PerformanceOfficerFactory(
        username="pat", first_name="Pat", last_name="Officer", email="pat@example.org"
    )
    owner = PersonFactory(name="Tracy Lancashire", email="tracy@example.org")
    approver = PersonFactory(name="Matt Rawdon", email="matt@example.org", job_title="Group Manager")
    other_owner = PersonFactory(name="Joe Guiton", user__email="joe@example.org")
    silent_owner = PersonFactory(name="Sara Railson")  # no address anywhere
    csu10 = OwnedIndicatorFactory(code="CSU10", name="Average wait", owner=owner, approver=approver)
    csu12 = OwnedIndicatorFactory(code="CSU12", name="Face to face wait", owner=owner, approver=approver)
    yp01 = OwnedIndicatorFactory(code="YP01a", name="Playground visits", owner=other_owner, approver=approver)
    otb = OwnedIndicatorFactory(code="OTH01", name="Theatre visits", owner=silent_owner, approver=approver)
    monthly = OwnedIndicatorFactory(code="CSU11", frequency="monthly", owner=owner, approver=approver)
    for indicator in (csu10, csu12):  # lower is better: 300 seconds
        TargetFactory(indicator=indicator, period=Q2, value=Decimal(300))
    return SimpleNamespace(
        officer=officer,
        owner=owner,
        approver=approver,
        other_owner=other_owner,
        csu10=csu10,
        csu12=csu12,
        yp01=yp01,
        otb=otb,
        monthly=monthly,
    )


def open_q2(council, **dates):
    with at(date(2020, 10, 1)):
        return open_round(
            Q2,
            user=council.officer,
            due_on=dates.get("due_on", date(2020, 10, 14)),
            approvals_due_on=dates.get("approvals_due_on", date(2020, 10, 21)),
        )


def remind(day):
    with at(day):
        return send_due_reminders()


def sent(step=None):
    return sorted((m.to[0], m.subject) for m in mail.outbox if step is None or m.subject.startswith(step))


# Rounds decide what is open


def test_until_a_round_is_opened_the_date_rule_holds_then_rounds_alone(council):
    with at(date(2020, 10, 1)):
        assert open_for_entry(Frequency.QUARTERLY, date(2020, 10, 1)) == [Q2, Q1]
    open_q2(council)
    with at(date(2020, 10, 2)):
        assert open_for_entry(Frequency.QUARTERLY, date(2020, 10, 2)) == [Q2]
        # monthly indicators keep the date rule until a monthly round is opened
        assert open_for_entry(Frequency.MONTHLY, date(2020, 10, 2)) == open_periods(
            Frequency.MONTHLY, date(2020, 10, 2)
        )
        with pytest.raises(PermissionDenied, match="has a collection round open for Q2 2020/21 only"):
            save_value(council.csu10, Q1, user=council.owner.user, value=Decimal(200))
        save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(200))


def test_a_round_not_yet_open_takes_no_figures_and_a_closed_one_none_new(council):
    with at(date(2020, 9, 20)):
        r = open_round(
            Q2,
            user=council.officer,
            opens_on=date(2020, 10, 1),
            due_on=date(2020, 10, 14),
            approvals_due_on=date(2020, 10, 21),
        )
        with pytest.raises(PermissionDenied, match="has no collection round open now"):
            save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(200))
    with at(date(2020, 10, 30)):
        close_round(r, user=council.officer, expected_version=r.version)
        with pytest.raises(PermissionDenied, match="not open for entry"):
            save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(200))
        # performance officers still enter any period
        save_value(council.csu10, Q2, user=council.officer, value=Decimal(200))


def test_only_officers_open_rounds_and_dates_are_checked(council):
    with pytest.raises(PermissionDenied, match="Only performance officers"):
        open_round(Q2, user=council.owner.user, due_on="2020-10-14", approvals_due_on="2020-10-21")
    with pytest.raises(Rejected) as refused:
        open_round(
            Q2,
            user=council.officer,
            due_on="2020-10-21",
            approvals_due_on="2020-10-14",
            opens_on="2020-10-01",
        )
    assert "approvals_due_on" in refused.value.errors
    with pytest.raises(Rejected) as refused:
        open_round(Q2, user=council.officer, due_on="14/10/2020", approvals_due_on="", opens_on="2020-10-01")
    assert set(refused.value.errors) == {"due_on", "approvals_due_on"}
    open_q2(council)
    with pytest.raises(Rejected, match="a period has one round"):
        open_q2(council)
    assert CollectionRound.objects.count() == 1


def test_the_round_lists_every_indicator_due_with_its_state_and_holder(council):
    r = open_q2(council)
    with at(date(2020, 10, 10)):
        save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(200))
        draft = save_value(council.csu12, Q2, user=council.owner.user, value=Decimal(250))
        submit_value(draft, user=council.owner.user, expected_version=draft.version)
    items = {i.indicator.code: i for i in round_items([r], date(2020, 10, 16))}
    assert set(items) == {"CSU10", "CSU12", "YP01a", "OTH01"}  # quarterly ones only
    assert items["CSU10"].state is ItemState.DRAFT and items["CSU10"].holder == council.owner
    assert items["CSU10"].status_label == "Overdue (draft)" and items["CSU10"].days_late == 2
    assert items["CSU12"].state is ItemState.SUBMITTED and items["CSU12"].holder == council.approver
    assert not items["CSU12"].overdue  # approvals are due on the 21st
    assert items["YP01a"].status_label == "Overdue (not started)"


# Reminders escalate, once each


def test_reminders_escalate_and_each_step_goes_to_each_person_once(council):
    open_q2(council)

    run = remind(date(2020, 10, 10))  # four days before: too early
    assert run.due == [] and mail.outbox == []

    remind(date(2020, 10, 11))  # three days before: due soon, to the owners
    assert sent() == [
        ("joe@example.org", "Q2 2020/21 figures due on 14 October 2020: 1 figure to submit"),
        ("tracy@example.org", "Q2 2020/21 figures due on 14 October 2020: 2 figures to submit"),
    ]
    tracy = next(m for m in mail.outbox if m.to == ["tracy@example.org"])
    assert "CSU10 Average wait: Not started" in tracy.body and "CSU12 Face to face wait" in tracy.body
    assert "/indicators/CSU10/2020-21-Q2/" in tracy.body
    again = remind(date(2020, 10, 11))  # the same day, again: nothing
    assert again.sent == [] and len(mail.outbox) == 2
    unreachable = again.unreachable[0]
    assert (unreachable.name, unreachable.items) == ("Sara Railson", 1)

    mail.outbox.clear()
    remind(date(2020, 10, 15))  # overdue: the owners, and their approver with what they owe
    assert sent() == [
        ("joe@example.org", "Overdue: 1 figure for Q2 2020/21 (due on 14 October 2020)"),
        ("matt@example.org", "Overdue: 4 figures for Q2 2020/21 (due on 14 October 2020)"),
        ("tracy@example.org", "Overdue: 2 figures for Q2 2020/21 (due on 14 October 2020)"),
    ]
    matt = next(m for m in mail.outbox if m.to == ["matt@example.org"])
    assert "Late figures of the indicators you approve" in matt.body
    assert "with Tracy Lancashire (data owner), 1 day late" in matt.body

    mail.outbox.clear()
    remind(date(2020, 10, 18))
    assert mail.outbox == []  # overdue went once; escalation waits 5 days
    remind(date(2020, 10, 19))
    assert sent() == [("pat@example.org", "Escalated: 4 figures for Q2 2020/21 still late")]
    assert "5 days late" in mail.outbox[0].body

    steps = sorted(Reminder.objects.values_list("step", "address"))
    assert len(steps) == len(set(steps)) == 6


def test_approvals_overdue_go_to_the_approver_with_what_waits_for_them(council):
    open_q2(council)
    with at(date(2020, 10, 12)):
        value = save_value(council.csu12, Q2, user=council.owner.user, value=Decimal(250))
        submit_value(value, user=council.owner.user, expected_version=value.version)
    mail.outbox.clear()
    remind(date(2020, 10, 22))
    approvals = [m for m in mail.outbox if m.subject.startswith("Approvals overdue")]
    assert [(m.to, m.subject) for m in approvals] == [
        (["matt@example.org"], "Approvals overdue: 1 figure for Q2 2020/21 (due on 21 October 2020)")
    ]
    assert f"/approvals/{value.pk}/" in approvals[0].body


def test_a_dry_run_sends_and_claims_nothing(council):
    open_q2(council)
    with at(date(2020, 10, 15)):
        run = send_due_reminders(dry_run=True)
    assert len(run.due) == 3 and mail.outbox == [] and not Reminder.objects.exists()


def test_a_failed_email_is_sent_by_the_next_run(council, settings, monkeypatch):
    open_q2(council)

    def broken(self, messages):
        raise ConnectionRefusedError("SMTP server down")

    from django.core.mail.backends.locmem import EmailBackend

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    run = remind(date(2020, 10, 11))
    assert len(run.failed) == 2 and mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {"failed"}
    monkeypatch.undo()
    run = remind(date(2020, 10, 11))
    assert len(run.sent) == 2 and set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_the_remind_command_prints_what_it_sent_and_its_dry_run_what_it_would(council, capsys):
    open_q2(council)
    with at(date(2020, 10, 15)):
        call_command("remind", "--dry-run")
        out = capsys.readouterr().out
        assert (
            "Would send “Overdue: 2 figures for Q2 2020/21 (due on 14 October 2020)” to tracy@example.org"
            in out
        )
        assert "Would send 3 reminders." in out
        call_command("remind")
        out, err = capsys.readouterr()
        assert "Sent “Overdue: 2 figures" in out and "Sent 3 reminders." in out
        assert "No email address for Sara Railson" in err
        call_command("remind")
        assert "Nothing to send." in capsys.readouterr().out


# Schedules


def test_a_schedule_opens_each_periods_round_once_on_its_day(council):
    save_schedule("monthly", user=council.officer, open_day=1, due_day=10, approvals_day=15)
    assert open_scheduled_rounds(date(2020, 10, 1))[0].period == Period.parse("2020-09")
    r = CollectionRound.objects.get()
    assert (r.opens_on, r.due_on, r.approvals_due_on) == (
        date(2020, 10, 1),
        date(2020, 10, 10),
        date(2020, 10, 15),
    )
    assert r.opened_by is None and r.history.get().history_change_reason == "Opened by the monthly schedule"
    assert open_scheduled_rounds(date(2020, 10, 2)) == []  # once
    with pytest.raises(Rejected, match="in that order"):
        save_schedule("quarterly", user=council.officer, open_day=10, due_day=5, approvals_day=15)
    with pytest.raises(PermissionDenied):
        save_schedule("quarterly", user=council.owner.user, open_day=1, due_day=5, approvals_day=15)


# Required commentary


def test_a_red_figure_needs_a_comment_to_be_submitted(council):
    open_q2(council)
    with at(date(2020, 10, 12)):
        red = save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(400))
        with pytest.raises(ValueRejected) as refused:
            submit_value(red, user=council.owner.user, expected_version=red.version)
        assert list(refused.value.errors) == ["commentary"]
        assert "would be reported as “Red”" in refused.value.message
        red = save_value(
            council.csu10,
            Q2,
            user=council.owner.user,
            value=Decimal(400),
            expected_version=red.version,
            commentary="Two vacancies on the phones; recruitment under way.",
        )
        submit_value(red, user=council.owner.user, expected_version=red.version)
        green = save_value(council.csu12, Q2, user=council.owner.user, value=Decimal(250))
        submit_value(green, user=council.owner.user, expected_version=green.version)  # no comment needed
    assert Value.objects.get(indicator=council.csu10).state == ValueState.SUBMITTED


def test_an_indicator_can_ask_a_comment_on_amber_too(council):
    CommentRequirement.objects.create(indicator=council.csu10, required_from=CommentFrom.AMBER)
    open_q2(council)
    with at(date(2020, 10, 12)):
        amber = save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(320))
        with pytest.raises(ValueRejected, match="would be reported as “Amber”"):
            submit_value(amber, user=council.owner.user, expected_version=amber.version)


def test_an_amber_red_figure_of_a_five_level_rule_needs_a_comment_where_amber_ones_do(council):
    from scrutineer.catalogue.models import Indicator
    from tests.factories import StatusRuleFactory

    five = StatusRuleFactory(
        rule={
            "name": "Five levels",
            "amber-green": {"within": "5%"},
            "amber": {"within": "8%"},
            "amber-red": {"within": "10%"},
            "labels": {"amber-green": "Nearly on target", "amber-red": "Off target"},
        }
    )
    Indicator.objects.filter(pk=council.csu10.pk).update(status_rule=five)
    CommentRequirement.objects.create(indicator=council.csu10, required_from=CommentFrom.AMBER)
    open_q2(council)
    with at(date(2020, 10, 12)):
        nearly = save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(310))  # 3.3% over
        submit_value(nearly, user=council.owner.user, expected_version=nearly.version)  # kinder than amber
        off = save_value(
            council.csu12, Q2, user=council.owner.user, value=Decimal(327)
        )  # default rule: amber
        submit_value(off, user=council.owner.user, expected_version=off.version)  # red only, by default
    Value.objects.filter(indicator=council.csu10).delete()
    with at(date(2020, 10, 12)):
        off = save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(327))  # 9% over
        with pytest.raises(ValueRejected, match="would be reported as “Off target”"):
            submit_value(off, user=council.owner.user, expected_version=off.version)


# Locking and corrections


def submit_and_approve(council, indicator, figure, day=date(2020, 10, 12), commentary=""):
    with at(day):
        value = save_value(indicator, Q2, user=council.owner.user, value=figure, commentary=commentary)
        value = submit_value(value, user=council.owner.user, expected_version=value.version)
        return approve_value(value, user=council.approver.user, comment="", expected_version=value.version)


def test_closing_a_round_locks_its_approved_figures_and_late_ones_lock_on_approval(council):
    r = open_q2(council)
    approved = submit_and_approve(council, council.csu12, Decimal(250))
    with at(date(2020, 10, 12)):
        late = save_value(council.csu10, Q2, user=council.owner.user, value=Decimal(200))
    with at(date(2020, 10, 30)):
        assert close_round(r, user=council.officer, expected_version=r.version) == 1
        with pytest.raises(Rejected, match="already closed"):
            close_round(r, user=council.officer, expected_version=r.version)
    approved.refresh_from_db()
    assert approved.locked and approved.lock_reason == "Q2 2020/21 round closed on 30 October 2020"
    assert CollectionRound.objects.get().state == RoundState.CLOSED
    with at(date(2020, 11, 2)):  # the owner finishes the late draft; approved, it locks too
        late = submit_value(late, user=council.owner.user, expected_version=late.version)
        late = approve_value(late, user=council.approver.user, expected_version=late.version)
    assert late.locked and late.lock_reason == "approved after the Q2 2020/21 round closed"
    with pytest.raises(InvalidTransition, match="is locked"):
        reopen_value(approved, user=council.officer, reason="Typo")


def test_a_correction_to_a_locked_figure_is_approved_again_and_restated(council):
    r = open_q2(council)
    value = submit_and_approve(council, council.csu12, Decimal(250))
    with at(date(2020, 10, 30)):
        close_round(r, user=council.officer, expected_version=r.version)
    value.refresh_from_db()
    with at(date(2020, 11, 3)):
        with pytest.raises(ValueRejected) as refused:
            correct_value(
                value, user=council.owner.user, reason="", figure="260", expected_version=value.version
            )
        assert "reason" in refused.value.errors
        with pytest.raises(ValueRejected, match="nothing to correct"):
            correct_value(
                value, user=council.owner.user, reason="x", figure="250", expected_version=value.version
            )
        with pytest.raises(PermissionDenied):
            correct_value(
                value, user=council.approver.user, reason="x", figure="260", expected_version=value.version
            )
        corrected = correct_value(
            value,
            user=council.owner.user,
            reason="The telephony supplier restated the call times",
            figure="260",
            expected_version=value.version,
        )
    assert corrected.state == ValueState.SUBMITTED and not corrected.locked
    pending = Restatement.objects.get()
    assert (pending.state, pending.was_value) == (RestatementState.PENDING, Decimal(250))
    with at(date(2020, 11, 4)):
        returned = return_value(
            corrected, user=council.approver.user, comment="Which month?", expected_version=corrected.version
        )
        fixed = save_value(
            council.csu12, Q2, user=council.owner.user, value=Decimal(265), expected_version=returned.version
        )
        fixed = submit_value(fixed, user=council.owner.user, expected_version=fixed.version)
        approved = approve_value(fixed, user=council.approver.user, expected_version=fixed.version)
    restated = Restatement.objects.get()
    assert restated.state == RestatementState.RESTATED
    assert (restated.was_value, restated.now_value) == (Decimal(250), Decimal(265))
    assert restated.approved_by == council.approver.user and restated.restated_at.date() == date(2020, 11, 4)
    assert approved.locked and approved.lock_reason == "Q2 2020/21 round closed on 30 October 2020"


def test_the_whole_cycle_on_one_clock(council):
    """Open, remind, escalate, overdue, submit, approve, close, lock, correct, restate."""
    r = open_q2(council)
    remind(date(2020, 10, 11))
    assert "tracy@example.org" in {m.to[0] for m in mail.outbox}  # due soon
    remind(date(2020, 10, 15))
    assert any(m.subject.startswith("Overdue") and m.to == ["matt@example.org"] for m in mail.outbox)
    remind(date(2020, 10, 19))
    assert any(m.subject.startswith("Escalated") and m.to == ["pat@example.org"] for m in mail.outbox)
    assert (
        next(i for i in round_items([r], date(2020, 10, 19)) if i.indicator == council.csu10).days_late == 5
    )

    with at(date(2020, 10, 20)):  # late, red, with its comment
        value = save_value(
            council.csu10, Q2, user=council.owner.user, value=Decimal(400), commentary="Vacancies."
        )
        value = submit_value(value, user=council.owner.user, expected_version=value.version)
    with at(date(2020, 10, 21)):
        value = approve_value(
            value, user=council.approver.user, comment="Agreed.", expected_version=value.version
        )
    with at(date(2020, 10, 30)):
        r.refresh_from_db()
        assert close_round(r, user=council.officer, expected_version=r.version) == 1
    value.refresh_from_db()
    assert value.locked
    with at(date(2020, 11, 2)):
        value = correct_value(
            value,
            user=council.owner.user,
            reason="Supplier restated",
            figure="380",
            expected_version=value.version,
        )
    with at(date(2020, 11, 3)):
        value = approve_value(value, user=council.approver.user, expected_version=value.version)
    restated = Restatement.objects.get()
    assert (restated.state, restated.was_value, restated.now_value) == (
        "restated",
        Decimal(400),
        Decimal(380),
    )
    assert value.locked and value.report_comment == "Vacancies."
