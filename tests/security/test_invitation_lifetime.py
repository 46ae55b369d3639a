"""An invitation's link lasts days (SCRUTINEER_INVITATION_DAYS, 7 by default), so an
invitation sent at 5pm still works in the morning; a password reset link keeps its hour.
Neither kind of link is taken for the other."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from scrutineer.catalogue import organisation
from scrutineer.catalogue.access import Role
from scrutineer.security.checks import invitations_last_a_day_or_more
from scrutineer.security.tokens import invitation_token_generator
from tests.factories import PerformanceOfficerFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FIVE_PM = datetime(2024, 3, 4, 17, 0, tzinfo=LONDON)


def invite(email="new@council.example"):
    officer = PerformanceOfficerFactory()
    with time_machine.travel(FIVE_PM, tick=False):
        invitation = organisation.invite_person(
            email, user=officer, role=Role.PERFORMANCE_OFFICER, name="New"
        )
    return invitation, re.search(r"(/accounts/welcome/\S+)", invitation.link).group(1)


def opens(client, link, when):
    with time_machine.travel(when, tick=False):
        page = client.get(link, follow=True).content.decode()
    client.logout()
    return "Choose your password" in page and "no longer works" not in page


def test_an_invitation_sent_at_five_works_next_morning_and_for_a_week(client, mailoutbox):
    _invitation, link = invite()
    assert "open this link within 7 days" in mailoutbox[0].body
    assert opens(client, link, FIVE_PM + timedelta(hours=16))  # 9am the next day
    assert opens(client, link, FIVE_PM + timedelta(days=7) - timedelta(minutes=1))
    assert not opens(client, link, FIVE_PM + timedelta(days=7, seconds=1))


def test_the_lifetime_is_the_deployments_choice(client, settings, mailoutbox):
    settings.SCRUTINEER_INVITATION_DAYS = 2
    _invitation, link = invite()
    assert "open this link within 2 days" in mailoutbox[0].body
    assert opens(client, link, FIVE_PM + timedelta(days=1, hours=23))
    assert not opens(client, link, FIVE_PM + timedelta(days=2, seconds=1))


def test_a_password_reset_link_keeps_its_hour(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    invitation, _link = invite()
    account = invitation.account
    with time_machine.travel(FIVE_PM, tick=False):
        reset = default_token_generator.make_token(account)
    with time_machine.travel(FIVE_PM + timedelta(minutes=59), tick=False):
        assert default_token_generator.check_token(account, reset)
    with time_machine.travel(FIVE_PM + timedelta(minutes=61), tick=False):
        assert not default_token_generator.check_token(account, reset)
        # an invitation made at the same moment lives on
        token = invitation.link.rstrip("/").rsplit("/", 1)[1]
        assert invitation_token_generator.check_token(account, token)


def test_a_reset_token_does_not_open_the_welcome_page_nor_an_invitation_reset_a_password(client):
    invitation, _link = invite()
    account = invitation.account
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    with time_machine.travel(FIVE_PM + timedelta(minutes=1), tick=False):
        reset = default_token_generator.make_token(account)
        invited = invitation.link.rstrip("/").rsplit("/", 1)[1]
        assert not invitation_token_generator.check_token(account, reset)
        assert not default_token_generator.check_token(account, invited)
        page = client.get(f"/accounts/welcome/{uid}/{reset}/", follow=True).content.decode()
        assert "no longer works" in page
        page = client.get(f"/accounts/reset/{uid}/{invited}/", follow=True).content.decode()
        assert 'name="new_password1"' not in page
        page = client.get(f"/accounts/reset/{uid}/{reset}/", follow=True).content.decode()
        assert 'name="new_password1"' in page  # the reset link itself works


def test_a_lifetime_under_a_day_is_refused_by_the_system_check(settings):
    settings.SCRUTINEER_INVITATION_DAYS = 0
    assert [e.id for e in invitations_last_a_day_or_more(None)] == ["scrutineer.E020"]
    settings.SCRUTINEER_INVITATION_DAYS = 1
    assert invitations_last_a_day_or_more(None) == []


def test_the_lifetime_is_read_from_the_environment(settings_from_env):
    assert settings_from_env({})["SCRUTINEER_INVITATION_DAYS"] == 7
    chosen = settings_from_env({"SCRUTINEER_INVITATION_DAYS": "14"})
    assert chosen["SCRUTINEER_INVITATION_DAYS"] == 14 and chosen["PASSWORD_RESET_TIMEOUT"] == 3600
