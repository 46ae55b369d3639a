"""Saving what people change: the errors, the optimistic lock and the history row.

Every action that changes important data (figures, achievements, indicators, targets,
committees, reports) uses these, so that the rules are the same everywhere:

- a change that cannot be stored raises `Rejected` with messages per form field, and
  what the user typed (`.input`), so the form shows it again: nothing typed is lost;
- a stale edit raises `StaleEdit`: callers pass the `version` they showed the user and
  `claim` raises the stored version with a conditional UPDATE on it, so of two
  concurrent saves from one version exactly one wins;
- `record` saves an instance so that its history row (django-simple-history) names
  who made the change and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import F

NON_FIELD = "__all__"
"""The key of errors that belong to no one field (as Django forms name it)."""


class ChangeError(Exception):
    """Base of the errors the actions raise (besides `PermissionDenied`)."""

    def __init__(self, message: str, *, input: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.input: dict[str, Any] = dict(input or {})

    def put_on(self, form: Any) -> None:
        """Show the refusal on a Django form, above its fields (a stale edit, say)."""
        form.add_error(None, self.message)


class Rejected(ChangeError):
    """What was typed cannot be stored; `errors` maps form fields to their messages.

    `field` and `message` are the first error; `errors` holds them all, keyed by the
    names the form uses (`__all__` for none in particular).
    """

    def __init__(
        self,
        field: str,
        message: str,
        *,
        errors: Mapping[str, list[str]] | None = None,
        input: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, input=input)
        self.field = field
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {field: [message]}).items()}

    @classmethod
    def from_errors(cls, errors: Mapping[str, list[str]], *, input: Mapping[str, Any]) -> Rejected:
        field, messages = next(iter(errors.items()))
        return cls(field, messages[0], errors=errors, input=input)

    def __str__(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)

    def put_on(self, form: Any) -> None:
        """Show each message on a Django form beside the field it concerns (above the
        fields for a name the form does not have)."""
        for field, messages in self.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)


class StaleEdit(ChangeError):
    """Someone else saved the record after the user opened it; nothing was changed.

    `current_version` is the version now stored (None if the record is gone).
    """

    def __init__(
        self,
        message: str,
        *,
        expected_version: int | None,
        current_version: int | None,
        input: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, input=input)
        self.expected_version = expected_version
        self.current_version = current_version


def stale(what: str, expected: int | None, current: int | None, input: Mapping[str, Any]) -> StaleEdit:
    if current is None:
        message = (
            f"This {what} was deleted since you opened it; your changes were not saved. "
            f"Reload to see what is there now."
        )
    else:
        message = (
            f"Someone else saved this {what} since you opened it (version {current} is now stored); "
            f"your changes were not saved. Reload to see theirs, then apply yours again."
        )
    return StaleEdit(message, expected_version=expected, current_version=current, input=input)


def version_not_said(what: str, current: int | None, input: Mapping[str, Any]) -> StaleEdit:
    """The page that sent a change did not say which version of the record it showed (its
    hidden version missing, or not a number), so nobody can tell whether it is stale."""
    message = (
        f"The page did not say which version of this {what} you opened, so your changes were "
        f"not saved. Reload it to see what is stored now, then make your changes again."
    )
    return StaleEdit(message, expected_version=None, current_version=current, input=input)


MAX_VERSION = 2**31 - 1
"""The highest version a row can hold (a positive integer column on every database)."""


def as_version(raw: Any) -> int | None:
    """The version a form sent back, or None when it is missing or not one: ASCII digits
    within what the column holds ("٣", "1_0" and a 30-digit number are not versions)."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 <= raw <= MAX_VERSION else None
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_VERSION)):
        return None
    number = int(text)
    return number if number <= MAX_VERSION else None


def claim(
    rows: models.QuerySet[Any], pk: int, expected: int | None, what: str, input: Mapping[str, Any]
) -> Any:
    """Raise the stored version from `expected` with a conditional UPDATE, or `StaleEdit`.

    The UPDATE matches only if nobody saved since the user opened the record, and it
    holds the row's lock until the transaction ends, so of two concurrent saves from
    one version exactly one wins. Returns the row as now stored, for the caller to
    change and save (which writes the history row) inside the same transaction.
    """
    claimed = (
        expected is not None and rows.filter(pk=pk, version=expected).update(version=F("version") + 1) == 1
    )
    if not claimed:
        current = rows.filter(pk=pk).values_list("version", flat=True).first()
        if expected is None and current is not None:
            raise version_not_said(what, current, input)
        raise stale(what, expected, current, input)
    return rows.get(pk=pk)


def record_change(instance: models.Model, user: Any, reason: str) -> None:
    """Save `instance`; its history row (if it keeps one) records `user` and `reason`."""
    signed_in = bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
    instance._history_user = user if signed_in else None  # type: ignore[attr-defined]
    instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()


def raise_version(instance: models.Model) -> None:
    """Raise `instance`'s version for a save that already holds its row (under
    `select_for_update` or after `claim`): a form opened before it is then refused."""
    instance.version += 1  # type: ignore[attr-defined]


class VersionedAdmin:
    """Mix into a `ModelAdmin` for a model with a `version`: every save in the admin raises
    it and records who changed it, so a page opened before the change is refused, as after
    a change on Scrutineer's own pages."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            raise_version(obj)
        record_change(obj, request.user, "Changed in the admin")
