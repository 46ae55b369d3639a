"""Roles follow the organisation, and each role sees only what it should."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from scrutineer.catalogue.access import (
    PERFORMANCE_OFFICERS,
    Role,
    roles_of,
    visible_committees,
    visible_indicators,
)
from scrutineer.catalogue.models import Committee
from tests.factories import CommitteeFactory, IndicatorFactory
from tests.people import user_for

pytestmark = pytest.mark.django_db


def test_owner_approver_councillor_officer_and_anonymous():
    owner, approver = user_for("Olive Owner"), user_for("Abe Approver")
    councillor = user_for("Cora Councillor", is_councillor=True, honorific="Cllr")
    officer = User.objects.create_user("po", password="x-long-password")
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    mine = IndicatorFactory(owner=owner.person, approver=approver.person)
    other = IndicatorFactory()
    committee = CommitteeFactory()
    committee.indicators.add(mine)
    committee.members.add(councillor.person)
    CommitteeFactory().indicators.add(other)

    assert roles_of(owner) == {Role.DATA_OWNER}
    assert roles_of(approver) == {Role.APPROVER}
    assert roles_of(councillor) == {Role.COUNCILLOR}
    assert roles_of(officer) == {Role.PERFORMANCE_OFFICER}
    assert roles_of(AnonymousUser()) == set()

    assert list(visible_indicators(owner)) == [mine]
    assert list(visible_indicators(approver)) == [mine]
    assert list(visible_indicators(councillor)) == [mine]
    assert set(visible_indicators(officer)) == {mine, other}
    assert not visible_indicators(AnonymousUser()).exists()
    assert list(visible_committees(councillor)) == [committee]
    assert set(visible_committees(officer)) == set(Committee.objects.all())
    assert not visible_committees(AnonymousUser()).exists()


def test_an_inactive_user_has_no_role():
    user = user_for("Ina Active")
    IndicatorFactory(owner=user.person)
    user.is_active = False
    user.save()
    assert roles_of(user) == set()
