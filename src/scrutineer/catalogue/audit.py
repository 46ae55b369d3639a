"""Change history read back as field-level changes: who, when, what, before, after, why.

Every action that changes important data writes a history row (django-simple-history,
through `changes.record_change`; `catalogue.history` for many-to-many fields). This
module reads rows back, newest first, one entry per field changed, and writes them as
CSV. It only reads.

A linked record (a theme, a service, an owner, a committee's members, the person who
made the change) is named as it was when the row was written: from its own history row
as of then. Before its history began, it is named as its history first recorded it;
without any history, by today's name. However long the history, the names take a fixed
number of queries: one for each kind of record named, and one for its history.

`organisation_trail`, `committee_trail` and `role_trail` are the catalogue's own trails;
`collection.audit.audit_trail` is an indicator's.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from scrutineer.catalogue.history import kept_many_to_many
from scrutineer.catalogue.models import (
    Committee,
    CorporateObjective,
    Directorate,
    Group,
    Indicator,
    Person,
    Portfolio,
    Priority,
    ServiceTeam,
    SiteDefaults,
    StatusRuleDefinition,
    Theme,
    rules_in_force,
)
from scrutineer.engine import Period
from scrutineer.engine.figures import plain
from scrutineer.spreadsheets import formula_safe

__all__ = [
    "AuditEntry",
    "Source",
    "audit_csv",
    "committee_trail",
    "organisation_trail",
    "read_trail",
    "role_trail",
    "rule_sources",
]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One field changed by one saved change, as the audit trail lists it.

    `what` names the record ("Value Jun-2020", "Committee Housing & Community");
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


BOOKKEEPING = frozenset({"id", "version"})
"""Fields the entry's own time and version already say."""


@dataclass(frozen=True)
class Source:
    """History rows of one model to read: `records` (a queryset of `model.history`);
    `what(record, names)` names the record as it was; `hidden` fields are not shown;
    `only`, if given, are the only fields shown (many-to-many ones included), and rows
    that changed none of them are left out."""

    model: type[models.Model]
    records: models.QuerySet[Any]
    what: Callable[[Any, Names], str]
    hidden: Collection[str] = BOOKKEEPING
    only: Collection[str] = ()


def read_trail(sources: Sequence[Source]) -> list[AuditEntry]:
    """Every change in `sources`' history rows, newest first, field by field; of changes
    at the same moment, the earlier source first."""
    names = Names()
    loaded = []
    for source in sources:
        records = list(source.records.order_by("id", "history_date", "history_id"))
        stored = {f.name for f in source.records.model._meta.concrete_fields}
        fields = [
            f
            for f in source.model._meta.concrete_fields
            if f.name in stored and f.name not in source.hidden and (not source.only or f.name in source.only)
        ]
        many = {
            name: _links(history_model, source.model, name, source.records)
            for name, history_model in kept_many_to_many(source.model).items()
            if not source.only or name in source.only
        }
        for record in records:
            names.want_user(record.history_user_id)
            for f in fields:
                if f.is_relation:
                    names.want(f.related_model, getattr(record, f.attname))
            for name, links in many.items():
                target = source.model._meta.get_field(name).related_model
                for pk in links.get(record.history_id, ()):
                    names.want(target, pk)
        loaded.append((source, records, fields, many))
    names.fetch()

    entries: list[tuple[datetime, int, int, AuditEntry]] = []
    for rank, (source, records, fields, many) in enumerate(loaded):
        previous: dict[Any, Any] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            at = record.history_date
            common = {
                "when": at,
                "who": names.user(record.history_user_id, at),
                "what": source.what(record, names),
                "reason": record.history_change_reason or "",
            }
            changes: list[AuditEntry] = []
            if record.history_type == "-":
                changes.append(AuditEntry(field="", before="", after="Deleted", **common))
            else:
                for f in fields:
                    raw = getattr(record, f.attname)
                    was = None if before is None else getattr(before, f.attname)
                    new, old = names.show(f, raw, at), names.show(f, was, at)
                    if (raw != was if f.is_relation else new != old) and (new or old):
                        changes.append(AuditEntry(field=_label(f), before=old, after=new, **common))
                for name, links in many.items():
                    target = source.model._meta.get_field(name).related_model
                    now = set(links.get(record.history_id, ()))
                    then = set() if before is None else set(links.get(before.history_id, ()))
                    if now != then:
                        changes.append(
                            AuditEntry(
                                field=_label(source.model._meta.get_field(name)),
                                before=names.show_many(target, then, at),
                                after=names.show_many(target, now, at),
                                **common,
                            )
                        )
                if not changes and not source.only:
                    changes.append(AuditEntry(field="", before="", after="No change", **common))
            for order, entry in enumerate(changes):
                entries.append((at, rank, -order, entry))
    entries.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return [entry for *_, entry in entries]


def _links(
    history_model: type[models.Model], model: type[models.Model], name: str, records: models.QuerySet[Any]
) -> dict[int, list[Any]]:
    """The ids a many-to-many field linked to, by history row, in one query."""
    target = model._meta.get_field(name).m2m_reverse_field_name()  # type: ignore[union-attr]
    links: dict[int, list[Any]] = {}
    rows = history_model._default_manager.filter(history__in=records.values("history_id"))
    for history_id, pk in rows.values_list("history_id", f"{target}_id"):
        links.setdefault(history_id, []).append(pk)
    return links


def _label(f: models.Field[Any, Any]) -> str:
    label = str(f.verbose_name)
    return label[:1].upper() + label[1:]


class Names:
    """Records named by id in history rows, as they were at a moment: each kind of record
    is fetched in one query, with its history in another."""

    def __init__(self) -> None:
        self.user_model = get_user_model()
        self.wanted: dict[type[models.Model], set[Any]] = {}
        self.today: dict[type[models.Model], dict[Any, Any]] = {}
        self.past: dict[type[models.Model], dict[Any, tuple[list[datetime], list[Any]]]] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def want_user(self, pk: Any) -> None:
        self.want(self.user_model, pk)

    def fetch(self) -> None:
        pending = list(self.wanted)
        fetched: dict[type[models.Model], set[Any]] = {}
        while pending:
            model = pending.pop(0)
            ids = self.wanted[model] - fetched.setdefault(model, set())
            if not ids:
                continue
            fetched[model] |= ids
            self.today.setdefault(model, {}).update(model._base_manager.in_bulk(ids))
            if getattr(model._meta, "simple_history_manager_attribute", None):
                self._fetch_history(model, ids)
            if model is Theme:  # named with its priority, as it was
                for theme in [
                    *self.today[Theme].values(),
                    *(t for _, ts in self.past.get(Theme, {}).values() for t in ts),
                ]:
                    self.want(Priority, theme.priority_id)
                pending.append(Priority)

    def _fetch_history(self, model: type[models.Model], ids: set[Any]) -> None:
        history = getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]
        pk = model._meta.pk.attname  # type: ignore[union-attr]
        kept = [f.attname for f in model._meta.concrete_fields]
        past = self.past.setdefault(model, {})
        for row in history.filter(**{f"{pk}__in": ids}).order_by(pk, "history_date", "history_id"):
            then = model(**{name: getattr(row, name) for name in kept if hasattr(row, name)})
            then._deleted = row.history_type == "-"  # type: ignore[attr-defined]
            dates, rows = past.setdefault(getattr(row, pk), ([], []))
            dates.append(row.history_date)
            rows.append(then)

    def as_of(self, model: type[models.Model], pk: Any, at: datetime) -> Any:
        """The record as it was at `at`; before its history began, as it first recorded it;
        with no history, as it is today (None if it is gone)."""
        dates, rows = self.past.get(model, {}).get(pk, ([], []))
        if rows:
            return rows[max(bisect_right(dates, at) - 1, 0)]
        return self.today.get(model, {}).get(pk)

    def name(self, model: type[models.Model], pk: Any, at: datetime) -> str:
        if pk is None or pk == "":
            return ""
        obj = self.as_of(model, pk, at)
        if obj is None:
            return f"#{pk} (deleted)"
        if model is self.user_model:
            shown = obj.get_full_name() or obj.get_username()
        elif model is Theme:
            shown = f"{self.name(Priority, obj.priority_id, at)} - {obj.name}"
        else:
            shown = str(obj)
        return f"{shown} (deleted)" if getattr(obj, "_deleted", False) else shown

    def user(self, pk: Any, at: datetime) -> str:
        return "System" if pk is None else self.name(self.user_model, pk, at)

    def show(self, f: models.Field[Any, Any], raw: Any, at: datetime) -> str:
        if raw is None or raw == "":
            return ""
        if f.is_relation:
            return self.name(f.related_model, raw, at)  # type: ignore[arg-type]
        if f.choices:
            return str(dict(f.flatchoices).get(raw, raw))
        if isinstance(raw, bool):
            return "Yes" if raw else "No"
        if isinstance(raw, Decimal):
            return plain(raw)
        if isinstance(raw, Period):
            return raw.label
        if isinstance(raw, datetime):
            return timezone.localtime(raw).strftime("%d %b %Y %H:%M")
        return str(raw)

    def show_many(self, model: type[models.Model], ids: Iterable[Any], at: datetime) -> str:
        """Linked records as a sorted list, named as at `at`; indicators by their code."""
        if model is not Indicator:
            return "; ".join(sorted(self.name(model, pk, at) for pk in ids))
        codes = []
        for pk in ids:
            indicator = self.as_of(model, pk, at)
            codes.append(f"#{pk} (deleted)" if indicator is None else indicator.code)
        return "; ".join(sorted(codes))


# The catalogue's trails


def _named(noun: str) -> Callable[[Any, Names], str]:
    return lambda record, names: f"{noun} {record.name}"


def _theme(record: Any, names: Names) -> str:
    return f"Theme {names.name(Priority, record.priority_id, record.history_date)} - {record.name}"


def _person(record: Any, names: Names) -> str:
    return f"Person {record.honorific} {record.name}".replace("  ", " ")


def _user(record: Any, names: Names) -> str:
    full = f"{record.first_name} {record.last_name}".strip()
    return f"User {record.username}" + (f" ({full})" if full else "")


ROLE_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")
"""What gives a user their role: the "Performance officers" group, the flags, permissions."""


def committee_trail(committee: Committee) -> list[AuditEntry]:
    """Every change to `committee`: members, services, indicators, objectives, cover-sheet
    defaults and layout."""
    return read_trail([Source(Committee, Committee.history.filter(id=committee.pk), _named("Committee"))])


def role_trail() -> list[AuditEntry]:
    """Every change to a user's groups, permissions, and staff, superuser and active flags."""
    user_model = get_user_model()
    return read_trail([Source(user_model, user_model.history.all(), _user, only=ROLE_FIELDS)])  # type: ignore[attr-defined]


def _site(record: Any, names: Names) -> str:
    return "The site's defaults"


def organisation_trail(*, roles: bool = True) -> list[AuditEntry]:
    """Every change to committees, priorities, themes (their status rules too), corporate
    objectives, the organisation (directorates, groups, services, portfolios), people,
    status rules and the site's rule; with `roles`, users' roles too."""
    sources = [
        Source(Committee, Committee.history.all(), _named("Committee")),
        Source(StatusRuleDefinition, StatusRuleDefinition.history.all(), _named("Status rule")),
        Source(SiteDefaults, SiteDefaults.history.all(), _site),
        Source(Priority, Priority.history.all(), _named("Priority")),
        Source(Theme, Theme.history.all(), _theme),
        Source(CorporateObjective, CorporateObjective.history.all(), _named("Corporate objective")),
        Source(Directorate, Directorate.history.all(), _named("Directorate")),
        Source(Group, Group.history.all(), _named("Group")),
        Source(ServiceTeam, ServiceTeam.history.all(), _named("Service")),
        Source(Portfolio, Portfolio.history.all(), _named("Portfolio")),
        Source(Person, Person.history.all(), _person),
    ]
    if roles:
        user_model = get_user_model()
        sources.append(Source(user_model, user_model.history.all(), _user, only=ROLE_FIELDS))  # type: ignore[attr-defined]
    return read_trail(sources)


def rule_sources(indicator: Indicator) -> list[Source]:
    """What decides `indicator`'s status rule besides its own definition, for its audit
    trail: its theme's rule, the site's rule, and changes to the rule that judges it now."""
    in_force = rules_in_force([indicator])[indicator.pk].definition
    sources = [
        Source(Theme, Theme.history.filter(id=indicator.theme_id), _theme, only=("status_rule",)),
        Source(SiteDefaults, SiteDefaults.history.all(), _site, only=("status_rule",)),
    ]
    if in_force is not None:
        sources.append(
            Source(
                StatusRuleDefinition,
                StatusRuleDefinition.history.filter(id=in_force.pk),
                _named("Status rule"),
                only=("name", "definition"),
            )
        )
    return sources


_AUDIT_COLUMNS = ("When", "Who", "What", "Field", "Before", "After", "Reason")


def audit_csv(entries: Iterable[AuditEntry]) -> str:
    """An audit trail as CSV text (CRLF line ends); times in ISO 8601, local time.

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
