"""Who may do what: the one module of access rules.

Every view, action, command and API call asks here, so a rule is written once and a
page, an import and a script can never disagree about it. Roles come from the
organisation, not from a separate list to keep in step:

- a **data owner** is the person named as owner of at least one indicator;
- an **approver** is the person named as approver of at least one indicator;
- a **performance officer** is a staff user or a member of the "Performance officers" group;
- a **councillor** is a person marked as a councillor; they read their committees' pages;
- an **administrator** is a superuser (users and roles, in the admin).

A person may hold several roles. Anonymous visitors see only what was published, and
never an exempt (Part II) report.

Three kinds of function live here, named so a reader knows which is which:

- `may_*(user, …) -> bool` answers a question (to show or hide a link);
- `check_may_*(user, …)` raises `PermissionDenied` with a message saying who can;
- `visible_*(user)` / `*_for(user)` return the querysets a user may read or act on.

Rules about figures, achievements and reports take those objects as they are (a
figure's `indicator` and `entered_by_id`, a report's `committee` and `part`), so this
module needs only the organisation's models and sits below collection and reports.
The rules are tested one by one in `tests/catalogue/test_access.py`; the URL × role
matrix in `tests/web/test_permissions_matrix.py` checks them end to end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from scrutineer.catalogue.models import (
    SITE_DEFAULTS_PK,
    Committee,
    Group,
    Indicator,
    Person,
    ServiceTeam,
    SiteDefaults,
    Theme,
)

PERFORMANCE_OFFICERS = "Performance officers"
"""The name of the auth group whose members are performance officers."""


class Role(StrEnum):
    DATA_OWNER = "data-owner"
    APPROVER = "approver"
    PERFORMANCE_OFFICER = "performance-officer"
    COUNCILLOR = "councillor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


# Who someone is


def signed_in(user: Any) -> bool:
    """A signed-in, active account (anonymous visitors and deactivated accounts are not)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def person_of(user: Any) -> Person | None:
    """The person a signed-in account belongs to, or None."""
    if not signed_in(user):
        return None
    return Person.objects.filter(user=user).first()


def _is(person: Any, user: Any) -> bool:
    """`person` (a Person or None) is the one `user` signs in as."""
    return person is not None and person.user_id is not None and person.user_id == user.pk


def is_performance_officer(user: Any) -> bool:
    if not signed_in(user):
        return False
    return bool(user.is_staff or user.groups.filter(name=PERFORMANCE_OFFICERS).exists())


def performance_officers() -> QuerySet[User]:
    """The active accounts `is_performance_officer` says yes to, oldest first: whom the
    command line acts as when no one is named (`scrutineer publish --as`)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_staff=True) | Q(groups__name=PERFORMANCE_OFFICERS))
        .distinct()
        .order_by("pk")
    )


def is_administrator(user: Any) -> bool:
    return signed_in(user) and bool(user.is_superuser)


def sees_everything(user: Any) -> bool:
    """Performance officers and administrators read every committee, service, theme and indicator."""
    return is_performance_officer(user) or is_administrator(user)


def roles_of(user: Any) -> set[Role]:
    if not signed_in(user):
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


# Reading


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
    """Officers see every theme; anyone else the themes of the indicators they may read."""
    if sees_everything(user):
        return Theme.objects.all()
    return Theme.objects.filter(pk__in=visible_indicators(user).values("theme_id"))


def sees_unapproved(user: Any, indicator: Indicator) -> bool:
    """Figures before approval (drafts, submissions, returns, and their history) are for the
    people who enter and approve them and for performance officers; councillors and the
    public see a figure only once it is approved."""
    if sees_everything(user):
        return True
    return signed_in(user) and (_is(indicator.owner, user) or _is(indicator.approver, user))


# Figures


def may_enter(user: Any, indicator: Indicator) -> bool:
    """The indicator's data owner, or a performance officer, enters and submits its figures."""
    return signed_in(user) and (_is(indicator.owner, user) or is_performance_officer(user))


def check_may_enter(user: Any, indicator: Indicator) -> None:
    if not may_enter(user, indicator):
        owner = f" ({indicator.owner})" if indicator.owner else ""
        raise PermissionDenied(
            f"Only {indicator.code}'s data owner{owner} or a performance officer can enter "
            f"and submit its figures."
        )


def may_enter_any_period(user: Any) -> bool:
    """Performance officers enter and correct figures for any period; data owners only for
    the periods open for entry (see `collection.rounds`)."""
    return is_performance_officer(user)


def may_approve(user: Any, indicator: Indicator) -> bool:
    """The indicator's approver, or a performance officer, approves or returns its figures."""
    return signed_in(user) and (_is(indicator.approver, user) or is_performance_officer(user))


def check_may_approve(user: Any, indicator: Indicator, verb: str = "approve") -> None:
    if not may_approve(user, indicator):
        approver = f" ({indicator.approver})" if indicator.approver else ""
        raise PermissionDenied(
            f"Only {indicator.code}'s approver{approver} or a performance officer can {verb} its figures."
        )


def check_four_eyes(user: Any, changed_by: Iterable[int | None], verb: str = "approve") -> None:
    """Four eyes: nobody who entered or changed a figure since it was last approved signs
    it off, whatever their role. `changed_by` are the ids of everyone who did."""
    if user.pk in set(changed_by):
        raise PermissionDenied(f"You entered or changed this figure, so someone else must {verb} it.")


def may_reopen(user: Any) -> bool:
    """Only a performance officer takes an approved figure back to draft to correct it."""
    return is_performance_officer(user)


def check_may_reopen(user: Any) -> None:
    if not may_reopen(user):
        raise PermissionDenied("Only a performance officer can reopen an approved figure.")


def indicators_entered_by(user: Any) -> QuerySet[Indicator]:
    """The active indicators whose figures `user` enters: every one for an officer."""
    if is_performance_officer(user):
        return Indicator.objects.filter(active=True)
    person = person_of(user)
    if person is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(active=True, owner=person)


def indicators_approved_by(user: Any) -> QuerySet[Indicator]:
    """The indicators whose figures `user` approves: every one for an officer."""
    if is_performance_officer(user):
        return Indicator.objects.all()
    person = person_of(user)
    if person is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(approver=person)


def is_approver(user: Any) -> bool:
    """Named as the approver of at least one indicator."""
    person = person_of(user)
    return bool(person and person.approved_indicators.exists())


def heads_a_group(user: Any) -> bool:
    """Heads of groups approve their services' achievements."""
    person = person_of(user)
    return bool(person and Group.objects.filter(head=person).exists())


def has_approval_queue(user: Any) -> bool:
    """Performance officers, indicator approvers and heads of groups have an approval queue."""
    return is_performance_officer(user) or is_approver(user) or heads_a_group(user)


def may_approve_figures(user: Any) -> bool:
    """May use bulk approval at all (each figure is still checked by `check_may_approve`)."""
    return is_performance_officer(user) or is_approver(user)


# The collection cycle: rounds, lateness, corrections, corrective actions


def may_run_rounds(user: Any) -> bool:
    """Performance officers open, close and schedule collection rounds."""
    return is_performance_officer(user)


def check_may_run_rounds(user: Any, verb: str = "open and close collection rounds") -> None:
    if not may_run_rounds(user):
        raise PermissionDenied(f"Only performance officers can {verb}.")


def may_track_lateness(user: Any) -> bool:
    """Performance officers (every indicator) and approvers (those they approve) see who owes
    what in the rounds, and the late returns: the overdue tracker."""
    return is_performance_officer(user) or is_approver(user)


def check_may_track_lateness(user: Any) -> None:
    if not may_track_lateness(user):
        raise PermissionDenied("Only performance officers and approvers can see the overdue tracker.")


def may_correct(user: Any, indicator: Indicator) -> bool:
    """A locked figure is corrected (a restatement, approved again) by whoever may enter its
    figures: its data owner or a performance officer."""
    return may_enter(user, indicator)


def check_may_correct(user: Any, indicator: Indicator) -> None:
    if not may_correct(user, indicator):
        owner = f" ({indicator.owner})" if indicator.owner else ""
        raise PermissionDenied(
            f"Only {indicator.code}'s data owner{owner} or a performance officer can correct its figures."
        )


def may_write_corrective_actions(user: Any, indicator: Indicator) -> bool:
    """The indicator's data owner and approver, and performance officers, set corrective
    actions on its red figures and record their progress."""
    return signed_in(user) and (
        _is(indicator.owner, user) or _is(indicator.approver, user) or is_performance_officer(user)
    )


def may_update_corrective_action(user: Any, action: Any) -> bool:
    """As `may_write_corrective_actions`, and the person the action is given to (by whom)."""
    return may_write_corrective_actions(user, action.indicator) or (
        signed_in(user) and _is(action.owner, user)
    )


def check_may_update_corrective_action(user: Any, action: Any) -> None:
    if not may_update_corrective_action(user, action):
        raise PermissionDenied(
            f"Only {action.indicator.code}'s data owner or approver, the person the action is given to, or a "
            f"performance officer can record its progress."
        )


def check_may_write_corrective_actions(user: Any, indicator: Indicator) -> None:
    if not may_write_corrective_actions(user, indicator):
        raise PermissionDenied(
            f"Only {indicator.code}'s data owner or approver, or a performance officer, can set corrective "
            f"actions on its figures."
        )


# Achievements


def may_write_achievements(user: Any, service: ServiceTeam) -> bool:
    """The service's team leader, or a performance officer, writes its achievements."""
    return signed_in(user) and (_is(service.team_leader, user) or is_performance_officer(user))


def check_may_write_achievements(user: Any, service: ServiceTeam) -> None:
    if not may_write_achievements(user, service):
        leader = f" ({service.team_leader})" if service.team_leader else ""
        raise PermissionDenied(
            f"Only {service.name}'s team leader{leader} or a performance officer can write its achievements."
        )


def may_approve_achievements(user: Any, service: ServiceTeam) -> bool:
    """Performance officers, or the head of the service's group; never its own team leader.

    `achievement_approval_scope` asks the same for every service at once: change both together.
    """
    if not signed_in(user):
        return False
    if service.team_leader_id and _is(service.team_leader, user):
        return False
    if is_performance_officer(user):
        return True
    head = service.group.head if service.group_id else None
    return _is(head, user)


def check_may_approve_achievements(user: Any, service: ServiceTeam) -> None:
    if not may_approve_achievements(user, service):
        raise PermissionDenied(
            f"Only a performance officer or the head of {service.name}'s group, and never its team "
            "leader, can approve its achievements."
        )


def achievement_approval_scope(user: Any) -> Q | None:
    """A filter on achievements (by `service__…`) for those `user` may approve, or None for none:
    `may_approve_achievements` for every service in one query."""
    if not signed_in(user):
        return None
    person = person_of(user)
    if is_performance_officer(user):
        scope = Q()
    elif person is None:
        return None
    else:
        scope = Q(service__group__head=person)
    if person is not None:
        scope &= ~Q(service__team_leader=person)  # never their own team's
    return scope


# The catalogue and reports


def may_manage(user: Any) -> bool:
    """Performance officers define indicators, targets, themes, committees and reports."""
    return is_performance_officer(user)


def check_may_manage(user: Any, verb: str) -> None:
    """`verb` says what was refused: "change indicators"."""
    if not may_manage(user):
        raise PermissionDenied(f"Only performance officers can {verb}.")


def may_manage_organisation(user: Any) -> bool:
    """Performance officers keep the organisation and its people on `/manage/`: directorates,
    groups, services, people, portfolios and objectives; they invite people, which gives
    them their roles, and deactivate them. (Administrators keep the admin as well.)"""
    return is_performance_officer(user)


def check_may_manage_organisation(user: Any, verb: str) -> None:
    """`verb` says what was refused: "invite people"."""
    if not may_manage_organisation(user):
        raise PermissionDenied(f"Only performance officers can {verb}.")


def is_last_performance_officer(user: Any) -> bool:
    """`user` is the only active performance officer: deactivating them would leave nobody to
    run collection, publish reports or invite anyone (`organisation.deactivate_person` refuses)."""
    return is_performance_officer(user) and not performance_officers().exclude(pk=user.pk).exists()


# The site: first run and the council's identity


def council_is_set_up() -> bool:
    """A council is set up once the site names it, or once anyone holds the performance
    officer's role: `scrutineer setup` refuses to set it up again."""
    named = SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).exclude(council_name="").exists()
    return named or performance_officers().exists()


def may_set_up_site(user: Any) -> bool:
    """The first-run page (`/setup/`) is for whoever opens a new site first: only while no
    council is set up and no account exists at all, so nobody can use it to give themselves
    a role on a site that has people. Once it is used it is gone for everyone."""
    if getattr(user, "is_authenticated", False):
        return False  # an account exists: theirs (and no query on every visit to the home page)
    return not User.objects.exists() and not council_is_set_up()


def may_change_identity(user: Any) -> bool:
    """Performance officers change the council's name, short name, logo and licence."""
    return is_performance_officer(user)


def check_may_change_identity(user: Any) -> None:
    if not may_change_identity(user):
        raise PermissionDenied("Only performance officers can change the council's name, logo and licence.")


EXEMPT = "II"
"""The `part` of an exempt report, and of each version published as exempt."""


def may_read_exempt(user: Any, committee: Committee) -> bool:
    """Exempt (Part II) reports (Local Government Act 1972, Schedule 12A) are for the
    committee's members and for performance officers and administrators; never the public."""
    if sees_everything(user):
        return True
    person = person_of(user)
    return person is not None and committee.members.filter(pk=person.pk).exists()


def may_read_version(user: Any, version: Any) -> bool:
    """A published version of a report (its page entry and every file) is for everyone,
    unless it was published as Part II: then `may_read_exempt`. The version's own `part`
    decides, as frozen when it was published, never the report's part now.

    `readable_versions` asks the same of many versions at once: change both together."""
    if version.part != EXEMPT:
        return True
    return may_read_exempt(user, version.report.committee)


def check_may_read_version(user: Any, version: Any) -> None:
    if not may_read_version(user, version):
        raise PermissionDenied(
            "This report is exempt (Part II): it contains exempt information under Schedule 12A to the "
            "Local Government Act 1972, so only the committee's members and performance officers can "
            "read it."
        )


def readable_versions(user: Any, versions: QuerySet[Any]) -> QuerySet[Any]:
    """The published versions (of `versions`) that `user` may read: `may_read_version` for
    all of them in one query. The public, and anyone not on the committee, never see a
    Part II version listed."""
    if sees_everything(user):
        return versions
    public = ~Q(part=EXEMPT)
    person = person_of(user)
    if person is None:
        return versions.filter(public)
    return versions.filter(public | Q(report__committee__members=person)).distinct()


# Views


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view for performance officers: anonymous visitors to sign in, anyone else 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        check_may_manage(request.user, "do this")
        return view(request, *args, **kwargs)

    return wrapped


def signin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view for anyone signed in; the view asks the finer rules itself."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not signed_in(request.user):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
