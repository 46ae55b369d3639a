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
