"""The audit trail of an indicator, read back from its history rows, and its CSV.

Every action that changes an indicator, its targets or its figures writes a history
row (django-simple-history, through `changes.record_change`); this module reads them
back as field-level changes, newest first. It only reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from scrutineer.catalogue.models import Indicator, Target
from scrutineer.collection.models import Value, ValueState
from scrutineer.engine import Period
from scrutineer.engine.figures import plain
from scrutineer.spreadsheets import formula_safe

__all__ = ["AuditEntry", "audit_csv", "audit_trail"]


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


def audit_trail(indicator: Indicator, *, approved_only: bool = False) -> list[AuditEntry]:
    """Every change to `indicator`'s definition, targets and values, newest first, field by field.

    `approved_only` is for readers who see a figure only once it is approved (councillors,
    see `catalogue.access.sees_unapproved`): of the figures' history they see the
    approvals alone, each compared with the approval before it, never a draft.
    """
    values = Value.history.filter(indicator_id=indicator.pk)
    if approved_only:
        values = values.filter(state=ValueState.APPROVED)
    sources: list[tuple[type[models.Model], models.QuerySet[Any], Any]] = [
        (Indicator, Indicator.history.filter(id=indicator.pk), lambda record: "Indicator definition"),
        (Target, Target.history.filter(indicator_id=indicator.pk), lambda r: f"Target {r.period.label}"),
        (Value, values, lambda r: f"Value {r.period.label}"),
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
