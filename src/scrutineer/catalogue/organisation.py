"""Changing the organisation and its people: directorates, groups, services, people,
portfolios and corporate objectives; inviting people, and deactivating them.

Performance officers make these changes on `/manage/` (the admin stays for
administrators). As in `catalogue.actions`, each action is atomic, refuses anyone but a
performance officer, validates the whole row (`Rejected`, messages keyed by form field,
what was typed kept), refuses a stale edit (`StaleEdit`: every row here has a
`version`), and writes a history row naming who and why.

Roles come from the organisation (`catalogue.access`), so an invitation makes its role
real: a data owner or approver becomes the owner or approver of indicators of their
services, a councillor a member of committees, a performance officer a member of the
"Performance officers" group. It creates the account (no usable password) and emails a
link to choose one, which expires after `SCRUTINEER_INVITATION_DAYS` (decision 0018).

A deactivated person's account cannot sign in and they drop off the lists of people to
choose (`people.choosable_people`); their figures, approvals and history keep their name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from scrutineer.catalogue.access import (
    PERFORMANCE_OFFICERS,
    Role,
    check_may_manage_organisation,
    is_last_performance_officer,
    is_performance_officer,
    roles_of,
)
from scrutineer.catalogue.actions import Unchanged, _clean_text, _save
from scrutineer.catalogue.history import one_history_row
from scrutineer.catalogue.models import (
    Committee,
    CorporateObjective,
    Directorate,
    Group,
    Indicator,
    Person,
    Portfolio,
    ServiceTeam,
    council_name,
)
from scrutineer.catalogue.people import uses_of
from scrutineer.changes import NON_FIELD, Rejected, claim, raise_version, record_change
from scrutineer.security.oidc import button_text
from scrutineer.security.tokens import invitation_lifetime, invitation_token_generator

__all__ = [
    "INVITED_ROLES",
    "Invitation",
    "Unchanged",
    "deactivate_person",
    "invitation_link",
    "invite_person",
    "reactivate_person",
    "remove_from_organisation",
    "resend_invitation",
    "save_directorate",
    "save_group",
    "save_objective",
    "save_person",
    "save_portfolio",
    "save_service",
]

RESERVED_SLUGS = {"new"}
"""Kept for the addresses of the add pages (`/manage/services/new/`)."""

INVITED_ROLES = {
    Role.DATA_OWNER: "data owner",
    Role.APPROVER: "approver",
    Role.PERFORMANCE_OFFICER: "performance officer",
    Role.COUNCILLOR: "councillor",
}
"""The roles an invitation gives, as the invitation says them."""


def _what(obj: models.Model | None, noun: str) -> str:
    return f"the new {noun}" if obj is None else f"the {noun} {obj}"


def _check_slug(stored: Any, changed: set[str]) -> None:
    if "slug" in changed and str(stored.slug).lower() in RESERVED_SLUGS:
        raise Rejected("slug", f'"{stored.slug}" is kept for the address of the add page: choose another.')


def _check_chosen(stored: Any, changed: set[str], fields: Mapping[str, bool | None]) -> None:
    """People newly chosen for `fields` must be active; `fields` maps each to True (a
    councillor), False (an officer) or None (either)."""
    errors: dict[str, list[str]] = {}
    for name, councillor in fields.items():
        person = getattr(stored, name)
        if name not in changed or person is None:
            continue
        label = str(type(stored)._meta.get_field(name).verbose_name)
        if not person.active:
            errors[name] = [f"{person} was deactivated: reactivate them first, or choose someone else."]
        elif councillor is True and not person.is_councillor:
            errors[name] = [f"The {label} is a councillor: {person} is not one."]
        elif councillor is False and person.is_councillor:
            errors[name] = [f"The {label} is an officer: {person} is a councillor."]
    if errors:
        raise Rejected.from_errors(errors, input={})


def _save_row(
    model: type[Any],
    obj: Any,
    changes: Mapping[str, Any],
    *,
    user: Any,
    expected_version: int | None,
    noun: str,
    people: Mapping[str, bool | None] | None = None,
    reason: str = "",
) -> Any:
    check_may_manage_organisation(user, f"change {model._meta.verbose_name_plural}")
    changes = {k: (_clean_text(v) if isinstance(v, str) else v) for k, v in changes.items()}

    def check(stored: Any, changed: set[str]) -> None:
        try:
            _check_slug(stored, changed)
            _check_chosen(stored, changed, people or {})
        except Rejected as exc:
            raise Rejected.from_errors(exc.errors, input={**changes, "version": expected_version}) from None

    return _save(
        model,
        None if obj is None else obj.pk,
        changes,
        user=user,
        reason=reason,
        expected_version=expected_version,
        what=_what(obj, noun),
        check=check,
    )


@transaction.atomic
def save_directorate(
    directorate: Directorate | None,
    changes: Mapping[str, Any],
    *,
    user: Any,
    expected_version: int | None = None,
) -> Directorate:
    """Create or change a directorate: `name`, `slug`, `head` (an active officer)."""
    return _save_row(
        Directorate,
        directorate,
        changes,
        user=user,
        expected_version=expected_version,
        noun="directorate",
        people={"head": False},
    )


@transaction.atomic
def save_group(
    group: Group | None, changes: Mapping[str, Any], *, user: Any, expected_version: int | None = None
) -> Group:
    """Create or change a group of services: `name`, `slug`, `directorate`, `head`."""
    return _save_row(
        Group,
        group,
        changes,
        user=user,
        expected_version=expected_version,
        noun="group",
        people={"head": False},
    )


@transaction.atomic
def save_service(
    service: ServiceTeam | None, changes: Mapping[str, Any], *, user: Any, expected_version: int | None = None
) -> ServiceTeam:
    """Create or change a service team: `name`, `slug`, `group`, `team_leader`, `position`."""
    return _save_row(
        ServiceTeam,
        service,
        changes,
        user=user,
        expected_version=expected_version,
        noun="service",
        people={"team_leader": False},
    )


@transaction.atomic
def save_portfolio(
    portfolio: Portfolio | None, changes: Mapping[str, Any], *, user: Any, expected_version: int | None = None
) -> Portfolio:
    """Create or change a cabinet portfolio: `name`, `holder` (an active councillor)."""
    return _save_row(
        Portfolio,
        portfolio,
        changes,
        user=user,
        expected_version=expected_version,
        noun="portfolio",
        people={"holder": True},
    )


@transaction.atomic
def save_objective(
    objective: CorporateObjective | None,
    changes: Mapping[str, Any],
    *,
    user: Any,
    expected_version: int | None = None,
) -> CorporateObjective:
    """Create or change a corporate objective: `name`, `position`."""
    return _save_row(
        CorporateObjective,
        objective,
        changes,
        user=user,
        expected_version=expected_version,
        noun="corporate objective",
    )


# People


def _check_person(stored: Person, changed: set[str], input: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    email = stored.email
    if "email" in changed and email:
        others = Person.objects.filter(email__iexact=email).exclude(pk=stored.pk).first()
        accounts = User.objects.filter(email__iexact=email).exclude(pk=stored.user_id or 0)
        if others is not None:
            errors["email"] = [
                f"{others} already has the email address {email}: each person needs their own."
            ]
        elif accounts.exists():
            errors["email"] = [f"Another account signs in with {email}: each person needs their own address."]
    if "email" in changed and not email and stored.user_id is not None:
        errors["email"] = [f"{stored} has an account, so they need an email address: it is how they sign in."]
    if "is_councillor" in changed and stored.pk is not None:
        if stored.is_councillor:
            owns = Indicator.objects.filter(models.Q(owner=stored) | models.Q(approver=stored))
            if owns.exists():
                errors["is_councillor"] = [
                    f"{stored} owns or approves indicators ({', '.join(owns.values_list('code', flat=True)[:5])}), "
                    "which councillors do not: choose someone else there first."
                ]
        else:
            sits = list(stored.committee_memberships.values_list("name", flat=True)[:5])
            holds = list(stored.portfolios.values_list("name", flat=True)[:5])
            if sits or holds:
                errors["is_councillor"] = [
                    f"{stored} sits on or holds {', '.join([*sits, *holds])}, which only councillors do: "
                    "change those first."
                ]
    if errors:
        raise Rejected.from_errors(errors, input=input)


@transaction.atomic
def save_person(
    person: Person | None,
    changes: Mapping[str, Any],
    *,
    user: Any,
    expected_version: int | None = None,
    reason: str = "",
) -> Person:
    """Add a person (without an account: `invite_person` gives one), or change one:
    `honorific`, `name`, `job_title`, `email`, `service`, `is_councillor`. Each person's
    email address is their own; a person with an account keeps one, and the account's
    address follows theirs (it is how they sign in with the council's accounts)."""
    check_may_manage_organisation(user, "change people")
    changes = {k: (_clean_text(v) if isinstance(v, str) else v) for k, v in changes.items()}
    input = {**changes, "version": expected_version}

    def check(stored: Person, changed: set[str]) -> None:
        _check_person(stored, changed, input)

    saved: Person = _save(
        Person,
        None if person is None else person.pk,
        changes,
        user=user,
        reason=reason,
        expected_version=expected_version,
        what=_what(person, "person"),
        check=check,
    )
    account = saved.user
    if account is not None and account.email != saved.email:
        account.email = saved.email
        record_change(account, user, f"Email address follows {saved}'s")
    return saved


@transaction.atomic
def remove_from_organisation(obj: models.Model, *, user: Any, expected_version: int | None) -> None:
    """Remove a directorate, group, service, person, portfolio or objective nothing uses (a
    mistake, or one no longer there). One in use is refused, naming what uses it; a person
    whose account has signed in or made changes is deactivated instead, never removed."""
    model = type(obj)
    check_may_manage_organisation(user, f"remove {model._meta.verbose_name_plural}")
    what = f"{model._meta.verbose_name} {obj}"
    input = {"version": expected_version}
    stored = claim(model._default_manager.all(), obj.pk, expected_version, what, input)
    used = uses_of(stored)
    if isinstance(stored, Person):
        account = stored.user
        if account is not None and (
            account.last_login is not None or uses_of(account, history=True, ignore=[Person])
        ):
            raise Rejected(
                NON_FIELD,
                f"{stored} has signed in or made changes, so they stay in the history: deactivate them instead.",
                input=input,
            )
    if used:
        raise Rejected(
            NON_FIELD,
            f"The {what} is in use, so it cannot be removed: {'; '.join(used)}. Choose another there first.",
            input=input,
        )
    stored._history_user, stored._change_reason = user, "Removed"
    account = getattr(stored, "user", None) if isinstance(stored, Person) else None
    stored.delete()
    if account is not None:
        account._history_user, account._change_reason = user, f"Removed with {stored}"
        account.delete()


# Inviting people


@dataclass(frozen=True)
class Invitation:
    """What an invitation did: the person and their account, the indicators they now own
    or approve, the committees they now sit on, and the link that was emailed."""

    person: Person
    account: User
    role: Role
    indicators: tuple[Indicator, ...]
    committees: tuple[Committee, ...]
    link: str


def invitation_link(account: User) -> str:
    """The one-time link to choose a password (`/accounts/welcome/…`): it stops working once
    used, when the password or email changes, and after `SCRUTINEER_INVITATION_DAYS`
    (`security.tokens`: a password reset link's hour would be over by the morning)."""
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = invitation_token_generator.make_token(account)
    path = reverse("welcome", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SCRUTINEER_SITE_URL.rstrip('/')}{path}"


def _username_for(email: str) -> str:
    """The email address as the username, or, if taken, the address with a number after it."""
    base = email.lower()[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _what_for(role: Role, services: list[ServiceTeam], committees: list[Committee]) -> str:
    words = INVITED_ROLES[role]
    if role in (Role.DATA_OWNER, Role.APPROVER) and services:
        return f"{words} for {', '.join(s.name for s in services)}"
    if role is Role.COUNCILLOR and committees:
        return f"{words} on {', '.join(c.name for c in committees)}"
    return words


def _send(person: Person, account: User, inviter: Any, role_words: str, link: str, again: bool) -> None:
    council = council_name()
    site = settings.SCRUTINEER_SITE_URL.rstrip("/")
    by = (
        getattr(getattr(inviter, "person", None), "name", "")
        or inviter.get_full_name()
        or "A performance officer"
    )
    lines = [
        f"Dear {person.name},",
        "",
        f"{by} has invited you to Scrutineer{f', {council}’s' if council else ', the council’s'} performance "
        f"reporting, as {role_words}.",
        "",
    ]
    if not settings.SCRUTINEER_PASSWORD_SIGN_IN:  # nothing to choose: the council's account
        lines += [
            f"Sign in at {site}{reverse('login')} with “{button_text()}”, using your council account "
            f"with this email address ({account.email}): Scrutineer knows you by it.",
        ]
    elif account.has_usable_password():
        lines += [f"Sign in at {site}{reverse('login')} as {account.get_username()}."]
    else:
        lines += [
            f"To choose your password, open this link within {invitation_lifetime()} (it works once):",
            "",
            link,
            "",
            f"Your username is {account.get_username()}.",
        ]
    if settings.SCRUTINEER_PASSWORD_SIGN_IN:
        lines += [
            "",
            "If the sign-in page offers to sign you in with your council account, you can use that "
            f"instead, with this email address ({account.email}); you need no password of your own then.",
        ]
    lines += [
        "",
        "If you were not expecting this, you can ignore this email.",
        f"— {council or 'The'} performance team (Scrutineer)",
    ]
    subject = (
        f"{'Reminder: y' if again else 'Y'}ou are invited to Scrutineer{f' ({council})' if council else ''}"
    )
    try:
        EmailMessage(subject, "\n".join(lines), to=[account.email]).send(fail_silently=False)
    except Exception as error:  # SMTP refusals, Notify errors, a network down: all mean "not sent"
        raise Rejected(
            NON_FIELD,
            f"The invitation email to {account.email} could not be sent ({type(error).__name__}), so nothing "
            "was saved. Try again; if it fails again, ask whoever runs Scrutineer to check its email settings.",
        ) from None


@transaction.atomic
def invite_person(
    email: str,
    *,
    user: Any,
    role: Role | str,
    name: str = "",
    services: Iterable[ServiceTeam] = (),
    committees: Iterable[Committee] = (),
    indicators: Iterable[Indicator] | None = None,
    honorific: str = "",
    job_title: str = "",
) -> Invitation:
    """Invite the person with `email` (a person already listed with that address, or a new
    one called `name`) as `role`, and email them a link to choose a password.

    - data owner / approver: for `services` (at least one); they become the owner /
      approver of `indicators` (each of those services'), or, when None, of the services'
      reported indicators that have none;
    - councillor: marked a councillor and made a member of `committees` (at least one);
    - performance officer: joins the "Performance officers" group.

    The account is created without a usable password (the email address is its username
    where free), or the person's own is used. Everything is recorded with the reason
    "Invited as …". If the email cannot be sent, nothing is saved (`Rejected`).
    """
    check_may_manage_organisation(user, "invite people")
    email, name, honorific, job_title = (_clean_text(v) for v in (email, name, honorific, job_title))
    services, committees = list(services), list(committees)
    chosen = None if indicators is None else list(indicators)
    input = {
        "email": email,
        "name": name,
        "role": str(role),
        "honorific": honorific,
        "job_title": job_title,
        "services": [s.pk for s in services],
        "committees": [c.pk for c in committees],
        "indicators": None if chosen is None else [i.pk for i in chosen],
    }
    errors: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter their email address, like name@council.gov.uk."]
    try:
        role = Role(role)
    except ValueError:
        role = Role.ADMINISTRATOR
    if role not in INVITED_ROLES:
        errors["role"] = ["Choose their role: data owner, approver, performance officer or councillor."]
    if errors:
        raise Rejected.from_errors(errors, input=input)

    person = Person.objects.select_for_update().filter(email__iexact=email).first()
    account = User.objects.filter(email__iexact=email).first()
    if person is not None and account is not None and person.user_id not in (None, account.pk):
        errors["email"] = [
            f"{email} is the address of another account than {person}'s: each person needs their own."
        ]
    elif person is None and account is not None and hasattr(account, "person"):
        errors["email"] = [f"{email} is {account.person}'s account's address: change it there first."]
    elif person is not None and not person.active:
        errors["email"] = [f"{person} was deactivated: reactivate them first, then invite them again."]
    elif account is not None and not account.is_active:
        errors["email"] = [
            f"The account {account.get_username()} was deactivated: reactivate {name or email} first."
        ]
    if person is None and not name:
        errors["name"] = ["Enter their name, as reports and lists should show it."]
    if role in (Role.DATA_OWNER, Role.APPROVER):
        if not services:
            errors["services"] = [f"Choose the services they are {INVITED_ROLES[role]} for."]
        if person is not None and person.is_councillor:
            errors["role"] = [
                f"{person} is a councillor: councillors read reports, they do not own or approve figures."
            ]
        outside = [i.code for i in chosen or () if i.service_id not in {s.pk for s in services}]
        if outside:
            errors["indicators"] = [f"{', '.join(outside)} belong to other services than those chosen."]
    if role is Role.COUNCILLOR:
        if not committees:
            errors["committees"] = ["Choose the committees they sit on."]
        if (
            person is not None
            and not person.is_councillor
            and (person.owned_indicators.exists() or person.approved_indicators.exists())
        ):
            errors["role"] = [f"{person} owns or approves indicators, which councillors do not."]
    if errors:
        raise Rejected.from_errors(errors, input=input)

    role_words = _what_for(role, services, committees)
    reason = f"Invited as {role_words}"
    if person is None:
        person = Person(name=name, honorific=honorific, job_title=job_title, email=email)
    else:
        person.version += 1  # a page opened before the invitation is refused
        person.honorific = honorific or person.honorific
        person.job_title = job_title or person.job_title
    if role is Role.COUNCILLOR:
        person.is_councillor = True
    if role in (Role.DATA_OWNER, Role.APPROVER) and person.service_id is None:
        person.service = services[0]
    if account is None:
        account = person.user if person.user_id is not None else None
    if account is None:
        account = User(username=_username_for(email), email=email, first_name=person.name[:150])
        account.set_unusable_password()
        record_change(account, user, reason)
    if account.email.lower() != email.lower():
        account.email = person.email or email  # where the invitation goes, and what council sign-in matches
        record_change(account, user, reason)
    person.user = account
    try:
        person.full_clean()
    except ValidationError as exc:
        raise Rejected.from_errors(
            {k if k != "__all__" else NON_FIELD: v for k, v in exc.message_dict.items()}, input=input
        ) from None
    record_change(person, user, reason)

    given: list[Indicator] = []
    if role in (Role.DATA_OWNER, Role.APPROVER):
        field = "owner" if role is Role.DATA_OWNER else "approver"
        rows = Indicator.objects.select_for_update().filter(service__in=services)
        if chosen is None:
            rows = rows.filter(active=True, **{f"{field}__isnull": True})
        else:
            rows = rows.filter(pk__in=[i.pk for i in chosen])
        for indicator in rows.order_by("code"):
            if getattr(indicator, f"{field}_id") == person.pk:
                continue
            setattr(indicator, field, person)
            raise_version(indicator)
            record_change(indicator, user, f"{person} made its {INVITED_ROLES[role]} by invitation")
            given.append(indicator)
    joined: list[Committee] = []
    if role is Role.COUNCILLOR:
        for committee in Committee.objects.select_for_update().filter(pk__in=[c.pk for c in committees]):
            if committee.members.filter(pk=person.pk).exists():
                continue
            with one_history_row(committee):
                raise_version(committee)
                record_change(committee, user, f"{person} joins as a member by invitation")
                committee.members.add(person)
            joined.append(committee)
    if role is Role.PERFORMANCE_OFFICER and not is_performance_officer(account):
        officers, _ = AuthGroup.objects.get_or_create(name=PERFORMANCE_OFFICERS)
        with one_history_row(account):
            record_change(account, user, reason)
            account.groups.add(officers)

    link = invitation_link(account)
    _send(person, account, user, role_words, link, again=False)
    return Invitation(person, account, role, tuple(given), tuple(joined), link)


@transaction.atomic
def resend_invitation(person: Person, *, user: Any) -> str:
    """Email `person` a fresh link to choose their password (the last one may have expired);
    returns the link. Refused once they have chosen one (they reset it from the sign-in
    page then), and for a person without an account or deactivated."""
    check_may_manage_organisation(user, "invite people")
    account = person.user
    if account is None:
        raise Rejected(NON_FIELD, f"{person} has no account yet: invite them first.")
    if not person.active or not account.is_active:
        raise Rejected(NON_FIELD, f"{person} was deactivated: reactivate them first.")
    if account.has_usable_password():
        raise Rejected(
            NON_FIELD,
            f"{person} has chosen their password already; if they forgot it, they can reset it from the "
            "sign-in page.",
        )
    if not account.email:
        raise Rejected(NON_FIELD, f"{person} has no email address: add one first.")
    roles = [words for role, words in INVITED_ROLES.items() if role in roles_of(account)]
    link = invitation_link(account)
    _send(person, account, user, " and ".join(roles) or "one of its users", link, again=True)
    return link


# Deactivating people


def _active_change(
    person: Person, active: bool, *, user: Any, reason: str, expected_version: int | None
) -> Person:
    verb = "deactivate" if not active else "reactivate"
    check_may_manage_organisation(user, f"{verb} people")
    reason = _clean_text(reason) or f"{verb.capitalize()}d"
    input = {"reason": reason, "version": expected_version}
    stored: Person = claim(
        Person.objects.select_related("user"), person.pk, expected_version, f"person {person}", input
    )
    if stored.active == active:
        raise Rejected(
            NON_FIELD, f"{stored} is already {'active' if active else 'deactivated'}.", input=input
        )
    account = stored.user
    if not active and account is not None and is_last_performance_officer(account):
        raise Rejected(
            NON_FIELD,
            f"{stored} is the only active performance officer: invite another one before deactivating them, "
            "so someone can still run the collection, publish reports and manage people.",
            input=input,
        )
    stored.active = active
    record_change(stored, user, reason)
    if account is not None and account.is_active != active:
        account.is_active = active
        record_change(account, user, reason)
    return stored


@transaction.atomic
def deactivate_person(person: Person, *, user: Any, expected_version: int | None, reason: str = "") -> Person:
    """`person` has left: their account can no longer sign in, and they are no longer offered
    as owner, approver, head, team leader, holder or member. What they entered, approved and
    changed keeps their name. Refused for the last active performance officer."""
    return _active_change(person, False, user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def reactivate_person(person: Person, *, user: Any, expected_version: int | None, reason: str = "") -> Person:
    """Undo `deactivate_person`: their account signs in again with its roles as they were."""
    return _active_change(person, True, user=user, reason=reason, expected_version=expected_version)
