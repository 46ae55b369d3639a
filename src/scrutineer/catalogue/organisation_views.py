"""Performance officers' pages for the organisation and its people at `/manage/…`:
directorates, groups and services, people, portfolios and corporate objectives; inviting
and deactivating people; and "who does what" in a service, with its overdue figures.

Every page is for performance officers only (`access.officer_required`); changes go
through `catalogue.organisation`. The service page reads the overdue figures through
`collection.overdue`, as the overdue tracker does: pages sit at the top of the app and
may read what was collected against it. The welcome page (`/accounts/welcome/…`) is
where an invited person chooses their password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from scrutineer.catalogue import organisation
from scrutineer.catalogue.access import PERFORMANCE_OFFICERS, Role, officer_required
from scrutineer.catalogue.models import (
    CorporateObjective,
    Directorate,
    Group,
    Person,
    Portfolio,
    ServiceTeam,
)
from scrutineer.catalogue.organisation_forms import (
    ActiveForm,
    DirectorateForm,
    GroupForm,
    InviteForm,
    ObjectiveForm,
    PersonForm,
    PortfolioForm,
    ServiceForm,
)
from scrutineer.catalogue.people import who_does_what
from scrutineer.catalogue.views import _render_form
from scrutineer.changes import Rejected, StaleEdit, as_version
from scrutineer.collection.overdue import late_now
from scrutineer.security.tokens import invitation_token_generator
from scrutineer.security.views import council_accounts_only

PEOPLE_PER_PAGE = 50
FORM = "catalogue/organisation/form.html"


def _organisation_trail() -> list[tuple[str, str]]:
    return [(reverse("manage:organisation"), "Organisation")]


def _people_trail() -> list[tuple[str, str]]:
    return [(reverse("manage:people"), "People")]


def _edit(
    request: HttpRequest,
    obj: Any,
    form_class: type[Any],
    save: Any,
    *,
    noun: str,
    back: str,
    trail: list[tuple[str, str]],
    **context: Any,
) -> HttpResponse:
    """Add or change one row, or remove it (`action=remove`) when nothing uses it."""
    context = {"obj": obj, "noun": noun, "back": back, "trail": trail, **context}
    if request.method != "POST":
        form = form_class(instance=obj, initial={"version": obj.version} if obj else {})
        return _render_form(request, FORM, form, **context)
    if obj is not None and request.POST.get("action") == "remove":
        try:
            organisation.remove_from_organisation(
                obj, user=request.user, expected_version=as_version(request.POST.get("version"))
            )
        except (Rejected, StaleEdit) as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
        messages.success(request, f"The {noun} {obj} is removed.")
        return redirect(back)
    working = type(obj).objects.get(pk=obj.pk) if obj is not None else None
    form = form_class(request.POST, instance=working)
    if form.is_valid():
        try:
            saved = save(obj, form.changes(), user=request.user, expected_version=form.expected_version())
        except organisation.Unchanged as exc:
            messages.info(request, exc.message)
            return redirect(back)
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"The {noun} {saved} is saved.")
            return redirect(back)
    return _render_form(request, FORM, form, status=400, **context)


# Directorates, groups and services


@officer_required
def organisation_tree(request: HttpRequest) -> HttpResponse:
    """Directorates, their groups and their services, with heads and team leaders."""
    services = ServiceTeam.objects.select_related("team_leader").annotate(
        indicator_count=Count("indicators", filter=Q(indicators__active=True))
    )
    groups = Group.objects.select_related("head").prefetch_related(Prefetch("services", queryset=services))
    directorates = Directorate.objects.select_related("head").prefetch_related(
        Prefetch("groups", queryset=groups)
    )
    return render(
        request, "catalogue/organisation/organisation.html", {"directorates": directorates, "trail": []}
    )


@officer_required
@require_http_methods(["GET", "POST"])
def directorate_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    obj = get_object_or_404(Directorate, slug=slug) if slug is not None else None
    return _edit(
        request, obj, DirectorateForm, organisation.save_directorate,
        noun="directorate", back="manage:organisation", trail=_organisation_trail(),
    )  # fmt: skip


@officer_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    obj = get_object_or_404(Group, slug=slug) if slug is not None else None
    return _edit(
        request, obj, GroupForm, organisation.save_group,
        noun="group", back="manage:organisation", trail=_organisation_trail(),
    )  # fmt: skip


@officer_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    obj = get_object_or_404(ServiceTeam, slug=slug) if slug is not None else None
    return _edit(
        request, obj, ServiceForm, organisation.save_service,
        noun="service", back="manage:organisation", trail=_organisation_trail(),
    )  # fmt: skip


@officer_required
def service_roles(request: HttpRequest, slug: str) -> HttpResponse:
    """Who does what in a service: owners and approvers with their indicators, the
    committees that scrutinise it, its people, and its figures overdue now."""
    service = get_object_or_404(
        ServiceTeam.objects.select_related("group__directorate", "team_leader"), slug=slug
    )
    overdue = late_now(request.user, timezone.localdate(), service=service)
    return render(
        request,
        "catalogue/organisation/service.html",
        {
            "roles": who_does_what(service),
            "service": service,
            "overdue": overdue,
            "trail": _organisation_trail(),
        },
    )


# People


def _account_state(person: Person) -> str:
    account = person.user
    if not person.active:
        return "Deactivated"
    if account is None:
        return "No account"
    if not account.is_active:
        return "Account deactivated"
    if not account.has_usable_password() and account.last_login is None:
        return "Invited"
    return "Can sign in"


@officer_required
def people_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "active")
    query = request.GET.get("q", "").strip()
    people = (
        Person.objects.select_related("service", "user")
        .prefetch_related(Prefetch("user__groups"))
        .annotate(
            owned=Count("owned_indicators", distinct=True),
            approved=Count("approved_indicators", distinct=True),
            committees=Count("committee_memberships", distinct=True),
        )
        .order_by("name", "pk")
    )
    if state in ("active", "deactivated"):
        people = people.filter(active=state == "active")
    if query:
        people = people.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(job_title__icontains=query)
        )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for person in page:
        account = person.user
        officer = account is not None and (
            account.is_staff or any(g.name == PERFORMANCE_OFFICERS for g in account.groups.all())
        )
        roles = [
            *(["Performance officer"] if officer else []),
            *([f"Data owner ({person.owned})"] if person.owned else []),
            *([f"Approver ({person.approved})"] if person.approved else []),
            *(
                [f"Councillor ({person.committees} committee{'s' if person.committees != 1 else ''})"]
                if person.is_councillor
                else []
            ),
        ]
        rows.append((person, roles, _account_state(person)))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "catalogue/organisation/people.html",
        {"page": page, "rows": rows, "state": state, "query": query, "kept": kept.urlencode(), "trail": []},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    obj = get_object_or_404(Person.objects.select_related("user"), pk=pk) if pk is not None else None
    extra: dict[str, Any] = {}
    if obj is not None:
        extra = {
            "account_state": _account_state(obj),
            "active_form": ActiveForm(initial={"version": obj.version}),
        }
    return _edit(
        request, obj, PersonForm, organisation.save_person,
        noun="person", back="manage:people", trail=_people_trail(), **extra,
    )  # fmt: skip


@officer_required
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest) -> HttpResponse:
    """Invite someone with their role. For a data owner or approver, "Choose indicators"
    shows the chosen services' indicators, those without one ticked, to change."""
    action = request.POST.get("action", "invite")
    choosing = request.method == "POST" and (action == "choose" or "indicators_shown" in request.POST)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        choosing=choosing,
        initial={"email": request.GET.get("email", "")[:254]},
    )
    status = 200
    if request.method == "POST" and action == "choose":
        if (
            form.is_valid()
            and form.chosen_role in (Role.DATA_OWNER, Role.APPROVER)
            and form.cleaned_data["services"]
        ):
            field = "approver" if form.chosen_role is Role.APPROVER else "owner"
            unheld = [
                str(i.pk) for i in form.fields["indicators"].queryset if getattr(i, f"{field}_id") is None
            ]  # type: ignore[attr-defined]
            data = request.POST.copy()
            data.setlist("indicators", unheld)
            data["indicators_shown"] = "1"
            form = InviteForm(data, choosing=True)
            form.is_valid()
            return _render_invite(request, form, 200)
        if form.is_valid():
            form.add_error(
                "services", "Choose a data owner's or an approver's services first, then their indicators."
            )
        return _render_invite(request, form, 400)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = organisation.invite_person(
                    data["email"],
                    user=request.user,
                    role=data["role"],
                    name=data["name"],
                    honorific=data["honorific"],
                    job_title=data["job_title"],
                    services=data["services"],
                    committees=data["committees"],
                    indicators=data.get("indicators"),
                )
            except (Rejected, StaleEdit) as exc:
                exc.put_on(form)
            else:
                given = invitation.indicators or invitation.committees
                more = f" ({', '.join(getattr(x, 'code', None) or str(x) for x in given)})" if given else ""
                messages.success(
                    request,
                    f"{invitation.person} is invited as {organisation.INVITED_ROLES[invitation.role]}{more}: "
                    f"an email {_what_the_email_offers()} went to {invitation.account.email}.",
                )
                return redirect("manage:person-edit", pk=invitation.person.pk)
    return _render_invite(request, form, status)


def _what_the_email_offers() -> str:
    if settings.SCRUTINEER_PASSWORD_SIGN_IN:
        return "with a link to choose a password"
    return "telling them to sign in with their council account"


def _render_invite(request: HttpRequest, form: InviteForm, status: int) -> HttpResponse:
    return render(
        request,
        "catalogue/organisation/invite.html",
        {
            "form": form,
            "errors": form.error_summary,
            "trail": _people_trail(),
            "passwords": settings.SCRUTINEER_PASSWORD_SIGN_IN,
        },
        status=status,
    )


@officer_required
@require_POST
def person_resend(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    try:
        organisation.resend_invitation(person, user=request.user)
    except Rejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"A new invitation went to {person.user.email if person.user else person.email}."
        )
    return redirect("manage:person-edit", pk=person.pk)


@officer_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=False)


@officer_required
@require_http_methods(["GET", "POST"])
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, active=True)


def _set_active(request: HttpRequest, pk: int, *, active: bool) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    form = ActiveForm(request.POST or None, initial={"version": person.version})
    if request.method == "POST" and form.is_valid():
        change = organisation.reactivate_person if active else organisation.deactivate_person
        try:
            change(
                person,
                user=request.user,
                expected_version=form.expected_version(),
                reason=form.cleaned_data["reason"],
            )
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"{person} is {'reactivated' if active else 'deactivated'}.")
            return redirect("manage:person-edit", pk=person.pk)
    return render(
        request,
        "catalogue/organisation/person_active.html",
        {
            "person": person,
            "active": active,
            "form": form,
            "errors": form.error_summary,
            "owned": list(person.owned_indicators.filter(active=True).values_list("code", flat=True)),
            "approved": list(person.approved_indicators.filter(active=True).values_list("code", flat=True)),
            "trail": [*_people_trail(), (reverse("manage:person-edit", args=[person.pk]), str(person))],
        },
        status=400 if form.is_bound else 200,
    )


# Portfolios and corporate objectives


@officer_required
def portfolio_list(request: HttpRequest) -> HttpResponse:
    portfolios = (
        Portfolio.objects.select_related("holder")
        .annotate(committee_count=Count("committees"))
        .order_by("name")
    )
    objectives = CorporateObjective.objects.annotate(priority_count=Count("priorities"))
    return render(
        request,
        "catalogue/organisation/portfolios.html",
        {"portfolios": portfolios, "objectives": objectives, "trail": []},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def portfolio_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    obj = get_object_or_404(Portfolio, pk=pk) if pk is not None else None
    return _edit(
        request, obj, PortfolioForm, organisation.save_portfolio,
        noun="portfolio", back="manage:portfolios", trail=[(reverse("manage:portfolios"), "Portfolios and objectives")],
    )  # fmt: skip


@officer_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    obj = get_object_or_404(CorporateObjective, pk=pk) if pk is not None else None
    return _edit(
        request, obj, ObjectiveForm, organisation.save_objective,
        noun="corporate objective", back="manage:portfolios",
        trail=[(reverse("manage:portfolios"), "Portfolios and objectives")],
    )  # fmt: skip


# Choosing a password from an invitation


class WelcomeView(PasswordResetConfirmView):
    """The invitation's link: choose a password. The link works once, for the invitation's
    lifetime (`security.tokens`), and not for an account deactivated since it was sent."""

    template_name = "catalogue/organisation/welcome.html"
    token_generator = invitation_token_generator
    success_url = reverse_lazy("welcome-done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Passwords turned off (perhaps since the link was sent): the sign-in button instead.
        if not settings.SCRUTINEER_PASSWORD_SIGN_IN:
            return council_accounts_only(request, welcome=True)
        return super().dispatch(request, *args, **kwargs)

    def get_user(self, uidb64: str) -> User | None:
        account = super().get_user(uidb64)
        return account if account is not None and account.is_active else None


def welcome_done(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/organisation/welcome_done.html")
