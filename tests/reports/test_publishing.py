"""Publishing freezes a report: files and hash never change; a re-issue lists restatements."""

import hashlib
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from scrutineer.collection.models import Value
from scrutineer.engine import Period
from scrutineer.reports.models import PublishedReportError, Report, ReportState, ReportVersion
from scrutineer.reports.publishing import NothingToPublish, publish_report, verify

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
FAST = ("html", "csv")


def q1_report():
    return Report.objects.get(period=Q1)


def stored(version):
    return {f.format: (bytes(f.content), f.sha256) for f in version.files.all()}


def test_published_files_and_hash_survive_a_correction(seed_council):
    v1 = publish_report(q1_report(), formats=FAST)
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

    v2 = publish_report(q1_report(), formats=FAST)
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
    publish_report(q1_report(), formats=FAST)
    Value.objects.filter(indicator__code="CSU11", period=Q1).update(numerator=5000)
    v2 = publish_report(q1_report(), formats=FAST)
    (line,) = v2.restatements
    assert line.startswith("CSU11 Jun-2020: restated from 3.28% (640 / 19498), Target: 20%, Green to 25.64%")
    assert line.endswith("Red.")


def test_re_issuing_without_a_change_is_refused(seed_council):
    publish_report(q1_report(), formats=FAST)
    with pytest.raises(NothingToPublish, match="Nothing has changed since version 1"):
        publish_report(q1_report(), formats=FAST)
    assert ReportVersion.objects.count() == 1


def test_a_published_version_cannot_be_edited_or_deleted(seed_council):
    v1 = publish_report(q1_report(), formats=FAST)
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
    v1 = publish_report(q1_report(), formats=FAST)
    published = bytes(v1.files.get(format="html").content).decode()
    assert "Draft – not published" not in published
    assert "Version 1" in published


def test_publish_command_writes_every_format(seed_council, capsys, tmp_path):
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
