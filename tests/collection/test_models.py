"""The database refuses what must never be stored, whatever code path tries to store it."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from scrutineer.collection.models import Value
from scrutineer.engine import Period
from tests.factories import IndicatorFactory, RateIndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ValueFactory(**fields)


def test_a_rate_is_never_typed_alongside_its_fraction():
    refused(indicator=RateIndicatorFactory(), value=Decimal("3.28"), numerator=640, denominator=19498)


def test_a_zero_denominator_is_refused():
    refused(indicator=RateIndicatorFactory(), value=None, numerator=0, denominator=0)


def test_half_a_fraction_is_refused():
    refused(indicator=RateIndicatorFactory(), value=None, numerator=640, denominator=None)


def test_a_negative_numerator_is_refused():
    refused(indicator=RateIndicatorFactory(), value=None, numerator=-1, denominator=10)


def test_a_gap_needs_a_reason():
    refused(value=None)
    gap = ValueFactory(value=None, no_data_reason="Service closed")
    assert gap.pk


def test_not_measured_may_stand_without_a_figure():
    assert ValueFactory(value=None, not_measured=True).pk


def test_one_value_per_indicator_and_period():
    first = ValueFactory()
    refused(indicator=first.indicator, period=first.period)


def test_approved_needs_its_time():
    refused(approved_at=None)


def test_periods_round_trip_as_periods():
    ValueFactory(period=Period.parse("2020-06"), indicator=IndicatorFactory(frequency="monthly"))
    stored = Value.objects.get()
    assert stored.period == Period.parse("2020-06")
    assert Value.objects.filter(period="2020-06").count() == 1
    assert Value.objects.filter(period__in=[Period.parse("2020-06")]).count() == 1
