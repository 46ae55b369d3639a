"""`scrutineer table` names every period one way, as the report's table does by default
(`Period.end_month_label`: "Jun-2020"), never a two-digit year ("Mar-20") beside it."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_terminal_table_names_periods_as_the_report_does(seed_council, capsys):
    call_command("table", "--committee", "housing-community", "--period", "2020-21-Q1")
    out = capsys.readouterr().out
    for label in (
        "Results Jun-2020",
        "Previous Mar-2020",
        "Last year Jun-2019",
        "vs Mar-2020:",
        "vs Jun-2019:",
    ):
        assert label in out, label
    assert not re.search(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{2}\b", out)
