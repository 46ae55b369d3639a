"""Publishing freezes a report: files and hash never change; a re-issue lists restatements."""

import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.changes import StaleEdit
from scrutineer.collection.models import Value
from scrutineer.engine import Period
from scrutineer.reports.editing import save_report
from scrutineer.reports.models import PublishedReportError, Report, ReportState, ReportVersion
from scrutineer.reports.publishing import NothingToPublish, NotReviewed, mark_reviewed, publish_report, verify
from tests.publishing import publish

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
FAST = ("html", "csv")


def q1_report():
    return Report.objects.get(period=Q1)


def stored(version):
    return {f.format: (bytes(f.content), f.sha256) for f in version.files.all()}


def test_published_files_and_hash_survive_a_correction(seed_council):
    v1 = publish(q1_report(), formats=FAST)
    files_before, hash_before = stored(v1), v1.content_hash
    assert verify(v1)
    assert b"79.33 Second(s)" in files_before["html"][0]

    Value.objects.filter(indicator__code="CSU10", period=Q1).update(value=Decimal("80.5"))

    v1 = ReportVersion.objects.get(pk=v1.pk)
    assert stored(v1) == files_before
    assert v1.content_hash == hash_before
    assert verify(v1)
    for content, sha in files_before.values():
        assert hashlib.sha256(content).hexdigest() == sha

    v2 = publish(q1_report(), formats=FAST)
    assert v2.number == 2
    assert v2.restatements == [
        "CSU10 Jun-2020: restated from 79.33 Second(s), Target: 300 Second(s), Green "
        "to 80.5 Second(s), Target: 300 Second(s), Green."
    ]
    html = stored(v2)["html"][0].decode()
    assert "80.5 Second(s)" in html
    assert "restated from 79.33 Second(s)" in html
    assert v2.files.get(format="html").filename == "housing-community-2020-21-Q1-v2.html"
    assert q1_report().state == ReportState.PUBLISHED


def test_a_status_change_is_a_restatement_in_words(seed_council):
    publish(q1_report(), formats=FAST)
    Value.objects.filter(indicator__code="CSU11", period=Q1).update(numerator=5000)
    v2 = publish(q1_report(), formats=FAST)
    (line,) = v2.restatements
    assert line.startswith("CSU11 Jun-2020: restated from 3.28% (640 / 19498), Target: 20%, Green to 25.64%")
    assert line.endswith("Red.")


def test_re_issuing_without_a_change_is_refused(seed_council):
    publish(q1_report(), formats=FAST)
    with pytest.raises(NothingToPublish, match="Nothing has changed since version 1"):
        publish(q1_report(), formats=FAST)
    assert ReportVersion.objects.count() == 1


def test_a_published_version_cannot_be_edited_or_deleted(seed_council):
    v1 = publish(q1_report(), formats=FAST)
    v1.note = "tampered"
    with pytest.raises(PublishedReportError):
        v1.save()
    with pytest.raises(PublishedReportError):
        v1.delete()
    f = v1.files.first()
    f.content = b"tampered"
    with pytest.raises(PublishedReportError):
        f.save()


def test_publish_command_needs_a_review(seed_council, capsys):
    officer()
    with pytest.raises(CommandError, match="still a draft"):
        call_command("publish", "--committee", "housing-community", "--period", "2020-21-Q1")
    assert not ReportVersion.objects.exists()


def test_publish_command_without_a_report(seed_council):
    with pytest.raises(CommandError, match="no report for Housing and Community Overview & Scrutiny Q3"):
        call_command("publish", "--committee", "housing-community", "--period", "2020-21-Q3")


def test_a_draft_says_so_and_a_published_version_gives_its_number(seed_council):
    from scrutineer.reports.builder import build_document
    from scrutineer.reports.renderers import render

    draft = render(build_document(q1_report()), "html").decode()
    assert "Draft – not published" in draft
    v1 = publish(q1_report(), formats=FAST)
    published = bytes(v1.files.get(format="html").content).decode()
    assert "Draft – not published" not in published
    assert "Version 1" in published


def test_publish_command_writes_every_format(seed_council, capsys, tmp_path):
    officer()
    call_command("publish", "--committee", "housing-community", "--period", "2020-21-Q1", "--review")
    out = capsys.readouterr().out
    assert "version 1" in out and "Content hash:" in out
    version = ReportVersion.objects.get()
    assert sorted(version.files.values_list("format", flat=True)) == ["csv", "docx", "html", "pdf"]
    assert verify(version)
    call_command(
        "report",
        "--committee",
        "housing-community",
        "--period",
        "2020-21-Q1",
        "--format",
        "all",
        "--output",
        str(tmp_path),
        "--published",
        "latest",
    )
    for stored in version.files.all():
        assert (tmp_path / stored.filename).read_bytes() == bytes(stored.content)


# One way to review and publish: the actions check who acts, whatever calls them.


def officer(username="po"):
    user = User.objects.create_user(username, password="x-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


def reviewed_by(report):
    """Who marked the report reviewed, from its history (the action writes it)."""
    return [
        h.history_user.get_username()
        for h in report.history.filter(history_change_reason="Reviewed").order_by("history_date")
    ]


def test_publish_report_refuses_anyone_but_a_performance_officer(seed_council):
    report = q1_report()
    Report.objects.filter(pk=report.pk).update(state=ReportState.REVIEWED)
    councillor = User.objects.create_user("councillor", password="x-long-password")
    for user in (None, AnonymousUser(), councillor):
        with pytest.raises(PermissionDenied, match="Only performance officers can publish committee reports"):
            publish_report(q1_report(), user=user, formats=FAST)
    assert not ReportVersion.objects.exists()
    assert publish_report(q1_report(), user=officer(), formats=FAST).number == 1


def test_publish_report_refuses_a_draft_nobody_reviewed(seed_council):
    with pytest.raises(NotReviewed, match="still a draft"):
        publish_report(q1_report(), user=officer(), formats=FAST)
    assert not ReportVersion.objects.exists()


def test_mark_reviewed_refuses_a_non_officer_and_a_stale_version(seed_council):
    report = q1_report()
    with pytest.raises(PermissionDenied, match="Only performance officers can review committee reports"):
        mark_reviewed(report, user=User.objects.create_user("reader"), expected_version=report.version)
    with pytest.raises(StaleEdit, match="Nothing was published"):
        mark_reviewed(report, user=officer(), expected_version=report.version - 1)
    assert q1_report().state == ReportState.DRAFT
    reviewed = mark_reviewed(report, user=User.objects.get(username="po"), expected_version=report.version)
    assert (reviewed.state, reviewed.version) == (ReportState.REVIEWED, report.version + 1)
    assert reviewed_by(q1_report()) == ["po"]


def test_editing_a_published_report_returns_it_to_draft_to_be_reviewed_again(seed_council):
    publish(q1_report(), formats=FAST)
    report = q1_report()
    save_report(
        report.committee, Q1, {"purpose": "Changed."}, user=officer(), expected_version=report.version
    )
    assert q1_report().state == ReportState.DRAFT
    with pytest.raises(NotReviewed):
        publish_report(q1_report(), user=User.objects.get(username="po"), formats=FAST)


def test_the_report_page_marks_reviewed_through_the_action(seed_council, client):
    client.force_login(officer("jo"))
    version = q1_report().version
    client.post("/reports/housing-community/2020-21-Q1/publish/", {"reviewed": "yes", "version": version})
    assert ReportVersion.objects.get().published_by.get_username() == "jo"
    assert reviewed_by(q1_report()) == ["jo"]


def test_the_publish_command_marks_reviewed_through_the_action_as_the_first_officer(seed_council, capsys):
    User.objects.create_user("councillor", password="x-long-password")
    officer("first")
    officer("second")
    call_command("publish", "--committee", "housing-community", "--period", "2020-21-Q1", "--review")
    assert "version 1 as first." in capsys.readouterr().out
    assert reviewed_by(q1_report()) == ["first"]
    assert ReportVersion.objects.get().published_by.get_username() == "first"


def test_the_publish_command_acts_as_the_officer_it_is_given(seed_council, capsys):
    officer("first")
    officer("second")
    User.objects.create_user("councillor", password="x-long-password")
    with pytest.raises(CommandError, match=r"^Only performance officers can review committee reports\.$"):
        call_command(
            "publish",
            "--committee",
            "housing-community",
            "--period",
            "2020-21-Q1",
            "--review",
            "--as",
            "councillor",
        )
    with pytest.raises(CommandError, match="There is no account 'nobody' to publish as"):
        call_command(
            "publish", "--committee", "housing-community", "--period", "2020-21-Q1", "--as", "nobody"
        )
    assert not ReportVersion.objects.exists() and q1_report().state == ReportState.DRAFT
    call_command(
        "publish", "--committee", "housing-community", "--period", "2020-21-Q1", "--review", "--as", "second"
    )
    assert reviewed_by(q1_report()) == ["second"]


def test_the_publish_command_without_an_officer_says_whom_to_name(seed_council):
    with pytest.raises(
        CommandError, match="There is no active performance officer to publish as: give one with --as"
    ):
        call_command("publish", "--committee", "housing-community", "--period", "2020-21-Q1", "--review")


def test_publishing_again_on_a_fresh_demo_says_there_is_nothing_to_re_issue(
    seed_council, settings, tmp_path, capsys
):
    """The README's `scrutineer publish … --review` works on a fresh demo: one line, exit 0."""
    settings.OUT_DIR, settings.VAR_DIR = tmp_path / "out", tmp_path / "var"
    call_command("demo", "--no-serve")
    capsys.readouterr()
    call_command("publish", "--committee", "housing-community", "--period", "2020-21-Q1", "--review")
    assert capsys.readouterr().out.strip() == (
        "Nothing has changed since version 1 of Housing and Community Overview & Scrutiny Q1 2020/21; "
        "nothing to re-issue."
    )
    report = q1_report()
    assert report.state == ReportState.PUBLISHED and report.versions.count() == 1
    assert reviewed_by(report) == ["officer"]  # the demo published it as its performance officer
