"""A percentage entered as a figure (93.3 for 93.3%), when the council has only the rate:
through the entry action and the entry page, and refused outside 0–100 unless allowed."""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine

from scrutineer.collection.actions import ValueRejected, approve_value, save_value, submit_value
from scrutineer.collection.models import Value
from scrutineer.collection.reading import as_if_approved
from scrutineer.engine import Period, Status
from tests.factories import OwnedIndicatorFactory, PersonFactory, TargetFactory

pytestmark = pytest.mark.django_db

JUN = Period.parse("2020-06")


@pytest.fixture(autouse=True)
def mid_july_2020():
    with time_machine.travel(datetime(2020, 7, 15, 12, tzinfo=UTC)):
        yield


@pytest.fixture
def people():
    return SimpleNamespace(
        owner=PersonFactory(name="Data Owner"),
        approver=PersonFactory(name="An Approver", job_title="Group Manager"),
    )


@pytest.fixture
def paid(people):
    """Invoices paid within 30 days: the finance system gives only the percentage."""
    indicator = OwnedIndicatorFactory(
        code="FIN01",
        unit="",
        measure_kind="percentage",
        polarity="higher-is-better",
        frequency="monthly",
        aggregation="mean",
        decimal_places=1,
        owner=people.owner,
        approver=people.approver,
    )
    TargetFactory(indicator=indicator, period=Period.parse("2020-21"), value=Decimal(90))
    return indicator


def test_a_percentage_is_entered_as_one_figure_and_read_as_a_percentage(paid, people):
    value = save_value(paid, JUN, user=people.owner.user, value="93.3")
    assert (value.value, value.numerator, value.denominator) == (Decimal("93.3"), None, None)
    shown = as_if_approved(paid, value)
    assert (shown.display, shown.fraction_display, shown.target_display) == ("93.3%", "", "Target: 90%")
    assert shown.status is Status.GREEN
    value = submit_value(value, user=people.owner.user, expected_version=value.version)
    approved = approve_value(value, user=people.approver.user, expected_version=value.version)
    assert approved.state == "approved"


@pytest.mark.parametrize(
    ("figures", "field", "words"),
    [
        ({"value": "100.1"}, "value", "FIN01 Jun-2020: value 100.1 is over 100; a percentage is 0 to 100"),
        ({"value": "-2"}, "value", "FIN01 Jun-2020: value -2 is negative; a percentage is 0 to 100"),
        ({"numerator": "933", "denominator": "1000"}, "numerator", "measured as one figure, not a fraction"),
    ],
)
def test_what_a_percentage_figure_refuses_names_its_field_and_stores_nothing(
    paid, people, figures, field, words
):
    with pytest.raises(ValueRejected) as refused:
        save_value(paid, JUN, user=people.owner.user, **figures)
    assert words in refused.value.errors[field][0]
    assert not Value.objects.exists()


def test_a_percentage_may_exceed_100_when_its_indicator_allows_it(paid, people):
    paid.may_exceed_100 = True
    paid.save()
    value = save_value(paid, JUN, user=people.owner.user, value="112.5")
    assert as_if_approved(paid, value).display == "112.5%"


def test_the_entry_page_takes_a_percentage_as_a_figure(client, paid, people):
    client.force_login(people.owner.user)
    url = f"/indicators/FIN01/{JUN.key}/"
    page = client.get(url).content.decode()
    assert 'for="value">Figure (%)</label>' in page
    assert "The percentage as a figure: 93.3 for 93.3%, from 0 to 100." in page
    assert 'id="numerator"' not in page
    refused = client.post(url, {"value": "101", "action": "save", "version": ""})
    assert refused.status_code == 400
    assert "value 101 is over 100; a percentage is 0 to 100" in refused.content.decode()
    assert not Value.objects.exists()
    saved = client.post(url, {"value": "93.3", "action": "save", "version": ""})
    assert saved.status_code == 302
    page = client.get(url).content.decode()
    shown = page[page.index('id="entered-figure"') :]
    shown = shown[: shown.index("</div>")]
    assert "93.3%" in shown and " / " not in shown and "Target: 90%" in shown
