"""Security review finding 3: councillors saw figures before approval in an indicator's
change history and its CSV. They see a figure only once it is approved."""

from decimal import Decimal

import pytest

from scrutineer.collection.actions import approve_value, save_value, submit_value
from scrutineer.engine import Period
from tests.factories import (
    CommitteeFactory,
    CouncillorFactory,
    OwnedIndicatorFactory,
    PerformanceOfficerFactory,
)

pytestmark = pytest.mark.django_db
Q1 = Period.parse("2020-21-Q1")


@pytest.fixture
def figures():
    indicator = OwnedIndicatorFactory(code="UH01")
    committee = CommitteeFactory()
    committee.indicators.add(indicator)
    councillor = CouncillorFactory()
    committee.members.add(councillor)
    officer = PerformanceOfficerFactory()
    approved = save_value(indicator, Q1, user=officer, value=Decimal("111.5"))
    approved = submit_value(approved, user=officer, expected_version=approved.version)
    approve_value(approved, user=indicator.approver.user, expected_version=approved.version)
    draft = save_value(indicator, Q1.next(), user=officer, value=Decimal("987.25"))
    return indicator, councillor, officer, draft


def test_a_councillor_sees_no_draft_in_the_change_history_or_its_csv(client, figures):
    indicator, councillor, _, _ = figures
    client.force_login(councillor.user)
    page = client.get(f"/indicators/{indicator.code}/").content.decode()
    csv = client.get(f"/indicators/{indicator.code}/history.csv").content.decode()
    for shown in (page, csv):
        assert "987.25" not in shown
        assert "111.5" in shown


def test_owner_approver_and_officers_still_see_drafts(client, figures):
    indicator, _, officer, _ = figures
    for user in (officer, indicator.owner.user, indicator.approver.user):
        client.force_login(user)
        assert "987.25" in client.get(f"/indicators/{indicator.code}/history.csv").content.decode()
