"""Checking a workbook whole before anything is written, and saying what it would change.

`plan_import` reads every sheet against what is stored and what the file itself holds,
and returns an `ImportPlan`: every problem (sheet, row, column and what to do), and
every row that would be new, changed (before → after) or unchanged. Nothing is written
here; `exchange.importing` hands a plan with no problems to the actions
(`catalogue.imports`, `collection.actions.imports`) inside one transaction.

Sheets are read in the order their rows depend on each other: people first (the
directorates, groups and services name their heads), then the organisation, priorities
and themes, indicators, committees (which list indicators), targets and figures. A row
may refer to rows stored already or to rows in the same file.

Only the columns a sheet has are applied: leave a column out to keep what is stored (or
the default, for a new row); a blank cell in a column that is there clears it. Lists
(a committee's services or members, an indicator's committees) are only added to.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from scrutineer.catalogue.imports import CatalogueChange, change_errors, status_rule_refusal
from scrutineer.catalogue.models import (
    AGGREGATION_CHOICES,
    COVER_SHEET_FIELDS,
    DURATION_STYLE_CHOICES,
    FREQUENCY_CHOICES,
    MEASURE_KIND_CHOICES,
    POLARITY_CHOICES,
    TOLERANCE_KIND_CHOICES,
    Committee,
    CorporateObjective,
    Directorate,
    Group,
    Indicator,
    Person,
    Portfolio,
    Priority,
    ServiceTeam,
    StatusRuleDefinition,
    Target,
    Theme,
)
from scrutineer.changes import NON_FIELD
from scrutineer.collection.actions.imports import FigurePlan, FigureRow, plan_figures
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.validation import as_decimal, clean_text
from scrutineer.engine import Frequency, Period, StatusRule, StatusRuleError
from scrutineer.engine.figures import plain
from scrutineer.exchange.cells import CellError, read_date, read_flag, read_list, read_period, read_whole
from scrutineer.exchange.files import Problem, Row, Workbook, cell_as_text
from scrutineer.exchange.layout import BY_NAME

DETAIL = 1000
"""Changes described before → after in a plan; more are counted."""


@dataclass(slots=True)
class Change:
    sheet: str
    label: str
    kind: str  # new, changed
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ImportPlan:
    """What importing a workbook would do, and what stops it."""

    problems: list[Problem] = field(default_factory=list)
    catalogue: list[CatalogueChange] = field(default_factory=list)
    figures: FigurePlan | None = None
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    changes: list[Change] = field(default_factory=list)
    figures_entered: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[tuple[str, int, int, int]]:
        """(sheet, new, changed, unchanged) for each sheet with rows."""
        return [
            (name, c["new"], c["changed"], c["unchanged"])
            for name, c in self.counts.items()
            if c["new"] or c["changed"] or c["unchanged"]
        ]

    def problems_by_sheet(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            grouped[problem.sheet or "the file"].append(problem)
        return dict(grouped)


class _RowFailed(Exception):
    pass


def _choices(pairs: list[tuple[str, str]], **aliases: str) -> dict[str, str]:
    found = {value: value for value, _ in pairs}
    found.update({label.lower(): value for value, label in pairs})
    found.update({k.replace("_", " "): v for k, v in aliases.items()})
    found.update({k.replace("_", "-"): v for k, v in aliases.items()})
    return found


# "percentage" is the kind entered as a figure (93.3 for 93.3%); a rate out of 100 is "rate".
MEASURE_KINDS = _choices(MEASURE_KIND_CHOICES, percent="percentage", money="currency")
POLARITIES = _choices(
    POLARITY_CHOICES,
    higher="higher-is-better",
    lower="lower-is-better",
    closest="closest-to-target",
    info_only="info-only",
    info="info-only",
)
FREQUENCIES = _choices(
    FREQUENCY_CHOICES, month="monthly", quarter="quarterly", year="annual", yearly="annual"
)
AGGREGATIONS = _choices(
    AGGREGATION_CHOICES,
    total="sum",
    average="mean",
    latest="last",
    year_to_date="cumulative",
    ytd="cumulative",
)
DURATION_STYLES = _choices(DURATION_STYLE_CHOICES)
TOLERANCE_KINDS = _choices(TOLERANCE_KIND_CHOICES, percent="percentage", units="absolute")
STATES = {
    "draft": ValueState.DRAFT,
    "submitted": ValueState.SUBMITTED,
    "submitted for approval": ValueState.SUBMITTED,
    "approved": ValueState.APPROVED,
    "returned": ValueState.RETURNED,
    "returned to the data owner": ValueState.RETURNED,
}


def _key(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


class Planner:
    """Reads one workbook against the database; `plan()` returns the `ImportPlan`."""

    def __init__(self, book: Workbook, *, user: Any, approved: bool = False) -> None:
        self.book = book
        self.user = user
        self.approved = approved
        self.result = ImportPlan(problems=list(book.problems))
        self._load()

    # What is stored

    def _load(self) -> None:
        self.people = list(Person.objects.all())
        self.by_email = {p.email.lower(): p for p in self.people if p.email}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in self.people:
            self.by_name[person.name.lower()].append(person)
        self.directorates = {d.slug: d for d in Directorate.objects.all()}
        self.groups = {g.slug: g for g in Group.objects.all()}
        self.services = {s.slug: s for s in ServiceTeam.objects.all()}
        self.portfolios = {p.name.lower(): p for p in Portfolio.objects.all()}
        self.objectives = {o.name.lower(): o for o in CorporateObjective.objects.all()}
        self.priorities = {p.name.lower(): p for p in Priority.objects.all()}
        self.themes = {
            (t.priority.name.lower(), t.name.lower()): t for t in Theme.objects.select_related("priority")
        }
        self.committees = {
            c.slug: c
            for c in Committee.objects.prefetch_related(
                "services", "members", "corporate_objectives", "indicators"
            )
        }
        self.indicators = {i.code.lower(): i for i in Indicator.objects.all()}
        self.rules = {r.name.lower(): r for r in StatusRuleDefinition.objects.all()}
        self.names: dict[tuple[type[models.Model], Any], str] = {}
        for registry in (self.directorates, self.groups, self.services, self.committees):
            for slug, obj in registry.items():
                self.names[(type(obj), obj.pk)] = slug
        for obj in [*self.portfolios.values(), *self.objectives.values(), *self.priorities.values()]:
            self.names[(type(obj), obj.pk)] = obj.name
        for theme in self.themes.values():
            self.names[(Theme, theme.pk)] = f"{theme.priority.name} - {theme.name}"
        for person in self.people:
            self.names[(Person, person.pk)] = person.email or person.name
        for indicator in self.indicators.values():
            self.names[(Indicator, indicator.pk)] = indicator.code
        for rule in self.rules.values():
            self.names[(StatusRuleDefinition, rule.pk)] = rule.name
        self.changes: list[CatalogueChange] = []
        self.new_rows: list[tuple[dict[Any, Any], Any]] = []
        self.failed: dict[int, set[Any]] = defaultdict(set)
        self.sheet_of = {
            id(self.directorates): "directorates",
            id(self.groups): "groups",
            id(self.services): "services",
            id(self.portfolios): "portfolios",
            id(self.objectives): "objectives",
            id(self.priorities): "priorities",
            id(self.indicators): "indicators",
        }
        self.committee_indicators: dict[str, list[Indicator]] = defaultdict(list)

    # Problems

    def problem(self, sheet: str, row: Row | None, column: str | None, message: str) -> None:
        if len(self.result.problems) < 500:
            self.result.problems.append(Problem(sheet, row.number if row else None, column, message))

    def fail(self, sheet: str, row: Row, column: str | None, message: str) -> None:
        self.problem(sheet, row, column, message)
        raise _RowFailed

    # Cells

    def has(self, sheet: str, column: str) -> bool:
        return self.book.has_column(sheet, column)

    def text(self, sheet: str, row: Row, column: str, *, required: bool = False, long: bool = False) -> str:
        raw = row.cells.get(column)
        text = cell_as_text(raw)
        text = clean_text(text) if long else " ".join(text.split()) if "\n" not in text else text.strip()
        if required and not text:
            self.fail(sheet, row, column, f"{column} is required; fill it in.")
        return text

    def read(self, sheet: str, row: Row, column: str, reader: Callable[[Any], Any]) -> Any:
        try:
            return reader(row.cells.get(column))
        except CellError as error:
            self.fail(sheet, row, column, f"{error}.")

    def choice(
        self, sheet: str, row: Row, column: str, choices: dict[str, str], *, required: bool = False
    ) -> str:
        text = self.text(sheet, row, column, required=required)
        if not text:
            return ""
        found = choices.get(_key(text)) or choices.get(text.strip().lower())
        if found is None:
            allowed = sorted({v for v in choices.values()})
            self.fail(
                sheet, row, column, f'"{text[:40]}" is not one of {", ".join(allowed)}; write one of those.'
            )
        return found

    def figure(self, sheet: str, row: Row, column: str, label: str) -> Decimal | None:
        errors: dict[str, list[str]] = {}
        value = as_decimal(row.cells.get(column), column, label, errors)
        for messages in errors.values():
            for message in messages:
                self.problem(sheet, row, column, message)
        if errors:
            raise _RowFailed
        return value

    # References

    def person(self, sheet: str, row: Row, column: str) -> Person | None:
        ref = self.text(sheet, row, column)
        if not ref:
            return None
        return self.person_named(sheet, row, column, ref)

    def person_named(self, sheet: str, row: Row, column: str, ref: str) -> Person:
        found = self.by_email.get(ref.lower())
        if found is not None:
            return found
        named = self.by_name.get(ref.lower(), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            self.fail(
                sheet,
                row,
                column,
                f'{len(named)} people are called "{ref}": name them by email, or as "{ref} (their job title)".',
            )
        match = re.fullmatch(r"(.+?)\s*\((.+)\)", ref)
        if match:
            candidates = [
                p for p in self.by_name.get(match[1].lower(), []) if p.job_title.lower() == match[2].lower()
            ]
            if len(candidates) == 1:
                return candidates[0]
        self.fail(
            sheet,
            row,
            column,
            f'nobody called "{ref[:60]}" is on the people sheet or in Scrutineer; add them to the people sheet, '
            "or check the spelling.",
        )
        raise AssertionError  # unreachable: fail raises

    def lookup(
        self,
        sheet: str,
        row: Row,
        column: str,
        registry: dict[Any, Any],
        what: str,
        *,
        required: bool = False,
    ) -> Any:
        text = self.text(sheet, row, column, required=required)
        if not text:
            return None
        key = text if what.endswith("slug") else text.lower()
        found = registry.get(key)
        if found is None:
            source = self.sheet_of.get(id(registry), "")
            if key in self.failed.get(id(registry), set()):
                self.fail(
                    sheet, row, column, f"{text[:60]} has problems on the {source} sheet; fix those first."
                )
            self.fail(
                sheet,
                row,
                column,
                f'there is no {what} "{text[:60]}"; add it to the {source or "right"} sheet, or check the spelling.',
            )
        return found

    def registry_of(self, sheet: str) -> dict[Any, Any]:
        return next(
            (
                r
                for r in (
                    self.directorates,
                    self.groups,
                    self.services,
                    self.portfolios,
                    self.objectives,
                    self.priorities,
                    self.indicators,
                )
                if self.sheet_of[id(r)] == sheet
            ),
            {},
        )

    # Changes

    def describe(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, models.Model):
            return self.names.get((type(value), value.pk), str(value)) if value.pk else str(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, Decimal):
            return plain(value)
        return str(value)

    def apply(self, instance: models.Model, values: dict[str, Any], change: Change) -> list[str]:
        changed = []
        for name, value in values.items():
            f = instance._meta.get_field(name)
            if f.is_relation:
                current = getattr(instance, f.attname)
                differs = (value is None and current is not None) or (
                    value is not None and (value.pk is None or value.pk != current)
                )
                before = self.names.get((f.related_model, current), "") if current is not None else ""
            else:
                current = getattr(instance, name)
                differs = current != value
                before = self.describe(current)
            if differs:
                changed.append(name)
                change.before[name] = before
                change.after[name] = self.describe(value)
                setattr(instance, name, value)
        return changed

    def record(
        self,
        sheet: str,
        row: Row,
        instance: models.Model,
        created: bool,
        label: str,
        values: dict[str, Any],
        add: dict[str, list[Any]] | None = None,
    ) -> CatalogueChange | None:
        if created and self.new_rows:
            registry, key = self.new_rows.pop()
            registry[key] = instance
        change = Change(sheet, label, "new" if created else "changed")
        fields = self.apply(instance, values, change)
        additions: dict[str, list[Any]] = {}
        for name, chosen in (add or {}).items():
            present = (
                set() if created or instance.pk is None else {o.pk for o in getattr(instance, name).all()}
            )
            new = [o for o in chosen if o.pk is None or o.pk not in present]
            if new:
                additions[name] = new
                change.after[name] = "+ " + "; ".join(self.describe(o) for o in new)
        if created:
            change.before = {}
        if not created and not fields and not additions:
            self.result.counts[sheet]["unchanged"] += 1
            return None
        catalogue_change = CatalogueChange(
            instance, created, tuple(fields), additions, f"{sheet} row {row.number}"
        )
        errors = change_errors(catalogue_change, self.result.figures_entered.get(instance.pk or 0, 0))
        for name, messages in errors.items():
            column = _COLUMNS.get(name, name) if name != NON_FIELD else None
            if sheet == "targets" and name == "value":
                column = "target"
            for message in messages:
                self.problem(sheet, row, column, message)
        self.result.counts[sheet][change.kind] += 1
        if len(self.result.changes) < DETAIL:
            self.result.changes.append(change)
        self.changes.append(catalogue_change)
        return catalogue_change

    def each(self, sheet: str, key: Callable[[Row], Any], handle: Callable[[Row, Any], None]) -> None:
        seen: dict[Any, int] = {}
        for row in self.book.rows(sheet):
            self.new_rows.clear()
            k = None
            try:
                k = key(row)
                if k in seen:
                    self.fail(
                        sheet,
                        row,
                        None,
                        f"this row repeats row {seen[k]} ({k if isinstance(k, str) else ' '.join(k)}); keep one.",
                    )
                seen[k] = row.number
                handle(row, k)
            except _RowFailed:
                self.failed[id(self.registry_of(sheet))].add(k)
                continue

    # The sheets, in the order they depend on each other

    def plan(self) -> ImportPlan:
        pending_services: list[tuple[Row, Person, str]] = []
        self.each("people", self._person_key, lambda row, key: self._person(row, pending_services))
        self.each(
            "directorates", lambda r: self.text("directorates", r, "slug", required=True), self._directorate
        )
        self.each("groups", lambda r: self.text("groups", r, "slug", required=True), self._group)
        self.each("services", lambda r: self.text("services", r, "slug", required=True), self._service)
        for row, person, slug in pending_services:
            try:
                service = (
                    self.lookup("people", row, "service", self.services, "service with the slug")
                    if slug
                    else None
                )
                change = next((c for c in self.changes if c.instance is person), None)
                before = person.service_id
                if (service is None and before is not None) or (
                    service is not None and (service.pk is None or service.pk != before)
                ):
                    person.service = service
                    if change is None:
                        self.changes.append(
                            CatalogueChange(person, False, ("service",), {}, f"people row {row.number}")
                        )
                        self.result.counts["people"]["changed"] += 1
                        self.result.counts["people"]["unchanged"] -= 1
                    elif "service" not in change.fields:
                        change.fields = (*change.fields, "service")
            except _RowFailed:
                continue
        self.each(
            "portfolios", lambda r: self.text("portfolios", r, "name", required=True).lower(), self._portfolio
        )
        self.each(
            "objectives", lambda r: self.text("objectives", r, "name", required=True).lower(), self._objective
        )
        self.each(
            "priorities", lambda r: self.text("priorities", r, "name", required=True).lower(), self._priority
        )
        self.each(
            "themes",
            lambda r: (
                self.text("themes", r, "priority", required=True).lower(),
                self.text("themes", r, "name", required=True).lower(),
            ),
            self._theme,
        )
        self._count_figures()
        self.each(
            "indicators", lambda r: self.text("indicators", r, "code", required=True).lower(), self._indicator
        )
        self.each("committees", lambda r: self.text("committees", r, "slug", required=True), self._committee)
        for slug, indicators in self.committee_indicators.items():
            self._add_indicators(slug, indicators)
        self._targets()
        self.result.figures = self._values()
        self.result.catalogue = self.changes
        return self.result

    def _count_figures(self) -> None:
        codes = {self.text("indicators", r, "code").lower() for r in self.book.rows("indicators")}
        ids = [self.indicators[c].pk for c in codes if c in self.indicators]
        if ids:
            counted = Counter(
                Value.objects.filter(indicator_id__in=ids).values_list("indicator_id", flat=True)
            )
            self.result.figures_entered.update(counted)

    def _person_key(self, row: Row) -> Any:
        name = self.text("people", row, "name", required=True)
        email = self.text("people", row, "email").lower()
        return email or (name.lower(), self.text("people", row, "job_title").lower())

    def _person(self, row: Row, pending: list[tuple[Row, Person, str]]) -> None:
        sheet = "people"
        name = self.text(sheet, row, "name", required=True)
        email = self.text(sheet, row, "email")
        job_title = self.text(sheet, row, "job_title")
        person = self.by_email.get(email.lower()) if email else None
        if person is None:
            person = next(
                (
                    p
                    for p in self.by_name.get(name.lower(), [])
                    if p.job_title == job_title and (not email or not p.email)
                ),
                None,
            )
        created = person is None
        if person is None:
            person = Person()
        values: dict[str, Any] = {"name": name}
        for column in ("honorific", "job_title", "email"):
            if self.has(sheet, column):
                values[column] = self.text(sheet, row, column)
        if self.has(sheet, "role"):
            role = self.choice(
                sheet, row, "role", {"officer": "officer", "councillor": "councillor", "": "officer"}
            )
            values["is_councillor"] = role == "councillor"
        self.record(sheet, row, person, created, name, values)
        if created:
            self.people.append(person)
            self.by_name[name.lower()].append(person)
        if email:
            self.by_email[email.lower()] = person
        self.names[(Person, person.pk)] = email or name
        if self.has(sheet, "service"):
            pending.append((row, person, self.text(sheet, row, "service")))

    def _named(
        self, sheet: str, row: Row, registry: dict[Any, Any], key: Any, model: type[models.Model]
    ) -> tuple[Any, bool]:
        found = registry.get(key)
        if found is None:
            self.new_rows.append((registry, key))
            return model(), True
        return found, False

    def _directorate(self, row: Row, slug: str) -> None:
        sheet = "directorates"
        directorate, created = self._named(sheet, row, self.directorates, slug, Directorate)
        values: dict[str, Any] = {"slug": slug, "name": self.text(sheet, row, "name", required=True)}
        if self.has(sheet, "head"):
            values["head"] = self.person(sheet, row, "head")
        self.record(sheet, row, directorate, created, slug, values)

    def _group(self, row: Row, slug: str) -> None:
        sheet = "groups"
        values: dict[str, Any] = {
            "slug": slug,
            "name": self.text(sheet, row, "name", required=True),
            "directorate": self.lookup(
                sheet, row, "directorate", self.directorates, "directorate with the slug", required=True
            ),
        }
        if self.has(sheet, "head"):
            values["head"] = self.person(sheet, row, "head")
        group, created = self._named(sheet, row, self.groups, slug, Group)
        self.record(sheet, row, group, created, slug, values)

    def _service(self, row: Row, slug: str) -> None:
        sheet = "services"
        values: dict[str, Any] = {
            "slug": slug,
            "name": self.text(sheet, row, "name", required=True),
            "group": self.lookup(sheet, row, "group", self.groups, "group with the slug", required=True),
        }
        if self.has(sheet, "team_leader"):
            values["team_leader"] = self.person(sheet, row, "team_leader")
        if self.has(sheet, "position"):
            values["position"] = self.read(sheet, row, "position", read_whole) or 0
        service, created = self._named(sheet, row, self.services, slug, ServiceTeam)
        self.record(sheet, row, service, created, slug, values)

    def _portfolio(self, row: Row, key: str) -> None:
        sheet = "portfolios"
        values: dict[str, Any] = {"name": self.text(sheet, row, "name", required=True)}
        if self.has(sheet, "holder"):
            values["holder"] = self.person(sheet, row, "holder")
        portfolio, created = self._named(sheet, row, self.portfolios, key, Portfolio)
        self.record(sheet, row, portfolio, created, values["name"], values)

    def _objective(self, row: Row, key: str) -> None:
        sheet = "objectives"
        values: dict[str, Any] = {"name": self.text(sheet, row, "name", required=True)}
        if self.has(sheet, "position"):
            values["position"] = self.read(sheet, row, "position", read_whole) or 0
        objective, created = self._named(sheet, row, self.objectives, key, CorporateObjective)
        self.record(sheet, row, objective, created, values["name"], values)

    def _priority(self, row: Row, key: str) -> None:
        sheet = "priorities"
        values: dict[str, Any] = {"name": self.text(sheet, row, "name", required=True)}
        if self.has(sheet, "objective"):
            values["objective"] = self.lookup(sheet, row, "objective", self.objectives, "corporate objective")
        if self.has(sheet, "position"):
            values["position"] = self.read(sheet, row, "position", read_whole) or 0
        priority, created = self._named(sheet, row, self.priorities, key, Priority)
        self.record(sheet, row, priority, created, values["name"], values)

    def _theme(self, row: Row, key: tuple[str, str]) -> None:
        sheet = "themes"
        priority = self.lookup(sheet, row, "priority", self.priorities, "priority", required=True)
        values: dict[str, Any] = {"priority": priority, "name": self.text(sheet, row, "name", required=True)}
        if self.has(sheet, "position"):
            values["position"] = self.read(sheet, row, "position", read_whole) or 0
        theme, created = self._named(sheet, row, self.themes, key, Theme)
        self.record(sheet, row, theme, created, f"{priority.name} - {values['name']}", values)

    def _indicator(self, row: Row, key: str) -> None:
        sheet = "indicators"
        code = self.text(sheet, row, "code", required=True)
        indicator, created = self._named(sheet, row, self.indicators, key, Indicator)
        values: dict[str, Any] = {"code": code, "name": self.text(sheet, row, "name", required=True)}
        for column in ("definition", "unit"):
            if self.has(sheet, column):
                values[column] = self.text(sheet, row, column, long=column == "definition")
        for column, choices in (
            ("measure_kind", MEASURE_KINDS),
            ("polarity", POLARITIES),
            ("frequency", FREQUENCIES),
            ("aggregation", AGGREGATIONS),
        ):
            values[column] = self.choice(sheet, row, column, choices, required=True)
        if self.has(sheet, "decimal_places"):
            places = self.read(sheet, row, "decimal_places", read_whole)
            values["decimal_places"] = 2 if places is None else places
        if self.has(sheet, "rate_scale"):
            scale = self.figure(sheet, row, "rate_scale", code)
            values["rate_scale"] = Decimal(100) if scale is None else scale
        if self.has(sheet, "duration_style"):
            values["duration_style"] = self.choice(sheet, row, "duration_style", DURATION_STYLES) or "seconds"
        if self.has(sheet, "tolerance_kind"):
            values["tolerance_kind"] = self.choice(sheet, row, "tolerance_kind", TOLERANCE_KINDS)
        if self.has(sheet, "tolerance_amount"):
            values["tolerance_amount"] = self.figure(sheet, row, "tolerance_amount", code)
        values["service"] = self.lookup(
            sheet, row, "service", self.services, "service with the slug", required=True
        )
        priority = self.text(sheet, row, "priority", required=True)
        theme_name = self.text(sheet, row, "theme", required=True)
        theme = self.themes.get((priority.lower(), theme_name.lower()))
        if theme is None:
            self.fail(
                sheet,
                row,
                "theme",
                f'there is no theme "{theme_name[:60]}" under the priority "{priority[:60]}"; add it to the themes sheet, '
                "or check the spelling.",
            )
        values["theme"] = theme
        for column in ("owner", "approver"):
            if self.has(sheet, column):
                values[column] = self.person(sheet, row, column)
        if self.has(sheet, "active"):
            active = row.cells.get("active")
            values["active"] = True if active in (None, "") else self.read(sheet, row, "active", read_flag)
        if self.has(sheet, "retired_on"):
            values["retired_on"] = self.read(sheet, row, "retired_on", read_date)
        if self.has(sheet, "may_exceed_100"):
            allowed = row.cells.get("may_exceed_100")
            values["may_exceed_100"] = (
                False if allowed in (None, "") else self.read(sheet, row, "may_exceed_100", read_flag)
            )
        if self.has(sheet, "status_rule"):
            self._status_rule(row, values)
        for slug in read_list(row.cells.get("committees")) if self.has(sheet, "committees") else []:
            if slug not in self.committees and not any(
                self.text("committees", r, "slug") == slug for r in self.book.rows("committees")
            ):
                self.fail(
                    sheet,
                    row,
                    "committees",
                    f'there is no committee "{slug[:60]}"; add it to the committees sheet.',
                )
            self.committee_indicators[slug].append(indicator)
        self.record(sheet, row, indicator, created, code, values)
        self.names[(Indicator, indicator.pk)] = code

    def _status_rule(self, row: Row, values: dict[str, Any]) -> None:
        """The indicator's own status rule, from its interchange JSON: the rule the catalogue
        keeps under its name, or a new one (checked by the status rules' action) added
        before the indicators that use it. Blank: none of its own."""
        sheet = "indicators"
        text = self.text(sheet, row, "status_rule", long=True)
        if not text:
            values["status_rule"] = None
            return
        try:
            rule = StatusRule.from_json(text)
        except StatusRuleError as error:
            self.fail(sheet, row, "status_rule", f"{error} (docs/status-rules.md gives the format).")
        definition = rule.to_json()
        found = self.rules.get(rule.name.lower())
        if found is None:
            refused = status_rule_refusal(text, user=self.user)
            if refused:
                self.fail(sheet, row, "status_rule", refused)
            found = StatusRuleDefinition(name=rule.name, definition=definition)
            self.rules[rule.name.lower()] = found
            self.changes.append(CatalogueChange(found, True, (), {}, f"{sheet} row {row.number}"))
            self.result.counts["status rules"]["new"] += 1
            if len(self.result.changes) < DETAIL:
                self.result.changes.append(
                    Change("status rules", rule.name, "new", after={"name": rule.name})
                )
        elif found.definition != definition:
            self.fail(
                sheet,
                row,
                "status_rule",
                f'Scrutineer keeps a different status rule called "{rule.name}". Use its definition '
                "here (export it to see it), change it on the status rules page, or give this rule "
                "another name.",
            )
        values["status_rule"] = found

    def _committee(self, row: Row, slug: str) -> None:
        sheet = "committees"
        committee, created = self._named(sheet, row, self.committees, slug, Committee)
        values: dict[str, Any] = {"slug": slug, "name": self.text(sheet, row, "name", required=True)}
        if self.has(sheet, "portfolio"):
            values["portfolio"] = self.lookup(sheet, row, "portfolio", self.portfolios, "portfolio")
        if self.has(sheet, "table_caption"):
            values["table_caption"] = self.text(sheet, row, "table_caption")
        for column in ("table_as_appendix", "achievements_as_sections"):
            if self.has(sheet, column):
                values[column] = self.read(sheet, row, column, read_flag)
        for column in COVER_SHEET_FIELDS:
            if self.has(sheet, column):
                values[column] = self.text(sheet, row, column, long=True)
        add: dict[str, list[Any]] = {}
        lists = (
            ("services", self.services, "service with the slug", "services"),
            ("objectives", self.objectives, "corporate objective", "corporate_objectives"),
        )
        for column, registry, what, attribute in lists:
            found = []
            for item in read_list(row.cells.get(column)):
                obj = registry.get(item if what.endswith("slug") else item.lower())
                if obj is None:
                    self.fail(
                        sheet,
                        row,
                        column,
                        f'there is no {what} "{item[:60]}"; add it to its sheet, or check the spelling.',
                    )
                found.append(obj)
            add[attribute] = found
        members = [
            self.person_named(sheet, row, "members", ref) for ref in read_list(row.cells.get("members"))
        ]
        for member in members:
            if not member.is_councillor:
                self.fail(
                    sheet,
                    row,
                    "members",
                    f"only councillors sit on a committee: {member} is not one (role on the people sheet).",
                )
        add["members"] = members
        add["indicators"] = self.committee_indicators.pop(slug, [])
        self.record(sheet, row, committee, created, slug, values, add)

    def _add_indicators(self, slug: str, indicators: list[Indicator]) -> None:
        committee = self.committees.get(slug)
        if committee is None:
            return
        present = {i.pk for i in committee.indicators.all()}
        new = [i for i in indicators if i.pk is None or i.pk not in present]
        if new:
            self.changes.append(
                CatalogueChange(committee, False, (), {"indicators": new}, f"committee {slug}")
            )
            self.result.counts["committees"]["changed"] += 1
            if len(self.result.changes) < DETAIL:
                self.result.changes.append(
                    Change(
                        "committees",
                        slug,
                        "changed",
                        {},
                        {"indicators": "+ " + "; ".join(i.code for i in new)},
                    )
                )

    def _targets(self) -> None:
        sheet = "targets"
        ids = [i.pk for i in self.indicators.values() if i.pk]
        stored = {}
        if self.book.rows(sheet) and ids:
            stored = {(t.indicator_id, t.period): t for t in Target.objects.filter(indicator_id__in=ids)}
        seen: dict[tuple[str, Period], int] = {}
        for row in self.book.rows(sheet):
            try:
                indicator = self.lookup(
                    sheet, row, "indicator", self.indicators, "indicator with the code", required=True
                )
                period = self.read(
                    sheet,
                    row,
                    "period",
                    lambda raw, i=indicator: read_period(
                        raw, Frequency(i.frequency) if i.frequency else None
                    ),
                )
                key = (indicator.code, period)
                if key in seen:
                    self.fail(
                        sheet,
                        row,
                        "period",
                        f"row {seen[key]} already sets {indicator.code}'s target for {period.label}; keep one.",
                    )
                seen[key] = row.number
                value = self.figure(sheet, row, "target", f"{indicator.code} {period.label}")
                if value is None:
                    self.fail(
                        sheet,
                        row,
                        "target",
                        f"give the target for {indicator.code} {period.label}, or delete the row.",
                    )
                target = stored.get((indicator.pk, period)) if indicator.pk else None
                created = target is None
                if target is None:
                    target = Target(indicator=indicator, period=period)
                values: dict[str, Any] = {"value": value}
                if self.has(sheet, "note"):
                    values["note"] = self.text(sheet, row, "note", long=True)
                self.record(sheet, row, target, created, f"{indicator.code} {period.label}", values)
            except _RowFailed:
                continue

    def _values(self) -> FigurePlan | None:
        sheet = "values"
        rows: list[FigureRow] = []
        texts = {column: self.has(sheet, column) for column in BY_NAME[sheet].column_names}
        # A hundred thousand rows name a thousand indicators and a hundred periods: each
        # is looked up once (a code or period that fails is looked up, and named, each time).
        indicators: dict[Any, Indicator] = {}
        periods: dict[tuple[Any, str], Period] = {}
        for row in self.book.rows(sheet):
            try:
                cells = row.cells
                code = cells.get("indicator")
                indicator = indicators.get(code) if isinstance(code, str) else None
                if indicator is None:
                    indicator = self.lookup(
                        sheet, row, "indicator", self.indicators, "indicator with the code", required=True
                    )
                    if isinstance(code, str):
                        indicators[code] = indicator
                raw = cells.get("period")
                known = (raw, indicator.frequency) if isinstance(raw, str) else None
                period = periods.get(known) if known else None
                if period is None:
                    frequency = Frequency(indicator.frequency) if indicator.frequency else None
                    try:
                        period = read_period(raw, frequency)
                    except CellError as error:
                        self.fail(sheet, row, "period", f"{error}.")
                    if known:
                        periods[known] = period
                state = ValueState.SUBMITTED
                if texts["state"]:
                    written = _key(cell_as_text(cells.get("state")))
                    if written:
                        state = STATES.get(written)
                        if state is None:
                            self.fail(
                                sheet,
                                row,
                                "state",
                                f'"{written[:40]}" is not a state; write draft, submitted or approved.',
                            )
                rows.append(
                    FigureRow(
                        indicator,
                        period,
                        value=_figure_cell(cells.get("value")),
                        numerator=_figure_cell(cells.get("numerator")),
                        denominator=_figure_cell(cells.get("denominator")),
                        no_data_reason=cell_as_text(cells.get("no_data_reason")),
                        not_measured=self.read(sheet, row, "not_measured", read_flag),
                        note=cell_as_text(cells.get("note")),
                        comment=cell_as_text(cells.get("comment")),
                        state=state,
                        where=f"row {row.number}",
                    )
                )
            except _RowFailed:
                continue
        if not rows:
            return None
        plan = plan_figures(rows, user=self.user, approved=self.approved, detail=DETAIL)
        number = {f"row {r.number}": r for r in self.book.rows(sheet)}
        for error in plan.errors:
            column = None if error.field == NON_FIELD else _COLUMNS.get(error.field, error.field)
            self.problem(sheet, number.get(error.where), column, error.message)
        self.result.counts[sheet]["new"] += len(plan.new)
        self.result.counts[sheet]["changed"] += len(plan.changed)
        self.result.counts[sheet]["unchanged"] += plan.unchanged
        for change in plan.changes[: max(0, DETAIL - len(self.result.changes))]:
            self.result.changes.append(Change(sheet, change.label, change.kind, change.before, change.after))
        return plan


def _figure_cell(raw: Any) -> Any:
    """A figure cell as the action reads it: a number kept as read, text as typed."""
    if raw is None or isinstance(raw, Decimal | str):
        return raw
    return cell_as_text(raw)


# Model fields named by other columns in the file.
_COLUMNS = {
    "value": "value",
    "is_councillor": "role",
    "approver_comment": "comment",
    "team_leader": "team_leader",
    "corporate_objectives": "objectives",
}


def plan_import(book: Workbook, *, user: Any, approved: bool = False) -> ImportPlan:
    """Check `book` whole against the database; write nothing."""
    return Planner(book, user=user, approved=approved).plan()
