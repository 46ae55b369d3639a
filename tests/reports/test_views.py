"""Every report URL for every role: allowed, sent to sign in, or refused (403)."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.engine import Period
from scrutineer.reports.models import BuildState, Report, ReportBuild
from tests.publishing import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_council")]

Q1 = "2020-21-Q1"
BASE = f"/reports/housing-community/{Q1}/"


@pytest.fixture
def officer(client):
    user = User.objects.create_user("officer", password="pw-officer-123")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


@pytest.fixture
def reader():
    return User.objects.create_user("councillor", password="pw-councillor-123")


@pytest.fixture
def published():
    return publish(Report.objects.get(period=Period.parse(Q1)))


@pytest.fixture
def build(officer):
    return ReportBuild.objects.create(
        committee_id=Report.objects.get(period=Period.parse(Q1)).committee_id,
        period=Period.parse(Q1),
        formats=["csv"],
        requested_by=officer,
    )


def as_role(client, role, officer, reader):
    if role == "officer":
        client.force_login(officer)
    elif role == "reader":
        client.force_login(reader)


# url, method, expected for anonymous, signed-in reader, performance officer
CASES = [
    ("/", "get", 200, 200, 200),
    ("/reports/", "get", 200, 200, 200),
    (BASE, "get", 200, 200, 200),
    (f"{BASE}v1/html", "get", 200, 200, 200),
    (f"{BASE}v1/csv", "get", 200, 200, 200),
    (f"{BASE}draft/", "get", "login", 403, 200),
    (f"{BASE}build/", "post", "login", 403, 302),
    ("/reports/builds/{build}/", "get", "login", 403, 200),
    ("/reports/builds/{build}/csv", "get", "login", 403, 404),
]


@pytest.mark.parametrize("role", ["anonymous", "reader", "officer"])
@pytest.mark.parametrize("url, method, anonymous, reader_code, officer_code", CASES)
@override_settings(SCRUTINEER_REPORT_BUILDS="worker")
def test_every_url_for_every_role(
    client, officer, reader, published, build, role, url, method, anonymous, reader_code, officer_code
):
    as_role(client, role, officer, reader)
    expected = {"anonymous": anonymous, "reader": reader_code, "officer": officer_code}[role]
    response = getattr(client, method)(url.format(build=build.pk))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


def test_builds_cannot_be_started_with_get(client, officer):
    client.force_login(officer)
    assert client.get(f"{BASE}build/").status_code == 405


def test_unpublished_report_is_hidden_from_the_public(client):
    response = client.get("/reports/housing-community/2018-19-Q2/")
    assert response.status_code == 404
    assert b"2018/19" not in client.get("/reports/").content


def test_a_bad_period_in_the_address_is_not_found(client):
    assert client.get("/reports/housing-community/2020-Q1/").status_code == 404


@override_settings(SCRUTINEER_REPORT_BUILDS="sync")
def test_an_officer_builds_a_draft_and_downloads_it(client, officer):
    client.force_login(officer)
    response = client.post(f"{BASE}build/", {"format": ["csv", "html"]})
    build = ReportBuild.objects.get()
    assert response["Location"] == f"/reports/builds/{build.pk}/"
    assert build.state == BuildState.DONE and build.progress == 100
    page = client.get(response["Location"]).content.decode()
    assert "Ready" in page and "100% done" in page
    assert "Check progress again" not in page
    csv = client.get(f"/reports/builds/{build.pk}/csv")
    assert csv["Content-Disposition"].startswith("attachment")
    assert "640" in csv.content.decode()


@override_settings(SCRUTINEER_REPORT_BUILDS="worker")
def test_a_queued_build_shows_progress_and_a_way_to_check_again(client, officer):
    from django.core.management import call_command

    client.force_login(officer)
    client.post(f"{BASE}build/", {"format": ["csv"]})
    build = ReportBuild.objects.get()
    page = client.get(f"/reports/builds/{build.pk}/").content.decode()
    assert "Queued" in page and "Check progress again" in page
    call_command("build_reports")
    build.refresh_from_db()
    assert build.state == BuildState.DONE


def test_published_file_is_served_as_published(client, published):
    stored = published.files.get(format="html")
    response = client.get(f"{BASE}v1/html")
    assert response.content == bytes(stored.content)
    assert client.get(f"{BASE}v2/html").status_code == 404
    assert client.get(f"{BASE}v1/exe").status_code == 404


def test_an_officer_starts_a_report_for_a_quarter_from_the_list(client, officer):
    client.force_login(officer)
    page = client.get("/reports/").content.decode()
    assert 'action="/reports/housing-community/"' in page
    assert '<option value="2020-21-Q1">' in page  # a quarter with approved figures
    response = client.get("/reports/housing-community/?period=2020-21-Q2")
    assert response.status_code == 302 and response["Location"] == "/reports/housing-community/2020-21-Q2/"
    start = client.get(response["Location"]).content.decode()
    assert "Start this report" in start
    for bad, message in (("2020-13", "is not a period key"), ("2020-06", "is not a quarter")):
        refused = client.get(f"/reports/housing-community/?period={bad}", follow=True).content.decode()
        assert message in refused


def test_the_public_list_offers_no_quarter_picker(client):
    assert 'action="/reports/housing-community/"' not in client.get("/reports/").content.decode()
