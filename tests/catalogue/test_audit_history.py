"""The audit trail has no gaps: committees (members, indicators, services, cover-sheet
defaults), themes, priorities, people, the organisation and users' roles keep a change
history naming who and when; publishing a report writes one; and the trail names linked
records as they were at the time, not as they are today."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.catalogue import actions
from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.audit import committee_trail, organisation_trail, role_trail
from scrutineer.catalogue.models import CorporateObjective, Portfolio, Priority, Theme
from scrutineer.collection.audit import audit_trail
from scrutineer.engine import Period
from scrutineer.reports.editing import save_report
from scrutineer.reports.models import Report, ReportState
from scrutineer.reports.publishing import publish_report
from tests.factories import (
    CommitteeFactory,
    CouncillorFactory,
    DirectorateFactory,
    GroupFactory,
    IndicatorFactory,
    PerformanceOfficerFactory,
    PersonFactory,
    PriorityFactory,
    ServiceTeamFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return PerformanceOfficerFactory(first_name="Pat", last_name="Officer")


def entries(trail, field):
    return [(e.who, e.before, e.after, e.reason) for e in trail if e.field == field]


# Committees


def test_a_change_to_a_committees_members_is_one_history_row_naming_who_when_and_why(officer):
    committee = CommitteeFactory(name="Housing")
    ann = CouncillorFactory(name="Ann Smith")
    bob = CouncillorFactory(name="Bob Jones")

    actions.save_committee(committee, {}, {"members": [ann]}, user=officer, expected_version=1)
    actions.save_committee(committee, {}, {"members": [bob]}, user=officer, expected_version=2)

    rows = list(committee.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "~", "~"]  # one row for each save
    assert rows[-1].history_user == officer
    assert rows[-1].history_change_reason == "Changed members"
    assert [m.person_id for m in rows[1].members.all()] == [ann.pk]
    assert [m.person_id for m in rows[2].members.all()] == [bob.pk]
    assert entries(committee_trail(committee), "Members") == [
        ("Pat Officer", "Cllr Ann Smith", "Cllr Bob Jones", "Changed members"),
        ("Pat Officer", "", "Cllr Ann Smith", "Changed members"),
    ]


def test_a_committees_indicators_services_and_cover_sheet_defaults_keep_their_history(officer):
    committee = CommitteeFactory()
    indicator = IndicatorFactory(code="CSU10")
    service = ServiceTeamFactory(name="Resident Services")

    actions.save_committee(
        committee,
        {"risk_implications": "Budget pressure."},
        {"indicators": [indicator], "services": [service]},
        user=officer,
        expected_version=1,
    )

    trail = committee_trail(committee)
    assert entries(trail, "Indicators") == [
        ("Pat Officer", "", "CSU10", "Changed indicators, risk implications, services")
    ]
    assert entries(trail, "Services")[0][1:3] == ("", "Resident Services")
    # A new committee's cover-sheet texts start blank (the seed's wording is the demo's).
    assert entries(trail, "Risk implications")[0][1:3] == ("", "Budget pressure.")


def test_a_new_committee_is_one_history_row_with_its_members(officer):
    ann = CouncillorFactory(name="Ann Smith")
    committee = actions.save_committee(
        None, {"name": "Audit", "slug": "audit"}, {"members": [ann]}, user=officer
    )
    row = committee.history.get()
    assert (row.history_type, row.history_user, row.history_change_reason) == ("+", officer, "Created")
    assert [m.person_id for m in row.members.all()] == [ann.pk]


def test_members_changed_from_the_councillors_side_are_recorded_on_the_committee():
    committee = CommitteeFactory()
    ann = CouncillorFactory()

    ann.committee_memberships.add(committee)
    assert [m.person_id for m in committee.history.latest().members.all()] == [ann.pk]
    ann.committee_memberships.clear()
    assert list(committee.history.latest().members.all()) == []
    assert committee.history.count() == 3


# Themes, priorities, the organisation and people


def test_themes_and_priorities_keep_who_created_changed_and_removed_them(officer):
    priority = actions.save_priority(None, {"name": "A clean place", "position": 1}, user=officer)
    theme = actions.save_theme(None, {"priority": priority, "name": "Waste", "position": 1}, user=officer)
    actions.save_theme(theme, {"name": "Recycling"}, user=officer, expected_version=1)
    actions.remove_theme_or_priority(Theme.objects.get(pk=theme.pk), user=officer, expected_version=2)

    assert [(r.history_type, r.history_user, r.history_change_reason) for r in priority.history.all()] == [
        ("+", officer, "Created")
    ]
    assert [
        (r.history_type, r.name, r.history_user, r.history_change_reason)
        for r in Theme.history.filter(id=theme.pk).order_by("history_date", "history_id")
    ] == [
        ("+", "Waste", officer, "Created"),
        ("~", "Recycling", officer, "Changed name"),
        ("-", "Recycling", officer, "Removed"),
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda: PersonFactory(name="Jo Bloggs"),
        lambda: ServiceTeamFactory(name="Jo Bloggs"),
        lambda: GroupFactory(name="Jo Bloggs"),
        lambda: DirectorateFactory(name="Jo Bloggs"),
        lambda: Portfolio.objects.create(name="Jo Bloggs"),
        lambda: CorporateObjective.objects.create(name="Jo Bloggs"),
        lambda: PriorityFactory(name="Jo Bloggs"),
        lambda: ThemeFactory(name="Jo Bloggs"),
        lambda: CommitteeFactory(name="Jo Bloggs"),
    ],
    ids=[
        "person",
        "service",
        "group",
        "directorate",
        "portfolio",
        "objective",
        "priority",
        "theme",
        "committee",
    ],
)
def test_the_organisation_and_people_keep_a_history(make):
    admin = User.objects.create_superuser(
        "admin", password="x-long-password", first_name="Ada", last_name="Admin"
    )
    obj = make()
    model = type(obj)
    assert model.history.filter(id=obj.pk).count() == 1

    obj.name = "Jo Brown"
    obj._history_user = admin
    obj.save()

    renamed = [e for e in organisation_trail() if e.field == "Name" and e.after == "Jo Brown"]
    assert [(e.who, e.before) for e in renamed] == [("Ada Admin", "Jo Bloggs")]


def test_a_change_in_the_admin_names_the_administrator(client):
    admin = User.objects.create_superuser(
        "admin", password="x-long-password", first_name="Ada", last_name="Admin"
    )
    person = PersonFactory(name="Jo Bloggs", user=None)
    client.force_login(admin)

    response = client.post(
        f"/admin/catalogue/person/{person.pk}/change/",
        {
            "honorific": "Cllr",
            "name": "Jo Bloggs",
            "job_title": "Councillor",
            "email": "",
            "is_councillor": "on",
        },
    )

    assert response.status_code == 302
    row = person.history.latest()
    assert (row.history_user, row.is_councillor, row.history_change_reason) == (
        admin,
        True,
        "Changed in the admin",
    )


def test_the_admin_shows_history_but_refuses_to_revert_from_it(client):
    admin = User.objects.create_superuser("admin", password="x-long-password")
    committee = CommitteeFactory()
    client.force_login(admin)

    assert client.get(f"/admin/catalogue/committee/{committee.pk}/history/").status_code == 200
    assert client.get(f"/admin/auth/user/{admin.pk}/history/").status_code == 200
    row = committee.history.get()
    url = f"/admin/catalogue/committee/{committee.pk}/history/{row.history_id}/"
    assert client.post(url, {"name": "Reverted"}).status_code == 403


# Roles


def test_role_changes_are_recorded_from_either_side_with_who_made_them(officer):
    user = UserFactory(username="jsmith", first_name="Jane", last_name="Smith")
    officers = Group.objects.get(name=PERFORMANCE_OFFICERS)

    user._history_user, user._change_reason = officer, "Joined the performance team"
    user.groups.add(officers)
    officers.user_set.remove(user)  # from the group's side
    user.is_staff = True
    user.save()

    rows = list(user.history.order_by("history_date", "history_id"))
    assert [[g.group_id for g in r.groups.all()] for r in rows] == [[], [officers.pk], [], []]
    assert [r.is_staff for r in rows] == [False, False, False, True]
    assert rows[1].history_user == officer
    assert rows[1].history_change_reason == "Joined the performance team"

    trail = [e for e in role_trail() if e.what == "User jsmith (Jane Smith)"]
    assert [(e.field, e.before, e.after) for e in trail if e.field != "Active"] == [
        ("Staff status", "No", "Yes"),
        ("Groups", PERFORMANCE_OFFICERS, ""),
        ("Groups", "", PERFORMANCE_OFFICERS),
        ("Superuser status", "", "No"),
        ("Staff status", "", "No"),
    ]


def test_an_administrator_granting_a_role_in_the_admin_is_one_row_naming_them(client):
    admin = User.objects.create_superuser(
        "admin", password="x-long-password", first_name="Ada", last_name="Admin"
    )
    user = UserFactory(username="jsmith")
    officers = Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0]
    client.force_login(admin)
    before = user.history.count()

    response = client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "jsmith",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": "",
            "is_active": "on",
            "is_staff": "on",
            "groups": [officers.pk],
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert user.history.count() == before + 1
    row = user.history.latest()
    assert (row.history_user, row.is_staff) == (admin, True)
    assert [g.group_id for g in row.groups.all()] == [officers.pk]


def test_signing_in_writes_no_history_row_and_no_password_is_kept(client):
    user = User.objects.create_user("jsmith", password="x-long-password")
    before = user.history.count()

    client.force_login(user)  # signing in saves the user's last_login
    user.refresh_from_db()

    assert user.last_login is not None
    assert user.history.count() == before
    assert not hasattr(user.history.model, "password")


# Reports


def test_publishing_a_report_writes_a_history_row_naming_who_and_why(officer):
    committee = CommitteeFactory()
    report = Report.objects.create(
        committee=committee,
        period=Period.parse("2020-21-Q1"),
        meeting_date="2020-09-01",
        state=ReportState.REVIEWED,
    )

    publish_report(report, user=officer, note="For the September meeting", formats=("csv",))

    row = report.history.latest()
    assert (row.state, row.history_user, row.history_change_reason) == (
        ReportState.PUBLISHED,
        officer,
        "Published version 1: For the September meeting",
    )
    assert Report.objects.get(pk=report.pk).version == 2


def test_editing_a_reviewed_report_returns_it_to_draft_in_its_history(officer):
    committee = CommitteeFactory()
    period = Period.parse("2020-21-Q1")
    report = Report.objects.create(
        committee=committee, period=period, meeting_date="2020-09-01", state=ReportState.REVIEWED
    )

    save_report(
        committee, period, {"introduction": "Changed."}, user=officer, expected_version=report.version
    )

    row = report.history.latest()
    assert (row.state, row.history_user, row.history_change_reason) == (ReportState.DRAFT, officer, "Edited")


# Names as they were


def test_the_trail_names_linked_records_as_they_were_at_the_time(officer):
    old_owner = PersonFactory(name="Jo Bloggs")
    new_owner = PersonFactory(name="Sam Green")
    theme = ThemeFactory(name="Waste", priority=PriorityFactory(name="Clean"))
    indicator = IndicatorFactory(owner=old_owner, theme=theme)
    actions.save_indicator(
        indicator, {"owner": new_owner}, user=officer, reason="New team leader", expected_version=1
    )
    # Later, the old owner and the theme's priority are renamed.
    old_owner.name = "Jo Brown"
    old_owner.save()
    priority = Priority.objects.get(pk=theme.priority_id)
    priority.name = "Cleaner"
    priority.save()

    changed = [e for e in audit_trail(indicator) if e.field == "Owner" and e.reason == "New team leader"]
    assert [(e.before, e.after) for e in changed] == [("Jo Bloggs", "Sam Green")]
    created = [e for e in audit_trail(indicator) if e.field == "Theme"]
    assert [e.after for e in created] == ["Clean - Waste"]


def test_a_committees_trail_names_members_as_they_were(officer):
    committee = CommitteeFactory()
    ann = CouncillorFactory(name="Ann Smith")
    actions.save_committee(committee, {}, {"members": [ann]}, user=officer, expected_version=1)
    ann.name = "Ann Jones"
    ann.save()
    officer.first_name = "Patricia"
    officer.save()

    [entry] = [e for e in committee_trail(committee) if e.field == "Members"]
    assert (entry.who, entry.after) == ("Pat Officer", "Cllr Ann Smith")


def test_a_linked_record_with_no_history_is_named_as_it_is_today(officer):
    ann = CouncillorFactory(name="Ann Smith")
    ann.history.all().delete()
    committee = CommitteeFactory()
    actions.save_committee(committee, {}, {"members": [ann]}, user=officer, expected_version=1)

    [entry] = [e for e in committee_trail(committee) if e.field == "Members"]
    assert entry.after == "Cllr Ann Smith"


def test_the_organisation_trail_takes_the_same_queries_however_long_the_history(officer):
    committee = CommitteeFactory()
    people = [CouncillorFactory() for _ in range(4)]
    user = UserFactory()
    officers = Group.objects.get(name=PERFORMANCE_OFFICERS)
    themes = [ThemeFactory(), ThemeFactory()]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            organisation_trail()
        return len(captured)

    actions.save_committee(committee, {}, {"members": people[:1]}, user=officer, expected_version=1)
    user.groups.add(officers)
    few = queries()
    for version, person in enumerate(people[1:], start=2):
        actions.save_committee(committee, {}, {"members": [person]}, user=officer, expected_version=version)
        person.name += " (renamed)"
        person.save()
        user.groups.remove(officers)
        user.groups.add(officers)
    for theme in themes:
        theme.name += " (renamed)"
        theme.save()
    assert queries() == few


# Officers read it


def test_officers_read_a_committees_history_and_the_organisations_on_their_pages(client, officer):
    committee = CommitteeFactory(name="Housing", slug="housing")
    ann = CouncillorFactory(name="Ann Smith")
    actions.save_committee(committee, {}, {"members": [ann]}, user=officer, expected_version=1)
    UserFactory(username="jsmith").groups.add(Group.objects.get(name=PERFORMANCE_OFFICERS))
    client.force_login(officer)

    page = client.get("/manage/committees/housing/").content.decode()
    assert "Change history" in page and "Cllr Ann Smith" in page
    csv = client.get("/manage/committees/housing/history.csv").content.decode("utf-8-sig")
    assert "Members" in csv and "Cllr Ann Smith" in csv and "Pat Officer" in csv

    page = client.get("/manage/history/").content.decode()
    assert "User jsmith" in page and PERFORMANCE_OFFICERS in page and "Committee Housing" in page
    csv = client.get("/manage/history.csv").content.decode("utf-8-sig")
    assert csv.startswith("When,Who,What,Field,Before,After,Reason")
    assert "User jsmith" in csv


@pytest.mark.parametrize(
    "url", ["/manage/history/", "/manage/history.csv", "/manage/committees/housing/history.csv"]
)
def test_only_officers_read_the_change_history(client, url):
    CommitteeFactory(slug="housing")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
