"""The approval queue: figures as pages print them, people by their names, and "select all"."""

import re
from decimal import Decimal

import pytest

from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.queues import figure_text, name_of
from tests.factories import (
    IndicatorFactory,
    PerformanceOfficerFactory,
    PersonFactory,
    RateIndicatorFactory,
    UserFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


def submitted(indicator, entered_by, **figures):
    return ValueFactory(
        indicator=indicator, entered_by=entered_by, state=ValueState.SUBMITTED, approved_at=None, **figures
    )


@pytest.fixture
def queue(client):
    owner = PersonFactory(name="Tracy Lancashire", honorific="")
    nameless = UserFactory(username="jg42", first_name="", last_name="")
    values = [
        submitted(
            RateIndicatorFactory(code="CSU11", decimal_places=2),
            owner.user,
            value=None,
            numerator=Decimal(640),
            denominator=Decimal(19498),
        ),
        submitted(
            IndicatorFactory(code="HP1", unit="%", measure_kind="number", decimal_places=2),
            nameless,
            value=Decimal("93.33"),
        ),
        submitted(
            IndicatorFactory(code="CSU10", unit="Second(s)", decimal_places=2),
            owner.user,
            value=None,
            no_data_reason="System outage",
        ),
    ]
    client.force_login(PerformanceOfficerFactory())
    return values


def rows(page):
    return {
        re.search(r">([A-Z]+\d+) ", row).group(1): row
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)
        if 'name="value"' in row
    }


def test_figures_are_printed_as_the_indicator_page_prints_them(client, queue):
    found = rows(client.get("/approvals/").content.decode())
    assert "3.28% (640 / 19498)" in found["CSU11"]
    assert "93.33%" in found["HP1"] and "93.330000" not in found["HP1"]
    assert "No Data: System outage" in found["CSU10"]


def test_people_are_named_by_their_person_and_accounts_without_one_by_username(client, queue):
    found = rows(client.get("/approvals/").content.decode())
    assert "Tracy Lancashire" in found["CSU11"] and "Tracy Lancashire" in found["CSU10"]
    assert queue[0].entered_by.username not in found["CSU11"]
    assert "jg42" in found["HP1"]


def test_the_queue_reads_in_a_fixed_number_of_queries(client, queue, django_assert_max_num_queries):
    client.get("/approvals/")  # warm the session and the officer's groups
    with django_assert_max_num_queries(12) as few:
        client.get("/approvals/")
    for n in range(5):
        submitted(IndicatorFactory(), PersonFactory().user, value=Decimal(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/approvals/")


def test_select_all_ticks_every_figure_without_javascript(client, queue):
    page = client.get("/approvals/").content.decode()
    assert not re.search(r'name="value"[^>]* checked', page)
    link = re.search(r'<a class="govuk-link" id="select-all"[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert link.group(2) == "Select all 3 figures"
    page = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    ticked = re.findall(r'name="value" type="checkbox" value="([^"]+)" checked', page)
    assert sorted(ticked) == sorted(f"{v.pk}:{v.version}" for v in queue)
    assert "Clear the selection" in page
    assert 'src="/static/collection/select-all.js"' in page
    # what the ticked page sends back approves every figure, each at the version shown
    client.post("/approvals/approve/", {"value": ticked})
    assert not Value.objects.exclude(state=ValueState.APPROVED).exists()


def test_name_of():
    assert name_of(None) == "unknown"
    assert name_of(PersonFactory(name="Ann Smith", honorific="Cllr").user) == "Cllr Ann Smith"
    assert name_of(UserFactory(username="u1", first_name="Bo", last_name="Li")) == "Bo Li"
    assert name_of(UserFactory(username="u2", first_name="", last_name="")) == "u2"


@pytest.mark.parametrize(
    "indicator, figures, expected",
    [
        (
            {"unit": "", "measure_kind": "currency", "decimal_places": 2},
            {"value": Decimal("1234.5")},
            "£1,234.50",
        ),
        ({"unit": "Second(s)", "duration_style": "mmss"}, {"value": Decimal("79.33")}, "1:19"),
        (
            {"unit": "Attendances", "measure_kind": "number", "decimal_places": 0},
            {"value": Decimal("10155.000000")},
            "10155 Attendances",
        ),
        (
            {"unit": "Visits", "measure_kind": "number"},
            {"value": Decimal(3), "not_measured": True},
            "3 Visits (not measured)",
        ),
    ],
)
def test_figure_text(indicator, figures, expected):
    value = ValueFactory(indicator=IndicatorFactory(**indicator), **figures)
    assert figure_text(value, value.indicator.rule()) == expected
