"""Building a committee's table costs the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.catalogue.models import Committee
from scrutineer.demo.generate import generate_council
from scrutineer.engine import Period
from scrutineer.performance import build_table

pytestmark = pytest.mark.django_db

PERIOD = Period.parse("2025-26-Q2")


def queries_for(indicators: int, seed: int) -> int:
    generate_council(indicators, 2, Period.parse("2025-26"), seed)
    committee = Committee.objects.get(slug__startswith=f"syn{seed}-")
    with CaptureQueriesContext(connection) as captured:
        table = build_table(committee, PERIOD)
    assert sum(1 for _ in table.rows()) == indicators
    return len(captured)


def test_query_count_does_not_grow_with_the_committee():
    assert queries_for(10, 1) == queries_for(120, 2)
