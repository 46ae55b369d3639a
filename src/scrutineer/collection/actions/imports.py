"""Importing figures in bulk: a council's history, or a month's figures from another system.

`scrutineer.exchange` reads the values sheet of a workbook into `FigureRow`s; here they
are checked as `save_value` checks a typed figure (the same `collection.validation`
functions: figures, periods, plain text) and written in bulk, so a hundred thousand
figures import in seconds with nothing skipped:

- `plan_figures` checks every row against the stored figures and says, row by row, what
  would be new, changed (before → after) or unchanged, and what is refused and why: a
  duplicate row, a period the indicator is not collected in, a figure the engine
  refuses, and a change to a figure that is approved or awaiting approval (those change
  only through the approval pages, or by a performance officer reopening them);
- `import_figures` writes a plan with no errors, in one transaction, with a history row
  per figure naming the importer and the reason (the file's name and checksum), in one
  prepared statement for the lot (`catalogue.imports.insert_with_history`). A figure
  someone saved after the plan was made is refused as a stale edit.

Figures arrive as the file says, except that nothing arrives approved unless a
performance officer imports them as approved history and says so (`approved`): then
they are approved by that officer, and the history row says they were imported as
approved history. Without it an approved row arrives submitted, for its approver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.catalogue.imports import insert_with_history, update_with_history
from scrutineer.catalogue.models import Indicator
from scrutineer.changes import NON_FIELD, StaleEdit
from scrutineer.collection.errors import ValueRejected
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.rounds import check_open_for_entry
from scrutineer.collection.validation import (
    EDITABLE,
    as_decimal,
    check_figures,
    check_period,
    check_texts,
    clean_text,
)
from scrutineer.engine import Period
from scrutineer.engine.figures import plain

__all__ = ["FigurePlan", "FigureRow", "NewFigure", "import_figures", "plan_figures"]

_COMPARED = (
    "value",
    "numerator",
    "denominator",
    "no_data_reason",
    "not_measured",
    "note",
    "approver_comment",
)
_WORDS = {
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "no_data_reason": "no-data reason",
    "not_measured": "not measured",
    "note": "note",
    "approver_comment": "comment",
    "state": "state",
}


@dataclass(slots=True)
class FigureRow:
    """One figure as a file gives it; `where` names its row ("values row 14")."""

    indicator: Indicator
    period: Period
    value: Any = None
    numerator: Any = None
    denominator: Any = None
    no_data_reason: str = ""
    not_measured: bool = False
    note: str = ""
    comment: str = ""
    state: str = ValueState.SUBMITTED
    where: str = ""


@dataclass(slots=True)
class FigureError:
    where: str
    field: str
    message: str


@dataclass(slots=True)
class FigureChange:
    """A figure the import would create or change; `before` and `after` as people read them."""

    label: str
    kind: str  # "new" or "changed"
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class NewFigure:
    """A figure the import would create: its indicator (which the same import may be
    creating, so its id is read when it is written), its period, and the rest of its
    fields by attribute name."""

    indicator: Indicator
    period: Period
    fields: dict[str, Any]


@dataclass(slots=True)
class FigurePlan:
    """What importing the rows would do; written only by `import_figures`, and only
    when `errors` is empty."""

    approved: bool
    new: list[NewFigure] = field(default_factory=list)
    changed: list[tuple[Value, int]] = field(default_factory=list)  # the figure, the version read
    unchanged: int = 0
    changes: list[FigureChange] = field(default_factory=list)
    errors: list[FigureError] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def _arriving_state(wanted: str, approved: bool) -> str:
    if wanted == ValueState.APPROVED:
        return ValueState.APPROVED if approved else ValueState.SUBMITTED
    if wanted in (ValueState.DRAFT, ValueState.RETURNED):
        return ValueState.DRAFT
    return ValueState.SUBMITTED


def plan_figures(
    rows: Sequence[FigureRow], *, user: Any, approved: bool = False, detail: int = 1000
) -> FigurePlan:
    """Check `rows` and say what importing them would do, writing nothing. `approved`:
    the importer is a performance officer importing approved history. At most `detail`
    changes are described before → after (all are counted)."""
    plan = FigurePlan(approved=approved)
    if approved:
        access.check_may_manage(user, "import figures as approved history")
    any_period = access.may_enter_any_period(user)
    stored = _stored(rows)
    seen: dict[tuple[str, Period], str] = {}
    now = timezone.now()
    checks = _Checks()
    for row in rows:
        indicator = row.indicator
        code = indicator.code
        if code not in plan.indicators:
            access.check_may_enter(user, indicator)
            plan.indicators[code] = indicator
        key = (code, row.period)
        if key in seen:
            plan.errors.append(
                FigureError(
                    row.where,
                    "period",
                    f"{code} {row.period.label} is also in {seen[key]}: keep one row per indicator per period.",
                )
            )
            continue
        seen[key] = row.where
        existing = stored.get((indicator.pk, row.period)) if indicator.pk else None
        if not any_period:
            check_open_for_entry(user, indicator, row.period, existing)
        errors: dict[str, list[str]] = {}
        label = f"{code} {row.period.label}"
        numbers = {
            name: checks.figure(raw, name, label, errors)
            for name, raw in (
                ("value", row.value),
                ("numerator", row.numerator),
                ("denominator", row.denominator),
            )
        }
        check_period(indicator, row.period, errors)
        reason, note, comment = clean_text(row.no_data_reason), clean_text(row.note), clean_text(row.comment)
        if not errors:
            checks.figures(indicator, row.period, numbers, reason, bool(row.not_measured), errors)
        check_texts({"no_data_reason": reason, "note": note, "comment": comment}, errors)
        if errors:
            for name, messages in errors.items():
                plan.errors.extend(FigureError(row.where, name, message) for message in messages)
            continue
        fields = {
            **numbers,
            "no_data_reason": reason,
            "not_measured": bool(row.not_measured),
            "note": note,
            "approver_comment": comment,
        }
        state = _arriving_state(row.state, approved)
        if existing is None:
            plan.new.append(_new_value(indicator, row.period, fields, state, user, now))
            if len(plan.changes) < detail:
                plan.changes.append(
                    FigureChange(label, "new", after={_WORDS[k]: _shown(v) for k, v in fields.items() if v})
                )
            continue
        differs = {name for name in _COMPARED if getattr(existing, name) != fields[name]}
        if not differs and existing.state == ValueState.SUBMITTED and state == ValueState.APPROVED:
            # Never silently "unchanged": the file asks to approve a figure awaiting approval,
            # which only its approver does (four eyes), on the approval queue.
            plan.errors.append(
                FigureError(
                    row.where,
                    "state",
                    f"{label} is awaiting approval here, and the file says approved: approve it on the "
                    f"approval queue (someone who did not enter it), or leave its state blank.",
                )
            )
            continue
        if not differs and (existing.state == state or existing.state not in EDITABLE):
            plan.unchanged += 1
            continue
        if existing.state not in EDITABLE:
            plan.errors.append(FigureError(row.where, NON_FIELD, _locked(label, existing)))
            continue
        before = {_WORDS[n]: _shown(getattr(existing, n)) for n in sorted(differs)}
        after = {_WORDS[n]: _shown(fields[n]) for n in sorted(differs)}
        if existing.state != state:
            before["state"], after["state"] = existing.state, state
        version = existing.version
        for name, new in fields.items():
            setattr(existing, name, new)
        _arrive(existing, state, user, now)
        existing.version = version + 1
        plan.changed.append((existing, version))
        if len(plan.changes) < detail:
            plan.changes.append(FigureChange(label, "changed", before, after))
    return plan


class _Checks:
    """The checks a typed figure gets, each answered once per distinct input: a hundred
    thousand figures hold a few tens of thousands of distinct numbers. Only a figure that
    passes is remembered; a refused one is checked (and named) in every row that has it."""

    def __init__(self) -> None:
        self.read: dict[Any, Decimal | None] = {}
        self.passed: set[tuple[Any, ...]] = set()

    def figure(self, raw: Any, name: str, label: str, errors: dict[str, list[str]]) -> Decimal | None:
        """`as_decimal`, remembered by what was typed (as typed: 1.0 is not 1)."""
        if raw is None:
            return None
        key = raw if type(raw) is str else (type(raw), str(raw))
        found = self.read.get(key, self)
        if found is not self:
            return found  # type: ignore[return-value]
        refused: dict[str, list[str]] = {}
        number = as_decimal(raw, name, label, refused)
        if refused:
            for field_name, messages in refused.items():
                errors.setdefault(field_name, []).extend(messages)
        else:
            self.read[key] = number
        return number

    def figures(
        self,
        indicator: Indicator,
        period: Period,
        numbers: Mapping[str, Decimal | None],
        reason: str,
        not_measured: bool,
        errors: dict[str, list[str]],
    ) -> None:
        """`check_figures`, remembered by what it judges: the figures, whether there is a
        reason for no data, and the indicator's kind and rate scale. The code and period
        only name the figure in its messages."""
        key = (
            indicator.measure_kind,
            str(indicator.rate_scale),
            *(None if n is None else str(n) for n in numbers.values()),
            bool(reason),
            not_measured,
        )
        if key in self.passed:
            return
        refused: dict[str, list[str]] = {}
        check_figures(indicator, period, *numbers.values(), reason, not_measured, refused)
        if refused:
            for field_name, messages in refused.items():
                errors.setdefault(field_name, []).extend(messages)
        else:
            self.passed.add(key)


def _locked(label: str, stored: Value) -> str:
    if stored.state == ValueState.APPROVED:
        return (
            f"{label} is approved, and the file would change it. An import never overwrites an approved "
            "figure: a performance officer reopens it first (its page, Reopen), or remove the row."
        )
    return (
        f"{label} is awaiting approval, and the file would change it. Ask its approver to return it "
        "first, or remove the row."
    )


def _stored(rows: Iterable[FigureRow]) -> dict[tuple[int, Period], Value]:
    ids = {row.indicator.pk for row in rows if row.indicator.pk}
    if not ids:
        return {}
    return {(v.indicator_id, v.period): v for v in Value.objects.filter(indicator_id__in=ids)}


def _new_value(
    indicator: Indicator, period: Period, fields: Mapping[str, Any], state: str, user: Any, now: Any
) -> NewFigure:
    arrival = _arrival(state, user, now)
    for name in ("entered_by", "approved_by"):
        person = arrival.pop(name)
        arrival[f"{name}_id"] = None if person is None else person.pk
    return NewFigure(indicator, period, {**fields, "version": 1, **arrival})


def _arrive(value: Value, state: str, user: Any, now: Any) -> None:
    for name, arriving in _arrival(state, user, now).items():
        setattr(value, name, arriving)


def _arrival(state: str, user: Any, now: Any) -> dict[str, Any]:
    """A figure's state and who and when, as the import brings it."""
    approved = state == ValueState.APPROVED
    return {
        "state": state,
        "entered_by": user,
        "updated_at": now,
        "submitted_at": now if state in (ValueState.SUBMITTED, ValueState.APPROVED) else None,
        "approved_by": user if approved else None,
        "approved_at": now if approved else None,
    }


@transaction.atomic
def import_figures(plan: FigurePlan, *, user: Any, reason: str) -> dict[str, int]:
    """Write `plan` as `user`, with `reason` in every history row; how many were created,
    changed and left as they were. Refuses a plan with errors (`ValueRejected`), and a
    figure saved by someone else since the plan was made (`StaleEdit`)."""
    if plan.errors:
        raise ValueRejected.from_errors(
            {NON_FIELD: [f"{e.where}: {e.message}" for e in plan.errors]}, input={}
        )
    if plan.approved:
        access.check_may_manage(user, "import figures as approved history")
        reason = f"{reason}; imported as approved history"
    for indicator in plan.indicators.values():
        access.check_may_enter(user, indicator)
    if plan.changed:
        read = {value.pk: version for value, version in plan.changed}
        now_stored = dict(Value.objects.filter(pk__in=list(read)).values_list("pk", "version"))
        moved = [pk for pk, version in read.items() if now_stored.get(pk) != version]
        if moved:
            raise StaleEdit(
                f"{len(moved)} figure{'s were' if len(moved) != 1 else ' was'} changed by someone else "
                "since the import was checked; nothing was imported. Check the file again.",
                expected_version=None,
                current_version=None,
            )
    try:
        with transaction.atomic():
            insert_with_history(
                Value,
                [{"indicator_id": f.indicator.pk, "period": f.period, **f.fields} for f in plan.new],
                key=("indicator_id", "period"),
                user=user,
                reason=reason,
            )
            if plan.changed:
                update_with_history(
                    Value,
                    [value for value, _ in plan.changed],
                    [
                        *_COMPARED,
                        "state",
                        "entered_by",
                        "submitted_at",
                        "approved_by",
                        "approved_at",
                        "version",
                        "updated_at",
                    ],
                    user=user,
                    reason=reason,
                )
    except IntegrityError:
        raise StaleEdit(
            "Someone entered figures for some of these periods since the import was checked; nothing "
            "was imported. Check the file again.",
            expected_version=None,
            current_version=None,
        ) from None
    return {"new": len(plan.new), "changed": len(plan.changed), "unchanged": plan.unchanged}
