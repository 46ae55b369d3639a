"""The workbook carries a percentage entered as a figure and year-to-date figures: exported,
imported into an empty database and exported again, the same files; what they cannot be is
refused at its row and column."""

from decimal import Decimal

import pytest

from scrutineer.catalogue.models import Indicator
from scrutineer.collection.models import Value
from scrutineer.engine import Period
from scrutineer.exchange.files import csv_files, zip_of
from scrutineer.exchange.importing import check, start
from tests.exchange.test_round_trip import empty_database, everything, import_bytes
from tests.factories import IndicatorFactory, TargetFactory, ValueFactory

pytestmark = pytest.mark.django_db

JUN = Period.parse("2020-06")


@pytest.fixture
def measures(db):
    paid = IndicatorFactory(
        code="FIN01",
        unit="",
        measure_kind="percentage",
        polarity="higher-is-better",
        frequency="monthly",
        aggregation="mean",
        decimal_places=1,
    )
    spend = IndicatorFactory(
        code="FIN02",
        unit="%",
        measure_kind="percentage",
        polarity="closest-to-target",
        frequency="quarterly",
        aggregation="last",
        may_exceed_100=True,
    )
    homes = IndicatorFactory(
        code="HOU07",
        unit="Homes",
        measure_kind="count",
        polarity="higher-is-better",
        frequency="quarterly",
        aggregation="cumulative",
        decimal_places=0,
    )
    ValueFactory(indicator=paid, period=JUN, value=Decimal("93.3"))
    ValueFactory(indicator=spend, period=Period.parse("2020-21-Q1"), value=Decimal("104.2"))
    ValueFactory(indicator=homes, period=Period.parse("2020-21-Q1"), value=Decimal(27))
    ValueFactory(indicator=homes, period=Period.parse("2020-21-Q2"), value=Decimal(52))
    for quarter, target in ((1, 25), (2, 50), (3, 75), (4, 100)):
        TargetFactory(indicator=homes, period=Period.quarter(2020, quarter), value=Decimal(target))
    return paid, spend, homes


def test_a_percentage_and_year_to_date_figures_round_trip(measures, officer):
    first = csv_files(everything(officer))
    indicators = first["indicators.csv"].decode()
    assert ",percentage,higher-is-better,1,monthly,mean," in indicators
    assert ",count,higher-is-better,0,quarterly,cumulative," in indicators
    empty_database()
    import_bytes("measures.zip", zip_of(first), officer)
    assert csv_files(everything(officer)) == first
    paid, spend, homes = (Indicator.objects.get(code=c) for c in ("FIN01", "FIN02", "HOU07"))
    assert (paid.measure_kind, paid.aggregation, paid.may_exceed_100) == ("percentage", "mean", False)
    assert (spend.measure_kind, spend.may_exceed_100) == ("percentage", True)
    assert homes.aggregation == "cumulative"
    assert Value.objects.get(indicator=paid).value == Decimal("93.3")
    assert list(homes.targets.values_list("value", flat=True)) == [25, 50, 75, 100]


def test_the_workbook_says_percentage_and_year_to_date_in_words_too(measures, officer):
    first = csv_files(everything(officer))
    text = (
        first["indicators.csv"]
        .decode()
        .replace(
            ",percentage,higher-is-better,1,monthly,mean,", ",Percent,higher-is-better,1,monthly,Average,"
        )
        .replace(",quarterly,cumulative,", ",quarterly,year to date,")
    )
    run = start("indicators.csv", text.encode(), user=officer, approved=True, source="test")
    plan = check(run)
    assert plan.ok, [str(p) for p in plan.problems]


def test_a_summed_percentage_and_a_percentage_over_100_are_refused_at_their_cells(measures, officer):
    first = csv_files(everything(officer))
    summed = (
        first["indicators.csv"]
        .decode()
        .replace(
            ",percentage,higher-is-better,1,monthly,mean,", ",percentage,higher-is-better,1,monthly,sum,"
        )
    )
    run = start("indicators.csv", summed.encode(), user=officer, approved=True, source="test")
    problems = check(run).problems
    assert {p.sheet for p in problems} == {"indicators"}
    assert any(p.column == "aggregation" and "cannot be summed" in p.message for p in problems)

    over = first["values.csv"].decode().replace(",93.3,", ",100.5,")
    assert over != first["values.csv"].decode()
    run = start("values.csv", over.encode(), user=officer, approved=True, source="test")
    problems = check(run).problems
    assert [(p.sheet, p.column) for p in problems] == [("values", "value")]
    assert "value 100.5 is over 100; a percentage is 0 to 100" in problems[0].message
