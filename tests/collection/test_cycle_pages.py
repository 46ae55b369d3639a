"""The collection cycle through its pages, on the seed council and a controllable clock:
an officer opens the Q2 2020/21 round; My work shows its deadlines and what is late; a red
figure needs its comment; the round closes and locks; a correction is approved and shown
as a restatement on the indicator page and in the next draft report; the overdue tracker
and its CSV; corrective actions beside the figure until done."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from scrutineer.catalogue.models import Committee, Indicator, Target
from scrutineer.collection.models import CollectionRound, CorrectiveAction, Restatement, Value, ValueState
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report
from tests.people import login_as, user_for
from tests.publishing import publish

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
Q2 = Period.parse("2020-21-Q2")


def on(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 11, tzinfo=UTC), tick=False)


@pytest.fixture
def council(seed_council):
    for code in ("CSU10", "CSU11", "CSU12"):
        indicator = Indicator.objects.get(code=code)
        value = Target.objects.get(indicator=indicator, period=Q1).value
        Target.objects.create(indicator=indicator, period=Q2, value=value)
    return {"owner": user_for("Tracy Lancashire"), "approver": user_for("Matt Rawdon")}


def open_q2(client):
    login_as(client, officer=True)
    with on(date(2020, 10, 1)):
        return client.post(
            "/rounds/",
            {
                "period": "2020-21-Q2",
                "due_on": "2020-10-14",
                "approvals_due_on": "2020-10-21",
                "remind_days_before": "3",
                "escalate_days_after": "5",
            },
        )


def test_an_officer_opens_a_round_and_sees_every_indicator_due(client, council):
    response = open_q2(client)
    assert response.status_code == 302 and response["Location"] == "/rounds/2020-21-Q2/"
    with on(date(2020, 10, 16)):
        page = client.get("/rounds/2020-21-Q2/").content.decode()
        listing = client.get("/rounds/").content.decode()
    assert "CSU10 Call Handling: Average wait time" in page and "Overdue (not started)" in page
    assert "Tracy Lancashire (data owner)" in page
    assert "2020-21-Q2" in listing and "14 October 2020" in listing


def test_a_bad_date_is_refused_beside_its_field_and_nothing_opens(client, council):
    login_as(client, officer=True)
    with on(date(2020, 10, 1)):
        response = client.post(
            "/rounds/", {"period": "2020-21-Q2", "due_on": "14/10/2020", "approvals_due_on": "2020-10-21"}
        )
    assert response.status_code == 400
    assert "as a date, such as 2020-10-14" in response.content.decode()
    assert not CollectionRound.objects.exists()


def test_my_work_shows_the_rounds_deadlines_and_what_is_late(client, council):
    open_q2(client)
    client.force_login(council["owner"])
    with on(date(2020, 10, 10)):
        page = client.get("/my-work/").content.decode()
    assert "Collection rounds open now" in page and "figures due on 14 October 2020" in page
    assert "/indicators/CSU10/2020-21-Q2/" in page and "/indicators/CSU10/2020-21-Q1/" not in page
    with on(date(2020, 10, 17)):
        page = client.get("/my-work/").content.decode()
    assert "14 October 2020, 3 days late" in page and "figures overdue" in page


def test_the_whole_cycle_through_the_pages(client, council):
    open_q2(client)
    owner, approver = council["owner"], council["approver"]

    client.force_login(owner)
    with on(date(2020, 10, 16)):  # late, and red: 400 seconds against 300
        refused = client.post(
            "/indicators/CSU10/2020-21-Q2/", {"value": "400", "action": "submit", "version": ""}
        )
        assert refused.status_code == 400
        assert "needs a comment for the report" in refused.content.decode()
        value = Value.objects.get(indicator__code="CSU10", period=Q2)
        assert value.state == ValueState.DRAFT  # saved as a draft, nothing typed lost
        client.post(
            "/indicators/CSU10/2020-21-Q2/",
            {
                "value": "400",
                "commentary": "Two vacancies; recruiting.",
                "action": "submit",
                "version": value.version,
            },
        )
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED

    client.force_login(approver)
    with on(date(2020, 10, 18)):
        client.post(f"/approvals/{value.pk}/", {"action": "approve", "comment": "", "version": value.version})
    value.refresh_from_db()
    assert value.state == ValueState.APPROVED

    login_as(client, officer=True)
    round = CollectionRound.objects.get()
    with on(date(2020, 10, 30)):
        client.post("/rounds/2020-21-Q2/close/", {"version": round.version})
    value.refresh_from_db()
    assert value.locked and round.history.count() == 2

    client.force_login(owner)
    with on(date(2020, 11, 3)):
        page = client.get("/indicators/CSU10/").content.decode()
        assert "/indicators/CSU10/2020-21-Q2/correct/" in page
        refused = client.post(
            "/indicators/CSU10/2020-21-Q2/correct/", {"value": "380", "version": value.version}
        )
        assert refused.status_code == 400 and "say why it is being corrected" in refused.content.decode()
        client.post(
            "/indicators/CSU10/2020-21-Q2/correct/",
            {
                "value": "380",
                "version": value.version,
                "reason": "The telephony supplier restated October's calls",
                "commentary": "Two vacancies; recruiting.",
            },
        )
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED and Restatement.objects.get().reason.startswith(
        "The telephony"
    )

    client.force_login(approver)
    with on(date(2020, 11, 4)):
        client.post(
            f"/approvals/{value.pk}/", {"action": "approve", "comment": "Agreed.", "version": value.version}
        )
        page = client.get("/indicators/CSU10/").content.decode()
    assert (
        "Restated on 4 November 2020 from 400 Second(s) to 380 Second(s), because the telephony supplier "
        "restated October&#x27;s calls." in page
    )
    assert "Two vacancies; recruiting. Agreed." in page  # the Comments column

    committee = Committee.objects.get(slug="housing-community")
    with on(date(2020, 11, 5)):
        draft = build_document(Report(committee=committee, period=Q2, meeting_date=date(2020, 12, 2)))
    assert draft.restatements == (
        "CSU10 Q2 2020/21 restated on 4 November 2020 from 400 Second(s) to 380 Second(s), because the "
        "telephony supplier restated October's calls.",
    )


def test_publishing_a_report_locks_the_figures_it_shows_and_its_correction_is_noted_next(client, council):
    report = Report.objects.get(period=Q1)
    with on(date(2020, 9, 10)):
        publish(report)
    csu11 = Value.objects.get(indicator__code="CSU11", period=Q1)
    assert csu11.locked and csu11.lock_reason.startswith("published in")
    old_draft = build_document(report)
    assert old_draft.restatements == ()


def test_the_overdue_tracker_and_its_csv(client, council):
    open_q2(client)
    client.force_login(council["owner"])
    with on(date(2020, 10, 20)):  # six days late
        value = client.post(
            "/indicators/CSU11/2020-21-Q2/",
            {"numerator": "640", "denominator": "19498", "action": "submit", "version": ""},
        )
        assert value.status_code == 302
    client.force_login(council["approver"])
    with on(date(2020, 10, 22)):
        page = client.get("/overdue/").content.decode()
        csv = client.get("/overdue.csv").content.decode("utf-8-sig")
    assert "Late now, longest late first" in page and "CSU10 Call Handling" in page
    assert "Customer Services" in page and "Tracy Lancashire" in page
    lines = csv.splitlines()
    assert lines[0].startswith("round,indicator,name,service,data owner")
    assert any(line.startswith("Q2 2020/21,CSU11,") and ",2020-10-20,6," in line for line in lines), csv


def test_a_corrective_action_prints_beside_the_figure_until_done(client, council):
    login_as(client, officer=True)
    owner = Indicator.objects.get(code="CSU10").owner
    with on(date(2020, 10, 20)):
        response = client.post(
            "/indicators/CSU10/2020-21-Q1/corrective-actions/new/",
            {"description": "Recruit two call handlers", "owner": str(owner.pk), "due_on": "2020-12-31"},
        )
        assert response.status_code == 302
        action = CorrectiveAction.objects.get()
        committee = Committee.objects.get(slug="housing-community")
        draft = build_document(Report(committee=committee, period=Q2, meeting_date=date(2020, 12, 2)))
        row = next(r for r in draft.table.rows() if r.code == "CSU10")
        assert (
            "Corrective action (Tracy Lancashire, by 31 December 2020): Recruit two call handlers."
            in row.current.comment
        )
        client.post(
            f"/corrective-actions/{action.pk}/",
            {"progress": "Both started", "done": "on", "version": action.version},
        )
        action.refresh_from_db()
        assert action.is_done
    with on(date(2021, 1, 20)):
        q3 = build_document(
            Report(committee=committee, period=Period.parse("2020-21-Q3"), meeting_date=date(2021, 2, 2))
        )
    row = next(r for r in q3.table.rows() if r.code == "CSU10")
    assert "Corrective action" not in row.current.comment
