"""Reading the organisation's people: whom a list offers, what uses a row, who does what.

Reads only; `catalogue.organisation` changes them. A deactivated person
(`Person.active` False) is no longer offered in lists of people to choose, but stays
named wherever they are already chosen, and in every figure, approval and history row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from scrutineer.catalogue.models import Committee, Indicator, Person, ServiceTeam

__all__ = ["Holder", "ServiceRoles", "choosable_people", "is_deactivated", "uses_of", "who_does_what"]

USES_SHOWN = 5
"""How many of the rows that use a record a refusal names."""


def choosable_people(*, keep: Iterable[int | None] = (), councillors: bool | None = None) -> QuerySet[Person]:
    """The people a list offers: the active ones, and those in `keep` (already chosen there),
    so that saving a form never drops a deactivated person silently. `councillors` True or
    False keeps only councillors, or only officers."""
    kept = [pk for pk in keep if pk is not None]
    people = Person.objects.filter(Q(active=True) | Q(pk__in=kept))
    if councillors is not None:
        people = people.filter(is_councillor=councillors)
    return people


def is_deactivated(person: Person | None) -> bool:
    """Whether `person` has left: deactivated here, or their account can no longer sign in
    (turned off in the admin). Such a person is still named on what they held, but is
    reminded of nothing and should be replaced there. Reads `person.user`: load it with
    the person (`select_related`) when asking of many."""
    if person is None:
        return False
    if not person.active:
        return True
    account = person.user if person.user_id else None
    return account is not None and not account.is_active


def _is_history(model: type[models.Model]) -> bool:
    return model.__name__.startswith("Historical") or hasattr(model, "history_id")


def _shown(row: models.Model) -> str:
    return str(getattr(row, "code", None) or row)


def uses_of(
    obj: models.Model, *, history: bool = False, ignore: Iterable[type[models.Model]] = ()
) -> list[str]:
    """What refers to `obj`, in words, one entry per kind of use: "indicators (owner): CSU10,
    CSU11". Every reverse relation is asked, whichever app it is in (figures, achievements,
    reports), so nothing in use is removed without the officer being told what uses it.
    History rows count only with `history` (an account that made changes is named by them)."""
    found = []
    skipped = tuple(ignore)
    for rel in type(obj)._meta.get_fields(include_hidden=True):
        if (
            not rel.auto_created
            or rel.concrete
            or not (rel.one_to_many or rel.one_to_one or rel.many_to_many)
        ):
            continue
        related: Any = rel.related_model
        if related._meta.auto_created or related in skipped or (_is_history(related) and not history):
            continue
        rows = related._default_manager.filter(**{rel.field.name: obj})  # type: ignore[union-attr]
        if _is_history(related):
            # Who made each change; a history row's copy of a link is the live row's business.
            if rel.field.name == "history_user" and rows.exists():  # type: ignore[union-attr]
                found.append("its change history")
            continue
        sample = list(rows[: USES_SHOWN + 1])
        if not sample:
            continue
        names = ", ".join(_shown(row) for row in sample[:USES_SHOWN])
        more = " and more" if len(sample) > USES_SHOWN else ""
        found.append(f"{related._meta.verbose_name_plural} ({rel.field.verbose_name}): {names}{more}")  # type: ignore[union-attr]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Holder:
    """A person and the service's indicators they own (or approve)."""

    person: Person
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class ServiceRoles:
    """Who does what in one service: its data owners and approvers with their indicators,
    the indicators missing one, the committees that scrutinise it, and its people."""

    service: ServiceTeam
    indicators: list[Indicator]
    owners: list[Holder] = field(default_factory=list)
    approvers: list[Holder] = field(default_factory=list)
    without_owner: list[Indicator] = field(default_factory=list)
    without_approver: list[Indicator] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def _holders(indicators: list[Indicator], role: str) -> tuple[list[Holder], list[Indicator]]:
    held: dict[int, list[Indicator]] = {}
    people: dict[int, Person] = {}
    missing = []
    for indicator in indicators:
        person = getattr(indicator, role)
        if person is None:
            missing.append(indicator)
            continue
        people[person.pk] = person
        held.setdefault(person.pk, []).append(indicator)
    holders = [Holder(people[pk], tuple(found)) for pk, found in held.items()]
    return sorted(holders, key=lambda h: h.person.name), missing


def who_does_what(service: ServiceTeam) -> ServiceRoles:
    """The service's reported indicators with their owners and approvers, the committees
    that scrutinise it (named as its committee, or holding one of its indicators) and the
    people whose service it is: three queries however many indicators."""
    indicators = list(
        service.indicators.filter(active=True).select_related("owner", "approver").order_by("code")
    )
    owners, without_owner = _holders(indicators, "owner")
    approvers, without_approver = _holders(indicators, "approver")
    committees = list(
        Committee.objects.filter(Q(services=service) | Q(indicators__service=service))
        .distinct()
        .order_by("name")
    )
    return ServiceRoles(
        service=service,
        indicators=indicators,
        owners=owners,
        approvers=approvers,
        without_owner=without_owner,
        without_approver=without_approver,
        committees=committees,
        people=list(service.officers.order_by("-active", "name")),
    )
