"""Figures: entering, submitting, approving, returning and reopening a `Value`.

The web app, the API and imports call these actions and never `save()` a figure
themselves (the Zulip model; see docs/development.md). Each action:

- is atomic: it changes everything it should or nothing;
- asks `catalogue.access` who may do it, raising `PermissionDenied` with a message that
  says who can;
- enforces its own rules, so an import or an API call cannot skip what a form checks:
  a data owner enters figures only for the periods open for entry (`collection.rounds`);
- checks the state the figure is in, raising `InvalidTransition` when the move is not
  allowed from there (draft → submitted → approved, or → returned and back to submitted;
  an approved figure changes only by `reopen_value`);
- refuses a stale edit: callers pass the `version` they showed the user, the action
  claims the row with a conditional UPDATE on that version (`changes.claim`), and
  `StaleEdit` is raised if someone else saved first, so two concurrent saves can never
  both win;
- validates figures with the engine (`collection.validation`) and raises
  `ValueRejected` with errors per form field, prefixed "CSU11 Jun-2020: ";
- writes a history row (django-simple-history) with who, when, the state after the
  change and the reason; `collection.audit` reads those rows back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.catalogue.models import Indicator
from scrutineer.changes import StaleEdit, as_version, claim, record_change, stale
from scrutineer.collection.actions.corrections import finish_restatement
from scrutineer.collection.actions.rounds import lock_if_round_closed
from scrutineer.collection.commentary import check_commentary
from scrutineer.collection.errors import CollectionError, InvalidTransition, ValueRejected
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.rounds import check_open_for_entry
from scrutineer.collection.validation import (
    EDITABLE,
    as_decimal,
    check_figures,
    check_period,
    check_texts,
    clean_text,
    parse_period,
)
from scrutineer.engine import Period

__all__ = [
    "approve_value",
    "bulk_approve",
    "changed_since_approval",
    "reopen_value",
    "return_value",
    "save_value",
    "submit_value",
]

# What a figure says: a history row that changes one of these changed the figure.
_FIGURE_FIELDS = ("value", "numerator", "denominator", "no_data_reason", "not_measured", "note", "commentary")


def changed_since_approval(stored: Value) -> set[int | None]:
    """Everyone who entered or changed the figure since it was last approved (or ever, if
    never approved): four eyes means none of them signs it off. Submitting, returning and
    reopening change no figure, so they do not count."""
    changed: set[int | None] = {stored.entered_by_id}
    previous: Any = None
    for row in Value.history.filter(id=stored.pk).order_by("history_date", "history_id"):
        if row.state == ValueState.APPROVED:
            changed = set()
        elif previous is None or any(getattr(row, f) != getattr(previous, f) for f in _FIGURE_FIELDS):
            changed.add(row.history_user_id)
        previous = row
    changed.add(stored.entered_by_id)
    changed.discard(None)
    return changed


# Optimistic locking


def _load(value: Value, expected_version: Any, input: Mapping[str, Any]) -> Value:
    """Claim `value`'s row at `expected_version` and load it with what the rules need."""
    rows = Value.objects.select_related("indicator__owner", "indicator__approver")
    stored: Value = claim(rows, value.pk, as_version(expected_version), "figure", input)
    return stored


def _refresh(target: Value, source: Value) -> Value:
    """Copy the stored fields onto the caller's instance, so it is not left stale."""
    for field in Value._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def _label(value: Value) -> str:
    return f"{value.indicator.code} {value.period.label}"


# Figures: entering, submitting, approving


def save_value(
    indicator: Indicator,
    period: Period | str,
    *,
    user: Any,
    value: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    no_data_reason: str = "",
    not_measured: bool = False,
    note: str = "",
    commentary: str = "",
    expected_version: int | None = None,
    reason: str = "",
) -> Value:
    """Create or change `indicator`'s draft figure for `period`, as `user`.

    The indicator's data owner or a performance officer may, while the figure is new,
    a draft or returned. `expected_version` is the version the user opened (None for a
    new figure); if another save came first, `StaleEdit`. Invalid figures raise
    `ValueRejected` and change nothing. `commentary` is the comment for the report (a red
    figure needs one to be submitted); `reason` is kept in the audit trail.
    """
    input = {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "no_data_reason": no_data_reason,
        "not_measured": not_measured,
        "note": note,
        "commentary": commentary,
        "reason": reason,
        "expected_version": expected_version,
    }
    access.check_may_enter(user, indicator)
    errors: dict[str, list[str]] = {}
    parsed = parse_period(period, errors)
    if parsed is None:
        raise ValueRejected.from_errors(errors, input=input)
    label = f"{indicator.code} {parsed.label}"

    with transaction.atomic():
        existing = Value.objects.filter(indicator=indicator, period=parsed).first()
        check_open_for_entry(user, indicator, parsed, existing)
        if existing is not None:
            stored = claim(Value.objects.all(), existing.pk, as_version(expected_version), "figure", input)
            if stored.state not in EDITABLE:
                raise _not_editable(label, stored.state, input)
        elif expected_version is not None:
            raise stale("figure", as_version(expected_version), None, input)

        no_data_reason, note, reason = clean_text(no_data_reason), clean_text(note), clean_text(reason)
        commentary = clean_text(commentary)
        numbers = {
            name: as_decimal(raw, name, label, errors)
            for name, raw in (("value", value), ("numerator", numerator), ("denominator", denominator))
        }
        check_period(indicator, parsed, errors)
        if not errors:
            check_figures(indicator, parsed, *numbers.values(), no_data_reason, bool(not_measured), errors)
        check_texts(
            {"no_data_reason": no_data_reason, "note": note, "commentary": commentary, "reason": reason},
            errors,
        )
        if errors:
            raise ValueRejected.from_errors(errors, input=input)

        fields = {
            **numbers,
            "no_data_reason": no_data_reason,
            "not_measured": bool(not_measured),
            "note": note,
            "commentary": commentary,
            "entered_by": user,
        }
        if existing is None:
            created = Value(indicator=indicator, period=parsed, state=ValueState.DRAFT, version=1, **fields)
            try:
                with transaction.atomic():
                    record_change(created, user, reason or "Entered")
            except IntegrityError:
                current = (
                    Value.objects.filter(indicator=indicator, period=parsed)
                    .values_list("version", flat=True)
                    .first()
                )
                if current is None:
                    raise
                raise stale("figure", None, current, input) from None
            return created
        for name, new in fields.items():
            setattr(stored, name, new)
        record_change(
            stored, user, reason or ("Corrected" if stored.state == ValueState.RETURNED else "Edited")
        )
        return stored


def _not_editable(label: str, state: str, input: Mapping[str, Any]) -> InvalidTransition:
    if state == ValueState.SUBMITTED:
        message = (
            f"{label} has been submitted for approval, so it cannot be changed now. "
            f"Ask the approver to return it if it needs correcting."
        )
    else:
        message = (
            f"{label} is approved, so it cannot be changed here. A performance officer can "
            f"reopen it to correct it; the reason is kept in the audit trail."
        )
    return InvalidTransition(message, state=state, input=input)


def submit_value(value: Value, *, user: Any, expected_version: int) -> Value:
    """Send a draft or returned figure to its approver (owner or performance officer). A
    figure that would be reported red (or amber, by the indicator's setting) needs the
    data owner's comment for the report first (`collection.commentary`)."""
    input = {"expected_version": expected_version}
    access.check_may_enter(user, value.indicator)
    with transaction.atomic():
        stored = _load(value, expected_version, input)
        label = _label(stored)
        if stored.state not in EDITABLE:
            already = "awaiting approval" if stored.state == ValueState.SUBMITTED else "approved"
            raise InvalidTransition(f"{label} is already {already}.", state=stored.state, input=input)
        errors: dict[str, list[str]] = {}
        check_figures(
            stored.indicator,
            stored.period,
            stored.value,
            stored.numerator,
            stored.denominator,
            stored.no_data_reason,
            stored.not_measured,
            errors,
        )
        if not errors:
            check_commentary(stored, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        stored.state = ValueState.SUBMITTED
        stored.submitted_at = timezone.now()
        record_change(stored, user, "Submitted for approval")
    return _refresh(value, stored)


def _check_submitted(stored: Value, verb: str, input: Mapping[str, Any]) -> None:
    if stored.state == ValueState.SUBMITTED:
        return
    label = _label(stored)
    if stored.state == ValueState.APPROVED:
        message = f"{label} is already approved."
    elif stored.state == ValueState.DRAFT:
        message = f"{label} is a draft; it can be {verb}d only once its data owner has submitted it."
    else:
        message = (
            f"{label} was returned to its data owner; it can be {verb}d only once they have "
            f"corrected and resubmitted it."
        )
    raise InvalidTransition(message, state=stored.state, input=input)


def approve_value(value: Value, *, user: Any, comment: str = "", expected_version: int | None) -> Value:
    """Approve a submitted figure: the indicator's approver or a performance officer, never
    whoever entered it. `comment` becomes the approver's comment printed in reports."""
    input = {"comment": comment, "expected_version": expected_version}
    comment = clean_text(comment)
    access.check_may_approve(user, value.indicator, "approve")
    with transaction.atomic():
        stored = _load(value, expected_version, input)
        access.check_four_eyes(user, changed_since_approval(stored), "approve")
        _check_submitted(stored, "approve", input)
        errors: dict[str, list[str]] = {}
        check_texts({"comment": comment}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        stored.state = ValueState.APPROVED
        stored.approved_by = user
        stored.approved_at = timezone.now()
        stored.approver_comment = comment
        restated = finish_restatement(stored, user)
        lock_if_round_closed(stored, user)
        record_change(stored, user, "Approved: restated" if restated else "Approved")
    return _refresh(value, stored)


def return_value(value: Value, *, user: Any, comment: str, expected_version: int | None) -> Value:
    """Send a submitted figure back to its data owner, saying why (the approver's comment)."""
    input = {"comment": comment, "expected_version": expected_version}
    comment = clean_text(comment)
    access.check_may_approve(user, value.indicator, "return")
    with transaction.atomic():
        stored = _load(value, expected_version, input)
        access.check_four_eyes(user, changed_since_approval(stored), "return")
        _check_submitted(stored, "return", input)
        errors: dict[str, list[str]] = {}
        if not comment:
            errors["comment"] = [
                f"{_label(stored)}: say what needs correcting, so the data owner knows what to change."
            ]
        check_texts({"comment": comment}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        stored.state = ValueState.RETURNED
        stored.approver_comment = comment
        record_change(stored, user, comment)
    return _refresh(value, stored)


def bulk_approve(
    values: Iterable[Value], *, user: Any, versions: Mapping[int, int]
) -> tuple[list[Value], list[tuple[Value, str]]]:
    """Approve each figure `user` may, each in its own transaction, at the version the
    approver was shown (`versions`: id → version, as the approval queue posts them back).

    A figure changed since (returned, corrected and resubmitted) is refused as stale, so
    nobody approves a figure they have not seen. Returns the approved figures and, for
    the rest, each with the reason it was refused.
    """
    approved: list[Value] = []
    refused: list[tuple[Value, str]] = []
    for value in values:
        try:
            shown = versions.get(value.pk)
            if shown is None:
                raise StaleEdit(
                    f"The page did not say which version of {_label(value)} you read, so it was not "
                    f"approved: open the approval queue again.",
                    expected_version=None,
                    current_version=value.version,
                )
            approved.append(approve_value(value, user=user, expected_version=shown))
        except (PermissionDenied, CollectionError) as error:
            refused.append((value, str(error)))
    return approved, refused


def reopen_value(value: Value, *, user: Any, reason: str, expected_version: int | None = None) -> Value:
    """Take an approved figure back to draft to correct it: performance officers only, with
    a reason the audit trail keeps. Published reports are frozen and do not change; reports
    built from now on show the figure as awaiting approval until it is approved again.

    `expected_version` defaults to the version of `value` as the caller loaded it.
    """
    expected = value.version if expected_version is None else expected_version
    input = {"reason": reason, "expected_version": expected}
    access.check_may_reopen(user)
    reason = clean_text(reason)
    with transaction.atomic():
        stored = _load(value, expected, input)
        if stored.state != ValueState.APPROVED:
            raise InvalidTransition(
                f"{_label(stored)} is not approved ({stored.get_state_display().lower()}), so there is "
                f"nothing to reopen; it can be changed as it is.",
                state=stored.state,
                input=input,
            )
        if stored.locked:
            raise InvalidTransition(
                f"{_label(stored)} is locked ({stored.lock_reason}), so it is not reopened: correct it "
                f"instead, with a reason; the correction is approved again and shown as a restatement.",
                state=stored.state,
                input=input,
            )
        errors: dict[str, list[str]] = {}
        if not reason:
            errors["reason"] = [
                f"{_label(stored)}: say why the approved figure is being reopened; the audit trail keeps it."
            ]
        check_texts({"reason": reason}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        stored.state = ValueState.DRAFT
        stored.approved_by = None
        stored.approved_at = None
        stored.submitted_at = None
        record_change(stored, user, reason)
    return _refresh(value, stored)
