"""Collecting figures: who may enter, submit, approve, return and reopen them; what is
refused and why; concurrent edits; and the audit trail the actions leave behind."""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.collection.actions import (
    InvalidTransition,
    StaleEdit,
    ValueRejected,
    approve_value,
    bulk_approve,
    changed_since_approval,
    reopen_value,
    return_value,
    save_achievement,
    save_value,
    submit_value,
)
from scrutineer.collection.audit import audit_csv, audit_trail
from scrutineer.collection.models import Achievement, Value, ValueState
from scrutineer.engine import Period
from scrutineer.performance import build_table
from tests.factories import (
    AchievementFactory,
    CommitteeFactory,
    CouncillorFactory,
    OwnedIndicatorFactory,
    PerformanceOfficerFactory,
    PersonFactory,
    ServiceTeamFactory,
    TargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JUN = Period.parse("2020-06")
MAY = Period.parse("2020-05")


@pytest.fixture(autouse=True)
def mid_july_2020():
    """Mid-July 2020: June and May 2020, and Q1 2020/21, are open for data owners' entry."""
    with time_machine.travel(datetime(2020, 7, 15, 12, tzinfo=UTC)):
        yield


@pytest.fixture
def people():
    officer = PerformanceOfficerFactory(first_name="Pat", last_name="Officer")
    return SimpleNamespace(
        owner=PersonFactory(name="Tracy Lancashire", user__first_name="Tracy", user__last_name="Lancashire"),
        approver=PersonFactory(name="Matt Rawdon", user__first_name="Matt", user__last_name="Rawdon"),
        officer=officer,
        councillor=CouncillorFactory().user,
        stranger=UserFactory(),
    )


@pytest.fixture
def csu11(people):
    """Abandoned calls: a monthly percentage, numerator over denominator."""
    return OwnedIndicatorFactory(
        code="CSU11",
        unit="%",
        measure_kind="rate",
        polarity="lower-is-better",
        frequency="monthly",
        aggregation="ratio",
        owner=people.owner,
        approver=people.approver,
    )


@pytest.fixture
def csu10(people):
    """Average wait: a monthly duration in seconds."""
    return OwnedIndicatorFactory(
        code="CSU10", frequency="monthly", owner=people.owner, approver=people.approver
    )


def enter(indicator, people, period=JUN, **figures):
    figures.setdefault("numerator", Decimal(640))
    figures.setdefault("denominator", Decimal(19498))
    return save_value(indicator, period, user=people.owner.user, **figures)


def submitted(indicator, people, **figures):
    value = enter(indicator, people, **figures)
    return submit_value(value, user=people.owner.user, expected_version=value.version)


def stored(value):
    return Value.objects.get(pk=value.pk)


# Entering figures


def test_the_action_itself_refuses_an_owner_a_period_not_open_for_entry(csu10, people):
    """Only open periods (Jun and May 2020 in mid-July) take an owner's figures, whoever
    calls the action: the page, an import or the API."""
    with pytest.raises(PermissionDenied, match="Mar-2020 is not open for entry"):
        save_value(csu10, "2020-03", user=people.owner.user, value=Decimal(80))
    assert not Value.objects.exists()
    officer_fix = save_value(csu10, "2020-03", user=people.officer, value=Decimal(80))
    assert officer_fix.state == ValueState.DRAFT


def test_an_owner_finishes_a_draft_after_its_period_closed(csu10, people):
    draft = save_value(csu10, MAY, user=people.owner.user, value=Decimal(80))
    with time_machine.travel(datetime(2020, 8, 15, 12, tzinfo=UTC)):  # May no longer open
        again = save_value(csu10, MAY, user=people.owner.user, value=Decimal(81), expected_version=1)
        submit_value(again, user=people.owner.user, expected_version=again.version)
    assert stored(draft).state == ValueState.SUBMITTED


def test_the_data_owner_enters_a_draft(csu11, people):
    value = enter(csu11, people, note="Two new starters on the phones")
    value = stored(value)
    assert value.state == ValueState.DRAFT
    assert (value.numerator, value.denominator, value.value) == (Decimal(640), Decimal(19498), None)
    assert value.note == "Two new starters on the phones"
    assert value.entered_by == people.owner.user
    assert value.version == 1
    record = value.history.get()
    assert record.history_user == people.owner.user
    assert record.history_type == "+"


def test_a_performance_officer_may_enter_figures(csu11, people):
    value = save_value(csu11, JUN, user=people.officer, numerator=1, denominator=2)
    assert stored(value).entered_by == people.officer


@pytest.mark.parametrize("who", ["approver", "councillor", "stranger", "anonymous", "inactive owner"])
def test_no_one_else_may_enter_figures(csu11, people, who):
    user = {
        "approver": people.approver.user,
        "councillor": people.councillor,
        "stranger": people.stranger,
        "anonymous": AnonymousUser(),
        "inactive owner": people.owner.user,
    }[who]
    if who == "inactive owner":
        user.is_active = False
        user.save()
    with pytest.raises(PermissionDenied, match="Only CSU11's data owner \\(Tracy Lancashire\\)"):
        save_value(csu11, JUN, user=user, numerator=1, denominator=2)
    assert not Value.objects.exists()


def test_the_period_must_be_of_the_indicators_frequency(csu11, people):
    with pytest.raises(ValueRejected) as refused:
        enter(csu11, people, period=Period.parse("2020-21-Q1"))
    assert list(refused.value.errors) == ["period"]
    assert "CSU11 is collected monthly" in refused.value.message
    assert "not Q1 2020/21" in refused.value.message
    assert not Value.objects.exists()


def test_a_numerator_over_its_denominator_is_refused_with_the_figures(csu11, people):
    with pytest.raises(ValueRejected) as refused:
        enter(csu11, people, numerator="640", denominator="600")
    assert refused.value.field == "numerator"
    assert refused.value.message.startswith("CSU11 Jun-2020: numerator 640 exceeds denominator 600")
    assert refused.value.errors == {"numerator": [refused.value.message]}
    assert refused.value.input["numerator"] == "640"  # what was typed, to show again
    assert not Value.objects.exists()


@pytest.mark.parametrize(
    ("figures", "field", "words"),
    [
        ({"numerator": 5, "denominator": None}, "denominator", "has no denominator"),
        ({"numerator": None, "denominator": 5}, "numerator", "has no numerator"),
        ({"numerator": 0, "denominator": 0}, "denominator", "denominator is 0"),
        ({"numerator": -1, "denominator": 5}, "numerator", "negative"),
        ({"numerator": None, "denominator": None, "value": Decimal("3.28")}, "value", "enter those instead"),
        ({"value": Decimal("3.28")}, "value", "enter those instead"),
        ({"numerator": "lots", "denominator": 5}, "numerator", '"lots" is not a number'),
        ({"numerator": "NaN", "denominator": 5}, "numerator", "not a number"),
        ({"numerator": Decimal("1.0000001"), "denominator": 5}, "numerator", "more than 6 decimal places"),
    ],
)
def test_rates_the_engine_refuses(csu11, people, figures, field, words):
    with pytest.raises(ValueRejected) as refused:
        enter(csu11, people, **figures)
    assert field in refused.value.errors
    assert words in refused.value.errors[field][0]
    assert refused.value.errors[field][0].startswith("CSU11 ")
    assert not Value.objects.exists()


def test_figures_typed_with_thousands_separators_are_read(csu11, people):
    value = enter(csu11, people, numerator=" 640 ", denominator="19,498")
    assert stored(value).denominator == Decimal(19498)


def test_a_single_figure_takes_no_fraction(csu10, people):
    with pytest.raises(ValueRejected) as refused:
        save_value(csu10, JUN, user=people.owner.user, value=Decimal("79.33"), numerator=1, denominator=2)
    assert set(refused.value.errors) == {"numerator", "denominator"}
    assert "enter it as the value" in refused.value.errors["numerator"][0]


@pytest.mark.parametrize("kind", ["count", "duration"])
def test_negative_counts_and_durations_are_refused(people, kind):
    indicator = OwnedIndicatorFactory(code="YP01", measure_kind=kind, frequency="monthly", owner=people.owner)
    with pytest.raises(ValueRejected) as refused:
        save_value(indicator, JUN, user=people.owner.user, value=-3)
    assert refused.value.errors["value"][0].startswith("YP01 Jun-2020: value -3 is negative")


def test_a_plain_number_may_be_negative(people):
    indicator = OwnedIndicatorFactory(measure_kind="number", frequency="monthly", owner=people.owner)
    assert stored(save_value(indicator, JUN, user=people.owner.user, value=-3)).value == Decimal(-3)


def test_no_figure_needs_a_reason(csu10, people):
    with pytest.raises(ValueRejected) as refused:
        save_value(csu10, JUN, user=people.owner.user)
    assert list(refused.value.errors) == ["no_data_reason"]
    assert "a gap is never reported as zero" in refused.value.message
    gap = save_value(csu10, JUN, user=people.owner.user, no_data_reason="Office closed due to CV-19")
    assert stored(gap).value is None


def test_not_measured_needs_no_figure_and_may_explain_one(csu10, people):
    assert save_value(csu10, JUN, user=people.owner.user, not_measured=True).not_measured
    suspended = save_value(
        csu10,
        MAY,
        user=people.owner.user,
        value=0,
        not_measured=True,
        no_data_reason="No face to face meetings during the lockdown period",
    )
    assert stored(suspended).value == 0


def test_a_figure_with_a_no_data_reason_is_ambiguous(csu10, people):
    with pytest.raises(ValueRejected) as refused:
        save_value(csu10, JUN, user=people.owner.user, value=5, no_data_reason="Closed")
    assert "leave the reason for no data blank" in refused.value.errors["no_data_reason"][0]


def test_notes_are_plain_text(csu10, people):
    with pytest.raises(ValueRejected) as refused:
        save_value(csu10, JUN, user=people.owner.user, value=5, note='Up <b>a lot</b> <a href="x">see</a>')
    assert refused.value.errors["note"][0].startswith('Text only, please: "<b>" looks like an HTML tag.')
    save_value(csu10, JUN, user=people.owner.user, value=5, note="Wait < 5 minutes for 3 > 2 callers")


def test_an_edit_raises_the_version_and_keeps_the_reason(csu11, people):
    value = enter(csu11, people)
    edited = save_value(
        csu11,
        JUN,
        user=people.owner.user,
        numerator=641,
        denominator=19498,
        expected_version=1,
        reason="Recounted",
    )
    assert (stored(edited).numerator, stored(edited).version) == (Decimal(641), 2)
    assert value.history.latest().history_change_reason == "Recounted"


def test_invalid_figures_change_nothing(csu11, people):
    value = enter(csu11, people)
    with pytest.raises(ValueRejected):
        save_value(csu11, JUN, user=people.owner.user, numerator=700, denominator=600, expected_version=1)
    after = stored(value)
    assert (after.numerator, after.version) == (Decimal(640), 1)
    assert after.history.count() == 1


# Concurrent edits


def test_of_two_edits_from_one_version_the_first_wins(csu11, people):
    enter(csu11, people)  # version 1: both users open it now
    save_value(csu11, JUN, user=people.owner.user, numerator=650, denominator=19498, expected_version=1)
    with pytest.raises(StaleEdit) as stale:
        save_value(csu11, JUN, user=people.officer, numerator=700, denominator=19498, expected_version=1)
    assert str(stale.value) == (
        "Someone else saved this figure since you opened it (version 2 is now stored); your changes "
        "were not saved. Reload to see theirs, then apply yours again."
    )
    assert (stale.value.expected_version, stale.value.current_version) == (1, 2)
    assert stale.value.input["numerator"] == 700  # the second user's figures are handed back
    value = Value.objects.get()
    assert (value.numerator, value.version, value.entered_by) == (Decimal(650), 2, people.owner.user)
    assert value.history.count() == 2


def test_a_new_figure_over_one_saved_meanwhile_is_stale(csu11, people):
    enter(csu11, people)
    with pytest.raises(StaleEdit) as stale:
        save_value(csu11, JUN, user=people.officer, numerator=1, denominator=2)  # opened a blank form
    assert stale.value.current_version == 1
    assert Value.objects.get().numerator == Decimal(640)


def test_a_version_for_a_figure_that_is_not_there_is_stale(csu11, people):
    with pytest.raises(StaleEdit, match="was deleted since you opened it"):
        save_value(csu11, JUN, user=people.owner.user, numerator=1, denominator=2, expected_version=3)


def test_a_stale_approval_is_refused(csu11, people):
    value = submitted(csu11, people)
    with pytest.raises(StaleEdit):
        approve_value(value, user=people.approver.user, expected_version=1)
    assert stored(value).state == ValueState.SUBMITTED


# Submitting


def test_the_owner_submits_a_draft(csu11, people):
    value = enter(csu11, people)
    submit_value(value, user=people.owner.user, expected_version=1)
    assert value.state == ValueState.SUBMITTED  # the caller's instance is brought up to date
    after = stored(value)
    assert (after.state, after.version) == (ValueState.SUBMITTED, 2)
    assert after.submitted_at is not None


def test_a_councillor_cannot_submit(csu11, people):
    value = enter(csu11, people)
    with pytest.raises(PermissionDenied):
        submit_value(value, user=people.councillor, expected_version=1)
    assert stored(value).state == ValueState.DRAFT


def test_a_submitted_figure_is_not_submitted_or_edited_again(csu11, people):
    value = submitted(csu11, people)
    with pytest.raises(InvalidTransition, match="already awaiting approval"):
        submit_value(value, user=people.owner.user, expected_version=value.version)
    with pytest.raises(InvalidTransition, match="Ask the approver to return it") as refused:
        enter(csu11, people, numerator=1, expected_version=value.version)
    assert refused.value.state == ValueState.SUBMITTED
    assert refused.value.input["numerator"] == 1


# Approving and returning


def test_the_approver_approves_with_a_comment(csu11, people):
    value = submitted(csu11, people)
    approve_value(value, user=people.approver.user, comment="KPI Achieved.", expected_version=value.version)
    after = stored(value)
    assert after.state == ValueState.APPROVED
    assert (after.approved_by, after.approver_comment) == (people.approver.user, "KPI Achieved.")
    assert after.approved_at is not None


def test_the_owner_cannot_approve(csu11, people):
    value = submitted(csu11, people)
    with pytest.raises(PermissionDenied, match="Only CSU11's approver \\(Matt Rawdon\\) or a performance"):
        approve_value(value, user=people.owner.user, expected_version=value.version)
    assert stored(value).state == ValueState.SUBMITTED


@pytest.mark.parametrize("who", ["councillor", "stranger", "anonymous"])
def test_others_cannot_approve_or_return(csu11, people, who):
    user = {"councillor": people.councillor, "stranger": people.stranger, "anonymous": AnonymousUser()}[who]
    value = submitted(csu11, people)
    with pytest.raises(PermissionDenied):
        approve_value(value, user=user, expected_version=value.version)
    with pytest.raises(PermissionDenied):
        return_value(value, user=user, comment="No", expected_version=value.version)
    assert stored(value).state == ValueState.SUBMITTED


def test_an_approver_cannot_approve_their_own_entry_even_as_an_officer(csu11, people):
    approver = people.approver.user
    approver.is_staff = True  # staff are performance officers, so may enter figures
    approver.save()
    value = save_value(csu11, JUN, user=approver, numerator=1, denominator=2)
    submit_value(value, user=approver, expected_version=1)
    with pytest.raises(PermissionDenied) as refused:
        approve_value(value, user=approver, expected_version=2)
    assert str(refused.value) == "You entered or changed this figure, so someone else must approve it."
    approve_value(value, user=people.officer, expected_version=2)  # another officer may
    assert stored(value).state == ValueState.APPROVED


def test_only_a_submitted_figure_is_approved(csu11, people):
    value = enter(csu11, people)
    with pytest.raises(InvalidTransition, match="is a draft; it can be approved only once"):
        approve_value(value, user=people.approver.user, expected_version=1)


def test_a_return_needs_a_comment(csu11, people):
    value = submitted(csu11, people)
    with pytest.raises(ValueRejected) as refused:
        return_value(value, user=people.approver.user, comment="  ", expected_version=value.version)
    assert list(refused.value.errors) == ["comment"]
    assert stored(value).state == ValueState.SUBMITTED


def test_a_returned_figure_is_corrected_resubmitted_and_approved(csu11, people):
    value = submitted(csu11, people)
    return_value(value, user=people.approver.user, comment="Denominator looks like May's", expected_version=2)
    assert (value.state, value.approver_comment) == (ValueState.RETURNED, "Denominator looks like May's")
    corrected = save_value(
        csu11,
        JUN,
        user=people.owner.user,
        numerator=640,
        denominator=19500,
        expected_version=3,
        reason="Used June's calls offered",
    )
    submit_value(corrected, user=people.owner.user, expected_version=4)
    approve_value(corrected, user=people.approver.user, expected_version=5)
    after = stored(value)
    assert (after.state, after.denominator) == (ValueState.APPROVED, Decimal(19500))
    assert after.approver_comment == ""  # the return comment is not printed as the approval's


# Bulk approval


def versions_of(*values):
    """The versions an approval queue showed for `values`: as stored now."""
    return {v.pk: Value.objects.get(pk=v.pk).version for v in values}


def test_four_eyes_counts_everyone_who_changed_the_figure_not_only_the_last_to_save(csu10, people):
    """Security review finding 10: an officer typed a figure, the owner submitted it
    unchanged, and the officer approved the figure he typed."""
    typed = save_value(csu10, JUN, user=people.officer, value=Decimal(80))
    unchanged = save_value(
        csu10, JUN, user=people.owner.user, value=Decimal(80), expected_version=typed.version
    )
    sent = submit_value(unchanged, user=people.owner.user, expected_version=unchanged.version)
    assert changed_since_approval(stored(sent)) == {people.officer.pk, people.owner.user.pk}
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        approve_value(sent, user=people.officer, expected_version=sent.version)
    approve_value(sent, user=people.approver.user, expected_version=sent.version)
    assert stored(sent).state == ValueState.APPROVED


def test_four_eyes_forgets_changes_before_the_last_approval(csu10, people):
    value = submitted(csu10, people, numerator=None, denominator=None, value=Decimal(80))
    approve_value(value, user=people.approver.user, expected_version=value.version)
    reopened = reopen_value(stored(value), user=people.officer, reason="Typo")
    assert changed_since_approval(stored(reopened)) <= {people.owner.user.pk}


def test_bulk_approve_approves_what_it_may_and_says_why_not_for_the_rest(csu11, csu10, people):
    ready = submitted(csu11, people)
    draft = save_value(csu10, JUN, user=people.owner.user, value=Decimal("79.33"))
    elsewhere = submitted(
        OwnedIndicatorFactory(code="OTH1", frequency="monthly", owner=people.owner),
        people,
        numerator=None,
        denominator=None,
        value=Decimal(3),
    )
    approved, refused = bulk_approve(
        [ready, draft, elsewhere], user=people.approver.user, versions=versions_of(ready, draft, elsewhere)
    )
    assert approved == [ready]
    assert stored(ready).state == ValueState.APPROVED
    reasons = dict((value.pk, reason) for value, reason in refused)
    assert reasons[draft.pk].startswith("CSU10 Jun-2020 is a draft")
    assert reasons[elsewhere.pk].startswith("Only OTH1's approver")
    assert stored(draft).state == ValueState.DRAFT
    assert stored(elsewhere).state == ValueState.SUBMITTED


def test_bulk_approve_refuses_the_officers_own_entries(csu11, csu10, people):
    mine = save_value(csu11, JUN, user=people.officer, numerator=1, denominator=2)
    submit_value(mine, user=people.officer, expected_version=1)
    theirs = submitted(csu10, people, numerator=None, denominator=None, value=Decimal(80))
    approved, refused = bulk_approve([mine, theirs], user=people.officer, versions=versions_of(mine, theirs))
    assert approved == [theirs]
    assert refused == [(mine, "You entered or changed this figure, so someone else must approve it.")]


# Reopening


def approved(indicator, people, **figures):
    value = submitted(indicator, people, **figures)
    return approve_value(value, user=people.approver.user, expected_version=value.version)


def test_an_officer_reopens_an_approved_figure_with_a_reason(csu11, people):
    value = approved(csu11, people)
    reopen_value(value, user=people.officer, reason="Calls offered restated by the telephony supplier")
    after = stored(value)
    assert (after.state, after.approved_at, after.approved_by) == (ValueState.DRAFT, None, None)
    assert after.history.latest().history_change_reason == "Calls offered restated by the telephony supplier"
    save_value(
        csu11, JUN, user=people.owner.user, numerator=600, denominator=19000, expected_version=after.version
    )


def test_an_approved_figure_changes_only_by_reopening(csu11, people):
    value = approved(csu11, people)
    with pytest.raises(InvalidTransition, match="A performance officer can reopen it"):
        enter(csu11, people, numerator=1, expected_version=value.version)


@pytest.mark.parametrize("who", ["owner", "approver"])
def test_only_officers_reopen(csu11, people, who):
    value = approved(csu11, people)
    with pytest.raises(PermissionDenied, match="Only a performance officer can reopen"):
        reopen_value(value, user=getattr(people, who).user, reason="Wrong")
    assert stored(value).state == ValueState.APPROVED


def test_a_reopening_needs_a_reason_and_an_approved_figure(csu11, people):
    value = approved(csu11, people)
    with pytest.raises(ValueRejected) as refused:
        reopen_value(value, user=people.officer, reason="")
    assert list(refused.value.errors) == ["reason"]
    assert stored(value).state == ValueState.APPROVED
    draft = enter(csu11, people, period=MAY)
    with pytest.raises(InvalidTransition, match="is not approved"):
        reopen_value(draft, user=people.officer, reason="Wrong")


# Reports


def test_the_report_shows_a_figure_only_once_approved(people):
    indicator = OwnedIndicatorFactory(code="CSU12", owner=people.owner, approver=people.approver)
    committee = CommitteeFactory()
    committee.indicators.add(indicator)
    quarter = Period.parse("2020-21-Q1")

    def shown():
        return next(build_table(committee, quarter).rows()).current.result

    value = save_value(indicator, quarter, user=people.owner.user, value=Decimal("79.33"))
    assert shown().value is None
    assert "Awaiting approval" in shown().no_data_reason
    submit_value(value, user=people.owner.user, expected_version=1)
    assert shown().value is None
    approve_value(value, user=people.approver.user, comment="KPI Achieved.", expected_version=2)
    assert shown().value == Decimal("79.33")
    reopen_value(value, user=people.officer, reason="Restated")
    assert shown().value is None


# Audit trail


def test_the_audit_trail_shows_who_changed_what_when_and_why(csu11, people):
    value = submitted(csu11, people)
    return_value(value, user=people.approver.user, comment="Check the denominator", expected_version=2)
    save_value(
        csu11,
        JUN,
        user=people.owner.user,
        numerator=640,
        denominator=19500,
        expected_version=3,
        reason="Typo",
    )
    target = TargetFactory(indicator=csu11, period=Period.parse("2020-21"), value=Decimal(5))
    target.value = Decimal(4)
    target._change_reason = "Cabinet lowered the target"
    target.save()
    csu11.name = "Abandoned calls"
    csu11.save()

    trail = audit_trail(csu11)
    assert trail == sorted(trail, key=lambda e: e.when, reverse=True)
    assert trail[0].what == "Indicator definition"
    assert (trail[0].field, trail[0].after) == ("Name", "Abandoned calls")

    target_change = next(e for e in trail if e.what == "Target 2020/21" and e.before)
    assert (target_change.field, target_change.before, target_change.after) == ("Value", "5", "4")
    assert target_change.reason == "Cabinet lowered the target"

    correction = next(e for e in trail if e.field == "Denominator" and e.before)
    assert correction.what == "Value Jun-2020"
    assert (correction.before, correction.after) == ("19498", "19500")
    assert (correction.who, correction.reason) == ("Tracy Lancashire", "Typo")

    returned = next(e for e in trail if e.field == "State" and e.after == "Returned to the data owner")
    assert (returned.before, returned.who) == ("Submitted for approval", "Matt Rawdon")
    assert returned.reason == "Check the denominator"

    created = [e for e in trail if e.what == "Value Jun-2020" and e.reason == "Entered"]
    assert {e.field for e in created} >= {"Numerator", "Denominator", "State", "Entered by"}
    assert all(e.before == "" for e in created)
    assert [e for e in trail if e.what == "Value Jun-2020"][-1] in created  # oldest last
    assert trail[-1].what == "Indicator definition"  # created before anything else


def test_the_audit_trail_exports_as_csv(csu11, people):
    save_value(csu11, JUN, user=people.owner.user, numerator=1, denominator=2, note="=SUM(A1)")
    text = audit_csv(audit_trail(csu11))
    lines = text.split("\r\n")
    assert lines[0] == "When,Who,What,Field,Before,After,Reason"
    assert any(",Value Jun-2020,Note,,'=SUM(A1),Entered" in line for line in lines)
    assert any(",Value Jun-2020,Numerator,,1,Entered" in line for line in lines)


# Achievements


@pytest.fixture
def service(people):
    return ServiceTeamFactory(name="Customer Services", team_leader=people.owner)


def test_the_team_leader_writes_a_draft_achievement(service, people):
    body = "Call handling improved.\n\n- 640 calls abandoned\n- waits down to 79 seconds"
    achievement = save_achievement(service, "2020-21-Q1", 1, body + "\r\n", user=people.owner.user)
    achievement.refresh_from_db()
    assert (achievement.body, achievement.state, achievement.version) == (body, ValueState.DRAFT, 1)
    assert achievement.history.get().history_user == people.owner.user


def test_an_officer_may_write_achievements_and_others_may_not(service, people):
    save_achievement(service, "2020-21-Q1", 1, "Opened the Old Town Hall.", user=people.officer)
    for user in (people.approver.user, people.councillor, AnonymousUser()):
        with pytest.raises(PermissionDenied, match="Only Customer Services's team leader"):
            save_achievement(service, "2020-21-Q1", 2, "Not mine to write.", user=user)
    assert Achievement.objects.count() == 1


@pytest.mark.parametrize(
    ("period", "position", "body", "field"),
    [
        ("2020-21-Q1", 1, "Ran <script>alert(1)</script> a fun day", "body"),
        ("2020-21-Q1", 1, "Ran a <em>great</em> fun day", "body"),
        ("2020-21-Q1", 1, "   ", "body"),
        ("2020-06", 1, "Ran a fun day", "period"),
        ("2020-21-Q1", 0, "Ran a fun day", "position"),
    ],
)
def test_achievements_refused(service, people, period, position, body, field):
    with pytest.raises(ValueRejected) as refused:
        save_achievement(service, period, position, body, user=people.owner.user)
    assert list(refused.value.errors) == [field]
    assert refused.value.input["body"] == body
    assert not Achievement.objects.exists()


def test_html_in_an_achievement_is_named_in_the_message(service, people):
    with pytest.raises(ValueRejected) as refused:
        save_achievement(service, "2020-21-Q1", 1, "Ran a <em>great</em> fun day", user=people.owner.user)
    assert refused.value.message.startswith('Text only, please: "<em>" looks like an HTML tag.')


def test_achievement_edits_are_versioned(service, people):
    save_achievement(service, "2020-21-Q1", 1, "First words.", user=people.owner.user)
    save_achievement(service, "2020-21-Q1", 1, "Better words.", user=people.owner.user, expected_version=1)
    with pytest.raises(StaleEdit) as stale:
        save_achievement(service, "2020-21-Q1", 1, "Other words.", user=people.officer, expected_version=1)
    assert stale.value.input["body"] == "Other words."
    with pytest.raises(StaleEdit):
        save_achievement(service, "2020-21-Q1", 1, "Blank-form words.", user=people.officer)
    assert Achievement.objects.get().body == "Better words."


def test_an_approved_achievement_is_not_changed_here(service, people):
    AchievementFactory(service=service, position=1, body="As reported to committee.")
    with pytest.raises(InvalidTransition, match="is approved"):
        save_achievement(service, "2020-21-Q1", 1, "Rewritten.", user=people.officer, expected_version=1)
    assert Achievement.objects.get().body == "As reported to committee."


# The admin


def test_the_admin_shows_figures_but_never_changes_them(csu11, people, rf):
    from django.contrib import admin

    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[Value]
    value = enter(csu11, people)
    assert model_admin.has_view_permission(request, value)
    assert not model_admin.has_change_permission(request, value)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request, value)
    revert = rf.post("/")
    revert.user = request.user
    with pytest.raises(PermissionDenied):
        model_admin.history_form_view(revert, str(value.pk), str(value.history.get().history_id))


def test_the_audit_trail_takes_the_same_queries_however_long_the_history(csu10, people):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            audit_trail(csu10)
        return len(captured)

    save_value(csu10, JUN, user=people.owner.user, value=1)
    few = queries()
    for month in ("2020-04", "2020-05", "2020-07", "2020-08"):
        value = save_value(csu10, month, user=people.officer, value=2)  # any period, as an officer
        submit_value(value, user=people.officer, expected_version=1)
        approve_value(value, user=people.approver.user, expected_version=2)
    assert queries() == few
