"""Indicators in a committee's set only for some periods: left out of its table outside them,
and "Not reported this period" (not "No Data") in a comparison column outside them, the same
in the table, the dashboard and the report."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from scrutineer.catalogue.models import Committee, CommitteeIndicatorPeriods, reported_in
from scrutineer.engine import Period
from scrutineer.performance import build_table
from scrutineer.performance.judging import NOT_REPORTED_TEXT
from tests.factories import IndicatorFactory, PerformanceOfficerFactory, TargetFactory, ValueFactory

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
Q4 = Period.parse("2019-20-Q4")


@pytest.fixture
def committee(seed_council):
    committee = Committee.objects.get(slug="housing-community")
    theme = committee.indicators.first().theme
    new = IndicatorFactory(
        code="NEW01",
        name="Homes let",
        unit="Homes",
        measure_kind="count",
        polarity="higher-is-better",
        aggregation="sum",
        decimal_places=0,
        theme=theme,
    )
    old = IndicatorFactory(
        code="OLD01",
        name="Old measure",
        unit="Homes",
        measure_kind="count",
        polarity="higher-is-better",
        aggregation="sum",
        decimal_places=0,
        theme=theme,
    )
    committee.indicators.add(new, old)
    CommitteeIndicatorPeriods.objects.create(committee=committee, indicator=new, reported_from=Q1)
    CommitteeIndicatorPeriods.objects.create(committee=committee, indicator=old, reported_until=Q4)
    ValueFactory(indicator=new, period=Q1, value=Decimal(12))
    TargetFactory(indicator=new, period=Q1, value=Decimal(10))
    ValueFactory(indicator=old, period=Q4, value=Decimal(7))
    return committee


def rows(table):
    return {row.code: row for row in table.rows()}


def test_a_period_range_is_by_dates_so_months_quarters_and_years_all_ask_it():
    june, may = Period.parse("2020-06"), Period.parse("2020-03")
    assert reported_in(june, Q1, None) and not reported_in(may, Q1, None)
    assert reported_in(Period.parse("2019-20"), None, Q4) and reported_in(Period.parse("2020-21"), Q1, Q1)
    assert not reported_in(Q1, None, Q4) and reported_in(Q4, None, Q4)


def test_outside_its_periods_an_indicator_is_left_out_and_its_columns_say_not_reported(committee):
    table = rows(build_table(committee, Q1))
    assert "OLD01" not in table  # reported until Q4 2019/20
    new = table["NEW01"]
    assert (new.current.result.display, new.current.result.status_label) == ("12 Homes", "Green")
    assert new.previous.result.display == NOT_REPORTED_TEXT  # Q4 2019/20, before it was in the set
    assert new.last_year.result.display == NOT_REPORTED_TEXT
    # An indicator reported throughout still says No Data where it has none.
    assert table["CSU10"].current.result.display == "79.33 Second(s)"

    earlier = rows(build_table(committee, Q4))
    assert "NEW01" not in earlier and earlier["OLD01"].current.result.display == "7 Homes"

    # Without the ranges, the set is every period, as before.
    CommitteeIndicatorPeriods.objects.all().delete()
    plain = rows(build_table(committee, Q1))
    assert "OLD01" in plain and plain["NEW01"].previous.result.display == "No Data"


def test_the_report_and_the_dashboard_say_not_reported_this_period(committee, tmp_path, client):
    out = tmp_path / "q1.html"
    call_command("report", "--committee", "housing-community", "--period", Q1.key, "--output", str(out))
    html = out.read_text()
    row = html[html.index('id="indicator-NEW01"') :]
    row = row[: row.index("</tr>")]
    assert row.count(NOT_REPORTED_TEXT) == 2 and "No Data" not in row
    assert 'id="indicator-OLD01"' not in html

    client.force_login(PerformanceOfficerFactory())
    page = client.get("/committees/housing-community/", {"period": Q1.key}).content.decode()
    assert NOT_REPORTED_TEXT in page and "OLD01" not in page


def test_a_year_to_date_indicator_says_so_and_is_judged_against_its_profiled_target(committee):
    homes = IndicatorFactory(
        code="HOU07",
        name="Homes built",
        unit="Homes",
        measure_kind="count",
        polarity="higher-is-better",
        frequency="monthly",
        aggregation="cumulative",
        decimal_places=0,
        theme=committee.indicators.first().theme,
    )
    committee.indicators.add(homes)
    TargetFactory(indicator=homes, period=Period.parse("2020-21"), value=Decimal(100))
    for month, built in (("2020-04", 5), ("2020-05", 15), ("2020-06", 26)):
        ValueFactory(indicator=homes, period=Period.parse(month), value=Decimal(built))
    row = rows(build_table(committee, Q1))["HOU07"]
    assert row.name == "Homes built (year to date)"
    # Q1 is June's year so far (26, not 5 + 15 + 26) against a quarter of the year's 100.
    assert (row.current.result.display, row.current.result.target_display) == ("26 Homes", "Target: 25 Homes")
    assert row.current.result.status_label == "Green"
