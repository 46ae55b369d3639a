"""The one read path: a figure reads the same in the committee table, on the indicator
page and in My work, whatever its approval state."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils.html import strip_tags

from scrutineer.collection.models import ValueState
from scrutineer.engine import Period
from scrutineer.performance import build_table
from tests.factories import (
    CommitteeFactory,
    OwnedIndicatorFactory,
    PerformanceOfficerFactory,
    TargetFactory,
    ValueFactory,
)

Q1 = Period.parse("2020-21-Q1")


@pytest.fixture(autouse=True)
def mid_july_2020():
    """Q1 2020/21 (Apr–Jun) is open for entry, so My work lists it."""
    with time_machine.travel(datetime(2020, 7, 15, 12, tzinfo=UTC)):
        yield


def _row(html: str, label: str) -> str:
    """The text of the first table row whose cells include `label`."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        text = " ".join(strip_tags(row).split())
        if label in text:
            return text
    raise AssertionError(f"no row with {label!r}")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state", [ValueState.DRAFT, ValueState.SUBMITTED, ValueState.RETURNED, ValueState.APPROVED]
)
def test_the_table_the_indicator_page_and_my_work_agree(client, state):
    indicator = OwnedIndicatorFactory(code="RP01", frequency="quarterly")
    committee = CommitteeFactory()
    committee.indicators.add(indicator)
    TargetFactory(indicator=indicator, period=Q1, value=Decimal("300"))
    ValueFactory(indicator=indicator, period=Q1, value=Decimal("79.33"), state=state)

    cell = next(build_table(committee, Q1).rows()).current.result
    words = [cell.status.label]
    words.append(cell.no_data_reason if cell.no_data_reason else cell.display)
    if state != ValueState.APPROVED:
        assert cell.no_data_reason == f"Awaiting approval ({state.label})"

    client.force_login(PerformanceOfficerFactory())
    indicator_page = _row(client.get("/indicators/RP01/").content.decode(), Q1.label)
    client.force_login(indicator.owner.user)
    my_work = _row(client.get("/my-work/").content.decode(), Q1.label)

    for text in words:
        assert text in indicator_page, (text, indicator_page)
        assert text in my_work, (text, my_work)
