"""An indicator with figures cannot switch to or from year to date (aggregation
"cumulative"): each stored figure would silently mean something else (the month's own
becoming the year so far, or the reverse). Refused on the form beside the field, by the
action, and at the workbook's cell; other changes of how the figures add up stay allowed."""

from decimal import Decimal

import pytest

from scrutineer.catalogue import actions
from scrutineer.catalogue.models import Indicator
from scrutineer.changes import Rejected
from scrutineer.engine import Period
from scrutineer.exchange.files import csv_files
from scrutineer.exchange.importing import check, start
from tests.exchange.test_round_trip import everything
from tests.factories import IndicatorFactory, PerformanceOfficerFactory, ValueFactory

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")


@pytest.fixture
def officer():
    return PerformanceOfficerFactory(username="officer")


def indicator(code, aggregation, figures=1):
    made = IndicatorFactory(
        code=code, measure_kind="count", frequency="quarterly", aggregation=aggregation, unit="Homes"
    )
    for n in range(figures):
        ValueFactory(indicator=made, period=Period.quarter(2020, n + 1), value=Decimal(10 * (n + 1)))
    return made


def save(ind, officer, aggregation):
    return actions.save_indicator(
        ind,
        {"aggregation": aggregation},
        user=officer,
        reason="Reported differently",
        expected_version=ind.version,
    )


@pytest.mark.parametrize(
    ("before", "after", "words"),
    [
        ("sum", "cumulative", "each for its own period"),
        ("cumulative", "mean", "each the financial year so far"),
    ],
)
def test_switching_to_or_from_year_to_date_is_refused_once_figures_exist(officer, before, after, words):
    ind = indicator("HOU07", before, figures=2)
    with pytest.raises(Rejected) as refused:
        save(ind, officer, after)
    assert refused.value.field == "aggregation"
    message = refused.value.message
    assert message.startswith("HOU07 already has 2 figures entered, ") and words in message
    assert "Retire it and create a new indicator instead." in message
    assert Indicator.objects.get(code="HOU07").aggregation == before


def test_other_changes_of_how_figures_add_up_and_a_new_indicator_are_allowed(officer):
    ind = indicator("HOU08", "sum")
    assert save(ind, officer, "mean").aggregation == "mean"
    empty = indicator("HOU09", "sum", figures=0)
    assert save(empty, officer, "cumulative").aggregation == "cumulative"


def test_the_form_says_so_beside_the_field(client, officer):
    from tests.catalogue.test_manage import indicator_post

    ind = indicator("HOU07", "sum")
    client.force_login(officer)
    response = client.post(
        "/manage/indicators/HOU07/", indicator_post(ind, reason="Year to date now", aggregation="cumulative")
    )
    assert response.status_code == 400
    page = response.content.decode()
    beside = page.split('id="id_aggregation_error"')[1].split("</p>")[0]
    assert "HOU07 already has 1 figure entered" in beside
    assert Indicator.objects.get(code="HOU07").version == ind.version


def test_the_workbook_is_refused_at_the_cell(officer):
    indicator("HOU07", "sum")
    first = csv_files(everything(officer))["indicators.csv"].decode()
    changed = first.replace(",quarterly,sum,", ",quarterly,cumulative,")
    assert changed != first
    run = start("indicators.csv", changed.encode(), user=officer, approved=True, source="test")
    problems = check(run).problems
    assert [(p.sheet, p.column) for p in problems] == [("indicators", "aggregation")]
    assert "HOU07 already has 1 figure entered" in problems[0].message
