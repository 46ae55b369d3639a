"""Targets for a new year: every target of a year rolled forward in one action, after a
review of each change, with a reason kept in each target's history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from scrutineer.catalogue.actions import roll_targets_forward
from scrutineer.catalogue.models import Target
from scrutineer.catalogue.rollforward import plan_roll_forward
from scrutineer.changes import Rejected, StaleEdit
from scrutineer.engine import Period
from tests.factories import IndicatorFactory, PerformanceOfficerFactory, TargetFactory, UserFactory
from tests.people import login_as

pytestmark = pytest.mark.django_db

Y20, Y21 = Period.parse("2020-21"), Period.parse("2021-22")
REASON = "2021/22 targets agreed by Cabinet: as 2020/21"


@pytest.fixture
def targets():
    wait, calls = IndicatorFactory(code="CSU10"), IndicatorFactory(code="CSU11")
    TargetFactory(indicator=wait, period=Y20, value=Decimal(300))
    TargetFactory(indicator=wait, period=Period.parse("2020-21-Q2"), value=Decimal(280))
    TargetFactory(indicator=calls, period=Y20, value=Decimal(20))
    TargetFactory(indicator=calls, period=Y21, value=Decimal(25))  # already set: a change
    TargetFactory(indicator=wait, period=Period.parse("2021-22-Q2"), value=Decimal(280))  # the same
    retired = IndicatorFactory(code="OLD1", active=False, retired_on="2020-12-31")
    TargetFactory(indicator=retired, period=Y20, value=Decimal(5))
    return wait, calls


def chosen(plan, *, kinds=("new", "changed")):
    return {row.key: row.version for row in plan if row.kind in kinds}


def test_the_plan_says_what_each_target_would_become(targets):
    plan = plan_roll_forward(Y20, Y21)
    assert [(r.indicator.code, r.period.key, r.was, r.value, r.kind) for r in plan] == [
        ("CSU10", "2021-22", None, Decimal(300), "new"),
        ("CSU10", "2021-22-Q2", Decimal(280), Decimal(280), "unchanged"),
        ("CSU11", "2021-22", Decimal(25), Decimal(20), "changed"),
    ]


def test_rolling_forward_sets_the_kept_targets_with_the_reason(targets):
    officer = PerformanceOfficerFactory()
    plan = plan_roll_forward(Y20, Y21)
    assert roll_targets_forward(Y20, Y21, user=officer, reason=REASON, chosen=chosen(plan)) == 2
    assert Target.objects.get(indicator__code="CSU10", period=Y21).value == Decimal(300)
    changed = Target.objects.get(indicator__code="CSU11", period=Y21)
    assert changed.value == Decimal(20)
    assert changed.history.first().history_change_reason == REASON
    assert changed.history.first().history_user == officer


def test_an_unticked_row_is_left_alone(targets):
    plan = plan_roll_forward(Y20, Y21)
    keep = {r.key: r.version for r in plan if r.kind == "new"}
    roll_targets_forward(Y20, Y21, user=PerformanceOfficerFactory(), reason=REASON, chosen=keep)
    assert Target.objects.get(indicator__code="CSU11", period=Y21).value == Decimal(25)


def test_a_target_changed_since_the_review_refuses_the_whole_roll(targets):
    plan = plan_roll_forward(Y20, Y21)
    Target.objects.filter(indicator__code="CSU11", period=Y21).update(value=30, version=2)
    with pytest.raises(StaleEdit, match="CSU11's target for 2021/22 was changed since you reviewed it"):
        roll_targets_forward(Y20, Y21, user=PerformanceOfficerFactory(), reason=REASON, chosen=chosen(plan))
    assert not Target.objects.filter(indicator__code="CSU10", period=Y21).exists()


def test_a_reason_an_officer_and_a_later_year_are_needed(targets):
    plan = chosen(plan_roll_forward(Y20, Y21))
    with pytest.raises(Rejected, match="Say why"):
        roll_targets_forward(Y20, Y21, user=PerformanceOfficerFactory(), reason=" ", chosen=plan)
    with pytest.raises(PermissionDenied):
        roll_targets_forward(Y20, Y21, user=UserFactory(), reason=REASON, chosen=plan)
    with pytest.raises(Rejected, match="a year after"):
        roll_targets_forward(Y21, Y20, user=PerformanceOfficerFactory(), reason=REASON, chosen=plan)


def test_the_review_page_lists_every_change_and_saves_the_kept_ones(client, targets):
    login_as(client, officer=True)
    page = client.get("/manage/targets/roll-forward/?from=2020-21&to=2021-22").content.decode()
    assert "2 changes from 2020/21 to 2021/22" in page and "(unchanged)" in page
    plan = plan_roll_forward(Y20, Y21)
    rows = [f"{r.key}@{r.version if r.version is not None else 'new'}" for r in plan if r.kind != "unchanged"]
    refused = client.post("/manage/targets/roll-forward/", {"from": "2020-21", "to": "2021-22", "row": rows})
    assert refused.status_code == 400 and "Say why the targets are rolled forward" in refused.content.decode()
    done = client.post(
        "/manage/targets/roll-forward/", {"from": "2020-21", "to": "2021-22", "row": rows, "reason": REASON}
    )
    assert done.status_code == 302
    assert Target.objects.filter(period=Y21).count() == 2
