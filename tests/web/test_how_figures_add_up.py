"""How an indicator's figures add up is asked and told in words for its frequency: a
quarterly indicator is never asked how months make a quarter, nor told it."""

import re

import pytest

from scrutineer.catalogue.forms import IndicatorForm
from scrutineer.catalogue.models import Indicator
from tests.catalogue.test_manage import indicator_post
from tests.factories import IndicatorFactory, PerformanceOfficerFactory, RateIndicatorFactory

pytestmark = pytest.mark.django_db


def collected(client, indicator):
    page = client.get(f"/indicators/{indicator.code}/").content.decode()
    row = re.search(r"Collected</dt><dd[^>]*>(.*?)</dd>", page, re.S).group(1)
    return " ".join(row.split())


@pytest.mark.parametrize(
    "frequency, aggregation, expected",
    [
        ("quarterly", "last", "Quarterly; a year is its last quarter's figure"),
        (
            "quarterly",
            "sum",
            "Quarterly; a year is the sum of its quarters, and a year's target is shared between them",
        ),
        ("quarterly", "mean", "Quarterly; a year is the mean of its quarters"),
        (
            "quarterly",
            "cumulative",
            "Quarterly; each figure is the year to date (the financial year so far), so a year is its last quarter's figure",
        ),
        ("monthly", "mean", "Monthly; a quarter is the mean of the months"),
        (
            "monthly",
            "cumulative",
            "Monthly; each figure is the year to date (the financial year so far), so a quarter is its last month's figure",
        ),
        ("annual", "last", "Annual"),
    ],
)
def test_the_indicator_page_says_how_figures_add_up_for_its_frequency(
    client, frequency, aggregation, expected
):
    client.force_login(PerformanceOfficerFactory())
    indicator = IndicatorFactory(
        frequency=frequency, aggregation=aggregation, measure_kind="number", unit="Visits"
    )
    assert collected(client, indicator) == expected


def test_a_quarterly_rate_is_told_how_its_quarters_make_a_year(client):
    client.force_login(PerformanceOfficerFactory())
    indicator = RateIndicatorFactory(frequency="quarterly")
    assert (
        collected(client, indicator)
        == "Quarterly; a year is its quarters' summed numerators ÷ summed denominators"
    )


def test_the_form_asks_in_words_for_any_frequency():
    form = IndicatorForm(instance=IndicatorFactory(frequency="quarterly", aggregation="last"))
    field = form.fields["aggregation"]
    assert field.label == "How the figures add up"
    assert "month" not in dict(field.choices)["last"]
    assert field.required  # a quarterly indicator's quarters make its year: its target and forecast


def test_an_annual_indicator_need_not_say_and_keeps_what_it_had():
    indicator = IndicatorFactory(frequency="annual", aggregation="mean", measure_kind="number", unit="Visits")
    assert not IndicatorForm(instance=indicator).fields["aggregation"].required
    form = IndicatorForm(indicator_post(indicator, aggregation=""), instance=indicator)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["aggregation"] == "mean"
    new = IndicatorForm(indicator_post(indicator, aggregation="", code="NEW1"), instance=Indicator())
    assert new.is_valid(), new.errors
    assert new.cleaned_data["aggregation"] == "last"


def test_a_monthly_or_quarterly_indicator_must_say():
    indicator = IndicatorFactory(frequency="annual", aggregation="mean", measure_kind="number", unit="Visits")
    for frequency in ("monthly", "quarterly"):
        form = IndicatorForm(
            indicator_post(indicator, aggregation="", frequency=frequency), instance=indicator
        )
        assert not form.is_valid()
        assert form.errors["aggregation"] == ["Select how the figures add up"]


def test_the_manage_page_marks_it_optional_only_for_an_annual_indicator(client):
    client.force_login(PerformanceOfficerFactory())
    for frequency, marked in (("quarterly", False), ("annual", True)):
        indicator = IndicatorFactory(
            frequency=frequency, aggregation="last", measure_kind="number", unit="Visits"
        )
        page = client.get(f"/manage/indicators/{indicator.code}/").content.decode()
        assert "How months make a quarter" not in page
        label = re.search(r'for="id_aggregation">([^<]*)</label>', page).group(1)
        assert label == ("How the figures add up (optional)" if marked else "How the figures add up")
