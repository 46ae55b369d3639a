"""The access rules, one test per rule, with small factories (catalogue/access.py).

The URL × role matrix (tests/web/test_permissions_matrix.py) checks the same rules end
to end; these say what each rule is on its own."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from scrutineer.catalogue import access
from tests.factories import (
    CommitteeFactory,
    CouncillorFactory,
    GroupFactory,
    OwnedIndicatorFactory,
    PerformanceOfficerFactory,
    PersonFactory,
    ServiceTeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    return OwnedIndicatorFactory()


def test_signed_in_means_an_active_account():
    user = UserFactory()
    assert access.signed_in(user)
    user.is_active = False
    assert not access.signed_in(user)
    assert not access.signed_in(AnonymousUser())


def test_performance_officers_are_staff_or_in_the_group():
    assert access.is_performance_officer(PerformanceOfficerFactory())
    assert access.is_performance_officer(UserFactory(is_staff=True))
    assert not access.is_performance_officer(UserFactory())
    assert not access.is_performance_officer(AnonymousUser())


def test_a_deactivated_officer_is_no_officer():
    assert not access.is_performance_officer(PerformanceOfficerFactory(is_active=False))


def test_roles_come_from_the_organisation(indicator):
    councillor = CouncillorFactory()
    assert access.roles_of(indicator.owner.user) == {access.Role.DATA_OWNER}
    assert access.roles_of(indicator.approver.user) == {access.Role.APPROVER}
    assert access.roles_of(councillor.user) == {access.Role.COUNCILLOR}
    assert access.roles_of(AnonymousUser()) == set()


def test_owners_enter_their_indicators_and_officers_any(indicator):
    assert access.may_enter(indicator.owner.user, indicator)
    assert access.may_enter(PerformanceOfficerFactory(), indicator)
    assert not access.may_enter(indicator.approver.user, indicator)
    with pytest.raises(PermissionDenied, match="data owner"):
        access.check_may_enter(UserFactory(), indicator)


def test_only_officers_enter_any_period(indicator):
    assert access.may_enter_any_period(PerformanceOfficerFactory())
    assert not access.may_enter_any_period(indicator.owner.user)


def test_approvers_approve_their_indicators_and_officers_any(indicator):
    assert access.may_approve(indicator.approver.user, indicator)
    assert access.may_approve(PerformanceOfficerFactory(), indicator)
    assert not access.may_approve(indicator.owner.user, indicator)
    with pytest.raises(PermissionDenied, match="approver"):
        access.check_may_approve(indicator.owner.user, indicator, "return")


def test_four_eyes_bars_everyone_who_changed_the_figure():
    officer = PerformanceOfficerFactory()
    with pytest.raises(PermissionDenied, match="someone else must approve"):
        access.check_four_eyes(officer, {officer.pk, 99})
    access.check_four_eyes(officer, {98, 99})


def test_only_officers_reopen_approved_figures(indicator):
    assert access.may_reopen(PerformanceOfficerFactory())
    with pytest.raises(PermissionDenied):
        access.check_may_reopen(indicator.approver.user)


def test_unapproved_figures_are_for_owner_approver_and_officers(indicator):
    committee = CommitteeFactory()
    committee.indicators.add(indicator)
    councillor = CouncillorFactory()
    committee.members.add(councillor)
    assert access.sees_unapproved(indicator.owner.user, indicator)
    assert access.sees_unapproved(indicator.approver.user, indicator)
    assert access.sees_unapproved(PerformanceOfficerFactory(), indicator)
    assert not access.sees_unapproved(councillor.user, indicator)
    assert not access.sees_unapproved(AnonymousUser(), indicator)


def test_councillors_read_their_committees_indicators_only(indicator):
    committee = CommitteeFactory()
    committee.indicators.add(indicator)
    member, other = CouncillorFactory(), CouncillorFactory()
    committee.members.add(member)
    assert list(access.visible_indicators(member.user)) == [indicator]
    assert list(access.visible_committees(member.user)) == [committee]
    assert not access.visible_indicators(other.user).exists()
    assert not access.visible_indicators(AnonymousUser()).exists()


def test_owners_and_approvers_read_their_indicators_services_and_themes(indicator):
    for person in (indicator.owner, indicator.approver):
        assert list(access.visible_indicators(person.user)) == [indicator]
        assert list(access.visible_services(person.user)) == [indicator.service]
        assert list(access.visible_themes(person.user)) == [indicator.theme]


def test_officers_see_everything(indicator):
    officer = PerformanceOfficerFactory()
    assert access.sees_everything(officer)
    assert access.visible_indicators(officer).count() == 1


def test_the_entry_and_approval_scopes(indicator):
    officer = PerformanceOfficerFactory()
    assert list(access.indicators_entered_by(indicator.owner.user)) == [indicator]
    assert list(access.indicators_approved_by(indicator.approver.user)) == [indicator]
    assert not access.indicators_entered_by(indicator.approver.user).exists()
    assert access.indicators_entered_by(officer).count() == 1


def test_the_approval_queue_is_for_approvers_group_heads_and_officers(indicator):
    head = PersonFactory()
    GroupFactory(head=head)
    assert access.has_approval_queue(indicator.approver.user)
    assert access.has_approval_queue(head.user)
    assert access.has_approval_queue(PerformanceOfficerFactory())
    assert not access.has_approval_queue(indicator.owner.user)
    assert access.may_approve_figures(indicator.approver.user)
    assert not access.may_approve_figures(head.user)


def test_team_leaders_write_achievements_and_group_heads_approve_them():
    leader, head = PersonFactory(), PersonFactory()
    service = ServiceTeamFactory(team_leader=leader, group=GroupFactory(head=head))
    assert access.may_write_achievements(leader.user, service)
    assert not access.may_write_achievements(head.user, service)
    assert access.may_approve_achievements(head.user, service)
    assert not access.may_approve_achievements(leader.user, service)
    with pytest.raises(PermissionDenied, match="never its team"):
        access.check_may_approve_achievements(leader.user, service)


def test_a_team_leader_never_approves_their_own_achievements_even_as_an_officer():
    officer = PerformanceOfficerFactory()
    leader = PersonFactory(user=officer)
    service = ServiceTeamFactory(team_leader=leader)
    assert not access.may_approve_achievements(officer, service)
    assert access.achievement_approval_scope(officer) is not None


def test_only_officers_manage_the_catalogue_and_reports(indicator):
    assert access.may_manage(PerformanceOfficerFactory())
    with pytest.raises(PermissionDenied, match="Only performance officers can publish"):
        access.check_may_manage(indicator.owner.user, "publish")


def test_exempt_reports_are_for_members_and_officers():
    committee = CommitteeFactory()
    member = CouncillorFactory()
    committee.members.add(member)
    assert access.may_read_exempt(member.user, committee)
    assert access.may_read_exempt(PerformanceOfficerFactory(), committee)
    assert not access.may_read_exempt(CouncillorFactory().user, committee)
    assert not access.may_read_exempt(AnonymousUser(), committee)


# The collection cycle


def test_only_officers_run_collection_rounds(indicator):
    assert access.may_run_rounds(PerformanceOfficerFactory())
    assert not access.may_run_rounds(indicator.approver.user)
    with pytest.raises(
        PermissionDenied, match="Only performance officers can open and close collection rounds"
    ):
        access.check_may_run_rounds(indicator.owner.user)


def test_officers_and_approvers_track_lateness(indicator):
    assert access.may_track_lateness(PerformanceOfficerFactory())
    assert access.may_track_lateness(indicator.approver.user)
    assert not access.may_track_lateness(indicator.owner.user)
    with pytest.raises(PermissionDenied, match="overdue tracker"):
        access.check_may_track_lateness(CouncillorFactory().user)


def test_a_locked_figure_is_corrected_by_its_owner_or_an_officer(indicator):
    assert access.may_correct(indicator.owner.user, indicator)
    assert access.may_correct(PerformanceOfficerFactory(), indicator)
    assert not access.may_correct(indicator.approver.user, indicator)
    with pytest.raises(PermissionDenied, match="can correct its figures"):
        access.check_may_correct(UserFactory(), indicator)


def test_corrective_actions_are_set_by_owner_approver_or_officer_and_updated_by_their_doer(indicator):
    from types import SimpleNamespace

    doer = PersonFactory()
    action = SimpleNamespace(indicator=indicator, owner=doer)
    for user in (indicator.owner.user, indicator.approver.user, PerformanceOfficerFactory()):
        assert access.may_write_corrective_actions(user, indicator)
    assert not access.may_write_corrective_actions(doer.user, indicator)
    assert access.may_update_corrective_action(doer.user, action)
    with pytest.raises(PermissionDenied, match="record its progress"):
        access.check_may_update_corrective_action(UserFactory(), action)
    with pytest.raises(PermissionDenied, match="set corrective actions"):
        access.check_may_write_corrective_actions(doer.user, indicator)


def test_only_performance_officers_manage_the_organisation_and_its_people(indicator):
    assert access.may_manage_organisation(PerformanceOfficerFactory())
    assert access.may_manage_organisation(UserFactory(is_staff=True))
    for user in (indicator.owner.user, indicator.approver.user, CouncillorFactory().user, AnonymousUser()):
        assert not access.may_manage_organisation(user)
    with pytest.raises(PermissionDenied, match="Only performance officers can invite people"):
        access.check_may_manage_organisation(indicator.approver.user, "invite people")


def test_the_last_active_performance_officer_is_known():
    only = PerformanceOfficerFactory()
    assert access.is_last_performance_officer(only)
    assert not access.is_last_performance_officer(UserFactory())
    other = PerformanceOfficerFactory()
    assert not access.is_last_performance_officer(only)
    other.is_active = False
    other.save()
    assert access.is_last_performance_officer(only)


# The site: first run and the council's identity


def test_a_council_is_set_up_once_it_is_named_or_has_a_performance_officer():
    from scrutineer.catalogue.models import SITE_DEFAULTS_PK, SiteDefaults

    assert not access.council_is_set_up()
    UserFactory()  # an account without a role sets nothing up
    assert not access.council_is_set_up()
    officer = PerformanceOfficerFactory()
    assert access.council_is_set_up()
    officer.is_active = False
    officer.save()
    assert not access.council_is_set_up()
    SiteDefaults.objects.create(pk=SITE_DEFAULTS_PK, council_name="Borsetshire District Council")
    assert access.council_is_set_up()


def test_the_first_run_page_is_for_anyone_only_while_no_council_and_no_account_exist():
    assert access.may_set_up_site(AnonymousUser())
    UserFactory()
    assert not access.may_set_up_site(AnonymousUser())


def test_asking_for_someone_signed_in_costs_no_query(django_assert_num_queries):
    """The home and sign-in pages ask on every visit; a signed-in account answers itself."""
    user = UserFactory()
    with django_assert_num_queries(0):
        assert not access.may_set_up_site(user)


def test_only_performance_officers_change_the_councils_identity():
    assert access.may_change_identity(PerformanceOfficerFactory())
    for user in (UserFactory(), PersonFactory().user, CouncillorFactory().user, AnonymousUser()):
        assert not access.may_change_identity(user)
        with pytest.raises(PermissionDenied, match="Only performance officers can change the council's name"):
            access.check_may_change_identity(user)
