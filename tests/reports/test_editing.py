"""Performance officers edit a report's cover sheet and summary, and publish it, in the web app."""

import pytest
from django.contrib.auth.models import Group, User

from scrutineer.collection.models import Value
from scrutineer.engine import Period
from scrutineer.reports.models import Report, ReportState, ReportVersion
from scrutineer.web.permissions import PERFORMANCE_OFFICERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_council")]

Q1 = Period.parse("2020-21-Q1")
BASE = "/reports/housing-community/2020-21-Q1/"


@pytest.fixture
def officer(client):
    user = User.objects.create_user("po", password="x-long-password")
    user.groups.add(Group.objects.create(name=PERFORMANCE_OFFICERS))
    client.force_login(user)
    return user


def form_data(**changes):
    data = {
        "meeting_date": "2020-09-09",
        "part": "",
        "part_two_reason": "",
        "title": "",
        "authors": "Linda Roberts (Assistant Director – People, Performance and Innovation)",
        "introduction": "",
        "performance_commentary": "",
        "table_as_appendix": "unknown",
        "achievements_as_sections": "unknown",
    }
    data.update(changes)
    return data


def test_edit_the_cover_sheet_and_introduction(client, officer):
    page = client.get(f"{BASE}edit/").content.decode()
    assert "Empty: the committee&#x27;s default (Monitoring and information)" in page
    assert "The summary drafted from the figures" in page
    response = client.post(
        f"{BASE}edit/", form_data(risk_implications="Low.", introduction="A changed first paragraph.")
    )
    assert response.status_code == 302
    report = Report.objects.get(period=Q1)
    assert report.risk_implications == "Low."
    assert report.purpose is None  # empty: the committee's default
    preview = client.get(f"{BASE}draft/").content.decode()
    assert "A changed first paragraph." in preview and "Low." in preview


def test_part_two_needs_its_reason_and_nothing_is_saved_without_it(client, officer):
    response = client.post(f"{BASE}edit/", form_data(part="II"))
    assert response.status_code == 400
    assert "Give the reason a Part II report is exempt" in response.content.decode()
    assert Report.objects.get(period=Q1).part == ""


def test_publish_needs_the_review_confirmed_then_re_issues_with_restatements(client, officer):
    client.post(f"{BASE}publish/", {})
    assert not ReportVersion.objects.exists()
    client.post(f"{BASE}publish/", {"reviewed": "yes"})
    assert ReportVersion.objects.get().number == 1
    assert Report.objects.get(period=Q1).state == ReportState.PUBLISHED
    page = client.post(f"{BASE}publish/", {"reviewed": "yes"}, follow=True).content.decode()
    assert "Nothing has changed since version 1" in page
    Value.objects.filter(indicator__code="CSU10", period=Q1).update(value=80)
    page = client.post(f"{BASE}publish/", {"reviewed": "yes", "note": "CSU10 corrected"}, follow=True)
    assert "Published version 2" in page.content.decode()
    assert "restated from 79.33 Second(s)" in page.content.decode()


def test_a_new_report_for_a_period_starts_from_the_committee_defaults(client, officer):
    response = client.post(
        "/reports/housing-community/2020-21-Q2/edit/", form_data(meeting_date="2020-12-02")
    )
    assert response.status_code == 302
    assert Report.objects.get(period=Period.parse("2020-21-Q2")).meeting_date.isoformat() == "2020-12-02"


@pytest.mark.parametrize("method, path", [("get", "edit/"), ("post", "edit/"), ("post", "publish/")])
def test_only_performance_officers(client, method, path):
    assert getattr(client, method)(BASE + path).status_code == 302  # anonymous: sign in
    client.force_login(User.objects.create_user("reader", password="x-long-password"))
    assert getattr(client, method)(BASE + path).status_code == 403
    assert not ReportVersion.objects.exists()
