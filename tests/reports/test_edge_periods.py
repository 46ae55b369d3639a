"""Periods too early or too late to be sensible (1000-01-Q1, 9998-99): the command line
and the web say so in a sentence, never with a traceback or a 500."""

import pytest
from django.core.management import CommandError, call_command

from tests.factories import PerformanceOfficerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_council")]

RANGE = "outside the periods Scrutineer handles: April 1900 to March 2200"
EDGES = ["1000-01-Q1", "9998-99-Q4", "1899-00", "2200-04"]


@pytest.mark.parametrize("period", EDGES)
@pytest.mark.parametrize("command", ["table", "report", "publish"])
def test_edge_periods_on_the_command_line_are_a_clear_error(command, period, tmp_path):
    args = [command, "--committee", "housing-community", "--period", period]
    if command == "report":
        args += ["--output", str(tmp_path / "q.html")]
    with pytest.raises(CommandError, match=RANGE):
        call_command(*args)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def officer(client):
    client.force_login(PerformanceOfficerFactory())


@pytest.mark.usefixtures("officer")
@pytest.mark.parametrize("period", EDGES)
def test_edge_periods_on_a_dashboard_are_a_clear_error_not_a_500(client, period):
    response = client.get("/committees/housing-community/", {"period": period})
    assert response.status_code == 200
    assert RANGE in response.content.decode()


@pytest.mark.usefixtures("officer")
@pytest.mark.parametrize("period", EDGES)
@pytest.mark.parametrize(
    "url",
    [
        "/reports/housing-community/{period}/",
        "/reports/housing-community/{period}/draft/",
        "/reports/housing-community/{period}/edit/",
        "/indicators/CSU10/{period}/",
    ],
)
def test_edge_periods_in_an_address_are_not_found(client, url, period):
    assert client.get(url.format(period=period)).status_code == 404


@pytest.mark.usefixtures("officer")
def test_an_edge_period_chosen_for_a_report_is_a_clear_error(client):
    response = client.get("/reports/housing-community/", {"period": "1000-01-Q1"}, follow=True)
    assert response.status_code == 200
    assert RANGE in response.content.decode()
