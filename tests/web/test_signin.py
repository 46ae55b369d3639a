"""Signing in: the form works, and repeated failures lock the username out (django-axes)."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def attempt(client, password):
    return client.post("/accounts/login/", {"username": "casey", "password": password, "next": "/"})


def test_signing_in_and_the_lockout_after_five_failures(client, settings):
    User.objects.create_user("casey", password="the-right-password")
    response = attempt(client, "the-right-password")
    assert response.status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = attempt(client, "wrong")
        assert page.status_code == 200 and "There is a problem" in page.content.decode()
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # Even the right password is refused while locked.
    assert attempt(client, "the-right-password").status_code == 429
