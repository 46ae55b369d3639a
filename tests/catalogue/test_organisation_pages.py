"""The organisation and people pages at /manage/ (catalogue/organisation_views.py): who may
use them, errors beside their fields, invitations from the form to a chosen password,
deactivation, and who does what in a service with its overdue figures."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scrutineer.catalogue.models import Directorate, Indicator, Person, ServiceTeam
from scrutineer.collection.actions import open_round
from scrutineer.collection.overdue import late_now
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency
from tests.factories import (
    CommitteeFactory,
    DirectorateFactory,
    GroupFactory,
    IndicatorFactory,
    OwnedIndicatorFactory,
    PerformanceOfficerFactory,
    PersonFactory,
    ServiceTeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/manage/organisation/",
    "/manage/directorates/new/",
    "/manage/groups/new/",
    "/manage/services/new/",
    "/manage/people/",
    "/manage/people/new/",
    "/manage/people/invite/",
    "/manage/portfolios/",
    "/manage/portfolios/new/",
    "/manage/objectives/new/",
]


@pytest.fixture
def officer(client):
    user = PerformanceOfficerFactory()
    PersonFactory(user=user, name="Olive Officer")
    client.force_login(user)
    return user


def test_officers_see_every_page(client, officer):
    service = ServiceTeamFactory()
    person = PersonFactory()
    for path in [
        *PAGES,
        f"/manage/services/{service.slug}/",
        f"/manage/services/{service.slug}/change/",
        f"/manage/directorates/{service.group.directorate.slug}/",
        f"/manage/groups/{service.group.slug}/",
        f"/manage/people/{person.pk}/",
        f"/manage/people/{person.pk}/deactivate/",
    ]:
        assert client.get(path).status_code == 200, path


def test_no_one_else_does(client):
    indicator = OwnedIndicatorFactory()
    for user in (indicator.owner.user, indicator.approver.user, UserFactory()):
        client.force_login(user)
        for path in PAGES:
            assert client.get(path).status_code == 403, path
    client.logout()
    assert client.get("/manage/people/").status_code == 302


def test_the_organisation_is_built_on_its_pages(client, officer):
    response = client.post("/manage/directorates/new/", {"name": "Housing", "slug": "housing"})
    assert response.status_code == 302
    directorate = Directorate.objects.get(slug="housing")
    client.post(
        "/manage/groups/new/", {"name": "Community", "slug": "community", "directorate": directorate.pk}
    )
    group = directorate.groups.get()
    client.post(
        "/manage/services/new/",
        {"name": "Customer Services", "slug": "customer-services", "group": group.pk, "position": "1"},
    )
    page = client.get("/manage/organisation/").content.decode()
    assert "Housing" in page and "Community" in page and "Customer Services" in page


def test_errors_are_shown_beside_their_fields_and_what_was_typed_is_kept(client, officer):
    group = GroupFactory()
    ServiceTeamFactory(slug="taken")
    response = client.post(
        "/manage/services/new/", {"name": "Typed name", "slug": "taken", "group": group.pk, "position": "x"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_slug_error"' in page and 'id="id_position_error"' in page
    assert 'value="Typed name"' in page
    assert not ServiceTeam.objects.filter(name="Typed name").exists()


def test_a_stale_edit_is_refused_on_the_page(client, officer):
    d = DirectorateFactory(name="Finance")
    Directorate.objects.filter(pk=d.pk).update(version=2)
    response = client.post(
        f"/manage/directorates/{d.slug}/", {"name": "Money", "slug": d.slug, "version": "1"}
    )
    assert response.status_code == 400 and "Someone else saved" in response.content.decode()


def test_removing_one_in_use_says_what_uses_it(client, officer):
    indicator = IndicatorFactory(code="CSU10")
    service = indicator.service
    response = client.post(
        f"/manage/services/{service.slug}/change/", {"action": "remove", "version": "1"}, follow=True
    )
    assert "CSU10" in response.content.decode()
    assert ServiceTeam.objects.filter(pk=service.pk).exists()


def test_invited_person_chooses_a_password_and_signs_in(client, officer, settings):
    settings.SCRUTINEER_SITE_URL = "http://testserver"
    service = ServiceTeamFactory(name="Customer Services")
    mine = IndicatorFactory(service=service, code="CSU10")
    response = client.post(
        "/manage/people/invite/",
        {
            "email": "tracy@council.example",
            "name": "Tracy Lancashire",
            "role": "data-owner",
            "services": [service.pk],
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="tracy@council.example")
    assert Indicator.objects.get(pk=mine.pk).owner == person
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/welcome/\S+)", message.body).group(1)

    client.logout()
    page = client.get(link, follow=True)
    assert "Choose your password" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = client.post(
        form_url, {"new_password1": "a-long-chosen-password", "new_password2": "a-long-chosen-password"}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/welcome/done/"
    signed_in = client.post(
        "/accounts/login/", {"username": "tracy@council.example", "password": "a-long-chosen-password"}
    )
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    # The link works once.
    client.logout()
    assert "no longer works" in client.get(link, follow=True).content.decode()


def test_an_expired_link_says_so(client, officer, settings):
    client.post(
        "/manage/people/invite/", {"email": "x@council.example", "name": "X", "role": "performance-officer"}
    )
    link = re.search(r"(/accounts/welcome/\S+)", mail.outbox[0].body).group(1)
    settings.SCRUTINEER_INVITATION_DAYS = -1
    client.logout()
    assert "no longer works" in client.get(link, follow=True).content.decode()


def test_invitation_errors_are_beside_their_fields(client, officer):
    response = client.post("/manage/people/invite/", {"email": "x@council.example", "role": "data-owner"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_error"' in page and "Choose the services they are data owner for" in page
    assert not mail.outbox


def test_choosing_indicators_ticks_those_without_an_owner(client, officer):
    service = ServiceTeamFactory()
    free = IndicatorFactory(service=service, code="FREE1")
    held = OwnedIndicatorFactory(service=service, code="HELD1")
    response = client.post(
        "/manage/people/invite/",
        {
            "email": "a@council.example",
            "name": "A",
            "role": "data-owner",
            "services": [service.pk],
            "action": "choose",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "HELD1" in page
    assert re.search(rf'value="{free.pk}"[^>]*checked', page) and not re.search(
        rf'value="{held.pk}"[^>]*checked', page
    )
    response = client.post(
        "/manage/people/invite/",
        {
            "email": "a@council.example",
            "name": "A",
            "role": "data-owner",
            "services": [service.pk],
            "indicators_shown": "1",
            "indicators": [held.pk],
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get(pk=held.pk).owner.email == "a@council.example"
    assert Indicator.objects.get(pk=free.pk).owner is None


def test_a_councillor_is_invited_onto_a_committee(client, officer):
    committee = CommitteeFactory()
    client.post(
        "/manage/people/invite/",
        {"email": "c@council.example", "name": "Cllr C", "role": "councillor", "committees": [committee.pk]},
    )
    assert committee.members.get().email == "c@council.example"


def test_deactivating_on_the_page_drops_them_from_the_lists(client, officer):
    indicator = OwnedIndicatorFactory(code="CSU10", owner__name="Dee Parted")
    owner = indicator.owner
    warning = client.get(f"/manage/people/{owner.pk}/deactivate/").content.decode()
    assert "data owner of CSU10" in warning
    response = client.post(f"/manage/people/{owner.pk}/deactivate/", {"version": "1", "reason": "Left"})
    assert response.status_code == 302
    assert not User.objects.get(pk=owner.user_id).is_active
    other = IndicatorFactory()
    form = client.get(f"/manage/indicators/{other.code}/").content.decode()
    assert ">Dee Parted</option>" not in form  # not offered for another indicator
    own = client.get(f"/manage/indicators/{indicator.code}/").content.decode()
    assert ">Dee Parted</option>" in own  # still named where chosen, so a save keeps them
    assert owner.name in client.get("/manage/people/?state=deactivated").content.decode()
    assert owner.name not in client.get("/manage/people/").content.decode()
    assert client.post(f"/manage/people/{owner.pk}/reactivate/", {"version": "2"}).status_code == 302
    assert User.objects.get(pk=owner.user_id).is_active


def test_the_last_officer_is_not_deactivated_on_the_page(client, officer):
    response = client.post(f"/manage/people/{officer.person.pk}/deactivate/", {"version": "1"})
    assert response.status_code == 400 and "only active performance officer" in response.content.decode()


def test_who_does_what_in_a_service(client, officer):
    service = ServiceTeamFactory(name="Customer Services")
    a = OwnedIndicatorFactory(service=service, code="CSU10", frequency="quarterly")
    IndicatorFactory(service=service, code="CSU11", approver=a.approver, frequency="quarterly")
    committee = CommitteeFactory(name="Housing & Community")
    committee.services.add(service)
    elsewhere = CommitteeFactory(name="Finance Committee")
    period = open_periods(Frequency.QUARTERLY, timezone.localdate())[0]
    yesterday = timezone.localdate() - timedelta(days=1)
    open_round(
        period,
        user=officer,
        opens_on=yesterday - timedelta(days=9),
        due_on=yesterday,
        approvals_due_on=yesterday,
    )
    response = client.get(f"/manage/services/{service.slug}/")
    page = response.content.decode()
    assert a.owner.name in page and a.approver.name in page
    assert "Without a data owner: " in page and "CSU11</a>." in page
    assert "Housing &amp; Community" in page and elsewhere.name not in page
    overdue = page.split("Overdue figures")[1].split("Data owners")[0]
    assert "CSU10" in overdue and "CSU11" in overdue and f"{a.owner.name} (data owner)" in overdue


def test_who_does_what_takes_as_many_queries_however_many_indicators(client, officer):
    service = ServiceTeamFactory()
    CommitteeFactory().services.add(service)
    period = open_periods(Frequency.QUARTERLY, timezone.localdate())[0]
    yesterday = timezone.localdate() - timedelta(days=1)
    open_round(
        period,
        user=officer,
        opens_on=yesterday - timedelta(days=9),
        due_on=yesterday,
        approvals_due_on=yesterday,
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/manage/services/{service.slug}/").status_code == 200
        return len(queries)

    OwnedIndicatorFactory(service=service)
    few = count()
    for _ in range(6):
        OwnedIndicatorFactory(service=service)
    assert count() == few


def test_who_does_what_reads_only_its_own_services_indicators(client, officer):
    """The page's work is the service's: the other services' late figures are never read,
    however many there are."""
    service, other = ServiceTeamFactory(), ServiceTeamFactory()
    mine = OwnedIndicatorFactory(service=service, code="MINE1", frequency="quarterly")
    for n in range(5):
        OwnedIndicatorFactory(service=other, code=f"ELSE{n}", frequency="quarterly")
    period = open_periods(Frequency.QUARTERLY, timezone.localdate())[0]
    yesterday = timezone.localdate() - timedelta(days=1)
    open_round(
        period, user=officer, opens_on=yesterday - timedelta(days=9), due_on=yesterday,
        approvals_due_on=yesterday,
    )  # fmt: skip
    assert [i.indicator for i in late_now(officer, timezone.localdate(), service=service)] == [mine]
    assert len(late_now(officer, timezone.localdate())) == 6
    built = []

    def note(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(note, sender=Indicator)
    try:
        page = client.get(f"/manage/services/{service.slug}/").content.decode()
    finally:
        post_init.disconnect(note, sender=Indicator)
    assert "MINE1" in page.split("Overdue figures")[1].split("Data owners")[0]
    assert built and all(i.code == "MINE1" for i in built)


def test_a_deactivated_person_is_not_given_a_new_corrective_action(client, officer):
    indicator = OwnedIndicatorFactory(owner__name="Dee Parted", approver__name="Al Here")
    client.post(f"/manage/people/{indicator.owner.pk}/deactivate/", {"version": "1"})
    page = client.get(f"/indicators/{indicator.code}/2020-21-Q1/corrective-actions/new/").content.decode()
    assert ">Al Here (" in page and ">Dee Parted (" not in page


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in_again(client, officer):
    from django.test import Client

    person = PersonFactory()
    User.objects.filter(pk=person.user_id).update(email="leaver@council.example")
    account = User.objects.get(pk=person.user_id)
    account.set_password("a-long-leaver-password")
    account.save()
    theirs = Client()
    theirs.force_login(account)
    assert theirs.get("/my-work/").status_code == 200
    client.post(f"/manage/people/{person.pk}/deactivate/", {"version": "1"})
    assert theirs.get("/my-work/").status_code == 302  # their open session no longer works
    again = Client().post(
        "/accounts/login/", {"username": account.username, "password": "a-long-leaver-password"}
    )
    assert again.status_code == 200 and "_auth_user_id" not in again.client.session
