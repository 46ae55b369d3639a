import errno
import os

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_unknown_committee_lists_the_known_ones(seed_council):
    with pytest.raises(CommandError, match=r"No committee 'housing'\. Known committees: housing-community\."):
        call_command("table", "--committee", "housing", "--period", "2020-21-Q1")


def test_unknown_committee_on_an_empty_database_says_how_to_load_one(db):
    with pytest.raises(CommandError, match="run `scrutineer demo`"):
        call_command("table", "--committee", "housing-community", "--period", "2020-21-Q1")


@pytest.mark.parametrize("key", ["2020-Q1", "Q1 2020/21", "2020-22-Q1", "2020-13", ""])
def test_bad_period_shows_the_format(seed_council, key):
    with pytest.raises(CommandError, match=r"Use YYYY-MM for a month \(2020-06\), YYYY-YY-QN for a quarter"):
        call_command("table", "--committee", "housing-community", "--period", key)


def test_a_period_with_no_figures_shows_no_data_not_zero(seed_council, capsys):
    import json

    call_command("table", "--committee", "housing-community", "--period", "2024-25-Q2", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert {r["current"]["status"] for r in rows} == {"no-data"}
    assert {r["current"]["display"] for r in rows} == {"No Data"}


def test_unapproved_figures_are_not_reported(seed_council, capsys):
    import json

    from scrutineer.collection.models import Value, ValueState
    from scrutineer.engine import Period

    Value.objects.filter(indicator__code="CSU10", period=Period.parse("2020-21-Q1")).update(
        state=ValueState.SUBMITTED
    )
    call_command("table", "--committee", "housing-community", "--period", "2020-21-Q1", "--format", "json")
    row = next(r for r in json.loads(capsys.readouterr().out) if r["code"] == "CSU10")
    assert row["current"]["status"] == "no-data"
    assert "Awaiting approval" in row["current"]["no_data_reason"]


class FullDisk:
    """Standard output on a full disk (`scrutineer table … > /dev/full`)."""

    def write(self, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self):
        pass


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_table_printed_to_a_full_disk_is_one_clear_error(seed_council, fmt):
    # It used to end in an OSError traceback.
    with pytest.raises(CommandError, match=r"^Could not print the output: No space left on device\.$"):
        call_command(
            "table",
            "--committee",
            "housing-community",
            "--period",
            "2020-21-Q1",
            "--format",
            fmt,
            stdout=FullDisk(),
        )
