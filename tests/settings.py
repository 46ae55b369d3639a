"""Settings for the test suite: the app's own, made fast and predictable.

pyproject.toml points pytest here. Everything not named below is as a local run has
it (`scrutineer.settings`), so the tests see the same middleware, policies and limits
as the app.
"""

from scrutineer.settings import *  # noqa: F403

DEBUG = False
# Hashing a password the real way takes most of a second; tests make many accounts.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Report builds run inside the request, so a test sees the finished build.
SCRUTINEER_REPORT_BUILDS = "sync"
# An OpenID Connect provider (django-oauth-toolkit) and its test pages, which the sign-in
# tests serve beside the app on loopback (tests/oidc/). Installed only here.
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider", "tests.oidc"]  # noqa: F405
# On PostgreSQL, a test's commit need not wait for the disk (nothing is kept after the
# run): the transactional tests commit and truncate often, and waiting was most of their time.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
        "options": "-c synchronous_commit=off",
    }
