"""Signing in with the council's accounts: its settings and system check, how an account
is matched to the provider's claims, the sign-in page with either way of signing in
turned off, and the refusals that need no provider (tests/security/test_oidc.py has the
whole flow against one on loopback)."""

from __future__ import annotations

import socket

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

from scrutineer.catalogue.models import Person
from scrutineer.security import checks
from scrutineer.security.oidc import account_for

BACKEND = "scrutineer.security.oidc.CouncilAccountBackend"


def closed_port_url() -> str:
    """An address on loopback where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def oidc_on(settings):
    """Set up with a provider nobody can reach: enough for pages that never call it."""
    settings.SCRUTINEER_OIDC_ISSUER = closed_port_url()
    settings.OIDC_RP_CLIENT_ID = "scrutineer"
    settings.OIDC_RP_CLIENT_SECRET = "a-secret"
    settings.SCRUTINEER_OIDC_PROVIDER_NAME = "Microsoft"
    return settings


# --- Settings from the environment, and the system check ------------------------------


def test_off_by_default_with_axes_first_and_passwords_on(settings_from_env):
    made = settings_from_env({})
    assert made["OIDC_RP_CLIENT_ID"] == "" and made["SCRUTINEER_PASSWORD_SIGN_IN"] is True
    assert made["OIDC_RP_SIGN_ALGO"] == "RS256" and made["OIDC_RP_SCOPES"] == "openid email profile"
    assert made["OIDC_CREATE_USER"] is False
    assert made["AUTHENTICATION_BACKENDS"] == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        BACKEND,
    ]


def test_settings_come_from_scrutineer_oidc_variables(settings_from_env):
    made = settings_from_env(
        {
            "SCRUTINEER_OIDC_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0/",
            "SCRUTINEER_OIDC_CLIENT_ID": "client-id",
            "SCRUTINEER_OIDC_CLIENT_SECRET": "client-secret",
            "SCRUTINEER_OIDC_PROVIDER_NAME": "Microsoft",
            "SCRUTINEER_PASSWORD_SIGN_IN": "false",
        }
    )
    assert made["SCRUTINEER_OIDC_ISSUER"] == "https://login.microsoftonline.com/tenant-id/v2.0"
    assert (made["OIDC_RP_CLIENT_ID"], made["OIDC_RP_CLIENT_SECRET"]) == ("client-id", "client-secret")
    assert made["SCRUTINEER_OIDC_PROVIDER_NAME"] == "Microsoft"
    # Passwords off: no password backend at all, so the admin's sign-in refuses them too.
    assert made["AUTHENTICATION_BACKENDS"] == ["axes.backends.AxesStandaloneBackend", BACKEND]


def check_ids(settings) -> list[str]:
    return [error.id for error in checks.oidc_is_whole_or_off(None)]


def test_the_check_passes_when_off_or_whole(settings):
    assert check_ids(settings) == []
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "id", "secret"
    settings.SCRUTINEER_OIDC_ISSUER = "https://accounts.google.com"
    assert check_ids(settings) == []
    settings.SCRUTINEER_OIDC_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    assert check_ids(settings) == []
    # HS256 checks tokens with the client secret: no signing keys to fetch.
    settings.OIDC_RP_SIGN_ALGO, settings.OIDC_OP_JWKS_ENDPOINT = "HS256", ""
    assert check_ids(settings) == []


def test_the_check_refuses_half_made_configurations(settings):
    settings.OIDC_RP_CLIENT_ID = "id"
    settings.SCRUTINEER_OIDC_ISSUER = "https://accounts.google.com"
    errors = checks.oidc_is_whole_or_off(None)
    assert [e.id for e in errors] == ["scrutineer.E011"]
    assert "SCRUTINEER_OIDC_CLIENT_SECRET is not set" in errors[0].msg

    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "", "secret"
    assert check_ids(settings) == ["scrutineer.E011"]

    settings.OIDC_RP_CLIENT_ID, settings.SCRUTINEER_OIDC_ISSUER = "id", ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    errors = checks.oidc_is_whole_or_off(None)
    assert [e.id for e in errors] == ["scrutineer.E013"]
    assert "SCRUTINEER_OIDC_TOKEN_ENDPOINT" in errors[0].msg
    assert "SCRUTINEER_OIDC_AUTHORIZATION_ENDPOINT" not in errors[0].msg

    settings.SCRUTINEER_OIDC_ISSUER, settings.OIDC_RP_SIGN_ALGO = "https://accounts.google.com", "none"
    assert check_ids(settings) == ["scrutineer.E012"]


def test_the_check_refuses_passwords_off_without_another_way_in(settings):
    settings.SCRUTINEER_PASSWORD_SIGN_IN = False
    assert check_ids(settings) == ["scrutineer.E010"]


def test_a_deployment_talks_to_its_provider_over_https_only(settings):
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "id", "secret"
    settings.SCRUTINEER_OIDC_ISSUER = "https://accounts.google.com"
    assert checks.oidc_speaks_https(None) == []
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://idp.example/token"
    errors = checks.oidc_speaks_https(None)
    assert [e.id for e in errors] == ["scrutineer.E014"]
    assert "SCRUTINEER_OIDC_TOKEN_ENDPOINT" in errors[0].msg


# --- Matching the provider's claims to an account ------------------------------------


@pytest.mark.django_db
def test_an_account_is_found_by_its_own_email_or_its_persons_in_any_case():
    own = User.objects.create_user("casey", email="Casey@Council.Example.gov.uk")
    linked = User.objects.create_user("robin")
    Person.objects.create(name="Robin Ellis", email="robin.ellis@council.example.gov.uk", user=linked)
    assert account_for({"email": "casey@council.example.gov.uk", "email_verified": True}) == (
        own,
        "",
        "casey@council.example.gov.uk",
    )
    assert account_for({"email": "ROBIN.ELLIS@council.example.gov.uk"})[0] == linked
    # A person with that email but no account is not someone who may sign in.
    Person.objects.create(name="Pat Nobody", email="pat@council.example.gov.uk")
    assert account_for({"email": "pat@council.example.gov.uk"})[:2] == (None, "unknown")


@pytest.mark.django_db
def test_accounts_are_refused_when_unclear_unverified_or_closed():
    User.objects.create_user("one", email="shared@council.example.gov.uk")
    two = User.objects.create_user("two")
    Person.objects.create(name="Two", email="Shared@council.example.gov.uk", user=two)
    assert account_for({"email": "shared@council.example.gov.uk"})[:2] == (None, "ambiguous")

    User.objects.create_user("gone", email="gone@council.example.gov.uk", is_active=False)
    assert account_for({"email": "gone@council.example.gov.uk"})[:2] == (None, "inactive")
    # A closed account beside an active one with the same email: the active one.
    back = User.objects.create_user("back", email="gone@council.example.gov.uk")
    assert account_for({"email": "gone@council.example.gov.uk"})[0] == back

    User.objects.create_user("casey", email="casey@council.example.gov.uk")
    for said in (False, "false", "FALSE"):
        claims = {"email": "casey@council.example.gov.uk", "email_verified": said}
        assert account_for(claims)[:2] == (None, "unverified")
    assert account_for({"email": "  "})[:2] == (None, "no-email")
    assert account_for({"sub": "123"})[:2] == (None, "no-email")


@pytest.mark.django_db
def test_deactivating_an_account_ends_its_provider_session(client):
    casey = User.objects.create_user("casey", email="casey@council.example.gov.uk")
    client.force_login(casey, backend=BACKEND)
    assert client.get("/my-work/").status_code == 200
    User.objects.filter(pk=casey.pk).update(is_active=False)
    assert client.get("/my-work/").status_code == 302


# --- The sign-in page ------------------------------------------------------------------


@pytest.mark.django_db
def test_without_oidc_there_is_no_button_and_its_addresses_are_not_found(client):
    User.objects.create_user("casey")  # a site set up: its sign-in page is not the first-run page
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with" not in page and 'id="id_password"' in page
    assert client.get("/accounts/oidc/sign-in/").status_code == 404
    assert client.get("/accounts/oidc/callback/?code=x&state=y").status_code == 404


@pytest.mark.django_db
def test_the_button_comes_above_the_password_form_and_keeps_where_you_were_going(client, oidc_on):
    User.objects.create_user("casey")
    page = client.get("/accounts/login/?next=/my-work/").content.decode()
    button = page.index('href="/accounts/oidc/sign-in/?next=/my-work/"')
    assert ">Sign in with Microsoft</a>" in page
    assert button < page.index("Or sign in with a username and password") < page.index('id="id_password"')


@pytest.mark.django_db
def test_passwords_still_work_beside_a_provider_that_cannot_be_reached(client, oidc_on):
    """The provider is asked nothing when someone signs in with a password."""
    User.objects.create_user("casey", password="the-right-password")
    signed_in = client.post("/accounts/login/", {"username": "casey", "password": "the-right-password"})
    assert signed_in.status_code == 302 and client.session["_auth_user_backend"].endswith("ModelBackend")


@pytest.mark.django_db
def test_with_passwords_off_the_form_is_gone_and_a_password_is_refused(client, oidc_on):
    oidc_on.SCRUTINEER_PASSWORD_SIGN_IN = False
    oidc_on.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", BACKEND]
    User.objects.create_user("casey", password="the-right-password")
    page = client.get("/accounts/login/").content.decode()
    assert ">Sign in with Microsoft</a>" in page
    assert 'id="id_password"' not in page and "Forgotten your password" not in page

    refused = client.post("/accounts/login/", {"username": "casey", "password": "the-right-password"})
    assert refused.status_code == 403
    assert "Signing in with a username and password is turned off here" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()
    # Nor through the admin's own sign-in page.
    admin = client.post("/admin/login/", {"username": "casey", "password": "the-right-password"})
    assert admin.status_code == 200 and "_auth_user_id" not in client.session


# --- Refusals that need no provider ----------------------------------------------------


@pytest.mark.django_db
def test_a_provider_that_cannot_be_reached_is_said_so(client, oidc_on):
    started = client.get("/accounts/oidc/sign-in/")
    assert started.status_code == 302 and started["Location"] == "/accounts/oidc/refused/"
    page = client.get(started["Location"])
    assert page.status_code == 403
    assert "Scrutineer could not reach Microsoft to sign you in" in page.content.decode()
    # Said once: the page read again is the general one.
    assert "could not reach" not in client.get("/accounts/oidc/refused/").content.decode()


@pytest.mark.django_db
def test_an_answer_this_browser_did_not_ask_for_signs_nobody_in(client, oidc_on):
    back = client.get("/accounts/oidc/callback/?code=forged&state=forged")
    assert back["Location"] == "/accounts/oidc/refused/"
    page = client.get(back["Location"])
    assert page.status_code == 403 and "did not finish" in page.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_what_the_provider_said_when_it_did_not_sign_you_in_is_shown(client, oidc_on):
    back = client.get("/accounts/oidc/callback/?error=access_denied&error_description=The+user+declined")
    page = client.get(back["Location"])
    assert page.status_code == 403
    assert "Signing in with Microsoft did not finish. It said: “The user declined”." in page.content.decode()
