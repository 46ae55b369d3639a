"""Collecting figures: every change to a `Value` or an `Achievement` goes through here.

The web app, the API and imports call these actions and never `save()` a figure
themselves (the Zulip model, see STYLE.md). Each action:

- is atomic: it changes everything it should or nothing;
- checks who may do it, raising `PermissionDenied` with a message that says who can;
- checks the state the figure is in, raising `InvalidTransition` when the move is not
  allowed from there (draft → submitted → approved, or → returned and back to submitted;
  an approved figure changes only by `reopen_value`);
- refuses a stale edit: callers pass the `version` they showed the user, the action
  claims the row with a conditional UPDATE on that version, and `StaleEdit` is raised
  if someone else saved first, so two concurrent saves can never both win;
- validates figures with the engine (`scrutineer.engine.figure`) and raises
  `ValueRejected` with errors per form field, prefixed "CSU11 Jun-2020: ";
- writes a history row (django-simple-history) with who, when, the state after the
  change and the reason; `audit_trail` reads those rows back as field-level changes.

Exceptions carry what the user typed (`.input`), so a form can show it again: nothing
typed is silently lost.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from scrutineer.catalogue.models import Indicator, Person, ServiceTeam, Target
from scrutineer.changes import NON_FIELD, ChangeError, Rejected, StaleEdit, claim, record_change, stale
from scrutineer.collection.models import Achievement, Value, ValueState
from scrutineer.engine import (
    FigureError,
    Frequency,
    IncompleteRateError,
    MeasureKind,
    NegativeFigureError,
    NonFiniteFigureError,
    NumeratorExceedsDenominatorError,
    Observation,
    Period,
    PeriodKeyError,
    ZeroDenominatorError,
    figure,
)
from scrutineer.engine.figures import plain
from scrutineer.spreadsheets import formula_safe
from scrutineer.web.permissions import is_performance_officer

__all__ = [
    "AchievementsAwaiting",
    "AuditEntry",
    "CollectionError",
    "InvalidTransition",
    "StaleEdit",
    "ValueRejected",
    "achievements_awaiting_approval",
    "approve_achievements",
    "approve_value",
    "audit_csv",
    "audit_trail",
    "bulk_approve",
    "check_may_approve_achievements",
    "may_approve_achievements",
    "reopen_value",
    "return_value",
    "save_achievement",
    "save_value",
    "submit_value",
]

EDITABLE = (ValueState.DRAFT, ValueState.RETURNED)
"""States in which a figure may be changed, and from which it may be submitted."""

# Kinds whose figure counts or times something, so it is never below 0.
_NEVER_NEGATIVE = {MeasureKind.COUNT: "a count", MeasureKind.DURATION: "a duration"}


# Errors


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


# Who may do what


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _is_person(person: Any, user: Any) -> bool:
    return person is not None and person.user_id is not None and person.user_id == user.pk


def _may_enter(user: Any, indicator: Indicator) -> bool:
    return _signed_in(user) and (_is_person(indicator.owner, user) or is_performance_officer(user))


def _may_approve(user: Any, indicator: Indicator) -> bool:
    return _signed_in(user) and (_is_person(indicator.approver, user) or is_performance_officer(user))


def _check_may_enter(user: Any, indicator: Indicator) -> None:
    if not _may_enter(user, indicator):
        owner = f" ({indicator.owner})" if indicator.owner else ""
        raise PermissionDenied(
            f"Only {indicator.code}'s data owner{owner} or a performance officer can enter "
            f"and submit its figures."
        )


def _check_may_approve(user: Any, indicator: Indicator, verb: str) -> None:
    if not _may_approve(user, indicator):
        approver = f" ({indicator.approver})" if indicator.approver else ""
        raise PermissionDenied(
            f"Only {indicator.code}'s approver{approver} or a performance officer can {verb} its figures."
        )


def _check_not_own_entry(user: Any, stored: Value, verb: str) -> None:
    """Four eyes: whoever last entered the figure never signs it off, whatever their role."""
    if stored.entered_by_id is not None and stored.entered_by_id == user.pk:
        raise PermissionDenied(f"You entered this figure, so someone else must {verb} it.")


# Plain text


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--|<![A-Za-z\[]|<\?")


def _plain_text_error(text: str) -> str | None:
    """Why `text` is not plain text, or None. Reports lay text out themselves."""
    found = _TAG.search(text)
    if found is None:
        return None
    return (
        f'Text only, please: "{found.group(0)[:40]}" looks like an HTML tag. Remove it; reports '
        f'lay text out themselves (a blank line starts a new paragraph, a line starting "- " '
        f"is a bullet point)."
    )


def _clean_text(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_texts(texts: Mapping[str, str], errors: dict[str, list[str]]) -> None:
    for field, text in texts.items():
        problem = _plain_text_error(text)
        if problem:
            errors.setdefault(field, []).append(problem)


# Figures


_FIGURE_FIELD = Value._meta.get_field("value")
_MAX_PLACES: int = _FIGURE_FIELD.decimal_places  # type: ignore[attr-defined]
_MAX_WHOLE_DIGITS: int = _FIGURE_FIELD.max_digits - _MAX_PLACES  # type: ignore[attr-defined]


def _as_decimal(raw: Any, field: str, prefix: str, errors: dict[str, list[str]]) -> Decimal | None:
    """The figure typed in `raw` (Decimal, int, or text such as "19,498"), or None if blank."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        errors.setdefault(field, []).append(f"{prefix}: {field} {raw!r} is not a number.")
        return None
    try:
        if isinstance(raw, Decimal):
            number = raw
        elif isinstance(raw, int | float):
            number = Decimal(str(raw))
        else:
            number = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        errors.setdefault(field, []).append(
            f'{prefix}: {field} "{raw}" is not a number; enter digits, e.g. 640 or 79.33.'
        )
        return None
    if number.is_finite():
        reduced = number.normalize()
        exponent = int(reduced.as_tuple().exponent)
        if -exponent > _MAX_PLACES:
            errors.setdefault(field, []).append(
                f"{prefix}: {field} {plain(number)} has more than {_MAX_PLACES} decimal places; "
                f"round it to {_MAX_PLACES} or fewer."
            )
            return None
        if reduced.adjusted() >= _MAX_WHOLE_DIGITS:
            errors.setdefault(field, []).append(
                f"{prefix}: {field} {plain(number)} is too large to store "
                f"(at most {_MAX_WHOLE_DIGITS} digits before the decimal point)."
            )
            return None
    return number


def _engine_error_field(
    error: FigureError, value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None
) -> str:
    """The form field an engine error is about."""
    if isinstance(error, NumeratorExceedsDenominatorError):
        return "numerator"
    if isinstance(error, ZeroDenominatorError):
        return "denominator"
    if isinstance(error, NegativeFigureError):
        return "numerator" if numerator is not None and numerator < 0 else "denominator"
    if isinstance(error, IncompleteRateError):
        if numerator is None and denominator is None:
            return "value"
        return "numerator" if numerator is None else "denominator"
    if isinstance(error, NonFiniteFigureError):
        for name, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
            if number is not None and not number.is_finite():
                return name
    return NON_FIELD


def _check_figures(
    indicator: Indicator,
    period: Period,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    no_data_reason: str,
    not_measured: bool,
    errors: dict[str, list[str]],
) -> None:
    """Add to `errors` whatever the engine (and the store) would refuse in these figures."""
    prefix = f"{indicator.code} {period.label}"
    kind = MeasureKind(indicator.measure_kind)

    def engine(
        value: Decimal | None = None, numerator: Decimal | None = None, denominator: Decimal | None = None
    ) -> None:
        try:
            observation = Observation(
                period=period, value=value, numerator=numerator, denominator=denominator
            )
            figure(observation, kind, indicator.rate_scale)
        except FigureError as error:
            field = _engine_error_field(error, value, numerator, denominator)
            errors.setdefault(field, []).append(f"{indicator.code} {error}")

    if kind is MeasureKind.RATE:
        if value is not None:  # the engine's own refusal of a typed rate
            engine(value=value)
        engine(numerator=numerator, denominator=denominator)
    else:
        for name, number in (("numerator", numerator), ("denominator", denominator)):
            if number is not None:
                errors.setdefault(name, []).append(
                    f"{prefix}: {indicator.code} is measured as one figure, not a fraction; "
                    f"enter it as the value and leave numerator and denominator blank."
                )
        engine(value=value)
        if value is not None and value.is_finite() and value < 0 and kind in _NEVER_NEGATIVE:
            error = NegativeFigureError(
                f"{period.label}: value {plain(value)} is negative; {_NEVER_NEGATIVE[kind]} cannot be below 0"
            )
            errors.setdefault("value", []).append(f"{indicator.code} {error}")
    has_figure = value is not None or numerator is not None or denominator is not None

    if not has_figure and not not_measured and not no_data_reason:
        errors.setdefault("no_data_reason", []).append(
            f"{prefix}: there is no figure, so say why in the reason for no data "
            f'(e.g. "Service closed due to CV-19"); a gap is never reported as zero.'
        )
    if has_figure and not not_measured and no_data_reason:
        errors.setdefault("no_data_reason", []).append(
            f"{prefix}: there is a figure, so leave the reason for no data blank, or mark the "
            f"figure as not measured if it is not a real measurement (say why in the reason)."
        )


def _parse_period(period: Period | str, errors: dict[str, list[str]]) -> Period | None:
    if isinstance(period, Period):
        return period
    try:
        return Period.parse(str(period))
    except PeriodKeyError as error:
        errors.setdefault("period", []).append(str(error))
        return None


def _check_period(indicator: Indicator, period: Period, errors: dict[str, list[str]]) -> None:
    frequency = Frequency(indicator.frequency)
    if period.frequency is not frequency:
        example = Period.containing(timezone.localdate(), frequency).previous()
        errors.setdefault("period", []).append(
            f"{indicator.code} is collected {frequency.value}, so enter figures for "
            f"{_a_period(frequency)} (e.g. {example.label}), not {period.label}."
        )
    elif indicator.retired_on is not None and period.start > indicator.retired_on:
        errors.setdefault("period", []).append(
            f"{indicator.code} was retired on {indicator.retired_on:%d %B %Y}, before {period.label} began."
        )


def _a_period(frequency: Frequency) -> str:
    return {Frequency.MONTHLY: "a month", Frequency.QUARTERLY: "a quarter"}.get(frequency, "a financial year")


# Optimistic locking


def _version(expected_version: Any) -> int | None:
    return None if expected_version is None else int(expected_version)


def _load(value: Value, expected_version: Any, input: Mapping[str, Any]) -> Value:
    """Claim `value`'s row at `expected_version` and load it with what the rules need."""
    rows = Value.objects.select_related("indicator__owner", "indicator__approver")
    stored: Value = claim(rows, value.pk, _version(expected_version), "figure", input)
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
    expected_version: int | None = None,
    reason: str = "",
) -> Value:
    """Create or change `indicator`'s draft figure for `period`, as `user`.

    The indicator's data owner or a performance officer may, while the figure is new,
    a draft or returned. `expected_version` is the version the user opened (None for a
    new figure); if another save came first, `StaleEdit`. Invalid figures raise
    `ValueRejected` and change nothing. `reason` is kept in the audit trail.
    """
    input = {
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "no_data_reason": no_data_reason,
        "not_measured": not_measured,
        "note": note,
        "reason": reason,
        "expected_version": expected_version,
    }
    _check_may_enter(user, indicator)
    errors: dict[str, list[str]] = {}
    parsed = _parse_period(period, errors)
    if parsed is None:
        raise ValueRejected.from_errors(errors, input=input)
    label = f"{indicator.code} {parsed.label}"

    with transaction.atomic():
        existing = Value.objects.filter(indicator=indicator, period=parsed).first()
        if existing is not None:
            stored = claim(Value.objects.all(), existing.pk, _version(expected_version), "figure", input)
            if stored.state not in EDITABLE:
                raise _not_editable(label, stored.state, input)
        elif expected_version is not None:
            raise stale("figure", _version(expected_version), None, input)

        no_data_reason, note, reason = _clean_text(no_data_reason), _clean_text(note), _clean_text(reason)
        numbers = {
            name: _as_decimal(raw, name, label, errors)
            for name, raw in (("value", value), ("numerator", numerator), ("denominator", denominator))
        }
        _check_period(indicator, parsed, errors)
        if not errors:
            _check_figures(indicator, parsed, *numbers.values(), no_data_reason, bool(not_measured), errors)
        _check_texts({"no_data_reason": no_data_reason, "note": note, "reason": reason}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)

        fields = {
            **numbers,
            "no_data_reason": no_data_reason,
            "not_measured": bool(not_measured),
            "note": note,
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
    """Send a draft or returned figure to its approver (owner or performance officer)."""
    input = {"expected_version": expected_version}
    _check_may_enter(user, value.indicator)
    with transaction.atomic():
        stored = _load(value, expected_version, input)
        label = _label(stored)
        if stored.state not in EDITABLE:
            already = "awaiting approval" if stored.state == ValueState.SUBMITTED else "approved"
            raise InvalidTransition(f"{label} is already {already}.", state=stored.state, input=input)
        errors: dict[str, list[str]] = {}
        _check_figures(
            stored.indicator,
            stored.period,
            stored.value,
            stored.numerator,
            stored.denominator,
            stored.no_data_reason,
            stored.not_measured,
            errors,
        )
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


def approve_value(value: Value, *, user: Any, comment: str = "", expected_version: int) -> Value:
    """Approve a submitted figure: the indicator's approver or a performance officer, never
    whoever entered it. `comment` becomes the approver's comment printed in reports."""
    input = {"comment": comment, "expected_version": expected_version}
    comment = _clean_text(comment)
    _check_may_approve(user, value.indicator, "approve")
    with transaction.atomic():
        stored = _load(value, expected_version, input)
        _check_not_own_entry(user, stored, "approve")
        _check_submitted(stored, "approve", input)
        errors: dict[str, list[str]] = {}
        _check_texts({"comment": comment}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        stored.state = ValueState.APPROVED
        stored.approved_by = user
        stored.approved_at = timezone.now()
        stored.approver_comment = comment
        record_change(stored, user, "Approved")
    return _refresh(value, stored)


def return_value(value: Value, *, user: Any, comment: str, expected_version: int) -> Value:
    """Send a submitted figure back to its data owner, saying why (the approver's comment)."""
    input = {"comment": comment, "expected_version": expected_version}
    comment = _clean_text(comment)
    _check_may_approve(user, value.indicator, "return")
    with transaction.atomic():
        stored = _load(value, expected_version, input)
        _check_not_own_entry(user, stored, "return")
        _check_submitted(stored, "return", input)
        errors: dict[str, list[str]] = {}
        if not comment:
            errors["comment"] = [
                f"{_label(stored)}: say what needs correcting, so the data owner knows what to change."
            ]
        _check_texts({"comment": comment}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        stored.state = ValueState.RETURNED
        stored.approver_comment = comment
        record_change(stored, user, comment)
    return _refresh(value, stored)


def bulk_approve(values: Iterable[Value], *, user: Any) -> tuple[list[Value], list[tuple[Value, str]]]:
    """Approve each figure `user` may, each in its own transaction, at the version loaded.

    Returns the approved figures and, for the rest, each with the reason it was refused.
    """
    approved: list[Value] = []
    refused: list[tuple[Value, str]] = []
    for value in values:
        try:
            approved.append(approve_value(value, user=user, expected_version=value.version))
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
    if not (_signed_in(user) and is_performance_officer(user)):
        raise PermissionDenied("Only a performance officer can reopen an approved figure.")
    reason = _clean_text(reason)
    with transaction.atomic():
        stored = _load(value, expected, input)
        if stored.state != ValueState.APPROVED:
            raise InvalidTransition(
                f"{_label(stored)} is not approved ({stored.get_state_display().lower()}), so there is "
                f"nothing to reopen; it can be changed as it is.",
                state=stored.state,
                input=input,
            )
        errors: dict[str, list[str]] = {}
        if not reason:
            errors["reason"] = [
                f"{_label(stored)}: say why the approved figure is being reopened; the audit trail keeps it."
            ]
        _check_texts({"reason": reason}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)
        stored.state = ValueState.DRAFT
        stored.approved_by = None
        stored.approved_at = None
        stored.submitted_at = None
        record_change(stored, user, reason)
    return _refresh(value, stored)


# Achievements


def save_achievement(
    service: ServiceTeam,
    period: Period | str,
    position: int,
    body: str,
    *,
    user: Any,
    expected_version: int | None = None,
    reason: str = "",
) -> Achievement:
    """Create or change a service's achievement at `position` for a quarter, as a draft.

    The service's team leader or a performance officer may. `body` is plain text (blank
    lines between paragraphs, "- " for bullets); anything that looks like an HTML tag is
    refused. As with figures, `expected_version` is the version the user opened (None
    for a new one). An approved or submitted achievement is not changed here.
    """
    input = {"body": body, "position": position, "expected_version": expected_version, "reason": reason}
    if not (_signed_in(user) and (_is_person(service.team_leader, user) or is_performance_officer(user))):
        leader = f" ({service.team_leader})" if service.team_leader else ""
        raise PermissionDenied(
            f"Only {service.name}'s team leader{leader} or a performance officer can write its achievements."
        )
    errors: dict[str, list[str]] = {}
    parsed = _parse_period(period, errors)
    if parsed is None:
        raise ValueRejected.from_errors(errors, input=input)
    body, reason = _clean_text(body), _clean_text(reason)
    with transaction.atomic():
        existing = Achievement.objects.filter(service=service, period=parsed, position=position).first()
        if existing is not None:
            stored = claim(
                Achievement.objects.all(), existing.pk, _version(expected_version), "achievement", input
            )
            if stored.state not in EDITABLE:
                raise InvalidTransition(
                    f"{service.name}'s achievement {position} for {parsed.label} is "
                    f"{stored.get_state_display().lower()}, so it cannot be changed here.",
                    state=stored.state,
                    input=input,
                )
        elif expected_version is not None:
            raise stale("achievement", _version(expected_version), None, input)

        if parsed.frequency is not Frequency.QUARTERLY:
            errors["period"] = [
                f"Achievements are reported for a quarter (e.g. Q1 2020/21), not {parsed.label}."
            ]
        if not isinstance(position, int) or isinstance(position, bool) or position < 1:
            errors["position"] = [
                "The position is a whole number from 1: achievements are numbered in order."
            ]
        if not body:
            errors["body"] = ["Write the achievement: it cannot be empty."]
        _check_texts({"body": body, "reason": reason}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)

        if existing is None:
            created = Achievement(
                service=service, period=parsed, position=position, body=body, state=ValueState.DRAFT
            )
            try:
                with transaction.atomic():
                    record_change(created, user, reason or "Written")
            except IntegrityError:
                current = (
                    Achievement.objects.filter(service=service, period=parsed, position=position)
                    .values_list("version", flat=True)
                    .first()
                )
                if current is None:
                    raise
                raise stale("achievement", None, current, input) from None
            return created
        stored.body = body
        stored.state = ValueState.DRAFT
        record_change(stored, user, reason or "Edited")
        return stored


# Audit trail


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One field changed by one saved change, as the audit trail lists it.

    `what` names the record ("Value Jun-2020", "Target 2020/21", "Indicator definition");
    `field` is the field's label ("" when a change touched no field, or for a deletion);
    `before` and `after` are as people read them ("" for nothing).
    """

    when: datetime
    who: str
    what: str
    field: str
    before: str
    after: str
    reason: str


# Bookkeeping that the entry's own time and version already say.
_NOT_AUDITED = {"id", "version", "updated_at", "submitted_at", "approved_at", "indicator"}


def audit_trail(indicator: Indicator) -> list[AuditEntry]:
    """Every change to `indicator`'s definition, targets and values, newest first, field by field."""
    sources: list[tuple[type[models.Model], models.QuerySet[Any], Any]] = [
        (Indicator, Indicator.history.filter(id=indicator.pk), lambda record: "Indicator definition"),
        (Target, Target.history.filter(indicator_id=indicator.pk), lambda r: f"Target {r.period.label}"),
        (Value, Value.history.filter(indicator_id=indicator.pk), lambda r: f"Value {r.period.label}"),
    ]
    loaded = [
        (model, list(records.order_by("id", "history_date", "history_id")), what)
        for model, records, what in sources
    ]

    names = _Names()
    for model, records, _ in loaded:
        for record in records:
            names.want(model, record)
    names.fetch()

    entries: list[tuple[datetime, int, int, AuditEntry]] = []
    for rank, (model, records, what) in enumerate(loaded):
        fields = [f for f in model._meta.concrete_fields if f.name not in _NOT_AUDITED]
        previous: dict[int, Any] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            common = {
                "when": record.history_date,
                "who": names.user(record.history_user_id),
                "what": what(record),
                "reason": record.history_change_reason or "",
            }
            changes: list[AuditEntry] = []
            if record.history_type == "-":
                changes.append(AuditEntry(field="", before="", after="Deleted", **common))
            else:
                for field in fields:
                    new = names.show(field, getattr(record, field.attname))
                    old = "" if before is None else names.show(field, getattr(before, field.attname))
                    if new != old:
                        changes.append(AuditEntry(field=_field_label(field), before=old, after=new, **common))
                if not changes:
                    changes.append(AuditEntry(field="", before="", after="No change", **common))
            for order, entry in enumerate(changes):
                entries.append((record.history_date, rank, -order, entry))
    entries.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return [entry for *_, entry in entries]


def _field_label(field: models.Field[Any, Any]) -> str:
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


class _Names:
    """People, services and themes named by id in history rows, fetched in one query per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = {}
        self.found: dict[type[models.Model], dict[Any, Any]] = {}
        from django.contrib.auth import get_user_model

        self.user_model = get_user_model()

    def want(self, model: type[models.Model], record: Any) -> None:
        self.wanted.setdefault(self.user_model, set()).add(record.history_user_id)
        for field in model._meta.concrete_fields:
            if field.is_relation and field.name not in _NOT_AUDITED:
                self.wanted.setdefault(field.related_model, set()).add(getattr(record, field.attname))

    def fetch(self) -> None:
        for model, ids in self.wanted.items():
            ids.discard(None)
            self.found[model] = model._base_manager.in_bulk(ids) if ids else {}

    def user(self, pk: Any) -> str:
        if pk is None:
            return "System"
        user = self.found.get(self.user_model, {}).get(pk)
        if user is None:
            return f"User #{pk} (deleted)"
        return user.get_full_name() or user.get_username()

    def show(self, field: models.Field[Any, Any], raw: Any) -> str:
        if raw is None or raw == "":
            return ""
        if field.is_relation:
            if field.related_model is self.user_model:
                return self.user(raw)
            obj = self.found.get(field.related_model, {}).get(raw)
            return str(obj) if obj is not None else f"#{raw} (deleted)"
        if field.choices:
            return str(dict(field.flatchoices).get(raw, raw))
        if isinstance(raw, bool):
            return "Yes" if raw else "No"
        if isinstance(raw, Decimal):
            return plain(raw)
        if isinstance(raw, Period):
            return raw.label
        if isinstance(raw, datetime):
            return timezone.localtime(raw).strftime("%d %b %Y %H:%M")
        return str(raw)


_AUDIT_COLUMNS = ("When", "Who", "What", "Field", "Before", "After", "Reason")


def audit_csv(entries: Iterable[AuditEntry]) -> str:
    """The audit trail as CSV text (CRLF line ends); times in ISO 8601, local time.

    Typed text that a spreadsheet would run as a formula gets a leading apostrophe, as
    the report CSV does; plain numbers ("-5") are left as they are.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_AUDIT_COLUMNS)
    for entry in entries:
        writer.writerow(
            [
                timezone.localtime(entry.when).isoformat(timespec="seconds"),
                *(
                    formula_safe(text)
                    for text in (entry.who, entry.what, entry.field, entry.before, entry.after, entry.reason)
                ),
            ]
        )
    return out.getvalue()


def may_approve_achievements(user: Any, service: ServiceTeam) -> bool:
    """Performance officers, or the head of the service's group; never its own team leader.

    `achievements_awaiting_approval` asks the same in one query for every service: change both together.
    """
    if not _signed_in(user):
        return False
    if service.team_leader_id and _is_person(service.team_leader, user):
        return False
    if is_performance_officer(user):
        return True
    head = service.group.head if service.group_id else None
    return head is not None and _is_person(head, user)


def check_may_approve_achievements(user: Any, service: ServiceTeam) -> None:
    if not may_approve_achievements(user, service):
        raise PermissionDenied(
            f"Only a performance officer or the head of {service.name}'s group, and never its team "
            "leader, can approve its achievements."
        )


@dataclass(frozen=True, slots=True)
class AchievementsAwaiting:
    """One service's draft achievements for one quarter, as an approver is shown them.

    `drafts` holds each draft's (id, version) in report order: the approve form sends them
    back, so approving approves exactly what was shown (see `approve_achievements`).
    """

    service: ServiceTeam
    period: Period
    drafts: tuple[tuple[int, int], ...]

    @property
    def count(self) -> int:
        return len(self.drafts)


def achievements_awaiting_approval(user: Any) -> list[AchievementsAwaiting]:
    """Every service and quarter with draft achievements that `user` may approve, oldest
    quarter first, then services in report order. Two queries, however large the council."""
    if not _signed_in(user):
        return []
    person = Person.objects.filter(user=user).first()
    drafts = Achievement.objects.filter(state=ValueState.DRAFT)
    if not is_performance_officer(user):
        if person is None:
            return []
        drafts = drafts.filter(service__group__head=person)
    if person is not None:
        drafts = drafts.exclude(service__team_leader=person)  # never their own team's
    found: dict[tuple[int, Period], list[Achievement]] = {}
    for achievement in drafts.select_related("service").order_by(
        "period", "service__position", "service__name", "position"
    ):
        found.setdefault((achievement.service_id, achievement.period), []).append(achievement)
    return [
        AchievementsAwaiting(
            service=items[0].service, period=period, drafts=tuple((a.pk, a.version) for a in items)
        )
        for (_, period), items in found.items()
    ]


@transaction.atomic
def approve_achievements(
    service: ServiceTeam,
    period: Period | str,
    *,
    user: Any,
    expected: Iterable[tuple[int, int]] | None = None,
) -> int:
    """Approve a service's draft achievements for a quarter, so reports include them.

    Returns how many were approved. The team leader who wrote them cannot approve them.
    `expected` is the (id, version) of each draft the approver was shown: if a draft was
    added, edited or removed since, `StaleEdit` and nothing is approved, so nobody approves
    text they have not seen. None approves the drafts as they are now (for scripts).
    """
    check_may_approve_achievements(user, service)
    key = period if isinstance(period, Period) else Period.parse(period)
    drafts = list(
        Achievement.objects.select_for_update()
        .filter(service=service, period=key, state=ValueState.DRAFT)
        .order_by("position")
    )
    if expected is not None:
        shown = set(expected)
        now = {(a.pk, a.version) for a in drafts}
        if shown != now:
            if len(shown) != len(now):
                what = f"there were {_drafts(len(shown))} then and {_drafts(len(now))} now"
            else:
                what = "a draft was edited since"
            raise StaleEdit(
                f"{service.name}'s achievements for {key.label} changed after you opened the page: "
                f"{what}. Nothing was approved: read them again, then approve.",
                expected_version=None,
                current_version=None,
                input={"expected": sorted(shown)},
            )
    for achievement in drafts:
        achievement.state = ValueState.APPROVED
        achievement.version += 1
        record_change(achievement, user, "Approved for the committee report")
    return len(drafts)


def _drafts(count: int) -> str:
    return f"{count} draft{'s' if count != 1 else ''}"
