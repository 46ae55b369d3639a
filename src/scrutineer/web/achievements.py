"""The pages where a service writes its achievements for a quarter: the numbered list, as
reports will show it, and the form for one achievement. Every change goes through
`collection.actions.save_achievement`, which decides who may and what is refused; these
views only present the form and show the action's messages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from scrutineer.catalogue.models import ServiceTeam
from scrutineer.collection.actions import (
    CollectionError,
    StaleEdit,
    ValueRejected,
    approve_achievements,
    check_may_approve_achievements,
    may_approve_achievements,
    save_achievement,
)
from scrutineer.collection.models import Achievement, ValueState
from scrutineer.engine import Frequency, Period
from scrutineer.reports.builder import parse_body
from scrutineer.web.access import person_of
from scrutineer.web.permissions import is_performance_officer


def _may_write(user: Any, service: ServiceTeam) -> bool:
    """The service's team leader or a performance officer (as `save_achievement` decides)."""
    if is_performance_officer(user):
        return True
    person = person_of(user)
    return person is not None and service.team_leader_id is not None and service.team_leader_id == person.pk


def _service(request: HttpRequest, slug: str, period: Period, *, write: bool = True) -> ServiceTeam:
    """The service in the address, once the user may see its achievements for a quarter."""
    service = get_object_or_404(ServiceTeam.objects.select_related("team_leader"), slug=slug)
    if period.frequency is not Frequency.QUARTERLY:
        raise Http404(f"Achievements are reported for a quarter (e.g. 2020-21-Q1), not {period.label}.")
    may_read = not write and may_approve_achievements(request.user, service)
    if not (_may_write(request.user, service) or may_read):
        leader = f" ({service.team_leader})" if service.team_leader else ""
        raise PermissionDenied(
            f"Only {service.name}'s team leader{leader} or a performance officer can see and write "
            f"its achievements."
        )
    return service


def service_achievements(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    service = _service(request, slug, period, write=False)
    items = [
        (number, achievement, parse_body(achievement.body))
        for number, achievement in enumerate(
            Achievement.objects.filter(service=service, period=period).order_by("position"), start=1
        )
    ]
    drafts = [(a.pk, a.version) for _, a, _ in items if a.state == ValueState.DRAFT]
    return render(
        request,
        "web/achievements_list.html",
        {
            "service": service,
            "period": period,
            "items": items,
            "may_write": _may_write(request.user, service),
            "may_approve": may_approve_achievements(request.user, service) and bool(drafts),
            "drafts": drafts,
        },
    )


@require_POST
def approve(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    """Approve the drafts the approver was shown (each `draft` posted as "id:version"), then
    go back to `next` (a page of this site, e.g. the approval queue) or the achievements."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    service = _service(request, slug, period, write=False)
    check_may_approve_achievements(request.user, service)
    shown = _shown_drafts(request.POST.getlist("draft"))
    if shown is None:
        messages.error(
            request,
            "The page did not say which achievements you read, so nothing was approved. "
            "Read them again, then approve.",
        )
    else:
        try:
            count = approve_achievements(service, period, user=request.user, expected=shown)
        except StaleEdit as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Approved {count} achievement{'s' if count != 1 else ''} of {service.name} "
                f"for {period.label}.",
            )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("web:achievements", slug=slug, period=period)


def _shown_drafts(posted: list[str]) -> list[tuple[int, int]] | None:
    """The (id, version) pairs an approve form sent back; None if it sent none or garbage."""
    shown = []
    for token in posted:
        pk, _, version = token.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return None
        shown.append((int(pk), int(version)))
    return shown or None


def edit_achievement(
    request: HttpRequest, slug: str, period: Period, position: int | None = None
) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    service = _service(request, slug, period)
    stored = None
    if position is not None:
        stored = get_object_or_404(Achievement, service=service, period=period, position=position)
    body = stored.body if stored else ""
    version = stored.version if stored else None
    errors: dict[str, list[str]] = {}
    preview = None
    if request.method == "POST":
        body = request.POST.get("body", "")
        posted = request.POST.get("version", "")
        expected = int(posted) if posted.isdigit() else None
        version = expected  # a stale form stays stale, so the next save is refused too, until reload
        if request.POST.get("action") == "preview":
            preview = parse_body(body)
        else:
            at = position if position is not None else _next_position(service, period)
            try:
                save_achievement(service, period, at, body, user=request.user, expected_version=expected)
                messages.success(
                    request, f"{service.name}'s achievement for {period.label} saved as a draft."
                )
                return redirect("web:achievements", slug=service.slug, period=period)
            except ValueRejected as exc:
                for field, found in exc.errors.items():  # only the text is on this form
                    errors.setdefault("body" if field == "body" else "__all__", []).extend(found)
            except StaleEdit as exc:
                errors = {"__all__": [exc.message]}
            except CollectionError as exc:  # InvalidTransition: submitted or approved
                errors = {"__all__": [exc.message]}
            except PermissionDenied as exc:
                errors = {"__all__": [str(exc)]}
    number = (
        Achievement.objects.filter(service=service, period=period, position__lt=position).count() + 1
        if position is not None
        else Achievement.objects.filter(service=service, period=period).count() + 1
    )
    return render(
        request,
        "web/achievement_form.html",
        {
            "service": service,
            "period": period,
            "stored": stored,
            "number": number,
            "body": body,
            "version": version,
            "errors": errors,
            "preview": preview,
        },
        status=400 if errors else 200,
    )


def _next_position(service: ServiceTeam, period: Period) -> int:
    highest = Achievement.objects.filter(service=service, period=period).aggregate(Max("position"))
    return (highest["position__max"] or 0) + 1
