"""Signing in, and password reset when this deployment can send email."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def password_reset_offered() -> bool:
    """Whether people may reset their own password: only where email can reach them."""
    return bool(settings.SCRUTINEER_PASSWORD_RESET)


class SignInView(LoginView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "password_reset_offered": password_reset_offered()}


def when_reset_is_offered(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The password reset pages, or, where email is not set up, whom to ask instead."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_reset_offered():
            return render(request, "registration/password_reset_unavailable.html", status=404)
        return view(request, *args, **kwargs)

    return wrapped
