"""WSGI entry point for deployment (e.g. `gunicorn scrutineer.wsgi`).

Serving here is a deployment, so it refuses to start with the local-only secret key or
with debug pages on (docs/decisions/0010-secure-by-default-settings.md).
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutineer.settings")
application = get_wsgi_application()


def _refuse_local_settings() -> None:
    from django.conf import settings

    if settings.SCRUTINEER_LOCAL_ONLY:
        raise ImproperlyConfigured(
            "SCRUTINEER_SECRET_KEY is not set: a deployment needs its own secret key, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (docs/deployment.md)."
        )
    if settings.DEBUG:
        raise ImproperlyConfigured(
            "SCRUTINEER_DEBUG is on: debug pages show code and settings to anyone, so "
            "scrutineer.wsgi will not serve them; unset SCRUTINEER_DEBUG (docs/deployment.md)."
        )


_refuse_local_settings()
