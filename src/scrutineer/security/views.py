"""Signing in (with a password, or with the council's accounts where those are set up),
and password reset when this deployment can send email. With passwords turned off
(SCRUTINEER_PASSWORD_SIGN_IN=false), the password pages say to use the council's accounts."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scrutineer.security import oidc


def password_reset_offered() -> bool:
    """Whether people may reset their own password: only where email can reach them."""
    return bool(settings.SCRUTINEER_PASSWORD_RESET)


class SignInView(LoginView):
    """The sign-in page: the council's provider's button above the username and password
    form; either can be off (SCRUTINEER_OIDC_CLIENT_ID unset, SCRUTINEER_PASSWORD_SIGN_IN=false)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "password_reset_offered": password_reset_offered() and settings.SCRUTINEER_PASSWORD_SIGN_IN,
            "password_sign_in": settings.SCRUTINEER_PASSWORD_SIGN_IN,
            "oidc_sign_in": oidc.button_text() if oidc.enabled() else "",
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.SCRUTINEER_PASSWORD_SIGN_IN:
            # Refused before any account is looked at: nothing is counted or changed.
            context = {**self.get_context_data(), "password_sign_in_refused": True}
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


def council_accounts_only(request: HttpRequest, *, welcome: bool = False) -> HttpResponse:
    """Where passwords are turned off: this site signs in with the council's accounts, and
    the button that does. A 403 for the password pages; the welcome page of an invitation
    (`welcome`) is where the invited person should be, so it answers 200."""
    context = {"welcome": welcome, "oidc_sign_in": oidc.button_text() if oidc.enabled() else ""}
    return render(request, "registration/council_accounts_only.html", context, status=200 if welcome else 403)


def when_passwords_are_on(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A password page (change, reset), or, with passwords turned off, the page that says to
    sign in with the council's account instead: nothing is read or changed."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.SCRUTINEER_PASSWORD_SIGN_IN:
            return council_accounts_only(request)
        return view(request, *args, **kwargs)

    return wrapped


def when_reset_is_offered(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The password reset pages, or, where email is not set up, whom to ask instead."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_reset_offered():
            return render(request, "registration/password_reset_unavailable.html", status=404)
        return view(request, *args, **kwargs)

    return wrapped
