"""The organisation and people actions (catalogue/organisation.py), without the web layer:
validation beside each field, stale edits, refusals, what uses a row, invitations that
make their role real, and deactivation that keeps history."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied

from scrutineer.catalogue import access, organisation
from scrutineer.catalogue.access import PERFORMANCE_OFFICERS, Role
from scrutineer.catalogue.audit import organisation_trail
from scrutineer.catalogue.models import Directorate, Indicator, Person, ServiceTeam
from scrutineer.catalogue.people import choosable_people
from scrutineer.changes import Rejected, StaleEdit
from scrutineer.collection.audit import audit_trail
from scrutineer.security.tokens import invitation_token_generator
from tests.factories import (
    CommitteeFactory,
    CouncillorFactory,
    DirectorateFactory,
    GroupFactory,
    IndicatorFactory,
    OwnedIndicatorFactory,
    PerformanceOfficerFactory,
    PersonFactory,
    ServiceTeamFactory,
    UserFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    user = PerformanceOfficerFactory()
    PersonFactory(user=user, name="Olive Officer", email="olive@council.example")
    return user


# Saving rows


def test_an_officer_adds_and_changes_a_directorate_with_history(officer):
    head = PersonFactory(name="Dana Director")
    d = organisation.save_directorate(
        None, {"name": "Housing", "slug": "housing", "head": head}, user=officer
    )
    assert (d.name, d.head, d.version) == ("Housing", head, 1)
    changed = organisation.save_directorate(
        d, {"name": "Housing and Communities"}, user=officer, expected_version=1
    )
    assert changed.version == 2
    record = changed.history.first()
    assert record.history_user == officer and "name" in record.history_change_reason


def test_only_officers_change_the_organisation():
    with pytest.raises(PermissionDenied, match="Only performance officers"):
        organisation.save_directorate(None, {"name": "X", "slug": "x"}, user=UserFactory())
    assert not Directorate.objects.exists()


def test_a_stale_edit_is_refused_and_changes_nothing(officer):
    d = DirectorateFactory(name="Finance")
    organisation.save_directorate(d, {"name": "Finance and Resources"}, user=officer, expected_version=1)
    with pytest.raises(StaleEdit, match="Someone else saved"):
        organisation.save_directorate(d, {"name": "Money"}, user=officer, expected_version=1)
    assert Directorate.objects.get(pk=d.pk).name == "Finance and Resources"


def test_whole_row_validation_puts_each_message_beside_its_field(officer):
    taken = ServiceTeamFactory(slug="customer-services")
    with pytest.raises(Rejected) as refused:
        organisation.save_service(
            None,
            {"name": "", "slug": "customer-services", "group": taken.group, "position": 1},
            user=officer,
        )
    assert set(refused.value.errors) == {"name", "slug"}
    with pytest.raises(Rejected) as reserved:
        organisation.save_service(None, {"name": "New", "slug": "new", "group": taken.group}, user=officer)
    assert "kept for the address" in reserved.value.errors["slug"][0]


def test_a_deactivated_person_or_a_councillor_is_not_chosen_as_head(officer):
    gone = PersonFactory(name="Gone Person", active=False)
    cllr = CouncillorFactory(name="Carol Cllr")
    d = DirectorateFactory()
    with pytest.raises(Rejected) as refused:
        organisation.save_directorate(d, {"head": gone}, user=officer, expected_version=1)
    assert "deactivated" in refused.value.errors["head"][0]
    with pytest.raises(Rejected) as refused:
        organisation.save_directorate(d, {"head": cllr}, user=officer, expected_version=1)
    assert "is a councillor" in refused.value.errors["head"][0]
    with pytest.raises(Rejected) as refused:
        organisation.save_portfolio(None, {"name": "Housing", "holder": PersonFactory()}, user=officer)
    assert "councillor" in refused.value.errors["holder"][0]


def test_each_person_has_their_own_email_and_their_account_follows_it(officer):
    PersonFactory(name="Ann", email="ann@council.example")
    bob = PersonFactory(name="Bob", email="bob@council.example")
    with pytest.raises(Rejected) as refused:
        organisation.save_person(bob, {"email": "ANN@council.example"}, user=officer, expected_version=1)
    assert "Ann already has" in refused.value.errors["email"][0]
    saved = organisation.save_person(
        bob, {"email": "robert@council.example"}, user=officer, expected_version=1
    )
    assert User.objects.get(pk=saved.user_id).email == "robert@council.example"


def test_an_owner_cannot_be_made_a_councillor(officer):
    indicator = OwnedIndicatorFactory()
    with pytest.raises(Rejected) as refused:
        organisation.save_person(indicator.owner, {"is_councillor": True}, user=officer, expected_version=1)
    assert indicator.code in refused.value.errors["is_councillor"][0]


# Removing rows


def test_removing_one_in_use_says_what_uses_it(officer):
    indicator = IndicatorFactory(code="CSU10")
    service = indicator.service
    with pytest.raises(Rejected, match=r"indicators \(service\): CSU10"):
        organisation.remove_from_organisation(service, user=officer, expected_version=1)
    with pytest.raises(Rejected, match=r"service teams \(group\): "):
        organisation.remove_from_organisation(service.group, user=officer, expected_version=1)
    assert ServiceTeam.objects.filter(pk=service.pk).exists()


def test_a_head_in_use_is_named_though_the_link_has_no_way_back(officer):
    head = PersonFactory(user=None)
    DirectorateFactory(name="Housing", head=head)
    with pytest.raises(Rejected, match=r"directorates \(head\): Housing"):
        organisation.remove_from_organisation(head, user=officer, expected_version=1)


def test_an_unused_row_is_removed_with_a_history_row(officer):
    group = GroupFactory()
    organisation.remove_from_organisation(group, user=officer, expected_version=1)
    assert group.history.first().history_type == "-"
    assert group.history.first().history_user == officer


def test_someone_who_has_signed_in_is_deactivated_not_removed(officer):
    person = PersonFactory()
    User.objects.filter(pk=person.user_id).update(last_login="2024-01-01T00:00Z")
    with pytest.raises(Rejected, match="deactivate them instead"):
        organisation.remove_from_organisation(person, user=officer, expected_version=1)


def test_an_invitation_made_by_mistake_is_removed_with_its_unused_account(officer):
    invited = organisation.invite_person(
        "typo@council.example", user=officer, role=Role.PERFORMANCE_OFFICER, name="Typo"
    )
    organisation.remove_from_organisation(
        invited.person, user=officer, expected_version=invited.person.version
    )
    assert not Person.objects.filter(pk=invited.person.pk).exists()
    assert not User.objects.filter(pk=invited.account.pk).exists()


# Inviting


def test_an_owner_is_invited_for_a_service_and_owns_its_indicators_without_one(officer):
    service = ServiceTeamFactory(name="Customer Services")
    free = IndicatorFactory(service=service, code="CSU10")
    held = OwnedIndicatorFactory(service=service, code="CSU11")
    other = IndicatorFactory(code="ELS01")  # another service
    invitation = organisation.invite_person(
        "Tracy.L@council.example",
        user=officer,
        role=Role.DATA_OWNER,
        name="Tracy Lancashire",
        services=[service],
    )
    person, account = invitation.person, invitation.account
    assert [i.code for i in invitation.indicators] == ["CSU10"]
    assert Indicator.objects.get(pk=free.pk).owner == person
    assert Indicator.objects.get(pk=held.pk).owner == held.owner
    assert Indicator.objects.get(pk=other.pk).owner is None
    assert (account.username, account.email) == ("tracy.l@council.example", "Tracy.L@council.example")
    assert not account.has_usable_password() and person.user == account and person.service == service
    assert access.roles_of(account) == {Role.DATA_OWNER}
    free.refresh_from_db()
    assert free.version == 2
    assert "made its data owner by invitation" in free.history.first().history_change_reason
    assert person.history.first().history_change_reason == "Invited as data owner for Customer Services"


def test_an_approver_is_given_the_indicators_ticked(officer):
    service = ServiceTeamFactory()
    ticked = OwnedIndicatorFactory(service=service)
    left = IndicatorFactory(service=service)
    invitation = organisation.invite_person(
        "ann@council.example",
        user=officer,
        role=Role.APPROVER,
        name="Ann",
        services=[service],
        indicators=[ticked],
    )
    assert Indicator.objects.get(pk=ticked.pk).approver == invitation.person
    assert Indicator.objects.get(pk=left.pk).approver is None


def test_indicators_of_other_services_are_refused(officer):
    service = ServiceTeamFactory()
    elsewhere = IndicatorFactory(code="ELS01")
    with pytest.raises(Rejected) as refused:
        organisation.invite_person(
            "a@council.example",
            user=officer,
            role=Role.DATA_OWNER,
            name="A",
            services=[service],
            indicators=[elsewhere],
        )
    assert "ELS01" in refused.value.errors["indicators"][0]
    assert not Person.objects.filter(email="a@council.example").exists() and not mail.outbox


def test_a_councillor_joins_the_committees_chosen(officer):
    committee = CommitteeFactory(name="Housing & Community")
    invitation = organisation.invite_person(
        "cllr.b@council.example", user=officer, role="councillor", name="Julie Banks", honorific="Cllr",
        committees=[committee],
    )  # fmt: skip
    assert invitation.person.is_councillor
    assert list(committee.members.all()) == [invitation.person]
    assert committee.history.first().history_change_reason.endswith("joins as a member by invitation")
    assert access.visible_committees(invitation.account).get() == committee


def test_a_performance_officer_joins_the_group(officer):
    invitation = organisation.invite_person(
        "p@council.example", user=officer, role=Role.PERFORMANCE_OFFICER, name="P"
    )
    assert invitation.account.groups.filter(name=PERFORMANCE_OFFICERS).exists()
    assert access.is_performance_officer(invitation.account)


def test_an_invitation_needs_what_its_role_needs(officer):
    with pytest.raises(Rejected) as refused:
        organisation.invite_person("not an address", user=officer, role="administrator")
    assert set(refused.value.errors) == {"email", "role"}
    with pytest.raises(Rejected) as refused:
        organisation.invite_person("x@council.example", user=officer, role=Role.DATA_OWNER)
    assert set(refused.value.errors) == {"name", "services"}
    with pytest.raises(Rejected) as refused:
        organisation.invite_person("x@council.example", user=officer, role=Role.COUNCILLOR, name="X")
    assert set(refused.value.errors) == {"committees"}
    assert not mail.outbox


def test_a_person_already_listed_is_invited_by_their_address(officer):
    listed = PersonFactory(name="Matt Rawdon", email="matt@council.example", user=None)
    invitation = organisation.invite_person(
        "MATT@council.example", user=officer, role=Role.PERFORMANCE_OFFICER
    )
    assert invitation.person.pk == listed.pk and Person.objects.filter(name="Matt Rawdon").count() == 1


def test_a_username_taken_gets_a_number(officer):
    UserFactory(username="sam@council.example")
    invitation = organisation.invite_person(
        "sam@council.example", user=officer, role=Role.PERFORMANCE_OFFICER, name="Sam"
    )
    assert invitation.account.username == "sam@council.example-2"


def test_the_email_says_role_link_and_council_sign_in(officer, settings):
    settings.SCRUTINEER_SITE_URL = "https://performance.example"
    service = ServiceTeamFactory(name="Customer Services")
    invitation = organisation.invite_person(
        "t@council.example", user=officer, role=Role.DATA_OWNER, name="Tracy", services=[service]
    )
    (message,) = mail.outbox
    assert message.to == ["t@council.example"]
    assert "as data owner for Customer Services" in message.body
    assert invitation.link in message.body and invitation.link.startswith(
        "https://performance.example/accounts/welcome/"
    )
    assert "council account" in message.body and "within 7 days" in message.body
    assert "Olive Officer has invited you" in message.body


def test_an_email_that_cannot_be_sent_saves_nothing(officer, settings):
    settings.EMAIL_BACKEND = "tests.catalogue.test_organisation.BrokenBackend"
    service = ServiceTeamFactory()
    indicator = IndicatorFactory(service=service)
    with pytest.raises(Rejected, match="could not be sent"):
        organisation.invite_person(
            "t@council.example", user=officer, role=Role.DATA_OWNER, name="T", services=[service]
        )
    assert not Person.objects.filter(email="t@council.example").exists()
    assert not User.objects.filter(email="t@council.example").exists()
    assert Indicator.objects.get(pk=indicator.pk).owner is None


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_an_invitation_is_sent_again_until_a_password_is_chosen(officer):
    invitation = organisation.invite_person(
        "r@council.example", user=officer, role=Role.PERFORMANCE_OFFICER, name="R"
    )
    link = organisation.resend_invitation(invitation.person, user=officer)
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.startswith("Reminder")
    assert link in mail.outbox[1].body and "as performance officer" in mail.outbox[1].body
    invitation.account.set_password("a-long-chosen-password")
    invitation.account.save()
    with pytest.raises(Rejected, match="chosen their password"):
        organisation.resend_invitation(invitation.person, user=officer)


# Deactivating


def test_deactivation_stops_sign_in_and_keeps_history_with_their_name(officer):
    indicator = OwnedIndicatorFactory(code="CSU10")
    owner = indicator.owner
    value = ValueFactory(indicator=indicator, entered_by=owner.user, approved_by=officer)
    organisation.deactivate_person(owner, user=officer, expected_version=1, reason="Left the council")
    owner.refresh_from_db()
    assert not owner.active and not owner.user.is_active and not access.signed_in(owner.user)
    assert owner not in choosable_people(councillors=False)
    assert owner in choosable_people(keep=[owner.pk])
    # Their indicator, figures and history stay, and name them.
    assert Indicator.objects.get(pk=indicator.pk).owner == owner
    value.refresh_from_db()
    assert value.entered_by == owner.user
    reasons = [e.reason for e in organisation_trail() if owner.name in e.what]
    assert "Left the council" in reasons
    assert owner.user.history.first().history_change_reason == "Left the council"
    assert audit_trail(indicator)  # the indicator's trail still reads
    organisation.reactivate_person(owner, user=officer, expected_version=2)
    owner.refresh_from_db()
    assert owner.active and owner.user.is_active


def test_the_last_active_performance_officer_is_not_deactivated(officer):
    with pytest.raises(Rejected, match="only active performance officer"):
        organisation.deactivate_person(officer.person, user=officer, expected_version=1)
    other = PerformanceOfficerFactory()
    PersonFactory(user=other)
    organisation.deactivate_person(officer.person, user=other, expected_version=1)
    assert not User.objects.get(pk=officer.pk).is_active


def test_deactivating_twice_or_stale_is_refused(officer):
    person = PersonFactory()
    organisation.deactivate_person(person, user=officer, expected_version=1)
    with pytest.raises(StaleEdit):
        organisation.deactivate_person(person, user=officer, expected_version=1)
    with pytest.raises(Rejected, match="already deactivated"):
        organisation.deactivate_person(person, user=officer, expected_version=2)


def test_a_deactivated_person_is_reactivated_before_an_invitation(officer):
    person = PersonFactory(email="gone@council.example")
    organisation.deactivate_person(person, user=officer, expected_version=1)
    with pytest.raises(Rejected, match="reactivate them first"):
        organisation.invite_person("gone@council.example", user=officer, role=Role.PERFORMANCE_OFFICER)


def test_the_link_stops_working_once_the_password_is_chosen(officer):
    invitation = organisation.invite_person(
        "z@council.example", user=officer, role=Role.PERFORMANCE_OFFICER, name="Z"
    )
    token = invitation.link.rstrip("/").rsplit("/", 1)[1]
    assert invitation_token_generator.check_token(invitation.account, token)
    invitation.account.set_password("a-long-chosen-password")
    invitation.account.save()
    assert not invitation_token_generator.check_token(invitation.account, token)


def test_an_account_without_the_address_is_given_it_before_the_email_goes(officer):
    listed = PersonFactory(name="Matt Rawdon", email="matt@council.example")
    User.objects.filter(pk=listed.user_id).update(email="")
    invitation = organisation.invite_person(
        "matt@council.example", user=officer, role=Role.PERFORMANCE_OFFICER
    )
    assert invitation.account.pk == listed.user_id and invitation.account.email == "matt@council.example"
    assert mail.outbox[0].to == ["matt@council.example"]
