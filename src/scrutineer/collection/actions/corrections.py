"""Correcting a locked figure: a restatement, approved again.

A figure locks when its round closes or a report that uses it is published
(`collection.actions.rounds`). After that it changes only by `correct_value`: the data
owner or a performance officer gives the corrected figures and a reason; the figure goes
to its approver again (submitted, no longer locked) and a pending `Restatement` keeps
what it was. When the approver approves it, `approve_value` calls `finish_restatement`:
the restatement records what the figure became, and the figure locks again. The
indicator page shows it ("restated on … from … to …, because …") and the committee's
next report notes it; published reports keep their frozen figures.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.changes import as_version, claim, record_change
from scrutineer.collection.commentary import check_commentary
from scrutineer.collection.errors import InvalidTransition, ValueRejected
from scrutineer.collection.models import Restatement, RestatementState, Value, ValueState
from scrutineer.collection.validation import as_decimal, check_figures, check_texts, clean_text

__all__ = ["correct_value", "finish_restatement"]

_FIGURES = ("value", "numerator", "denominator", "no_data_reason", "not_measured")


def correct_value(
    value: Value,
    *,
    user: Any,
    reason: str,
    expected_version: Any,
    figure: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    no_data_reason: str = "",
    not_measured: bool = False,
    commentary: str | None = None,
) -> Value:
    """Correct a locked figure, as `user` (its data owner or a performance officer), saying
    why (`reason`, required). The corrected figures go to the approver again and a pending
    restatement keeps what the figure was. `commentary` (None: keep it) is the comment for
    the report, required as on submission when the corrected figure is red. A figure that
    is not locked is changed the usual way instead, and the same figures are refused as
    no correction; a stale edit raises `StaleEdit`."""
    input = {
        "value": figure,
        "numerator": numerator,
        "denominator": denominator,
        "no_data_reason": no_data_reason,
        "not_measured": not_measured,
        "commentary": commentary,
        "reason": reason,
        "expected_version": expected_version,
    }
    access.check_may_correct(user, value.indicator)
    with transaction.atomic():
        stored: Value = claim(
            Value.objects.select_related("indicator"), value.pk, as_version(expected_version), "figure", input
        )
        label = f"{stored.indicator.code} {stored.period.label}"
        if not stored.locked:
            raise InvalidTransition(
                f"{label} is not locked, so it is not corrected as a restatement: "
                + (
                    "change it on its entry page."
                    if stored.state != ValueState.APPROVED
                    else "a performance officer reopens it to change it."
                ),
                state=stored.state,
                input=input,
            )
        errors: dict[str, list[str]] = {}
        reason, no_data_reason = clean_text(reason), clean_text(no_data_reason)
        numbers = {
            name: as_decimal(raw, name, label, errors)
            for name, raw in (("value", figure), ("numerator", numerator), ("denominator", denominator))
        }
        if not reason:
            errors["reason"] = [
                f"{label} is locked: say why it is being corrected. The reason is shown with the restatement "
                f"on the indicator page and in the next report."
            ]
        if not errors:
            check_figures(
                stored.indicator, stored.period, *numbers.values(), no_data_reason, bool(not_measured), errors
            )
        new_commentary = stored.commentary if commentary is None else clean_text(commentary)
        check_texts(
            {"reason": reason, "no_data_reason": no_data_reason, "commentary": new_commentary}, errors
        )
        after = {**numbers, "no_data_reason": no_data_reason, "not_measured": bool(not_measured)}
        if not errors and all(getattr(stored, name) == after[name] for name in _FIGURES):
            errors["__all__"] = [
                f"{label}: these are the figures already approved, so there is nothing to correct."
            ]
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        restatement = Restatement(
            value=stored,
            reason=reason,
            lock_reason=stored.lock_reason,
            requested_by=user if access.signed_in(user) else None,
            requested_at=timezone.now(),
            **{f"was_{name}": getattr(stored, name) for name in _FIGURES},
        )
        for name, new in after.items():
            setattr(stored, name, new)
        stored.commentary = new_commentary
        check_commentary(stored, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        try:
            with transaction.atomic():
                restatement.save()
        except IntegrityError:  # one pending per figure: the row's claim makes this unreachable
            raise InvalidTransition(
                f"{label} is already being corrected.", state=stored.state, input=input
            ) from None
        stored.state = ValueState.SUBMITTED
        stored.entered_by = user
        stored.submitted_at = timezone.now()
        stored.approved_by, stored.approved_at = None, None
        stored.locked_at, stored.lock_reason = None, ""
        record_change(stored, user, f"Correction submitted: {reason}")
    for field in Value._meta.concrete_fields:
        setattr(value, field.attname, getattr(stored, field.attname))
    return value


def finish_restatement(stored: Value, user: Any) -> bool:
    """On approving `stored` (its row held): make its pending restatement, recording what the
    figure became, and lock it again; True if it restated a figure. A correction approved
    with the figures it started from restates nothing: it is withdrawn."""
    pending = Restatement.objects.filter(value=stored, state=RestatementState.PENDING).first()
    if pending is None:
        return False
    now = timezone.now()
    for name in _FIGURES:
        setattr(pending, f"now_{name}", getattr(stored, name))
    unchanged = all(getattr(pending, f"was_{name}") == getattr(stored, name) for name in _FIGURES)
    pending.state = RestatementState.WITHDRAWN if unchanged else RestatementState.RESTATED
    pending.approved_by, pending.restated_at = user, now
    pending.save()
    stored.locked_at = now
    stored.lock_reason = pending.lock_reason or "restated"
    return not unchanged
