import errno
import os

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ARGS = ["report", "--committee", "housing-community", "--period", "2020-21-Q1"]


def test_one_format_to_a_file(seed_council, tmp_path):
    target = tmp_path / "q1.html"
    call_command(*ARGS, "--format", "html", "--output", str(target))
    assert "79.33 Second(s)" in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q1.html"]


def test_several_formats_to_a_folder(seed_council, tmp_path):
    call_command(*ARGS, "--format", "csv,docx", "--output", str(tmp_path / "out"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "housing-community-2020-21-Q1.csv",
        "housing-community-2020-21-Q1.docx",
    ]


def test_a_period_without_a_report_renders_a_draft_with_the_committee_defaults(seed_council, tmp_path):
    target = tmp_path / "q2.html"
    call_command(
        "report",
        "--committee",
        "housing-community",
        "--period",
        "2020-21-Q2",
        "--format",
        "html",
        "--output",
        str(target),
    )
    html = target.read_text()
    assert "To be confirmed" in html and "Quarter 2 Performance Report" in html


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--format", "rtf"], "Unknown format 'rtf'"),
        (["--format", "html,pdf", "--output", "x.pdf"], "give a folder"),
        (["--published", "1"], "no published version yet"),
        (["--published", "one"], "no published version yet"),
    ],
)
def test_errors_say_what_to_do(seed_council, tmp_path, extra, message):
    args = [*ARGS, *extra]
    if "--output" not in extra:
        args += ["--output", str(tmp_path / "out")]
    with pytest.raises(CommandError, match=message):
        call_command(*args)


def test_report_output_to_a_file_name_never_touches_another_file_in_the_folder(seed_council, tmp_path):
    # It used to write housing-community-2020-21-Q1.html first, then rename it to q1.html:
    # a file of the usual name in that folder was overwritten, then gone.
    mine = tmp_path / "housing-community-2020-21-Q1.html"
    mine.write_text("my own notes")
    target = tmp_path / "q1.html"
    target.write_text("an older copy")
    call_command(*ARGS, "--format", "html", "--output", str(target))
    assert mine.read_text() == "my own notes"
    assert "79.33 Second(s)" in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["housing-community-2020-21-Q1.html", "q1.html"]


def test_report_output_keeps_the_permissions_of_the_file_it_replaces(seed_council, tmp_path):
    target = tmp_path / "q1.csv"
    target.write_text("old")
    target.chmod(0o640)
    call_command(*ARGS, "--format", "csv", "--output", str(target))
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "fresh.csv"
    call_command(*ARGS, "--format", "csv", "--output", str(fresh))
    assert fresh.stat().st_mode & 0o777 != 0o600  # not the temporary file's owner-only mode


@pytest.mark.parametrize(
    "output, fmt, message",
    [
        ("{file}/q1.html", "html", "Could not write {file}/q1.html: {file} is a file, not a folder."),
        ("{file}", "csv,html", "Could not write to {file}: it is a file, not a folder."),
        ("{file}/deeper/q1.html", "html", "Could not make the folder {file}/deeper: Not a directory."),
        ("{folder}", "html", "Could not write {folder}: it is a folder."),
        ("/dev/full", "html", "Could not write to /dev/full: it is a file, not a folder."),
        ("/sys/q1.html", "html", "Could not write /sys/q1.html: "),
        ("/proc/scrutineer/q1.html", "html", "Could not make the folder /proc/scrutineer: "),
    ],
    ids=["under-a-file", "folder-is-a-file", "deeper-under-a-file", "a-folder", "dev-full", "sys", "proc"],
)
def test_report_os_errors_are_one_clear_sentence(seed_council, tmp_path, output, fmt, message):
    # Each used to end in a traceback (FileExistsError, NotADirectoryError, PermissionError…).
    a_file = tmp_path / "somefile.txt"
    a_file.write_text("not a folder")
    a_folder = tmp_path / "q1.html"
    a_folder.mkdir()
    names = {"file": a_file, "folder": a_folder}
    with pytest.raises(CommandError) as caught:
        call_command(*ARGS, "--format", fmt, "--output", output.format(**names))
    text = str(caught.value)
    assert text.startswith(message.format(**names))
    assert text.endswith(".") and "\n" not in text and "Errno" not in text
    assert a_file.read_text() == "not a folder" and list(a_folder.iterdir()) == []


def test_a_full_disk_leaves_the_old_file_and_no_temporary_one(seed_council, tmp_path, monkeypatch):
    target = tmp_path / "q1.csv"
    target.write_text("the copy from last week")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("scrutineer.reports.output.os.fsync", disk_full)
    with pytest.raises(CommandError, match=f"^Could not write {target}: No space left on device.$"):
        call_command(*ARGS, "--format", "csv", "--output", str(target))
    assert target.read_text() == "the copy from last week"
    assert [p.name for p in tmp_path.iterdir()] == ["q1.csv"]


def test_the_command_line_shows_the_sentence_and_exits_non_zero(seed_council, tmp_path, capsys, monkeypatch):
    from scrutineer.cli import main

    monkeypatch.setattr("django.db.connections.close_all", lambda: None)  # the test's database
    (tmp_path / "somefile.txt").write_text("")
    with pytest.raises(SystemExit) as exited:
        main(
            ["scrutineer", *ARGS, "--format", "html", "--output", str(tmp_path / "somefile.txt" / "q1.html")]
        )
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip() == (
        f"CommandError: Could not write {tmp_path}/somefile.txt/q1.html: {tmp_path}/somefile.txt is a file, "
        "not a folder."
    )
