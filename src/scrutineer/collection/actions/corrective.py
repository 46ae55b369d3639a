"""Corrective actions on red figures: what will be done, by whom, by when, and its progress.

The indicator's data owner or approver, or a performance officer, sets one on a period's
figure (`set_corrective_action`); they, or the person it is given to, record its
progress, change its date or mark it done (`update_corrective_action`). Each change
writes a history row, so the indicator page shows how it went from quarter to quarter,
and reports print an action beside its indicator's figure until it is done.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.catalogue.models import Indicator, Person
from scrutineer.changes import Rejected, as_version, claim, record_change
from scrutineer.collection.models import ActionState, CorrectiveAction
from scrutineer.collection.validation import check_texts, clean_text, parse_period
from scrutineer.engine import Frequency, Period

__all__ = ["set_corrective_action", "update_corrective_action"]


def _due(raw: Any, errors: dict[str, list[str]]) -> date | None:
    if isinstance(raw, date):
        return raw
    text = str(raw or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.setdefault("due_on", []).append(
            "Say by when it will be done, as a date such as 2021-03-31."
            if not text
            else f"“{text[:40]}” is not a date: give one such as 2021-03-31."
        )
        return None


def _owner(raw: Any, errors: dict[str, list[str]]) -> Person | None:
    if isinstance(raw, Person):
        return raw
    found = Person.objects.filter(pk=raw).first() if str(raw or "").isdigit() else None
    if found is None:
        errors.setdefault("owner", []).append("Say who will do it: choose a person.")
    return found


def set_corrective_action(
    indicator: Indicator, period: Period | str, *, user: Any, description: str, owner: Any, due_on: Any
) -> CorrectiveAction:
    """Set a corrective action on `indicator`'s figure for `period`: what will be done
    (`description`), by whom (`owner`, a person) and by when (`due_on`)."""
    access.check_may_write_corrective_actions(user, indicator)
    input = {"period": str(period), "description": description, "owner": owner, "due_on": due_on}
    errors: dict[str, list[str]] = {}
    parsed = parse_period(period, errors)
    if parsed is not None and parsed.frequency is not Frequency(indicator.frequency):
        errors.setdefault("period", []).append(
            f"{indicator.code} is collected {indicator.frequency}, not for {parsed.label}."
        )
    description = clean_text(description)
    if not description:
        errors["description"] = ["Say what will be done."]
    check_texts({"description": description}, errors)
    person, due = _owner(owner, errors), _due(due_on, errors)
    if errors or parsed is None:
        raise Rejected.from_errors(errors, input=input)
    action = CorrectiveAction(
        indicator=indicator,
        period=parsed,
        description=description,
        owner=person,
        due_on=due,
        created_by=user,
        created_at=timezone.now(),
    )
    with transaction.atomic():
        record_change(action, user, "Set")
    return action


def update_corrective_action(
    action: CorrectiveAction,
    *,
    user: Any,
    progress: str,
    expected_version: Any,
    done: bool = False,
    due_on: Any = None,
) -> CorrectiveAction:
    """Record `action`'s progress as it stands (and, optionally, a new date, or that it is
    done). Marking it done takes today as the day it was done; a done action is not
    changed again."""
    access.check_may_update_corrective_action(user, action)
    input = {"progress": progress, "done": done, "due_on": due_on, "expected_version": expected_version}
    errors: dict[str, list[str]] = {}
    progress = clean_text(progress)
    check_texts({"progress": progress}, errors)
    if not progress:
        errors["progress"] = ["Say how it is going (or what was done)."]
    new_due = _due(due_on, errors) if due_on not in (None, "") else None
    if errors:
        raise Rejected.from_errors(errors, input=input)
    with transaction.atomic():
        stored: CorrectiveAction = claim(
            CorrectiveAction.objects.all(),
            action.pk,
            as_version(expected_version),
            "corrective action",
            input,
        )
        if stored.is_done:
            raise Rejected(
                "__all__", "This corrective action is done: set a new one if more is needed.", input=input
            )
        stored.progress = progress
        if new_due is not None:
            stored.due_on = new_due
        if done:
            stored.state, stored.completed_on = ActionState.DONE, timezone.localdate()
        record_change(stored, user, "Done" if done else "Progress")
    for field in CorrectiveAction._meta.concrete_fields:
        setattr(action, field.attname, getattr(stored, field.attname))
    return action
