"""Entering and approving figures through the pages, with every role and every error path."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import Committee, Indicator, Person, Target
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency
from tests.people import user_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(seed_council):
    # The performance officer has set this year's targets (the seed gives 2019/20 and 2020/21).
    for code, target in (("CSU10", 300), ("CSU11", 20), ("CSU12", 450)):
        Target.objects.create(
            indicator=Indicator.objects.get(code=code), period=period().within(Frequency.ANNUAL), value=target
        )
    councillor = user_for("Casey Councillor", is_councillor=True)
    Committee.objects.get(slug="housing-community").members.add(councillor.person)
    return {
        "owner": user_for("Tracy Lancashire"),
        "approver": user_for("Matt Rawdon"),
        "councillor": councillor,
        "other owner": user_for("Joe Guiton"),
    }


def period():
    return open_periods(Frequency.QUARTERLY, timezone.localdate())[0]


def url(code="CSU11"):
    return f"/indicators/{code}/{period().key}/"


def test_the_main_journey(client, people):
    client.force_login(people["owner"])
    my_work = client.get("/my-work/").content.decode()
    assert "CSU11" in my_work
    assert f"/services/customer-services/achievements/{period().key}/" in my_work  # she leads it
    response = client.post(
        url(), {"numerator": "700", "denominator": "20000", "action": "submit", "version": ""}
    )
    assert response.status_code == 302
    value = Value.objects.get(indicator__code="CSU11", period=period())
    assert value.state == ValueState.SUBMITTED

    client.force_login(people["approver"])
    assert f"/approvals/{value.pk}/" in client.get("/my-work/").content.decode()
    response = client.post(
        f"/approvals/{value.pk}/",
        {"action": "return", "comment": "Check the denominator.", "version": value.version},
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.state == ValueState.RETURNED

    client.force_login(people["owner"])
    page = client.get("/my-work/").content.decode()
    assert "Check the denominator." in page
    response = client.post(
        url(), {"numerator": "700", "denominator": "21000", "action": "submit", "version": value.version}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED

    client.force_login(people["approver"])
    response = client.post(
        f"/approvals/{value.pk}/", {"action": "approve", "comment": "KPI Achieved.", "version": value.version}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.state == ValueState.APPROVED

    client.force_login(people["councillor"])
    page = client.get(f"/committees/housing-community/?period={period().key}").content.decode()
    row = row_of(page, "CSU11")
    assert "3.33%" in row and "700 / 21000" in row and "Target: 20%" in row
    assert re.search(r"govuk-tag--green.*Green", row)


def row_of(page: str, code: str) -> str:
    start = page.index(f'href="/indicators/{code}/"')
    return page[start : page.index("</tr>", start)]


def test_errors_are_shown_beside_the_fields_and_nothing_is_stored(client, people):
    client.force_login(people["owner"])
    response = client.post(url(), {"numerator": "640", "denominator": "600", "action": "save", "version": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "exceeds denominator 600" in page
    assert 'value="640"' in page  # what was typed is kept
    assert not Value.objects.filter(indicator__code="CSU11", period=period()).exists()


def test_a_second_save_on_a_stale_form_is_refused_and_loses_nothing(client, people):
    client.force_login(people["owner"])
    client.post(url("CSU10"), {"value": "80", "action": "save", "version": ""})
    stored = Value.objects.get(indicator__code="CSU10", period=period())
    client.post(url("CSU10"), {"value": "81", "action": "save", "version": stored.version})
    response = client.post(url("CSU10"), {"value": "99", "action": "save", "version": stored.version})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved this figure" in page
    assert 'value="99"' in page
    assert Value.objects.get(pk=stored.pk).value == 81


def test_an_owner_cannot_reach_another_owners_indicator_by_changing_the_address(client, people):
    client.force_login(people["other owner"])
    assert client.get(url("CSU10")).status_code == 403
    assert client.post(url("CSU10"), {"value": "1", "action": "save"}).status_code == 403
    assert not Value.objects.filter(indicator__code="CSU10", period=period()).exists()


def test_nobody_approves_their_own_entry(client, people):
    officer = User.objects.create_user("po", password="x-long-password")
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    client.force_login(officer)
    client.post(url("CSU10"), {"value": "80", "action": "submit", "version": ""})
    value = Value.objects.get(indicator__code="CSU10", period=period())
    response = client.post(f"/approvals/{value.pk}/", {"action": "approve", "version": value.version})
    assert response.status_code == 400
    assert "someone else must approve" in response.content.decode()
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED


def test_bulk_approve_from_the_queue(client, people):
    client.force_login(people["owner"])
    for code in ("CSU10", "CSU12"):
        client.post(url(code), {"value": "80", "action": "submit", "version": ""})
    client.force_login(people["approver"])
    submitted = list(Value.objects.filter(state=ValueState.SUBMITTED))
    shown = [f"{v.pk}:{v.version}" for v in submitted]
    assert client.post("/approvals/approve/", {"value": shown}).status_code == 302
    assert Value.objects.filter(pk__in=[v.pk for v in submitted], state=ValueState.APPROVED).count() == 2


def test_bulk_approval_refuses_a_figure_changed_since_the_queue_was_drawn(client, people):
    """Security review finding 4: the queue sent ids without versions, so a figure returned,
    changed and resubmitted after the approver's page was drawn was approved unseen."""
    client.force_login(people["owner"])
    client.post(url("CSU10"), {"value": "80", "action": "submit", "version": ""})
    value = Value.objects.get(indicator__code="CSU10", period=period())
    client.force_login(people["approver"])
    page = client.get("/approvals/").content.decode()
    shown = f"{value.pk}:{value.version}"
    assert f'value="{shown}"' in page  # the queue sends back the version it showed
    # Meanwhile: returned, changed to a different figure and resubmitted.
    client.post(f"/approvals/{value.pk}/", {"action": "return", "comment": "Check", "version": value.version})
    client.force_login(people["owner"])
    value.refresh_from_db()
    client.post(
        url("CSU10"),
        # red against its target, so it is submitted with its comment for the report (decision 15)
        {"value": "9999", "commentary": "System outage.", "action": "submit", "version": value.version},
    )
    client.force_login(people["approver"])
    response = client.post("/approvals/approve/", {"value": [shown]}, follow=True)
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED
    assert "not approved" in response.content.decode() or "since you opened it" in response.content.decode()


def test_bulk_approval_without_versions_approves_nothing(client, people):
    client.force_login(people["owner"])
    client.post(url("CSU10"), {"value": "80", "action": "submit", "version": ""})
    value = Value.objects.get(indicator__code="CSU10", period=period())
    client.force_login(people["approver"])
    response = client.post("/approvals/approve/", {"value": [str(value.pk)]}, follow=True)
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED
    assert "did not say which version" in response.content.decode()


@pytest.mark.parametrize(
    "role, expected",
    [("anonymous", "login"), ("councillor", 403), ("other owner", 403), ("owner", 200), ("approver", 403)],
)
def test_entry_page_for_every_role(client, people, role, expected):
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(url("CSU10"))
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    "role, expected", [("anonymous", "login"), ("councillor", 403), ("owner", 403), ("approver", 200)]
)
def test_approval_queue_for_every_role(client, people, role, expected):
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get("/approvals/")
    if expected == "login":
        assert response.status_code == 302
    else:
        assert response.status_code == expected


def test_the_review_page_shows_the_submitted_figure_as_the_engine_judges_it(client, people):
    client.force_login(people["owner"])
    client.post(url(), {"numerator": "700", "denominator": "20000", "action": "submit", "version": ""})
    value = Value.objects.get(indicator__code="CSU11", period=period())
    client.force_login(people["approver"])
    page = client.get(f"/approvals/{value.pk}/").content.decode()
    assert "3.5%" in page and "700 / 20000" in page and "Green" in page and "Target: 20%" in page


def test_the_change_history_is_on_the_indicator_page_and_downloads_as_csv(client, people):
    client.force_login(people["owner"])
    client.post(url("CSU10"), {"value": "80", "action": "save", "version": ""})
    stored = Value.objects.get(indicator__code="CSU10", period=period())
    client.post(url("CSU10"), {"value": "81", "action": "save", "version": stored.version})
    page = client.get("/indicators/CSU10/").content.decode()
    assert "Change history" in page and "tracy" in page
    response = client.get("/indicators/CSU10/history.csv")
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8-sig")
    assert "80" in text and "81" in text
    client.force_login(people["other owner"])
    assert client.get("/indicators/CSU10/history.csv").status_code == 403
    client.logout()
    assert client.get("/indicators/CSU10/history.csv").status_code == 302


# Achievements in the approval queue and on My work


def write_drafts(slug, count, key=None):
    from scrutineer.catalogue.models import ServiceTeam
    from scrutineer.collection.models import Achievement

    service = ServiceTeam.objects.get(slug=slug)
    for position in range(1, count + 1):
        Achievement.objects.create(
            service=service, period=key or period(), position=position, body=f"Achievement {position}."
        )
    return service


def approvals_row(page, name):
    start = page.index(f">{name}<")
    return page[start : page.index("</tr>", start)]


def test_the_queue_lists_draft_achievements_and_approves_them_there(client, people):
    from scrutineer.collection.models import Achievement

    write_drafts("customer-services", 2)
    write_drafts("old-town-hall", 1)
    client.force_login(people["approver"])  # Matt Rawdon heads the group of every seed service
    page = client.get("/approvals/").content.decode()
    row = approvals_row(page, "Customer Services")
    assert period().label in row and '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in row
    assert f'href="/services/customer-services/achievements/{period().key}/"' in page
    assert f'action="/services/customer-services/achievements/{period().key}/approve/"' in row
    assert 'name="next" value="/approvals/#achievements"' in row
    drafts = re.findall(r'name="draft" value="(\d+:\d+)"', row)
    assert len(drafts) == 2

    response = client.post(
        f"/services/customer-services/achievements/{period().key}/approve/",
        {"draft": drafts, "next": "/approvals/#achievements"},
        follow=True,
    )
    assert response.redirect_chain == [("/approvals/#achievements", 302)]
    page = response.content.decode()
    assert "Approved 2 achievements of Customer Services" in page
    assert ">Customer Services<" not in page and ">The Old Town Hall<" in page
    states = dict(Achievement.objects.values_list("service__slug", "state").filter(period=period()))
    assert states == {"customer-services": ValueState.APPROVED, "old-town-hall": ValueState.DRAFT}


def test_my_work_tells_the_approver_of_achievements_awaiting_them(client, people):
    write_drafts("customer-services", 3)
    client.force_login(people["approver"])
    page = client.get("/my-work/").content.decode()
    assert f"Customer Services {period().label}</a>: 3 draft achievements" in page
    assert 'href="/approvals/#achievements"' in page
    client.force_login(people["owner"])  # she leads Customer Services: never hers to approve
    page = client.get("/my-work/").content.decode()
    assert "draft achievement" not in page
    assert client.get("/approvals/").status_code == 403


def test_a_group_head_who_approves_no_figures_has_a_queue_of_achievements(client, seed_council):
    from scrutineer.catalogue.models import Group as OrgGroup
    from scrutineer.catalogue.models import ServiceTeam

    head = user_for("Hana Head")
    group = OrgGroup.objects.create(
        name="Place", slug="place", directorate=OrgGroup.objects.get().directorate, head=head.person
    )
    ServiceTeam.objects.create(name="Parks", slug="parks", group=group, team_leader=Person.objects.first())
    client.force_login(head)
    assert not head.person.approved_indicators.exists()
    page = client.get("/approvals/")  # nothing waits yet, but the queue is theirs
    assert page.status_code == 200
    assert "No figures await your approval." in page.content.decode()
    assert "No achievements await your approval." in page.content.decode()

    write_drafts("parks", 1)
    write_drafts("customer-services", 1)  # another group's: not theirs
    page = client.get("/approvals/").content.decode()
    assert ">Parks<" in page and ">Customer Services<" not in page
    assert f"Parks {period().label}</a>: 1 draft achievement<" in client.get("/my-work/").content.decode()

    group.head = None
    group.save()
    assert client.get("/approvals/").status_code == 403  # no longer heads a group


def test_the_queue_offers_exactly_what_may_approve_achievements_allows(client, people):
    """The queue's one query and the per-service rule never disagree, for every role."""
    from scrutineer.catalogue.access import may_approve_achievements
    from scrutineer.catalogue.models import ServiceTeam
    from scrutineer.collection.queues import achievements_awaiting_approval

    for service in ServiceTeam.objects.all():
        write_drafts(service.slug, 1)
    officer = User.objects.create_user("po", password="x-long-password")
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    leading_officer = user_for("Sara Railson")  # leads The Old Town Hall, and is an officer too
    leading_officer.groups.add(Group.objects.get(name=PERFORMANCE_OFFICERS))
    for user in (*people.values(), officer, leading_officer):
        listed = {w.service.slug for w in achievements_awaiting_approval(user)}
        allowed = {s.slug for s in ServiceTeam.objects.all() if may_approve_achievements(user, s)}
        assert listed == allowed, user
    assert "old-town-hall" not in {w.service.slug for w in achievements_awaiting_approval(leading_officer)}


def test_the_queue_and_my_work_cost_the_same_queries_with_achievements_at_any_size(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scrutineer.catalogue.models import Group as OrgGroup
    from scrutineer.catalogue.models import ServiceTeam
    from scrutineer.collection.models import Achievement
    from scrutineer.demo.generate import generate_council
    from scrutineer.engine import Period

    officer = User.objects.create_user("po", password="x-long-password")
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    head = User.objects.create_user("head", password="x-long-password")
    Person.objects.create(name="Group Head", user=head)

    def queries(user, url):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    counts = []
    quarters = (period(), period().previous())
    for seed, size in ((31, 10), (32, 120)):
        generate_council(size, 1, Period.parse("2025-26"), seed)
        OrgGroup.objects.filter(slug__startswith=f"syn{seed}-").update(head=head.person)
        services = ServiceTeam.objects.filter(slug__startswith=f"syn{seed}-")
        Achievement.objects.bulk_create(
            Achievement(service=s, period=q, position=n, body="Done.")
            for s in services
            for q in quarters
            for n in (1, 2)
        )
        Value.objects.bulk_create(
            Value(indicator=i, period=period(), value=1, state=ValueState.SUBMITTED)
            for i in Indicator.objects.filter(code__startswith=f"S{seed}-", frequency="quarterly")
        )
        counts.append(
            [queries(user, url) for user in (officer, head) for url in ("/my-work/", "/approvals/")]
        )
    assert ServiceTeam.objects.filter(slug__startswith="syn32-").count() > 1
    assert counts[0] == counts[1], counts
    client.force_login(head)
    assert (
        client.get("/approvals/").content.decode().count('name="next"')
        == 2 * ServiceTeam.objects.filter(slug__startswith="syn").count()
    )


def test_the_entry_page_shows_the_rate_worked_out_from_what_was_saved(client, people):
    client.force_login(people["owner"])
    response = client.post(
        url(), {"numerator": "640", "denominator": "19498", "action": "save", "version": ""}
    )
    assert response.status_code == 302
    page = client.get(url()).content.decode()
    shown = page[page.index('id="entered-figure"') :]
    shown = shown[: shown.index("</div>")]
    assert "As saved, the report will show once approved" in shown
    assert "3.28%" in shown and "640" in shown and "19498" in shown.replace(",", "")
    assert "Green" in shown and "20%" in shown  # this year's target, 20%: higher is better


def test_the_entry_page_for_an_indicator_with_no_target_says_so(client, people):
    Target.objects.filter(indicator__code="CSU06").delete()
    client.force_login(people["owner"])
    client.post(url("CSU06"), {"numerator": "10", "denominator": "20", "action": "save", "version": ""})
    page = client.get(url("CSU06")).content.decode()
    shown = page[page.index('id="entered-figure"') :]
    shown = shown[: shown.index("</div>")]
    assert "50%" in shown and "against the target" not in shown


def test_an_owner_enters_figures_only_for_open_periods_or_to_finish_one(client, people):
    client.force_login(people["owner"])
    closed = period().previous().previous()
    refused = client.get(f"/indicators/CSU11/{closed.key}/")
    assert refused.status_code == 403
    assert f"{closed.label} is not open for entry" in refused.content.decode()
    posted = client.post(f"/indicators/CSU11/{closed.key}/", {"numerator": "1", "denominator": "2"})
    assert posted.status_code == 403
    assert not Value.objects.filter(indicator__code="CSU11", period=closed).exists()

    # A figure returned to her stays hers to correct after its period closes.
    Value.objects.create(
        indicator=Indicator.objects.get(code="CSU11"),
        period=closed,
        numerator=1,
        denominator=2,
        state=ValueState.RETURNED,
    )
    assert client.get(f"/indicators/CSU11/{closed.key}/").status_code == 200

    officer = User.objects.create_user("perf", password="x-long-password")
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    client.force_login(officer)
    assert client.get(f"/indicators/CSU10/{closed.key}/").status_code == 200  # corrections
