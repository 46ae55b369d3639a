"""Which figures of an indicator need the data owner's comment before submission."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from scrutineer.catalogue import access
from scrutineer.catalogue.models import Indicator
from scrutineer.changes import Rejected, raise_version, record_change
from scrutineer.collection.models import CommentFrom, CommentRequirement

__all__ = ["set_comment_requirement"]


def set_comment_requirement(indicator: Indicator, *, user: Any, required_from: str) -> CommentRequirement:
    """Say that `indicator`'s red figures (`"red"`), or its amber and red ones (`"amber"`),
    need a comment for the report before submission. Performance officers only."""
    access.check_may_manage(user, "say which figures need a comment")
    try:
        chosen = CommentFrom(required_from)
    except ValueError:
        raise Rejected(
            "required_from",
            "Choose red figures, or amber and red figures.",
            input={"required_from": required_from},
        ) from None
    with transaction.atomic():
        found = CommentRequirement.objects.select_for_update().filter(indicator=indicator).first()
        requirement = found or CommentRequirement(indicator=indicator)
        if found is not None:
            raise_version(requirement)
        requirement.required_from = chosen
        record_change(requirement, user, f"Comments required on {chosen.label.lower()}")
    return requirement
