"""Signing in behind a TLS proxy, and the limits on failed sign-ins: per account from
an address, per address across accounts, and the client's address behind proxies."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

HOST = "scrutineer.example.gov.uk"


def sign_in(client, username, password, **headers):
    return client.post("/accounts/login/", {"username": username, "password": password}, **headers)


def test_signing_in_through_a_tls_proxy_passes_the_form_token_check(production_settings):
    """The proxy ends TLS and forwards plain HTTP with X-Forwarded-Proto: https; the
    browser sends Origin https://…. Without the proxy header setting the app saw an
    http request from an https origin and refused the form (403)."""
    User.objects.create_user("casey", password="the-right-password")
    browser = Client(enforce_csrf_checks=True, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    page = browser.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = browser.post(
        "/accounts/login/",
        {"username": "casey", "password": "the-right-password", "csrfmiddlewaretoken": token},
        HTTP_ORIGIN=f"https://{HOST}",
        HTTP_REFERER=f"https://{HOST}/accounts/login/",
    )
    assert response.status_code == 302, response.content.decode()[:300]
    assert response["Location"] == "/"


def test_one_address_trying_many_usernames_is_locked_out(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.SCRUTINEER_SIGNIN_ADDRESS_FAILURE_LIMIT = 8
    User.objects.create_user("casey", password="the-right-password")
    for n in range(7):
        assert sign_in(client, f"guess{n}", "wrong").status_code == 200
    # The eighth username's first failure reaches the address's limit.
    assert sign_in(client, "guess7", "wrong").status_code == 429
    locked = sign_in(client, "casey", "the-right-password")
    assert locked.status_code == 429
    assert "signing in from your address is paused" in locked.content.decode()
    # Another address is not affected.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.20"), "casey", "the-right-password").status_code == 302


def test_behind_a_proxy_failures_count_against_the_client_not_the_proxy(client, settings):
    """Every request arrives from the proxy (10.0.0.2). Counted by the proxy's address,
    one person's failures locked everyone out; counted by the client's, only them."""
    settings.SCRUTINEER_PROXY_COUNT = 1
    User.objects.create_user("casey", password="the-right-password")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "casey", "wrong", **attacker)
    assert sign_in(client, "casey", "the-right-password", **attacker).status_code == 429
    colleague = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert sign_in(Client(), "casey", "the-right-password", **colleague).status_code == 302


def test_a_client_cannot_choose_its_address_by_sending_x_forwarded_for(client, settings):
    """The proxy appends what it saw; entries further left are the client's own words."""
    settings.SCRUTINEER_PROXY_COUNT = 1
    User.objects.create_user("casey", password="the-right-password")
    for n in range(settings.AXES_FAILURE_LIMIT):
        spoofed = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, 203.0.113.66"}
        sign_in(client, "casey", "wrong", **spoofed)
    again = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.99, 203.0.113.66"}
    assert sign_in(client, "casey", "the-right-password", **again).status_code == 429


def test_without_a_proxy_x_forwarded_for_is_ignored(client, settings):
    assert settings.SCRUTINEER_PROXY_COUNT == 0
    User.objects.create_user("casey", password="the-right-password")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "casey", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert sign_in(client, "casey", "the-right-password").status_code == 429


def test_signing_in_forgives_only_that_accounts_failures(client, settings):
    """A valid account must not wipe the address's count of guesses at other accounts."""
    settings.SCRUTINEER_SIGNIN_ADDRESS_FAILURE_LIMIT = 6
    User.objects.create_user("casey", password="the-right-password")
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong")
    assert sign_in(client, "casey", "the-right-password").status_code == 302
    client.logout()
    sign_in(client, "guess9", "wrong")
    assert sign_in(client, "casey", "the-right-password").status_code == 429
