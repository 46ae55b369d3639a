"""A report is Part I (public) unless Part II (exempt) is chosen, with its reason: a new
report starts as Part I in the editor, on the command line and in a preview, and is never
saved with its part unstated (found printing "PART: Not stated" and "If Part II, reason:
Not stated" on a report saved without a choice). A report stored without one, as its
source left it (the seed's Q1 2020/21), keeps it until an officer chooses; whatever the
part, only a Part II version is exempt (catalogue.access.may_read_version)."""

import re

import pytest
from django.contrib.auth.models import Group, User

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS, may_read_version
from scrutineer.catalogue.models import Committee
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.forms import ReportForm
from scrutineer.reports.models import Report, ReportVersion
from scrutineer.reports.output import draft_report
from tests.publishing import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_council")]

Q1 = Period.parse("2020-21-Q1")
Q2 = Period.parse("2020-21-Q2")
NEW = "/reports/housing-community/2020-21-Q2/edit/"
OLD = "/reports/housing-community/2020-21-Q1/edit/"


@pytest.fixture
def officer(client):
    user = User.objects.create_user("po", password="x-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    client.force_login(user)
    return user


def posted(**changes):
    return {
        "version": "",
        "meeting_date": "2020-12-02",
        "title": "",
        "authors": "",
        "introduction": "",
        "performance_commentary": "",
        "table_as_appendix": "unknown",
        "achievements_as_sections": "unknown",
        **changes,
    }


def part_of(doc) -> tuple[str, ...]:
    return {field.label: field.lines for field in doc.cover}["PART:"]


def options(page: str) -> list[tuple[str, bool]]:
    select = re.search(r'<select name="part".*?</select>', page, re.S).group(0)
    return [
        (value, "selected" in attrs)
        for value, attrs in re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    ]


def test_a_new_report_is_part_one_in_the_editor_with_no_unstated_choice(client, officer):
    page = client.get(NEW).content.decode()
    assert options(page) == [("I", True), ("II", False)]
    response = client.post(NEW, posted(part="I"))
    assert response.status_code == 302
    report = Report.objects.get(period=Q2)
    assert report.part == "I"
    assert part_of(build_document(report)) == ("I",)


def test_a_new_report_is_never_saved_without_its_part(client, officer):
    response = client.post(NEW, posted(part=""))
    assert response.status_code == 400
    assert "Select Part I (public) or Part II (exempt)." in response.content.decode()
    response = client.post(NEW, posted())  # a script that sends no part at all
    assert response.status_code == 400
    assert not Report.objects.filter(period=Q2).exists()


def test_part_two_still_needs_its_reason(client, officer):
    response = client.post(NEW, posted(part="II"))
    assert response.status_code == 400
    assert "Give the reason a Part II report is exempt" in response.content.decode()
    assert not Report.objects.filter(period=Q2).exists()


def test_a_report_not_yet_saved_prints_part_one_on_the_command_line_and_in_a_preview():
    committee = Committee.objects.get(slug="housing-community")
    draft = draft_report(committee, Q2)
    assert draft.pk is None and draft.part == "I"
    doc = build_document(draft)
    assert part_of(doc) == ("I",) and not doc.exempt
    assert ReportForm(instance=Report(committee=committee, period=Q2)).initial["part"] == "I"


def test_a_report_stored_without_a_part_keeps_it_until_one_is_chosen(client, officer):
    assert Report.objects.get(period=Q1).part == ""  # the seed's cover sheet left it blank
    assert part_of(build_document(Report.objects.get(period=Q1))) == ()  # printed "Not stated"
    page = client.get(OLD).content.decode()
    assert options(page) == [("", True), ("I", False), ("II", False)]
    version = str(Report.objects.get(period=Q1).version)
    data = posted(version=version, meeting_date="2020-09-09", part="", authors="Linda Roberts")
    assert client.post(OLD, data).status_code == 302
    assert Report.objects.get(period=Q1).part == ""
    version = str(Report.objects.get(period=Q1).version)
    assert client.post(OLD, {**data, "version": version, "part": "I"}).status_code == 302
    assert Report.objects.get(period=Q1).part == "I"
    page = client.get(OLD).content.decode()
    assert options(page) == [("I", True), ("II", False)]  # once chosen, never unstated again


def test_only_part_two_is_exempt_whatever_else_the_part_says(officer):
    report = Report.objects.get(period=Q1)
    assert report.part == ""
    version = publish(report, by=officer, formats=("html",))
    assert not version.exempt and may_read_version(None, version)
    assert ReportVersion.objects.get().part == ""


def cover_rows(page: str) -> dict[str, str]:
    rows = re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    return {label: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for label, value in rows}


def test_a_part_one_report_says_its_reason_is_not_applicable_not_missing():
    from scrutineer.reports.renderers.html import render_html

    committee = Committee.objects.get(slug="housing-community")
    rows = cover_rows(render_html(build_document(draft_report(committee, Q2))))
    assert (rows["PART:"], rows["If Part II, reason:"]) == ("I", "Not applicable")
    rows = cover_rows(render_html(build_document(Report.objects.get(period=Q1))))  # stored without a part
    assert (rows["PART:"], rows["If Part II, reason:"]) == ("Not stated", "Not stated")
