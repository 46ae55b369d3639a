"""The workbook from the database: everything, or one committee, service or theme over a
range of periods. Importing an export into an empty database and exporting again gives
the same files (tests/exchange/test_round_trip.py).

Rows come out in the order of their natural keys (slug, code, period), never of database
ids, so two databases holding the same council write the same bytes. The organisation
(directorates to themes) is always exported whole, so a filtered export still imports
on its own; committees, indicators, targets and figures follow the filter. Each sheet
is one query (two for those with lists), whatever the council's size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from scrutineer.catalogue.access import check_may_manage
from scrutineer.catalogue.models import (
    COVER_SHEET_FIELDS,
    Committee,
    CorporateObjective,
    Directorate,
    Group,
    Indicator,
    Person,
    Portfolio,
    Priority,
    ServiceTeam,
    Target,
    Theme,
)
from scrutineer.collection.models import Value
from scrutineer.engine import Period
from scrutineer.exchange.files import Cell, Table
from scrutineer.exchange.layout import SHEETS


@dataclass(frozen=True, slots=True)
class Selection:
    """What to export: all of it, or a committee's, a service's or a theme's indicators,
    with their targets and figures from `first` to `last` (periods within those dates)."""

    committee: Committee | None = None
    service: ServiceTeam | None = None
    theme: Theme | None = None
    first: Period | None = None
    last: Period | None = None

    def indicators(self) -> QuerySet[Indicator]:
        found = Indicator.objects.all()
        if self.committee is not None:
            found = found.filter(committees=self.committee)
        if self.service is not None:
            found = found.filter(service=self.service)
        if self.theme is not None:
            found = found.filter(theme=self.theme)
        return found

    def committees(self) -> QuerySet[Committee]:
        if self.committee is not None:
            return Committee.objects.filter(pk=self.committee.pk)
        return Committee.objects.all()

    def takes(self, period: Period) -> bool:
        if self.first is not None and period.start < self.first.start:
            return False
        return not (self.last is not None and period.end > self.last.end)

    @property
    def stem(self) -> str:
        """The file name's stem: scrutineer-housing-community-2020-21-Q1-to-2020-21-Q4."""
        parts = ["scrutineer"]
        for chosen in (self.committee, self.service):
            if chosen is not None:
                parts.append(chosen.slug)
        if self.theme is not None:
            parts.append(f"theme-{self.theme.pk}")
        if self.first is not None:
            parts.append(f"from-{self.first.key}")
        if self.last is not None:
            parts.append(f"to-{self.last.key}")
        return "-".join(parts)


def export_tables(selection: Selection, *, user: Any) -> list[Table]:
    """Every sheet of the workbook for `selection`, in the layout's order. Performance
    officers only: the workbook holds figures awaiting approval and the organisation."""
    check_may_manage(user, "export the council's indicators and figures")
    people = PersonNames()
    indicators = list(
        selection.indicators()
        .select_related("service", "theme__priority", "owner", "approver", "status_rule")
        .prefetch_related("committees")
        .order_by("code")
    )
    committees = list(
        selection.committees()
        .select_related("portfolio__holder")
        .prefetch_related("services", "members", "corporate_objectives")
        .order_by("slug")
    )
    slugs = {c.slug for c in committees}
    by_id = {i.pk: i.code for i in indicators}
    indicator_ids = selection.indicators().values("pk")
    tables = {
        "directorates": [
            [d.slug, d.name, people.ref(d.head)]
            for d in Directorate.objects.select_related("head").order_by("slug")
        ],
        "groups": [
            [g.slug, g.name, g.directorate.slug, people.ref(g.head)]
            for g in Group.objects.select_related("directorate", "head").order_by("slug")
        ],
        "services": [
            [s.slug, s.name, s.group.slug, people.ref(s.team_leader), s.position]
            for s in ServiceTeam.objects.select_related("group", "team_leader").order_by("slug")
        ],
        "people": [
            [
                p.name,
                p.honorific,
                p.job_title,
                p.email,
                "councillor" if p.is_councillor else "officer",
                p.service.slug if p.service else None,
            ]
            for p in people.all
        ],
        "portfolios": [
            [p.name, people.ref(p.holder)]
            for p in Portfolio.objects.select_related("holder").order_by("name")
        ],
        "objectives": [[o.name, o.position] for o in CorporateObjective.objects.order_by("name")],
        "priorities": [
            [p.name, p.objective.name if p.objective else None, p.position]
            for p in Priority.objects.select_related("objective").order_by("name")
        ],
        "themes": [
            [t.priority.name, t.name, t.position]
            for t in Theme.objects.select_related("priority").order_by("priority__name", "name")
        ],
        "committees": [_committee_row(c, people) for c in committees],
        "indicators": [_indicator_row(i, people, slugs) for i in indicators],
        "targets": _targets(by_id, selection, indicator_ids),
        "values": _values(by_id, selection, indicator_ids),
    }
    return [Table(sheet.name, tables[sheet.name]) for sheet in SHEETS]


def template_tables() -> list[Table]:
    """The workbook with its headers and no rows: what a council fills in."""
    return [Table(sheet.name, []) for sheet in SHEETS]


class PersonNames:
    """How the workbook names a person: their email, or their name when they have none,
    or their name and job title when two people without an email share the name."""

    def __init__(self) -> None:
        self.all = list(Person.objects.select_related("service").order_by("name", "job_title", "email", "pk"))
        self._names = Counter(p.name for p in self.all)

    def ref(self, person: Person | None) -> str | None:
        if person is None:
            return None
        if person.email:
            return person.email
        if self._names[person.name] > 1:
            return f"{person.name} ({person.job_title})"
        return person.name


def _list(items: Iterable[str | None]) -> str | None:
    chosen = sorted(i for i in items if i)
    return "; ".join(chosen) if chosen else None


def _committee_row(committee: Committee, people: PersonNames) -> list[Cell]:
    return [
        committee.slug,
        committee.name,
        committee.portfolio.name if committee.portfolio else None,
        committee.table_caption,
        committee.table_as_appendix,
        committee.achievements_as_sections,
        _list(s.slug for s in committee.services.all()),
        _list(people.ref(p) for p in committee.members.all()),
        _list(o.name for o in committee.corporate_objectives.all()),
        *(getattr(committee, name) for name in COVER_SHEET_FIELDS),
    ]


def status_rule_text(indicator: Indicator) -> str | None:
    """The indicator's own status rule in the interchange format (none: its theme's or the
    site's rule judges it, which the workbook does not carry)."""
    rule = indicator.status_rule
    return rule.definition if rule is not None else None


def _indicator_row(indicator: Indicator, people: PersonNames, committees: set[str]) -> list[Cell]:
    return [
        indicator.code,
        indicator.name,
        indicator.definition,
        indicator.unit,
        indicator.measure_kind,
        indicator.polarity,
        indicator.decimal_places,
        indicator.frequency,
        indicator.aggregation,
        indicator.rate_scale,
        indicator.duration_style,
        indicator.tolerance_kind or None,
        indicator.tolerance_amount,
        indicator.service.slug,
        indicator.theme.priority.name,
        indicator.theme.name,
        people.ref(indicator.owner),
        people.ref(indicator.approver),
        _list(c.slug for c in indicator.committees.all() if c.slug in committees),
        indicator.active,
        indicator.retired_on.isoformat() if indicator.retired_on else None,
        status_rule_text(indicator),
        indicator.may_exceed_100,
    ]


def _order(code: str, period: Period) -> tuple[str, Any, int]:
    return (code, period.start, period.frequency.per_year)


def _targets(codes: dict[int, str], selection: Selection, ids: QuerySet[Any]) -> list[list[Cell]]:
    rows = []
    for indicator_id, period, value, note in Target.objects.filter(indicator_id__in=ids).values_list(
        "indicator_id", "period", "value", "note"
    ):
        if selection.takes(period):
            rows.append((_order(codes[indicator_id], period), [codes[indicator_id], period.key, value, note]))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]


def _values(codes: dict[int, str], selection: Selection, ids: QuerySet[Any]) -> list[list[Cell]]:
    rows = []
    fields = (
        "indicator_id",
        "period",
        "value",
        "numerator",
        "denominator",
        "no_data_reason",
        "not_measured",
        "note",
        "approver_comment",
        "state",
    )
    for found in Value.objects.filter(indicator_id__in=ids).values_list(*fields).iterator(chunk_size=5000):
        indicator_id, period, value, numerator, denominator, reason, not_measured, note, comment, state = (
            found
        )
        if not selection.takes(period):
            continue
        code = codes[indicator_id]
        rows.append(
            (
                _order(code, period),
                [
                    code,
                    period.key,
                    value,
                    numerator,
                    denominator,
                    reason,
                    True if not_measured else None,
                    note,
                    comment,
                    state,
                ],
            )
        )
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]
