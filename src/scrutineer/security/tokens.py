"""The invitation's one-time link: Django's password-reset token with a salt and a lifetime
of its own.

An invitation is read when it arrives, perhaps the next morning or after a weekend; a
password reset is asked for by someone at the screen, and its link is best short-lived.
So an invitation lasts `SCRUTINEER_INVITATION_DAYS` days (7 unless set) while reset links
keep `PASSWORD_RESET_TIMEOUT` (an hour). The different `key_salt` means neither kind of
token is accepted as the other: a reset link never opens the welcome page, nor an
invitation's link the reset page. Like a reset token, an invitation's works once: it
depends on the password and the last sign-in, and on the email address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

__all__ = ["InvitationTokenGenerator", "invitation_lifetime", "invitation_token_generator"]

DAY = 24 * 60 * 60


def invitation_seconds() -> int:
    return int(settings.SCRUTINEER_INVITATION_DAYS) * DAY


def invitation_lifetime() -> str:
    """How long an invitation's link works, in words: "7 days"."""
    days = int(settings.SCRUTINEER_INVITATION_DAYS)
    return f"{days} day{'s' if days != 1 else ''}"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for `/accounts/welcome/…`, checked against the invitation's lifetime.

    Django's `check_token` compares the token's age with `PASSWORD_RESET_TIMEOUT` itself,
    so the check is made here the same way (the timestamp, then the signature under the
    secret or a fallback, then the age), with the invitation's lifetime instead."""

    key_salt = "scrutineer.security.tokens.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= invitation_seconds()


invitation_token_generator = InvitationTokenGenerator()
