"""Deployment checks, run by `scrutineer check --deploy` beside Django's own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_is_the_deployments_own(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.SCRUTINEER_LOCAL_ONLY:
        return []
    return [
        Error(
            "SCRUTINEER_SECRET_KEY is not set, so this run uses the local-only key in var/.",
            hint=(
                "Set SCRUTINEER_SECRET_KEY to a long random value, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (docs/deployment.md)."
            ),
            id="scrutineer.E001",
        )
    ]


@register(Tags.security)
def invitations_last_a_day_or_more(app_configs: Any, **kwargs: Any) -> list[Error]:
    if settings.SCRUTINEER_INVITATION_DAYS >= 1:
        return []
    return [
        Error(
            f"SCRUTINEER_INVITATION_DAYS is {settings.SCRUTINEER_INVITATION_DAYS}, so every invitation's "
            "link would be dead when it arrives.",
            hint="Set it to the whole number of days an invitation's link works (7 unless set).",
            id="scrutineer.E020",
        )
    ]


# Signing algorithms mozilla-django-oidc verifies: by the provider's published keys (RS,
# ES) or by the client secret (HS).
OIDC_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512")
OIDC_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "SCRUTINEER_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "SCRUTINEER_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "SCRUTINEER_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "SCRUTINEER_OIDC_JWKS_ENDPOINT",
}
OIDC_DOCS = "docs/sign-in.md"


@register(Tags.security)
def oidc_is_whole_or_off(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Signing in with the council's accounts is configured completely or not at all, and
    some way of signing in is left. Run by every command, so a half-made configuration
    stops `scrutineer runserver`, `migrate` and `check` instead of failing at sign-in."""
    client_id, secret = settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET
    issuer = settings.SCRUTINEER_OIDC_ISSUER
    endpoints = {name: getattr(settings, name) for name in OIDC_ENDPOINTS}
    errors = []
    if not (client_id or secret or issuer or any(endpoints.values())):
        if not settings.SCRUTINEER_PASSWORD_SIGN_IN:
            errors.append(
                Error(
                    "SCRUTINEER_PASSWORD_SIGN_IN is off and signing in with the council's accounts "
                    "is not set up, so nobody could sign in.",
                    hint=f"Set SCRUTINEER_OIDC_CLIENT_ID and the rest ({OIDC_DOCS}), or turn passwords back on.",
                    id="scrutineer.E010",
                )
            )
        return errors
    for name, value, other in (
        ("SCRUTINEER_OIDC_CLIENT_ID", client_id, "the provider's id for this site"),
        ("SCRUTINEER_OIDC_CLIENT_SECRET", secret, "the secret the provider gave for this site"),
    ):
        if not value:
            errors.append(
                Error(
                    f"Signing in with the council's accounts is half set up: {name} is not set.",
                    hint=f"Set {name} to {other}, or unset every SCRUTINEER_OIDC_ variable ({OIDC_DOCS}).",
                    id="scrutineer.E011",
                )
            )
    algorithm = settings.OIDC_RP_SIGN_ALGO
    if algorithm not in OIDC_ALGORITHMS:
        errors.append(
            Error(
                f"SCRUTINEER_OIDC_SIGN_ALGO is {algorithm!r}, which is not a signing algorithm "
                "Scrutineer can check.",
                hint=f"Use one of {', '.join(OIDC_ALGORITHMS)}; RS256 is what most providers use.",
                id="scrutineer.E012",
            )
        )
    needed = [
        name for name in OIDC_ENDPOINTS if name != "OIDC_OP_JWKS_ENDPOINT" or algorithm[:2] in ("RS", "ES")
    ]
    missing = [OIDC_ENDPOINTS[name] for name in needed if not endpoints[name]]
    if missing and not issuer:
        errors.append(
            Error(
                f"Signing in with the council's accounts has no issuer and no {', '.join(missing)}.",
                hint=(
                    "Set SCRUTINEER_OIDC_ISSUER (the endpoints are then found from its "
                    f"/.well-known/openid-configuration), or set each endpoint ({OIDC_DOCS})."
                ),
                id="scrutineer.E013",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def oidc_speaks_https(app_configs: Any, **kwargs: Any) -> list[Error]:
    """A deployment talks to its provider over https only: the client secret and the
    people's tokens travel on those requests."""
    addresses = {"SCRUTINEER_OIDC_ISSUER": settings.SCRUTINEER_OIDC_ISSUER}
    addresses.update({variable: getattr(settings, name) for name, variable in OIDC_ENDPOINTS.items()})
    plain = [
        variable for variable, url in addresses.items() if url and not url.lower().startswith("https://")
    ]
    if not plain or not settings.OIDC_RP_CLIENT_ID:
        return []
    return [
        Error(
            f"{', '.join(plain)} is not an https address: the client secret and sign-in tokens "
            "would cross the network unencrypted.",
            hint="Use the provider's https addresses (docs/sign-in.md).",
            id="scrutineer.E014",
        )
    ]
