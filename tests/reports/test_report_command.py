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
