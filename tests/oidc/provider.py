"""The provider's side: who its people are, and the claims it makes about them.

The provider shares the test database's user table with the app under test. Its people
are accounts whose username is their email address at the provider and whose own email
field is blank: the app can only find its account for them through the claim, never by
being the same row.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from oauth2_provider.oauth2_validators import OAuth2Validator

PASSWORD = "provider-password-1"


class Directory(OAuth2Validator):
    """Claims as a council's directory makes them: email (verified) and name."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email": "email", "email_verified": "email"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        return {"email": request.user.username, "email_verified": True, "name": request.user.get_full_name()}


def person_at_provider(email: str, name: str = "") -> User:
    first, _, last = name.partition(" ")
    return User.objects.create_user(email, password=PASSWORD, first_name=first, last_name=last)
