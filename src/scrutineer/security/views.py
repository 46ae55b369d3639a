"""Signing in (with a password, or with the council's accounts where those are set up),
and password reset when this deployment can send email."""

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


def when_reset_is_offered(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The password reset pages, or, where email is not set up, whom to ask instead."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_reset_offered():
            return render(request, "registration/password_reset_unavailable.html", status=404)
        return view(request, *args, **kwargs)

    return wrapped
