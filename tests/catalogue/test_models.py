from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scrutineer.catalogue.fields import PeriodField
from scrutineer.engine import Aggregation, MeasureKind, Polarity, Tolerance, ToleranceKind
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_indicator_codes_are_unique():
    IndicatorFactory(code="CSU10")
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(code="CSU10")


def test_only_a_rate_aggregates_as_a_ratio():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(measure_kind="count", aggregation="ratio")


def test_a_tolerance_needs_kind_and_amount():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(tolerance_kind="percentage", tolerance_amount=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(tolerance_kind="", tolerance_amount=Decimal(5))


def test_a_retired_indicator_has_its_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(active=False, retired_on=None)


def test_code_format_is_validated_with_a_helpful_message():
    indicator = IndicatorFactory.build(code="CSU 10")
    with pytest.raises(ValidationError, match="Use letters, digits"):
        indicator.full_clean(exclude=["service", "theme"])


def test_rule_carries_everything_the_engine_needs():
    indicator = IndicatorFactory(
        code="CSU11",
        measure_kind="rate",
        aggregation="ratio",
        polarity="lower-is-better",
        unit="%",
        tolerance_kind="absolute",
        tolerance_amount=Decimal(2),
    )
    rule = indicator.rule()
    assert rule.code == "CSU11"
    assert rule.kind is MeasureKind.RATE
    assert rule.aggregation is Aggregation.RATIO
    assert rule.polarity is Polarity.LOWER_IS_BETTER
    assert rule.tolerance == Tolerance(ToleranceKind.ABSOLUTE, Decimal(2))


def test_period_field_rejects_a_bad_key_with_the_format():
    with pytest.raises(ValidationError, match="YYYY-YY-QN"):
        PeriodField().to_python("2020-Q1")
