"""Signing in with the council's accounts, end to end, against an OpenID Connect provider
on loopback (django-oauth-toolkit, tests/oidc/) served by `live_server`.

Our side is driven with Django's test Client; the provider's sign-in and consent pages
with `requests`, as a browser would (and once with Chromium, end to end). Everything the
app asks the provider itself (the discovery document, the token, user info and signing
keys) goes over real HTTP to 127.0.0.1. The ID tokens are signed with an RS256 key made
for the run. The provider is addressed as 127.0.0.1 and the app, in the browser, as
localhost: one server, but two sites to a browser, each with its own cookies.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.test import Client
from oauth2_provider.models import Application

from tests.browser import browser_page  # noqa: F401
from tests.oidc.provider import PASSWORD, person_at_provider
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)

CALLBACK = "http://testserver/accounts/oidc/callback/"


@pytest.fixture(scope="session")
def signing_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@dataclass
class Provider:
    issuer: str
    client_id: str


@pytest.fixture
def provider(live_server, settings, signing_key) -> Provider:
    """The provider on loopback, with this site registered as an OIDC client (confidential,
    authorization code, RS256, our callback as its redirect URI), and this site set up to
    sign in with it by its issuer alone (endpoints from discovery)."""
    settings.ROOT_URLCONF = "tests.oidc.urls"
    settings.OAUTH2_PROVIDER = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": signing_key,
        "OAUTH2_VALIDATOR_CLASS": "tests.oidc.provider.Directory",
        "SCOPES": {"openid": "Who you are", "email": "Your email address", "profile": "Your name"},
        "PKCE_REQUIRED": True,
    }
    secret = secrets.token_urlsafe(32)
    app = Application.objects.create(
        name="Scrutineer",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{CALLBACK} {live_server.url}/accounts/oidc/callback/",
        algorithm=Application.RS256_ALGORITHM,
        client_secret=secret,
    )
    issuer = f"{live_server.url.replace('://localhost:', '://127.0.0.1:')}/provider"
    settings.SCRUTINEER_OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = app.client_id
    settings.OIDC_RP_CLIENT_SECRET = secret
    settings.SCRUTINEER_OIDC_PROVIDER_NAME = "the council's directory"
    return Provider(issuer=issuer, client_id=app.client_id)


class Inputs(HTMLParser):
    """A form's inputs, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name") and named.get("type") == "hidden":
            self.fields[named["name"]] = named.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    parser = Inputs()
    parser.feed(html)
    return parser.fields


def through_provider(app: Client, email: str, start: str = "/accounts/oidc/sign-in/"):
    """Press our button, sign in at the provider as `email`, allow, and return our
    callback's response to where the provider sends the browser back."""
    pressed = app.get(start)
    assert pressed.status_code == 302, pressed.content.decode()[:300]
    authorize = pressed["Location"]
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["scope"] == ["openid email profile"]
    assert asked["code_challenge_method"] == ["S256"] and asked["nonce"] and asked["state"]

    browser = requests.Session()
    to_login = browser.get(authorize, allow_redirects=False, timeout=10)
    assert to_login.status_code == 302, to_login.text[:300]
    login = urljoin(authorize, to_login.headers["Location"])
    page = browser.get(login, timeout=10)
    signed_in = browser.post(
        login,
        data={**hidden_fields(page.text), "username": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    consent = browser.get(urljoin(login, signed_in.headers["Location"]), timeout=10)
    assert consent.status_code == 200 and "Authorize Scrutineer?" in consent.text, consent.text[:500]
    allowed = browser.post(
        consent.url,
        data={**hidden_fields(consent.text), "allow": "Authorize"},
        allow_redirects=False,
        timeout=10,
    )
    assert allowed.status_code == 302, allowed.text[:500]
    back = allowed.headers["Location"]
    assert back.startswith(CALLBACK + "?"), back
    return app.get(back)


def signed_in_as(app: Client) -> User | None:
    user_id = app.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_matching_person_is_signed_in_and_signs_out(provider):
    casey = User.objects.create_user("casey", email="Casey.Morgan@Council.Example.gov.uk", first_name="Casey")
    person_at_provider("casey.morgan@council.example.gov.uk", "Casey Morgan")
    app = Client()
    assert "Sign in with the council&#x27;s directory" in app.get("/accounts/login/").content.decode()

    back = through_provider(
        app, "casey.morgan@council.example.gov.uk", "/accounts/oidc/sign-in/?next=/my-work/"
    )

    assert back.status_code == 302 and back["Location"] == "/my-work/"
    assert signed_in_as(app) == casey
    assert app.session["_auth_user_backend"] == "scrutineer.security.oidc.CouncilAccountBackend"
    home = app.get("/").content.decode()
    assert "Sign out (casey)" in home
    assert app.get("/my-work/").status_code == 200

    signed_out = app.post("/accounts/logout/")
    assert signed_out.status_code == 302
    assert signed_in_as(app) is None
    assert "Sign out" not in app.get("/").content.decode()
    assert app.get("/my-work/").status_code == 302


def test_an_email_nobody_here_uses_is_refused_with_a_clear_page(provider):
    User.objects.create_user("casey", email="casey.morgan@council.example.gov.uk")
    person_at_provider("stranger@elsewhere.example.org", "Sam Stranger")
    app = Client()

    back = through_provider(app, "stranger@elsewhere.example.org")

    assert back.status_code == 302 and back["Location"] == "/accounts/oidc/refused/"
    assert signed_in_as(app) is None
    page = app.get(back["Location"])
    assert page.status_code == 403
    text = page.content.decode()
    assert (
        "No account here uses the email address <strong>stranger@elsewhere.example.org</strong>. "
        "Ask your performance team to invite you." in text
    )
    assert '<a class="govuk-link" href="/accounts/login/">Back to sign in</a>' in text
    assert 'class="govuk-header"' in text  # the site's own layout
    assert signed_in_as(app) is None
    # Refused by us, not by the provider: not counted as a failed password sign-in.
    assert not AccessAttempt.objects.exists()


def test_endpoints_set_one_by_one_refusing_a_closed_account_and_another_issuers_token(provider, settings):
    """No issuer, so no discovery: each endpoint as a council would copy it from its
    provider. Then, with the same endpoints, an issuer this site trusts that is not the
    one answering: the ID token's `iss` does not match, so nobody is signed in however
    well it is signed. (One test: each one on loopback costs a database flush.)"""
    settings.SCRUTINEER_OIDC_ISSUER = ""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.issuer}/.well-known/jwks.json"
    casey = User.objects.create_user("casey", email="casey.morgan@council.example.gov.uk", is_active=False)
    person_at_provider("casey.morgan@council.example.gov.uk", "Casey Morgan")
    app = Client()

    back = through_provider(app, "casey.morgan@council.example.gov.uk")

    assert back["Location"] == "/accounts/oidc/refused/"
    assert signed_in_as(app) is None
    page = app.get(back["Location"])
    assert page.status_code == 403
    assert "The account here that uses the email address" in page.content.decode()
    assert "has been deactivated" in page.content.decode()

    User.objects.filter(pk=casey.pk).update(is_active=True)
    settings.SCRUTINEER_OIDC_ISSUER = provider.issuer.replace("/provider", "/another-provider")

    back = through_provider(app, "casey.morgan@council.example.gov.uk")

    assert back["Location"] == "/accounts/oidc/refused/"
    assert signed_in_as(app) is None
    assert "did not finish" in app.get(back["Location"]).content.decode()


@pytest.fixture
def a_stranger(provider):
    """Made before the browser starts: the database is not used while Playwright's loop runs."""
    User.objects.create_user("casey", email="casey.morgan@council.example.gov.uk")
    person_at_provider("stranger@elsewhere.example.org", "Sam Stranger")


def test_in_a_browser_the_button_and_the_refusal_pass_axe(a_stranger, live_server, browser_page):  # noqa: F811
    page = browser_page
    check(page, f"{live_server.url}/accounts/login/")
    page.click("text=Sign in with the council's directory")
    page.fill("#id_username", "stranger@elsewhere.example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("input[name=allow]")
    page.wait_for_url(f"{live_server.url}/accounts/oidc/refused/")
    assert "No account here uses the email address stranger@elsewhere.example.org." in page.inner_text("main")
    check(page)
    page.click("text=Back to sign in")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
