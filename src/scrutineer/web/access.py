"""Who is who, and what each may see: the one place the web app asks.

Roles come from the organisation, not from a separate list to keep in step:
- a **data owner** is the person named as owner of at least one indicator;
- an **approver** is the person named as approver of at least one indicator;
- a **performance officer** is a staff user or a member of the "Performance officers" group;
- a **councillor** is a person marked as a councillor; they read their committees' pages;
- an **administrator** is a superuser (users and roles, in the admin).
A person may hold several roles. Anonymous visitors see only what was published.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from scrutineer.catalogue.models import Committee, Indicator, Person, ServiceTeam, Theme
from scrutineer.web.permissions import is_performance_officer


class Role(StrEnum):
    DATA_OWNER = "data-owner"
    APPROVER = "approver"
    PERFORMANCE_OFFICER = "performance-officer"
    COUNCILLOR = "councillor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def roles_of(user: Any) -> set[Role]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    found: set[Role] = set()
    if user.is_superuser:
        found.add(Role.ADMINISTRATOR)
    if is_performance_officer(user):
        found.add(Role.PERFORMANCE_OFFICER)
    person = person_of(user)
    if person is not None:
        if person.owned_indicators.exists():
            found.add(Role.DATA_OWNER)
        if person.approved_indicators.exists():
            found.add(Role.APPROVER)
        if person.is_councillor:
            found.add(Role.COUNCILLOR)
    return found


def sees_everything(user: Any) -> bool:
    """Performance officers and administrators read every committee, service, theme and indicator."""
    return is_performance_officer(user) or getattr(user, "is_superuser", False)


def visible_committees(user: Any) -> QuerySet[Committee]:
    """Officers see every committee; councillors the committees they sit on; owners and
    approvers the committees that scrutinise their indicators."""
    if sees_everything(user):
        return Committee.objects.all()
    person = person_of(user)
    if person is None:
        return Committee.objects.none()
    return Committee.objects.filter(
        Q(members=person) | Q(indicators__owner=person) | Q(indicators__approver=person)
    ).distinct()


def visible_indicators(user: Any) -> QuerySet[Indicator]:
    """The indicators a user may read: officers all; owners and approvers their own; councillors
    their committees'. Anonymous: none (they read published reports)."""
    if sees_everything(user):
        return Indicator.objects.all()
    person = person_of(user)
    if person is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(
        Q(owner=person) | Q(approver=person) | Q(committees__members=person)
    ).distinct()


def visible_services(user: Any) -> QuerySet[ServiceTeam]:
    """Officers see every service; anyone else the services of the indicators they may read
    (on a service's dashboard they see only those indicators)."""
    if sees_everything(user):
        return ServiceTeam.objects.all()
    return ServiceTeam.objects.filter(pk__in=visible_indicators(user).values("service_id"))


def visible_themes(user: Any) -> QuerySet[Theme]:
    """Officers see every theme; anyone else the themes of the indicators they may read
    (on a theme's dashboard they see only those indicators)."""
    if sees_everything(user):
        return Theme.objects.all()
    return Theme.objects.filter(pk__in=visible_indicators(user).values("theme_id"))
