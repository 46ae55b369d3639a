"""Limits on failed sign-ins (django-axes), per account and per address.

django-axes locks a username out from one address after AXES_FAILURE_LIMIT failures.
That alone lets one address try one password against each of many usernames, so
`SignInLimits` also locks an address out after SCRUTINEER_SIGNIN_ADDRESS_FAILURE_LIMIT
failures for any usernames. The address limit is higher: a council office signs in
from one address.

Both limits need the client's own address. Behind reverse proxies every request comes
from the nearest proxy, so `client_address` takes it from X-Forwarded-For, trusting as
many entries from the right as there are proxies (SCRUTINEER_PROXY_COUNT); anything
further left was written by the client and is ignored.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, as the outermost of SCRUTINEER_PROXY_COUNT proxies saw it."""
    proxies = settings.SCRUTINEER_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class SignInLimits(AxesDatabaseHandler):
    """django-axes' database handler with a second, per-address limit."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures counted against AXES_FAILURE_LIMIT, which is the one number axes
        compares: the account's own from this address, or the whole limit once the
        address has reached its own."""
        address = request.axes_ip_address  # type: ignore[attr-defined]
        account = self._failures(
            request, username=get_client_username(request, credentials), ip_address=address
        )
        if self._failures(request, ip_address=address) >= settings.SCRUTINEER_SIGNIN_ADDRESS_FAILURE_LIMIT:
            return max(account, settings.AXES_FAILURE_LIMIT)
        return account

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        """A failed password sign-in counts; a refusal after signing in with the council's
        provider does not. That one carries no username: the provider checked who it is,
        and "no account here uses this email" is not a guess at a password. (Locked-out
        addresses are still refused there: AxesStandaloneBackend comes first.)"""
        if "username" not in credentials:
            return
        super().user_login_failed(sender, credentials, request, **kwargs)

    def _failures(self, request: HttpRequest, **where: Any) -> int:
        attempts = AccessAttempt.objects.filter(**where)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
