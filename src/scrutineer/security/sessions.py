"""Signing out after a time without requests, and after a session's whole lifetime.

Django's session lasts SESSION_COOKIE_AGE from its last save. Saving it on every
request (SESSION_SAVE_EVERY_REQUEST) would give an idle timeout but a database write
per page and no end to a busy session. Instead the session keeps when it was signed in
to and when it was last seen (written at most once a minute): past
SCRUTINEER_SESSION_IDLE_SECONDS without a request, or SESSION_COOKIE_AGE after signing
in, the next request signs out and says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "scrutineer_signed_in_at"
SEEN_AT = "scrutineer_seen_at"
SEEN_RESOLUTION = 60  # seconds: how stale "last seen" may be before it is written again


def now() -> float:
    return time.time()


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        response = self.get_response(request)
        # Just signed in (or a session from before this middleware): start the clocks.
        if request.user.is_authenticated and SIGNED_IN_AT not in request.session:
            request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now()
        return response

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        moment = now()
        signed_in_at = session.get(SIGNED_IN_AT, moment)
        seen_at = session.get(SEEN_AT, moment)
        idle = settings.SCRUTINEER_SESSION_IDLE_SECONDS
        if moment - seen_at > idle:
            logout(request)
            messages.info(request, f"You were signed out after {idle // 60} minutes without activity.")
        elif moment - signed_in_at > settings.SESSION_COOKIE_AGE:
            logout(request)
            hours = settings.SESSION_COOKIE_AGE / 3600
            messages.info(request, f"You were signed out: a session lasts at most {hours:g} hours.")
        elif moment - seen_at >= SEEN_RESOLUTION:
            session[SEEN_AT] = moment


def start_clocks(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On signing in, start the session's clocks in the same save as the sign-in itself,
    so the first page after it writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = now()
