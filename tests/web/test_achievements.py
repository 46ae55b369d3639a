"""Writing a service's achievements through the pages: who may, and every error path."""

import re

import pytest
from django.contrib.auth.models import User

from scrutineer.collection.models import Achievement, ValueState
from scrutineer.engine import Period
from tests.people import user_for

pytestmark = pytest.mark.django_db

QUARTER = "2021-22-Q2"  # no seed achievements
SEEDED = "2020-21-Q1"  # the seed's approved achievements


@pytest.fixture
def people(seed_council):
    return {
        "leader": user_for("Tracy Lancashire"),  # customer-services
        "other leader": user_for("Sara Railson"),  # old-town-hall
        "councillor": user_for("Casey Councillor", is_councillor=True),
        "officer": User.objects.create_user("officer", password="x-long-password", is_staff=True),
    }


def list_url(slug="customer-services", key=QUARTER):
    return f"/services/{slug}/achievements/{key}/"


def text(response):
    """The page's words, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def stored(slug="customer-services", key=QUARTER):
    return list(Achievement.objects.filter(service__slug=slug, period=Period.parse(key)).order_by("position"))


def test_a_team_leader_adds_and_edits_achievements_numbered_with_bullets(client, people):
    client.force_login(people["leader"])
    page = client.get(list_url())
    assert page.status_code == 200
    assert f"{list_url()}new/" in page.content.decode()
    assert "Add an achievement" in page.content.decode()

    form = client.get(f"{list_url()}new/")
    assert form.status_code == 200
    assert "blank line" in text(form) and "no HTML" in text(form)

    response = client.post(
        f"{list_url()}new/",
        {"body": "We answered 9 in 10 calls.\n\n- Webchat opened\n- Hours extended", "version": ""},
        follow=True,
    )
    assert response.redirect_chain == [(list_url(), 302)]
    assert "saved as a draft" in text(response)
    response = client.post(f"{list_url()}new/", {"body": "A second one.", "version": ""})
    assert response.status_code == 302

    first, second = stored()
    assert (first.position, second.position) == (1, 2)
    assert first.state == ValueState.DRAFT

    page = client.get(list_url()).content.decode()
    assert re.search(r"<h2[^>]*>\s*1\b", page) and re.search(r"<h2[^>]*>\s*2\b", page)
    assert (
        '<ul class="govuk-list govuk-list--bullet"><li>Webchat opened</li><li>Hours extended</li></ul>'
        in page
    )
    assert '<p class="govuk-body">We answered 9 in 10 calls.</p>' in page
    assert f"{list_url()}1/" in page and f"{list_url()}2/" in page

    edit = client.get(f"{list_url()}1/")
    assert "We answered 9 in 10 calls." in edit.content.decode()
    assert f'name="version" value="{first.version}"' in edit.content.decode()
    response = client.post(
        f"{list_url()}1/", {"body": "We answered 19 in 20 calls.", "version": first.version}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.body == "We answered 19 in 20 calls."
    assert len(stored()) == 2


def test_preview_shows_paragraphs_and_bullets_without_saving(client, people):
    client.force_login(people["leader"])
    response = client.post(
        f"{list_url()}new/", {"body": "Intro\n\n- one\n- two", "version": "", "action": "preview"}
    )
    assert response.status_code == 200
    assert "<li>one</li><li>two</li>" in response.content.decode()
    assert stored() == []


def test_html_is_refused_beside_the_text_and_nothing_is_stored(client, people):
    client.force_login(people["leader"])
    typed = "We <b>exceeded</b> the target."
    response = client.post(f"{list_url()}new/", {"body": typed, "version": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Text only, please" in page and "looks like an HTML tag" in page
    assert 'id="body-error"' in page and "govuk-error-summary" in page
    assert "We &lt;b&gt;exceeded&lt;/b&gt; the target.</textarea>" in page  # kept, escaped
    assert "<b>exceeded</b>" not in page
    assert stored() == []


def test_an_empty_achievement_is_refused(client, people):
    client.force_login(people["leader"])
    response = client.post(f"{list_url()}new/", {"body": "   ", "version": ""})
    assert response.status_code == 400
    assert "it cannot be empty" in text(response)
    assert stored() == []


def test_another_services_team_leader_gets_403_on_every_page(client, people):
    client.force_login(people["other leader"])
    assert client.get(list_url("old-town-hall")).status_code == 200
    assert client.get(list_url()).status_code == 403
    assert client.get(f"{list_url()}new/").status_code == 403
    assert client.post(f"{list_url()}new/", {"body": "Not mine.", "version": ""}).status_code == 403
    assert stored() == []


def test_a_councillor_gets_403(client, people):
    client.force_login(people["councillor"])
    assert client.get(list_url()).status_code == 403
    assert client.post(f"{list_url()}new/", {"body": "Hello.", "version": ""}).status_code == 403


def test_a_performance_officer_may_write_any_services_achievements(client, people):
    client.force_login(people["officer"])
    response = client.post(f"{list_url('old-town-hall')}new/", {"body": "Reopened.", "version": ""})
    assert response.status_code == 302
    assert [a.body for a in stored("old-town-hall")] == ["Reopened."]


@pytest.mark.parametrize("suffix", ["", "new/", "1/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, people, suffix):
    response = client.get(f"{list_url(key=SEEDED)}{suffix}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_unknown_service_period_and_position_are_404(client, people):
    client.force_login(people["officer"])
    assert client.get(list_url("no-such-service")).status_code == 404
    assert client.get(list_url(key="2020-21-Q5")).status_code == 404
    assert client.get(list_url(key="2020-21")).status_code == 404  # a year, not a quarter
    assert client.get(list_url(key="2020-06")).status_code == 404  # a month
    assert client.get(f"{list_url()}7/").status_code == 404


def test_a_stale_edit_is_refused_and_the_typed_text_is_kept(client, people):
    client.force_login(people["leader"])
    client.post(f"{list_url()}new/", {"body": "First draft.", "version": ""})
    (achievement,) = stored()
    opened = achievement.version
    # Someone else saves in between.
    client.post(f"{list_url()}1/", {"body": "Their change.", "version": opened})

    response = client.post(f"{list_url()}1/", {"body": "My change, typed at length.", "version": opened})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "My change, typed at length.</textarea>" in page
    assert f'name="version" value="{opened}"' in page  # still stale until reloaded
    achievement.refresh_from_db()
    assert achievement.body == "Their change."


def test_approved_seed_achievements_cannot_be_edited(client, people):
    client.force_login(people["other leader"])
    page = client.get(list_url("old-town-hall", SEEDED)).content.decode()
    assert "Due to the Coronavirus pandemic the Old Town Hall" in page
    assert "<li>Completion of an essential water quality test" in page  # the seed's bullets
    before = stored("old-town-hall", SEEDED)[0]
    assert before.state == ValueState.APPROVED

    response = client.post(
        f"{list_url('old-town-hall', SEEDED)}1/", {"body": "Rewritten.", "version": before.version}
    )
    assert response.status_code == 400
    assert "so it cannot be changed here" in text(response)
    assert "Rewritten.</textarea>" in response.content.decode()
    after = stored("old-town-hall", SEEDED)[0]
    assert (after.body, after.state, after.version) == (before.body, ValueState.APPROVED, before.version)


def test_drafts_reach_the_report_once_the_group_head_approves_them(client, seed_council):
    from scrutineer.catalogue.models import Committee, ServiceTeam
    from scrutineer.collection.actions import save_achievement
    from scrutineer.engine import Period
    from scrutineer.reports.builder import build_document
    from scrutineer.reports.output import draft_report

    leader, head = user_for("Tracy Lancashire"), user_for("Matt Rawdon")
    service = ServiceTeam.objects.get(slug="customer-services")
    save_achievement(service, QUARTER, 1, "Answered every call within a minute.", user=leader)
    report = draft_report(Committee.objects.get(slug="housing-community"), Period.parse(QUARTER))
    assert "Answered every call" not in str(build_document(report))

    client.force_login(leader)
    assert client.post(f"/services/customer-services/achievements/{QUARTER}/approve/").status_code == 403
    client.force_login(head)
    page = client.get(f"/services/customer-services/achievements/{QUARTER}/").content.decode()
    assert "Approve the drafts for the report" in page
    response = client.post(
        f"/services/customer-services/achievements/{QUARTER}/approve/", {"draft": shown(page)}, follow=True
    )
    assert "Approved 1 achievement" in response.content.decode()
    assert "Answered every call within a minute." in str(build_document(report))


def shown(page):
    """The drafts an approve form carries ("id:version"), as the browser would send them back."""
    return re.findall(r'name="draft" value="(\d+:\d+)"', page)


@pytest.fixture
def drafts(people):
    """Two drafts of Customer Services, written by its team leader; the group head approves."""
    from scrutineer.catalogue.models import ServiceTeam
    from scrutineer.collection.actions import save_achievement

    service = ServiceTeam.objects.get(slug="customer-services")
    for position, body in enumerate(("Webchat opened.", "Hours extended."), start=1):
        save_achievement(service, QUARTER, position, body, user=people["leader"])
    return service


def test_the_group_head_reads_the_drafts_without_write_links(client, people, drafts):
    client.force_login(user_for("Matt Rawdon"))
    page = client.get(list_url()).content.decode()
    assert "Webchat opened." in page and "Hours extended." in page
    assert len(shown(page)) == 2
    assert f"{list_url()}new/" not in page and f"{list_url()}1/" not in page  # he reads; he does not write


def test_approving_drafts_changed_since_the_page_was_loaded_approves_nothing(client, people, drafts):
    head = user_for("Matt Rawdon")
    client.force_login(head)
    seen = shown(client.get(list_url()).content.decode())

    client.force_login(people["leader"])  # the team leader edits one, and adds a third
    (first, _) = stored()
    client.post(f"{list_url()}1/", {"body": "Webchat opened on 1 July.", "version": first.version})
    client.force_login(head)
    response = client.post(f"{list_url()}approve/", {"draft": seen}, follow=True)
    assert "changed after you opened the page: a draft was edited since" in text(response)
    assert "Nothing was approved: read them again, then approve." in text(response)
    assert {a.state for a in stored()} == {ValueState.DRAFT}

    client.force_login(people["leader"])
    client.post(f"{list_url()}new/", {"body": "A third.", "version": ""})
    client.force_login(head)
    response = client.post(f"{list_url()}approve/", {"draft": seen}, follow=True)
    assert "there were 2 drafts then and 3 drafts now" in text(response)
    assert {a.state for a in stored()} == {ValueState.DRAFT}

    page = client.get(list_url()).content.decode()
    response = client.post(f"{list_url()}approve/", {"draft": shown(page)}, follow=True)
    assert "Approved 3 achievements of Customer Services" in text(response)
    assert {a.state for a in stored()} == {ValueState.APPROVED}


@pytest.mark.parametrize("posted", [{}, {"draft": ""}, {"draft": "12"}, {"draft": "a:b"}, {"draft": "1:2:3"}])
def test_an_approve_form_that_does_not_say_what_was_shown_approves_nothing(client, people, drafts, posted):
    client.force_login(user_for("Matt Rawdon"))
    response = client.post(f"{list_url()}approve/", posted, follow=True)
    assert response.redirect_chain == [(list_url(), 302)]
    assert "did not say which achievements you read, so nothing was approved" in text(response)
    assert {a.state for a in stored()} == {ValueState.DRAFT}


@pytest.mark.parametrize(
    "next_url, lands_on",
    [
        ("/approvals/#achievements", "/approvals/#achievements"),
        ("https://elsewhere.example/phish", list_url()),
        ("//elsewhere.example/phish", list_url()),
        ("", list_url()),
    ],
)
def test_approving_goes_back_only_to_a_page_of_this_site(client, people, drafts, next_url, lands_on):
    client.force_login(user_for("Matt Rawdon"))
    seen = shown(client.get(list_url()).content.decode())
    response = client.post(f"{list_url()}approve/", {"draft": seen, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_the_team_leader_still_cannot_approve_with_a_well_formed_form(client, people, drafts):
    client.force_login(people["leader"])
    seen = [f"{a.pk}:{a.version}" for a in stored()]
    assert client.post(f"{list_url()}approve/", {"draft": seen}).status_code == 403
    assert {a.state for a in stored()} == {ValueState.DRAFT}
