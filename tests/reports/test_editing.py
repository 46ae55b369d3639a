"""Performance officers edit a report's cover sheet and summary, and publish it, in the web app."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.test import Client

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import Committee
from scrutineer.changes import StaleEdit
from scrutineer.collection.models import Value
from scrutineer.engine import Period
from scrutineer.reports.editing import save_report
from scrutineer.reports.models import Report, ReportState, ReportVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_council")]

Q1 = Period.parse("2020-21-Q1")
BASE = "/reports/housing-community/2020-21-Q1/"


def make_officer(username, **names):
    user = User.objects.create_user(username, password="x-long-password", **names)
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


@pytest.fixture
def officer(client):
    user = make_officer("po")
    client.force_login(user)
    return user


def opened(client, path=f"{BASE}edit/"):
    """The version a page's form carries, as the officer's browser would send it back."""
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="version" value="(\d*)"', page.content.decode()).group(1)


def form_data(**changes):
    data = {
        "version": str(Report.objects.get(period=Q1).version),
        "meeting_date": "2020-09-09",
        "part": "I",  # a new report is never saved without its part (test_report_part.py)
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
    assert 'type="date" name="meeting_date" value="2020-09-09"' in page  # ISO, or the browser shows none
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


def reviewed(**more):
    return {"reviewed": "yes", "version": Report.objects.get(period=Q1).version, **more}


def test_publish_needs_the_review_confirmed_then_re_issues_with_restatements(client, officer):
    client.post(f"{BASE}publish/", {})
    assert not ReportVersion.objects.exists()
    assert (
        f'name="version" value="{Report.objects.get(period=Q1).version}"' in client.get(BASE).content.decode()
    )
    client.post(f"{BASE}publish/", reviewed())
    assert ReportVersion.objects.get().number == 1
    assert Report.objects.get(period=Q1).state == ReportState.PUBLISHED
    page = client.post(f"{BASE}publish/", reviewed(), follow=True).content.decode()
    assert "Nothing has changed since version 1" in page
    Value.objects.filter(indicator__code="CSU10", period=Q1).update(value=80)
    page = client.post(f"{BASE}publish/", reviewed(note="CSU10 corrected"), follow=True)
    assert "Published version 2" in page.content.decode()
    assert "restated from 79.33 Second(s)" in page.content.decode()


def test_a_new_report_for_a_period_starts_from_the_committee_defaults(client, officer):
    q2 = "/reports/housing-community/2020-21-Q2/edit/"
    assert opened(client, q2) == ""  # nothing stored yet
    response = client.post(q2, form_data(meeting_date="2020-12-02", version=""))
    assert response.status_code == 302
    assert Report.objects.get(period=Period.parse("2020-21-Q2")).meeting_date.isoformat() == "2020-12-02"


@pytest.mark.parametrize("method, path", [("get", "edit/"), ("post", "edit/"), ("post", "publish/")])
def test_only_performance_officers(client, method, path):
    assert getattr(client, method)(BASE + path).status_code == 302  # anonymous: sign in
    client.force_login(User.objects.create_user("reader", password="x-long-password"))
    assert getattr(client, method)(BASE + path).status_code == 403
    assert not ReportVersion.objects.exists()


# Two officers editing at once: nothing either typed is silently lost.


def test_the_second_of_two_officers_is_refused_and_keeps_what_they_typed(client, officer):
    other = Client()
    other.force_login(make_officer("jo", first_name="Jo", last_name="Bloggs"))
    mine, theirs = opened(client), opened(other)
    assert mine == theirs

    first = other.post(f"{BASE}edit/", form_data(version=theirs, risk_implications="Their risk text."))
    assert first.status_code == 302

    response = client.post(
        f"{BASE}edit/",
        form_data(version=mine, risk_implications="My risk text.", introduction="My long introduction."),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "Someone else (Jo Bloggs) saved or published this report at" in page
    assert "after you opened it. Your changes were not saved." in page
    assert "My risk text.</textarea>" in page and "My long introduction.</textarea>" in page  # kept
    stored_note = page[page.index('id="id_risk_implications-stored"') :]
    assert "Stored now, not what you typed" in stored_note[:400] and "Their risk text." in stored_note[:400]
    assert 'href="/reports/housing-community/2020-21-Q1/draft/"' in page  # their version, in full
    report = Report.objects.get(period=Q1)
    assert (report.risk_implications, report.introduction) == ("Their risk text.", "")  # nothing of mine

    # Having seen theirs, saving again replaces it knowingly; their text stays in the history.
    again = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert int(again) == report.version
    response = client.post(
        f"{BASE}edit/", form_data(version=again, risk_implications="Both, merged.", introduction="Mine.")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.risk_implications == "Both, merged."
    assert "Their risk text." in {h.risk_implications for h in report.history.all()}
    assert report.history.first().history_user == officer


def test_a_refused_edit_says_so_when_it_was_yourself_in_another_tab(client, officer):
    first, second = opened(client), opened(client)
    client.post(f"{BASE}edit/", form_data(version=first, purpose="Tab one."))
    response = client.post(f"{BASE}edit/", form_data(version=second, purpose="Tab two."))
    assert response.status_code == 400
    assert "You (in another window or tab) saved or published this report" in response.content.decode()
    assert Report.objects.get(period=Q1).purpose == "Tab one."


def test_a_save_that_fails_validation_keeps_the_version_it_opened(client, officer):
    version = opened(client)
    response = client.post(f"{BASE}edit/", form_data(version=version, part="II"))
    assert response.status_code == 400
    assert f'name="version" value="{version}"' in response.content.decode()


def test_a_normal_save_raises_the_version_and_records_who(client, officer):
    before = Report.objects.get(period=Q1)
    assert client.post(f"{BASE}edit/", form_data(version=opened(client), purpose="Ours.")).status_code == 302
    after = Report.objects.get(period=Q1)
    assert after.version == before.version + 1
    assert (after.purpose, after.updated_by) == ("Ours.", officer)
    assert "last saved or published by po at" in client.get(BASE).content.decode()


@pytest.mark.parametrize("version", [None, "", "abc", "-1", "0", "1.5"])
def test_a_missing_or_tampered_version_is_a_clear_error_and_saves_nothing(client, officer, version):
    data = form_data(purpose="Typed with a broken form.")
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    before = Report.objects.get(period=Q1)
    response = client.post(f"{BASE}edit/", data)
    page = response.content.decode()
    assert response.status_code == 400
    if version == "":  # the page offered to start a report that someone had already started
        assert "started this report" in page
    else:
        assert "did not say which version of the report you opened" in page
    assert "Typed with a broken form.</textarea>" in page
    after = Report.objects.get(period=Q1)
    assert (after.version, after.purpose) == (before.version, before.purpose)
    # The page now carries the stored version, shown under the boxes: saving again works.
    again = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert client.post(f"{BASE}edit/", form_data(version=again, purpose="Saved.")).status_code == 302


def test_two_officers_starting_the_same_report_cannot_both_win(client, officer):
    q2 = "/reports/housing-community/2020-21-Q2/edit/"
    other = Client()
    other.force_login(make_officer("jo"))
    assert opened(client, q2) == opened(other, q2) == ""
    assert other.post(q2, form_data(version="", meeting_date="2020-12-02")).status_code == 302
    response = client.post(q2, form_data(version="", meeting_date="2020-12-09", purpose="Mine."))
    assert response.status_code == 400
    assert "Someone else (jo) started this report" in response.content.decode()
    report = Report.objects.get(period=Period.parse("2020-21-Q2"))
    assert (report.meeting_date.isoformat(), report.purpose) == ("2020-12-02", None)


def test_publishing_raises_the_version_so_an_edit_opened_before_it_is_refused(client, officer):
    version = opened(client)
    client.post(f"{BASE}publish/", reviewed())
    assert ReportVersion.objects.count() == 1
    response = client.post(f"{BASE}edit/", form_data(version=version, purpose="Opened before publishing."))
    assert response.status_code == 400
    assert "saved or published this report" in response.content.decode()
    assert Report.objects.get(period=Q1).purpose is None


def test_a_report_edited_after_the_publisher_opened_it_is_not_published(client, officer):
    seen = reviewed()  # the version on the report page the publisher is looking at
    other = Client()
    other.force_login(make_officer("jo"))
    other.post(f"{BASE}edit/", form_data(version=opened(other), purpose="A late change."))
    page = client.post(f"{BASE}publish/", seen, follow=True).content.decode()
    assert "Someone else (jo) saved or published this report" in page
    assert "Nothing was published: look at the draft again, then publish." in page
    assert not ReportVersion.objects.exists()
    assert Report.objects.get(period=Q1).state == ReportState.DRAFT
    assert client.post(f"{BASE}publish/", {"reviewed": "yes"}).status_code == 302  # no version: refused
    assert not ReportVersion.objects.exists()
    client.post(f"{BASE}publish/", reviewed())
    assert ReportVersion.objects.get().snapshot["cover"]


def test_save_report_is_the_one_way_in():
    committee = Committee.objects.get(slug="housing-community")
    report = Report.objects.get(period=Q1)
    officer = make_officer("po")
    saved = save_report(committee, Q1, {"purpose": "One."}, user=officer, expected_version=report.version)
    assert saved.version == report.version + 1
    with pytest.raises(StaleEdit) as refused:
        save_report(committee, Q1, {"purpose": "Two."}, user=officer, expected_version=report.version)
    assert refused.value.current_version == saved.version
    assert refused.value.input["purpose"] == "Two."
    with pytest.raises(PermissionDenied):
        reader = User.objects.create_user("reader", password="x-long-password")
        save_report(committee, Q1, {"purpose": "Three."}, user=reader, expected_version=saved.version)
    with pytest.raises(TypeError):
        save_report(committee, Q1, {"state": "published"}, user=officer, expected_version=saved.version)
    assert Report.objects.get(period=Q1).purpose == "One."


def test_a_report_deleted_while_open_is_refused_then_started_afresh(client, officer):
    q2 = "/reports/housing-community/2020-21-Q2/edit/"
    client.post(q2, form_data(version="", meeting_date="2020-12-02"))
    opened_at = opened(client, q2)
    Report.objects.get(period=Period.parse("2020-21-Q2")).delete()  # e.g. in the admin
    response = client.post(q2, form_data(version=opened_at, meeting_date="2020-12-09"))
    assert response.status_code == 400
    assert "This report was deleted after you opened it. Your changes were not saved." in (
        response.content.decode()
    )
    assert not Report.objects.filter(period=Period.parse("2020-21-Q2")).exists()
    again = re.search(r'name="version" value="(\d*)"', response.content.decode()).group(1)
    assert again == ""
    assert client.post(q2, form_data(version=again, meeting_date="2020-12-09")).status_code == 302
