"""Signing in with the council's accounts: OpenID Connect, through mozilla-django-oidc.

The sign-in page's button starts the authorization code flow (with PKCE) at the council's
provider (`SignInWithProvider`); the provider sends the browser back to `ProviderCallback`,
which exchanges the code for tokens server to server, checks the ID token (signature,
nonce, audience, issuer) and asks the user-info endpoint for the person's email. The
backend, `CouncilAccountBackend`, then finds the one active account whose email, or whose
catalogue person's email, is that address (any case). It never makes an account: people
are invited by performance officers (docs/decisions/0017-sign-in-with-openid-connect.md).

Every way this can fail ends on one page, `refused` (HTTP 403), which says why in words a
council officer can act on: no account uses that email, the account is deactivated, two
accounts share it, the provider could not be reached, and so on.

It is all off until `OIDC_RP_CLIENT_ID` (SCRUTINEER_OIDC_CLIENT_ID) is set. Endpoints not
set one by one are found at the first sign-in from SCRUTINEER_OIDC_ISSUER's
/.well-known/openid-configuration, and kept for an hour.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

# mozilla-django-oidc's endpoint settings and their names in a discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_KEPT_SECONDS = 3600
# Where the callback leaves why a sign-in was refused, for the refusal page.
REFUSAL = "scrutineer_oidc_refusal"
REASONS = frozenset(
    {
        "unknown",
        "inactive",
        "ambiguous",
        "unverified",
        "no-email",
        "provider-error",
        "unreachable",
        "unfinished",
    }
)


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read, or is not the issuer's."""


def enabled() -> bool:
    """Whether this site offers signing in with the council's accounts."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def button_text() -> str:
    return f"Sign in with {settings.SCRUTINEER_OIDC_PROVIDER_NAME}"


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def provider_configuration(issuer: str) -> dict[str, Any]:
    """The issuer's discovery document, read at most once an hour."""
    kept = _discovered.get(issuer)
    if kept and time.monotonic() - kept[0] < DISCOVERY_KEPT_SECONDS:
        return kept[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"could not read {url}: {exc}") from exc
    named = str(document.get("issuer", "")).rstrip("/") if isinstance(document, dict) else ""
    if named != issuer:
        # OpenID Connect Discovery 1.0, 4.3: the document must be the issuer's own.
        raise ProviderUnavailable(f"{url} is for the issuer {named!r}, not {issuer!r}")
    _discovered[issuer] = (time.monotonic(), document)
    return document


def oidc_setting(name: str, *default: Any) -> Any:
    """mozilla-django-oidc's `get_settings`: the setting, or for an endpoint left blank
    where an issuer is set, the endpoint its discovery document names."""
    value = import_from_settings(name, *default)
    if name in ENDPOINTS and not value:
        if settings.SCRUTINEER_OIDC_ISSUER:
            value = provider_configuration(settings.SCRUTINEER_OIDC_ISSUER).get(ENDPOINTS[name])
        # The library tells "no JWKS endpoint" by None.
        value = value or (None if name == "OIDC_OP_JWKS_ENDPOINT" else "")
    return value


def refuse(request: HttpRequest, reason: str, email: str = "", detail: str = "") -> None:
    """Note on the request why signing in is refused, for the callback to pass on."""
    assert reason in REASONS, reason
    setattr(request, REFUSAL, {"reason": reason, "email": email, "detail": detail[:200]})


def accounts_with_email(email: str) -> QuerySet[Any]:
    """Accounts, active or not, whose own email or whose catalogue person's email is
    `email`, in any case. (`person` is catalogue.Person's link to its account, named
    here rather than imported: the catalogue sits above this module's layer.)"""
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(person__email__iexact=email))
        .distinct()
        .order_by("pk")
    )


def explicitly_false(claim: Any) -> bool:
    """An `email_verified` claim that says no: false, or "false" as some providers send it."""
    return claim is False or (isinstance(claim, str) and claim.strip().lower() == "false")


def account_for(claims: dict[str, Any]) -> tuple[Any, str, str]:
    """(account, reason, email) for the provider's claims about someone: the one active
    account with their email and reason "", or None and why not."""
    email = str(claims.get("email") or "").strip()
    if not email:
        return None, "no-email", ""
    if explicitly_false(claims.get("email_verified")):
        return None, "unverified", email
    matches = list(accounts_with_email(email))
    active = [user for user in matches if user.is_active]
    if len(active) == 1:
        return active[0], "", email
    return None, "ambiguous" if active else "inactive" if matches else "unknown", email


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in the one active account whose email is the provider's verified email."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django makes a backend for every sign-in and every signed-in request, so the
        # provider's endpoints are read only when someone returns from it (`authenticate`):
        # a provider that cannot be reached never stops password sign-in or sessions.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> AbstractBaseUser | None:
        # Only ProviderCallback passes a nonce: a password sign-in never reaches the provider.
        if not enabled() or request is None or "nonce" not in kwargs:
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT")
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT", None)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature, expiry and nonce; the token must also be
        for this site (audience) and, where an issuer is set, from it."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation(f"The ID token is for {audiences!r}, not this site's client id.")
        issuer = settings.SCRUTINEER_OIDC_ISSUER
        # Google documents its tokens' iss as https://accounts.google.com or, in some, without https://.
        if issuer and str(payload.get("iss", "")).rstrip("/") not in (
            issuer,
            issuer.removeprefix("https://"),
        ):
            raise SuspiciousOperation(f"The ID token is from {payload.get('iss')!r}, not {issuer!r}.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return account_for(claims)[1] not in ("no-email", "unverified")

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        return accounts_with_email(str(claims.get("email") or "").strip())

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> AbstractBaseUser | None:
        """The matching account, or None with the reason noted. Never creates one."""
        account, reason, email = account_for(self.get_userinfo(access_token, id_token, payload))
        if account is None:
            logger.info("Sign-in with the provider refused (%s) for %r", reason, email)
            refuse(self.request, reason, email)
            return None
        return self.update_user(account, {})

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        # ModelBackend's: a deactivated account's sessions end at its next request.
        return ModelBackend.get_user(self, user_id)


class SignInWithProvider(OIDCAuthenticationRequestView):
    """The button: sends the browser to the provider, with state, nonce and PKCE."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        # Endpoints are read in `get`, where a provider that cannot be reached is an answer.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404("Signing in with the council's accounts is not set up here.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            logger.warning("Sign-in with the provider could not start: %s", exc)
            request.session[REFUSAL] = {"reason": "unreachable", "email": "", "detail": ""}
            return HttpResponseRedirect(resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class ProviderCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signs in, or shows why not."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404("Signing in with the council's accounts is not set up here.")
        if request.GET.get("error"):
            said = request.GET.get("error_description") or request.GET["error"]
            refuse(request, "provider-error", detail=str(said))
        try:
            response: HttpResponse = super().get(request)
        except (ProviderUnavailable, requests.RequestException) as exc:
            logger.warning("Sign-in with the provider failed: %s", exc)
            refuse(request, "unreachable")
            return self.login_failure()
        except SuspiciousOperation as exc:
            # A forged, replayed or stale answer (state, nonce, signature, audience).
            logger.warning("Sign-in with the provider refused an answer: %s", exc)
            refuse(request, "unfinished")
            return self.login_failure()
        return response

    @property
    def failure_url(self) -> str:
        return resolve_url(self.get_settings("LOGIN_REDIRECT_URL_FAILURE", "oidc-refused"))

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, REFUSAL, None) or {"reason": "unfinished", "email": "", "detail": ""}
        self.request.session[REFUSAL] = refusal
        return HttpResponseRedirect(self.failure_url)


def refused(request: HttpRequest) -> HttpResponse:
    """Why signing in with the provider did not sign anyone in (always 403: nobody was)."""
    refusal = request.session.pop(REFUSAL, None)
    if not isinstance(refusal, dict) or refusal.get("reason") not in REASONS:
        refusal = {"reason": "unfinished", "email": "", "detail": ""}
    context = {
        **refusal,
        "provider_name": settings.SCRUTINEER_OIDC_PROVIDER_NAME,
        "password_sign_in": settings.SCRUTINEER_PASSWORD_SIGN_IN,
    }
    return render(request, "registration/oidc_refused.html", context, status=403)
