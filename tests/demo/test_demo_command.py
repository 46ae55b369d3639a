"""`scrutineer demo --no-serve`: the out/ folder is written file by file, all at once, and
a folder (or the passwords' var/ folder) that cannot be written is one clear error."""

import re

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_folders(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SCRUTINEER_DEMO_PASSWORD", raising=False)
    settings.VAR_DIR = tmp_path / "var"
    settings.OUT_DIR = tmp_path / "out"


def test_demo_writes_both_seed_reports_to_out_and_nothing_else(settings):
    settings.OUT_DIR.mkdir()
    (settings.OUT_DIR / "notes.txt").write_text("mine")
    call_command("demo", "--no-serve")
    names = sorted(p.name for p in settings.OUT_DIR.iterdir())
    assert names == sorted(
        ["notes.txt"]
        + [
            f"housing-community-{key}.{ext}"
            for key in ("2018-19-Q2", "2020-21-Q1")
            for ext in ("csv", "docx", "html", "pdf")
        ]
    )
    assert (settings.OUT_DIR / "notes.txt").read_text() == "mine"


def test_demo_out_folder_that_cannot_be_written_is_one_clear_error(settings):
    # An out/ that is a file used to end in a FileExistsError traceback.
    settings.OUT_DIR.write_text("not a folder")
    with pytest.raises(CommandError) as caught:
        call_command("demo", "--no-serve")
    assert str(caught.value) == (
        f"Could not write to {settings.OUT_DIR}: it is a file, not a folder. "
        "Set SCRUTINEER_OUT_DIR to a folder you can write to."
    )


def test_demo_passwords_that_cannot_be_saved_are_one_clear_error(settings, monkeypatch):
    monkeypatch.setattr("scrutineer.demo.management.commands.demo.Command.write_reports", lambda self: None)
    settings.VAR_DIR.write_text("not a folder")
    with pytest.raises(
        CommandError, match=f"^Could not save the demo passwords to {re.escape(str(settings.VAR_DIR))}: "
    ):
        call_command("demo", "--no-serve")


def test_demo_writes_the_published_version_of_the_report_it_publishes(settings):
    """The Q1 2020/21 files in out/ were stamped "Draft – not published" though the demo
    publishes that report: they are now version 1's files, byte for byte."""
    from scrutineer.engine import Period
    from scrutineer.reports.models import ReportVersion

    call_command("demo", "--no-serve")
    version = ReportVersion.objects.get(report__period=Period.parse("2020-21-Q1"), number=1)
    for stored in version.files.all():
        assert (settings.OUT_DIR / stored.filename).read_bytes() == bytes(stored.content), stored.filename
    q1 = (settings.OUT_DIR / "housing-community-2020-21-Q1.html").read_text()
    assert "Version 1" in q1 and "Draft – not published" not in q1
    q2 = (settings.OUT_DIR / "housing-community-2018-19-Q2.html").read_text()
    assert "Draft – not published" in q2  # never published: the draft as it renders now
    assert sorted(stored.format for stored in version.files.all()) == ["csv", "docx", "html", "pdf"]
