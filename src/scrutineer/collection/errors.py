"""What the collection actions raise besides `PermissionDenied`.

Every exception carries what the user typed (`.input`), so a form can show it again:
nothing typed is silently lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scrutineer.changes import ChangeError, Rejected, StaleEdit

__all__ = ["CollectionError", "InvalidTransition", "StaleEdit", "ValueRejected"]

CollectionError = ChangeError
"""Base of the errors the collection actions raise (besides `PermissionDenied`)."""


class ValueRejected(Rejected):
    """What was typed for a figure or an achievement cannot be stored; `errors` maps form
    fields to their messages (`value`, `numerator`, `denominator`, `no_data_reason`, `note`,
    `period`, `body`, …; `__all__` for none in particular)."""


class InvalidTransition(CollectionError):
    """The figure is not in a state this action can move it from (`state` is where it is)."""

    def __init__(self, message: str, *, state: str, input: Mapping[str, Any] | None = None) -> None:
        super().__init__(message, input=input)
        self.state = state
