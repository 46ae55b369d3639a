"""A session ends after the idle time, and after its whole lifetime however busy."""

import pytest
from django.contrib.auth.models import User

from scrutineer.security import sessions

pytestmark = pytest.mark.django_db

PRIVATE = "/accounts/password_change/"  # a page only for someone signed in


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by hand: `clock.now` seconds."""

    class Clock:
        now = 1_000_000.0

    monkeypatch.setattr(sessions, "now", lambda: Clock.now)
    return Clock


@pytest.fixture
def signed_in(client, clock):
    User.objects.create_user("casey", password="the-right-password")
    signing_in = client.post("/accounts/login/", {"username": "casey", "password": "the-right-password"})
    assert signing_in.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get(PRIVATE).status_code == 200


def test_a_session_survives_requests_within_the_idle_time(signed_in, clock, settings):
    for _ in range(4):
        clock.now += settings.SCRUTINEER_SESSION_IDLE_SECONDS - 60
        assert is_signed_in(signed_in)


def test_a_session_ends_after_the_idle_time_and_says_why(signed_in, clock, settings):
    clock.now += settings.SCRUTINEER_SESSION_IDLE_SECONDS + 1
    response = signed_in.get(PRIVATE, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert not is_signed_in(signed_in)


def test_a_busy_session_ends_after_its_lifetime(signed_in, clock, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    while clock.now < 1_000_000 + settings.SESSION_COOKIE_AGE - 600:
        clock.now += 600
        assert is_signed_in(signed_in)
    clock.now += 601
    response = signed_in.get(PRIVATE, follow=True)
    assert "a session lasts at most 8 hours" in response.content.decode()
    assert not is_signed_in(signed_in)
