"""The pages where figures are entered and approved: "My work", the entry form and the
approval queue. Every change goes through `collection.actions`, which enforce who may
do what; these views only present forms and show the actions' messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from scrutineer.catalogue.models import Group, Indicator, ServiceTeam, default_tolerance
from scrutineer.collection.actions import (
    CollectionError,
    InvalidTransition,
    StaleEdit,
    ValueRejected,
    achievements_awaiting_approval,
    approve_value,
    bulk_approve,
    return_value,
    save_value,
    submit_value,
)
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency, Period, compare, evaluate
from scrutineer.engine.targets import resolve_target
from scrutineer.web.access import person_of
from scrutineer.web.permissions import is_performance_officer


def _owned(user: Any) -> Any:
    if is_performance_officer(user):
        return Indicator.objects.filter(active=True)
    person = person_of(user)
    return Indicator.objects.filter(active=True, owner=person) if person else Indicator.objects.none()


def _approvable(user: Any) -> Any:
    if is_performance_officer(user):
        return Value.objects.filter(state=ValueState.SUBMITTED)
    person = person_of(user)
    if person is None:
        return Value.objects.none()
    return Value.objects.filter(state=ValueState.SUBMITTED, indicator__approver=person)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    indicators = list(_owned(request.user).select_related("service").order_by("code"))
    wanted = {i.pk: open_periods(Frequency(i.frequency), today) for i in indicators}
    stored = {
        (v.indicator_id, v.period): v
        for v in Value.objects.filter(
            indicator__in=indicators, period__in={p for ps in wanted.values() for p in ps}
        )
    }
    due = [
        (indicator, period, stored.get((indicator.pk, period)))
        for indicator in indicators
        for period in wanted[indicator.pk]
        if (found := stored.get((indicator.pk, period))) is None or found.state != ValueState.APPROVED
    ]
    returned = Value.objects.filter(indicator__in=indicators, state=ValueState.RETURNED).select_related(
        "indicator"
    )
    awaiting = (
        _approvable(request.user)
        .exclude(entered_by=request.user)
        .select_related("indicator", "entered_by")
        .order_by("indicator__code", "period")
    )
    person = person_of(request.user)
    quarter = open_periods(Frequency.QUARTERLY, today)[0]
    led = ServiceTeam.objects.filter(team_leader=person).order_by("position", "name") if person else []
    return render(
        request,
        "web/my_work.html",
        {
            "due": due[:200],
            "due_count": len(due),
            "returned": returned,
            "awaiting": awaiting,
            "led": led,
            "quarter": quarter,
            "achievements": achievements_awaiting_approval(request.user),
        },
    )


def _figures(indicator: Indicator, period: Period, stored: Value | None = None) -> dict[str, Any]:
    """What sits beside the form: the definition, target and the earlier figures; and
    `entered`, the stored figure (any state) judged as the report would show it once
    approved, so a data owner sees the rate worked out from what they typed."""
    rule = indicator.rule()
    targets = {t.period: t.value for t in indicator.targets.all()}
    approved = {v.period: v for v in Value.objects.filter(indicator=indicator, state=ValueState.APPROVED)}
    tolerance = default_tolerance()
    results = {
        p: evaluate(
            rule,
            approved[p].observation() if p in approved else None,
            p,
            resolve_target(targets, p, rule.aggregation),
            tolerance,
        )
        for p in (period, period.previous(), period.same_period_last_year())
    }
    comparison = compare(rule, results, period)
    entered = None
    if stored is not None:
        target = resolve_target(targets, period, rule.aggregation)
        entered = evaluate(rule, stored.observation(), period, target, tolerance)
    return {"comparison": comparison, "target": results[period].target_display, "entered": entered}


def _entry_initial(value: Value | None) -> dict[str, Any]:
    if value is None:
        return {}
    return {
        "value": "" if value.value is None else _plain(value.value),
        "numerator": "" if value.numerator is None else _plain(value.numerator),
        "denominator": "" if value.denominator is None else _plain(value.denominator),
        "no_data_reason": value.no_data_reason,
        "not_measured": value.not_measured,
        "note": value.note,
    }


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


def _check_open_for_entry(indicator: Indicator, period: Period, stored: Value | None) -> None:
    """A data owner enters figures for the open periods, and finishes one still in draft or
    returned to them; an earlier period is corrected by a performance officer."""
    open_now = open_periods(Frequency(indicator.frequency), timezone.localdate())
    unfinished = stored is not None and stored.state in (ValueState.DRAFT, ValueState.RETURNED)
    if period not in open_now and not unfinished:
        raise PermissionDenied(
            f"{period.label} is not open for entry: {indicator.code} takes figures for "
            f"{' and '.join(p.label for p in open_now)} now. A performance officer corrects earlier periods."
        )


@login_required
def enter_value(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("owner", "approver", "service"), code=code)
    person = person_of(request.user)
    if not (is_performance_officer(request.user) or (person and indicator.owner_id == person.pk)):
        raise PermissionDenied(
            "Only this indicator's data owner or a performance officer can enter its figures."
        )
    stored = Value.objects.filter(indicator=indicator, period=period).first()
    if not is_performance_officer(request.user):
        _check_open_for_entry(indicator, period, stored)
    errors: dict[str, list[str]] = {}
    data = _entry_initial(stored)
    version = stored.version if stored else None
    if request.method == "POST":
        data = {
            "value": request.POST.get("value", "").strip(),
            "numerator": request.POST.get("numerator", "").strip(),
            "denominator": request.POST.get("denominator", "").strip(),
            "no_data_reason": request.POST.get("no_data_reason", ""),
            "not_measured": request.POST.get("not_measured") == "yes",
            "note": request.POST.get("note", ""),
        }
        posted_version = request.POST.get("version") or None
        expected = int(posted_version) if posted_version and posted_version.isdigit() else None
        try:
            saved = save_value(
                indicator,
                period,
                user=request.user,
                value=data["value"] or None,
                numerator=data["numerator"] or None,
                denominator=data["denominator"] or None,
                no_data_reason=data["no_data_reason"],
                not_measured=data["not_measured"],
                note=data["note"],
                expected_version=expected,
            )
            if request.POST.get("action") == "submit":
                saved = submit_value(saved, user=request.user, expected_version=saved.version)
                messages.success(request, f"{indicator.code} {period.label} submitted for approval.")
                return redirect("web:my-work")
            messages.success(request, f"{indicator.code} {period.label} saved as a draft.")
            return redirect("web:enter", code=indicator.code, period=period)
        except ValueRejected as exc:
            errors = exc.errors
        except StaleEdit as exc:
            errors = {"__all__": [exc.message]}
            version = expected  # keep the form stale so the next save is refused too, until reload
        except (InvalidTransition, CollectionError) as exc:
            errors = {"__all__": [exc.message]}
        except PermissionDenied as exc:
            errors = {"__all__": [str(exc)]}
    return render(
        request,
        "web/enter.html",
        {
            "indicator": indicator,
            "period": period,
            "stored": stored,
            "data": data,
            "version": version,
            "errors": errors,
            "is_rate": indicator.measure_kind == "rate",
            **_figures(indicator, period, stored),
        },
        status=400 if errors else 200,
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """Figures the user may approve, and services' draft achievements they may approve.

    Open to performance officers, indicator approvers and heads of groups (who approve
    their services' achievements), and to anyone with something waiting for them.
    """
    queue = list(
        _approvable(request.user)
        .select_related("indicator", "entered_by")
        .order_by("indicator__code", "period")
    )
    achievements = achievements_awaiting_approval(request.user)
    if not (
        queue
        or achievements
        or is_performance_officer(request.user)
        or _is_approver(request.user)
        or _heads_a_group(request.user)
    ):
        raise PermissionDenied(
            "Only approvers, heads of groups and performance officers have an approval queue."
        )
    return render(request, "web/approvals.html", {"queue": queue, "achievements": achievements})


def _is_approver(user: Any) -> bool:
    person = person_of(user)
    return bool(person and person.approved_indicators.exists())


def _heads_a_group(user: Any) -> bool:
    """Heads of groups approve their services' achievements (`may_approve_achievements`)."""
    person = person_of(user)
    return bool(person and Group.objects.filter(head=person).exists())


@require_POST
@login_required
def approve_many(request: HttpRequest) -> HttpResponse:
    if not (is_performance_officer(request.user) or _is_approver(request.user)):
        raise PermissionDenied("Only approvers and performance officers can approve figures.")
    ids = [int(i) for i in request.POST.getlist("value") if i.isdigit()]
    chosen = list(_approvable(request.user).filter(pk__in=ids).select_related("indicator"))
    if not chosen:
        messages.error(request, "Select at least one figure to approve.")
        return redirect("web:approvals")
    approved, refused = bulk_approve(chosen, user=request.user)
    if approved:
        messages.success(request, f"Approved {len(approved)} figure{'s' if len(approved) != 1 else ''}.")
    for value, reason in refused:
        messages.error(request, f"{value.indicator.code} {value.period.label}: {reason}")
    return redirect("web:approvals")


@login_required
def review_value(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_object_or_404(Value.objects.select_related("indicator", "entered_by"), pk=pk)
    person = person_of(request.user)
    if not (is_performance_officer(request.user) or (person and value.indicator.approver_id == person.pk)):
        raise PermissionDenied(
            "Only this indicator's approver or a performance officer can review its figures."
        )
    errors: dict[str, list[str]] = {}
    comment = value.approver_comment
    if request.method == "POST":
        comment = request.POST.get("comment", "")
        posted = request.POST.get("version", "")
        expected = int(posted) if posted.isdigit() else -1
        try:
            if request.POST.get("action") == "return":
                return_value(value, user=request.user, comment=comment, expected_version=expected)
                messages.success(
                    request, f"{value.indicator.code} {value.period.label} returned to the data owner."
                )
            else:
                approve_value(value, user=request.user, comment=comment, expected_version=expected)
                messages.success(request, f"{value.indicator.code} {value.period.label} approved.")
            return redirect("web:approvals")
        except ValueRejected as exc:
            errors = {
                "comment" if k in ("comment", "approver_comment") else k: v for k, v in exc.errors.items()
            }
        except CollectionError as exc:
            errors = {"__all__": [exc.message]}
        except PermissionDenied as exc:  # e.g. approving a figure you entered yourself
            errors = {"__all__": [str(exc)]}
    return render(
        request,
        "web/review.html",
        {
            "value": value,
            "indicator": value.indicator,
            "comment": comment,
            "errors": errors,
            **_figures(value.indicator, value.period, value),
        },
        status=400 if errors else 200,
    )
