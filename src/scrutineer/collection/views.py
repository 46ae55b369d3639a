"""The collection pages: My work, figure entry, the approval queue and review, and a
service's achievements for a quarter.

Every change goes through `collection.actions`, which ask `catalogue.access` who may do
it and enforce their own rules; every figure shown is judged by `performance`, the one
read path. These views only present forms and show the actions' messages.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from scrutineer.catalogue import access
from scrutineer.catalogue.access import officer_required, signin_required
from scrutineer.catalogue.models import Indicator, Person, ServiceTeam
from scrutineer.changes import Rejected, as_version
from scrutineer.collection.actions import (
    CollectionError,
    InvalidTransition,
    StaleEdit,
    ValueRejected,
    approve_achievements,
    approve_value,
    bulk_approve,
    close_round,
    correct_value,
    open_round,
    return_value,
    save_achievement,
    save_schedule,
    save_value,
    set_comment_requirement,
    set_corrective_action,
    submit_value,
    update_corrective_action,
)
from scrutineer.collection.commentary import comment_needed, required_from
from scrutineer.collection.forms import (
    CommentRuleForm,
    CorrectionForm,
    CorrectiveActionForm,
    EntryForm,
    OpenRoundForm,
    ProgressForm,
    ScheduleForm,
    posted_versions,
    shown_drafts,
)
from scrutineer.collection.models import (
    Achievement,
    CollectionRound,
    CommentFrom,
    CorrectiveAction,
    RoundSchedule,
    Value,
    ValueState,
)
from scrutineer.collection.overdue import late_now, overdue_csv, returns_over_year, summarise
from scrutineer.collection.queues import (
    achievements_awaiting_approval,
    corrective_actions_for,
    figures_awaiting_approval,
    name_of,
    values_awaiting_approval,
)
from scrutineer.collection.reading import as_if_approved
from scrutineer.collection.rounds import (
    ItemState,
    check_open_for_entry,
    open_for_entry,
    open_periods,
    open_rounds,
    round_items,
)
from scrutineer.collection.text import parse_body
from scrutineer.collection.validation import EDITABLE
from scrutineer.engine import Frequency, Period
from scrutineer.engine.figures import plain
from scrutineer.performance import as_reported, judge_one


@signin_required
def my_work(request: HttpRequest) -> HttpResponse:
    """What the signed-in person has to do: figures due for the open periods (each as the
    table will show it now), figures returned to them, and what awaits their approval."""
    today = timezone.localdate()
    indicators = list(
        access.indicators_entered_by(request.user)
        .select_related("service", "theme__priority")
        .order_by("code")
    )
    by_frequency = {f: open_for_entry(Frequency(f), today) for f in {i.frequency for i in indicators}}
    wanted = {i.pk: by_frequency[i.frequency] for i in indicators}
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
    approved = [
        (indicator, period, found)
        for indicator in indicators
        for period in wanted[indicator.pk]
        if (found := stored.get((indicator.pk, period))) is not None and found.state == ValueState.APPROVED
    ]
    shown_due, shown_approved = due[:200], approved[:200]
    reported = as_reported(
        indicators, [(i.pk, p) for i, p, _ in shown_due] + [(i.pk, p) for i, p, _ in shown_approved]
    )
    returned = Value.objects.filter(indicator__in=indicators, state=ValueState.RETURNED).select_related(
        "indicator"
    )
    open_now = {r.period: r for r in open_rounds(today).order_by("due_on")}
    awaiting = [
        (value, _deadline(open_now.get(value.period), value, today), name_of(value.entered_by))
        for value in values_awaiting_approval(request.user)
        .exclude(entered_by=request.user)
        .select_related("indicator", "entered_by__person")
        .order_by("indicator__code", "period")
    ]
    person = access.person_of(request.user)
    quarter = (open_for_entry(Frequency.QUARTERLY, today) or open_periods(Frequency.QUARTERLY, today))[0]
    led = ServiceTeam.objects.filter(team_leader=person).order_by("position", "name") if person else []
    return render(
        request,
        "collection/my_work.html",
        {
            "due": [
                (i, p, v, reported[(i.pk, p)].current, _deadline(open_now.get(p), v, today))
                for i, p, v in shown_due
            ],
            "due_count": len(due),
            "late_count": sum(1 for _, p, v in due if _deadline(open_now.get(p), v, today).endswith("late")),
            "rounds": list(open_now.values()),
            "actions": corrective_actions_for(request.user),
            "approved": [(i, p, v, reported[(i.pk, p)].current) for i, p, v in shown_approved],
            "returned": returned,
            "awaiting": awaiting,
            "led": led,
            "quarter": quarter,
            "achievements": achievements_awaiting_approval(request.user),
        },
    )


def _deadline(round: CollectionRound | None, value: Value | None, today: date) -> str:
    """When a figure is due, as My work says it: "14 October 2020", "14 October 2020, 3 days
    late"; the approvals date for a submitted figure; "" without a round."""
    if round is None:
        return ""
    day = (
        round.approvals_due_on if value is not None and value.state == ValueState.SUBMITTED else round.due_on
    )
    words = f"{day.day} {day:%B %Y}"
    late = (today - day).days
    return f"{words}, {late} day{'s' if late != 1 else ''} late" if late > 0 else words


def _figures(indicator: Indicator, period: Period, stored: Value | None = None) -> dict[str, Any]:
    """What sits beside the form: the target and the earlier figures as the table shows
    them; and `entered`, the stored figure (any state) judged as the report will show it
    once approved, so a data owner sees the rate worked out from what they typed."""
    row = judge_one(indicator, period)
    return {
        "row": row,
        "target": row.current.result.target_display,
        "entered": as_if_approved(indicator, stored) if stored is not None else None,
    }


def _commentary(indicator: Indicator, stored: Value | None) -> dict[str, str]:
    """What the entry page says about the comment for the report: whether the stored figure
    needs one now (its status in the indicator's words), and which figures do."""
    needs = required_from(indicator.pk)
    return {
        "comment_needed": comment_needed(stored) if stored is not None and stored.state in EDITABLE else "",
        "comment_from": "red" if needs == CommentFrom.RED else "amber or red",
    }


def _entry_initial(value: Value | None) -> dict[str, Any]:
    if value is None:
        return {}
    return {
        "value": "" if value.value is None else plain(value.value),
        "numerator": "" if value.numerator is None else plain(value.numerator),
        "denominator": "" if value.denominator is None else plain(value.denominator),
        "no_data_reason": value.no_data_reason,
        "not_measured": value.not_measured,
        "note": value.note,
        "commentary": value.commentary,
    }


@signin_required
def enter_value(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("owner", "approver", "service"), code=code)
    access.check_may_enter(request.user, indicator)
    stored = Value.objects.filter(indicator=indicator, period=period).first()
    check_open_for_entry(request.user, indicator, period, stored)
    errors: dict[str, list[str]] = {}
    data = _entry_initial(stored)
    version = stored.version if stored else None
    if request.method == "POST":
        form = EntryForm(request.POST)
        data = form.data_for_action()
        expected = form.expected_version
        saved: Value | None = None
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
                commentary=data["commentary"],
                expected_version=expected,
            )
            if form.submits:
                saved = submit_value(saved, user=request.user, expected_version=saved.version)
                messages.success(request, f"{indicator.code} {period.label} submitted for approval.")
                return redirect("collection:my-work")
            messages.success(request, f"{indicator.code} {period.label} saved as a draft.")
            return redirect("collection:enter", code=indicator.code, period=period)
        except ValueRejected as exc:
            errors = exc.errors
            if saved is not None:  # saved, then refused on submission (a red figure without its comment)
                stored, version = saved, saved.version
                errors = {
                    **errors,
                    "__all__": [f"{indicator.code} {period.label} is saved as a draft, but not submitted."],
                }
        except StaleEdit as exc:
            errors = {"__all__": [exc.message]}
            version = expected  # keep the form stale so the next save is refused too, until reload
        except (InvalidTransition, CollectionError) as exc:
            errors = {"__all__": [exc.message]}
        except PermissionDenied as exc:
            errors = {"__all__": [str(exc)]}
    return render(
        request,
        "collection/enter.html",
        {
            "indicator": indicator,
            "period": period,
            "stored": stored,
            "data": data,
            "version": version,
            "errors": errors,
            "is_rate": indicator.measure_kind == "rate",
            **_commentary(indicator, stored),
            **_figures(indicator, period, stored),
        },
        status=400 if errors else 200,
    )


@signin_required
def approvals(request: HttpRequest) -> HttpResponse:
    """Figures the user may approve, and services' draft achievements they may approve.

    Open to performance officers, indicator approvers and heads of groups (who approve
    their services' achievements), and to anyone with something waiting for them.
    """
    queue = figures_awaiting_approval(request.user)
    achievements = achievements_awaiting_approval(request.user)
    if not (queue or achievements or access.has_approval_queue(request.user)):
        raise PermissionDenied(
            "Only approvers, heads of groups and performance officers have an approval queue."
        )
    # "Select all" is a link back here with ?select=all, so it works without JavaScript;
    # collection/select-all.js ticks the boxes in place where scripts run.
    return render(
        request,
        "collection/approvals.html",
        {"queue": queue, "achievements": achievements, "all_selected": request.GET.get("select") == "all"},
    )


@require_POST
@signin_required
def approve_many(request: HttpRequest) -> HttpResponse:
    """Approve the ticked figures, each at the version the approver was shown ("id:version")."""
    if not access.may_approve_figures(request.user):
        raise PermissionDenied("Only approvers and performance officers can approve figures.")
    versions = posted_versions(request.POST.getlist("value"))
    chosen = list(values_awaiting_approval(request.user).filter(pk__in=versions).select_related("indicator"))
    if not chosen:
        messages.error(request, "Select at least one figure to approve.")
        return redirect("collection:approvals")
    approved, refused = bulk_approve(
        chosen, user=request.user, versions={pk: v for pk, v in versions.items() if v is not None}
    )
    if approved:
        messages.success(request, f"Approved {len(approved)} figure{'s' if len(approved) != 1 else ''}.")
    for value, reason in refused:
        messages.error(request, f"{value.indicator.code} {value.period.label}: {reason}")
    return redirect("collection:approvals")


@signin_required
def review_value(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_object_or_404(Value.objects.select_related("indicator", "entered_by"), pk=pk)
    access.check_may_approve(request.user, value.indicator, "review")
    errors: dict[str, list[str]] = {}
    comment = value.approver_comment
    if request.method == "POST":
        comment = request.POST.get("comment", "")
        expected = as_version(request.POST.get("version"))  # None: refused, saying so
        try:
            if request.POST.get("action") == "return":
                return_value(value, user=request.user, comment=comment, expected_version=expected)
                messages.success(
                    request, f"{value.indicator.code} {value.period.label} returned to the data owner."
                )
            else:
                approve_value(value, user=request.user, comment=comment, expected_version=expected)
                messages.success(request, f"{value.indicator.code} {value.period.label} approved.")
            return redirect("collection:approvals")
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
        "collection/review.html",
        {
            "value": value,
            "indicator": value.indicator,
            "comment": comment,
            "errors": errors,
            **_figures(value.indicator, value.period, value),
        },
        status=400 if errors else 200,
    )


# Achievements


def _service(request: HttpRequest, slug: str, period: Period, *, write: bool = True) -> ServiceTeam:
    """The service in the address, once the user may see its achievements for a quarter."""
    service = get_object_or_404(ServiceTeam.objects.select_related("team_leader"), slug=slug)
    if period.frequency is not Frequency.QUARTERLY:
        raise Http404(f"Achievements are reported for a quarter (e.g. 2020-21-Q1), not {period.label}.")
    may_read = not write and access.may_approve_achievements(request.user, service)
    if not (access.may_write_achievements(request.user, service) or may_read):
        leader = f" ({service.team_leader})" if service.team_leader else ""
        raise PermissionDenied(
            f"Only {service.name}'s team leader{leader} or a performance officer can see and write "
            f"its achievements."
        )
    return service


@signin_required
def service_achievements(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
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
        "collection/achievements_list.html",
        {
            "service": service,
            "period": period,
            "items": items,
            "may_write": access.may_write_achievements(request.user, service),
            "may_approve": access.may_approve_achievements(request.user, service) and bool(drafts),
            "drafts": drafts,
        },
    )


@require_POST
@signin_required
def approve(request: HttpRequest, slug: str, period: Period) -> HttpResponse:
    """Approve the drafts the approver was shown (each `draft` posted as "id:version"), then
    go back to `next` (a page of this site, e.g. the approval queue) or the achievements."""
    service = _service(request, slug, period, write=False)
    access.check_may_approve_achievements(request.user, service)
    shown = shown_drafts(request.POST.getlist("draft"))
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
    # A path of this site only: `redirect` would read "0" or "home" as the name of a view.
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    return redirect("collection:achievements", slug=slug, period=period)


@signin_required
def edit_achievement(
    request: HttpRequest, slug: str, period: Period, position: int | None = None
) -> HttpResponse:
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
        expected = as_version(request.POST.get("version") or None)
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
                return redirect("collection:achievements", slug=service.slug, period=period)
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
        "collection/achievement_form.html",
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


# The collection cycle: rounds, their schedule, the overdue tracker, corrections of locked
# figures, corrective actions and which figures need a comment.


def _suggested_round(today: date) -> dict[str, str]:
    """What the open-a-round form offers: the latest quarter that has ended and has no round,
    due in two weeks, approvals a week later."""
    period = Period.containing(today, Frequency.QUARTERLY).previous()
    return {
        "period": period.key,
        "due_on": (today + timedelta(days=14)).isoformat(),
        "approvals_due_on": (today + timedelta(days=21)).isoformat(),
        "remind_days_before": "3",
        "escalate_days_after": "5",
    }


@signin_required
def rounds(request: HttpRequest) -> HttpResponse:
    """Every round, newest first, with how far each has got; performance officers open one here."""
    access.check_may_track_lateness(request.user)
    today = timezone.localdate()
    form = OpenRoundForm(request.POST if request.method == "POST" else None, initial=_suggested_round(today))
    if request.method == "POST":
        access.check_may_run_rounds(request.user)
        if form.is_valid():
            typed = form.cleaned_data
            try:
                created = open_round(
                    typed["period"],
                    user=request.user,
                    opens_on=typed["opens_on"] or None,
                    due_on=typed["due_on"],
                    approvals_due_on=typed["approvals_due_on"],
                    remind_days_before=typed["remind_days_before"] or 3,
                    escalate_days_after=typed["escalate_days_after"] or 5,
                )
            except Rejected as exc:
                exc.put_on(form)
            else:
                messages.success(
                    request,
                    f"The {created.period.label} round is open: figures are due on "
                    f"{created.due_on:%d %B %Y}, approvals on {created.approvals_due_on:%d %B %Y}.",
                )
                return redirect("collection:round", period=created.period)
    listed = list(CollectionRound.objects.order_by("-opens_on", "-period")[:50])
    scope = None if access.may_run_rounds(request.user) else access.indicators_approved_by(request.user)
    items = round_items(listed, today, indicators=scope)
    progress = {
        r.pk: {
            "due": sum(1 for i in items if i.round.pk == r.pk),
            "approved": sum(1 for i in items if i.round.pk == r.pk and i.state is ItemState.APPROVED),
            "late": sum(1 for i in items if i.round.pk == r.pk and i.overdue),
        }
        for r in listed
    }
    return render(
        request,
        "collection/rounds.html",
        {
            "rounds": [(r, progress[r.pk]) for r in listed],
            "form": form,
            "errors": form.error_summary if form.is_bound else {},
            "may_run": access.may_run_rounds(request.user),
            "schedules": RoundSchedule.objects.filter(active=True),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@signin_required
def round_page(request: HttpRequest, period: Period) -> HttpResponse:
    """One round: every indicator due in it, its state, who holds it and how late it is."""
    access.check_may_track_lateness(request.user)
    found = get_object_or_404(CollectionRound, period=period)
    officer = access.may_run_rounds(request.user)
    items = round_items(
        [found],
        timezone.localdate(),
        indicators=None if officer else access.indicators_approved_by(request.user),
    )
    counts = {state: sum(1 for i in items if i.state is state) for state in ItemState}
    return render(
        request,
        "collection/round.html",
        {
            "round": found,
            "items": items,
            "counts": [(state.label, counts[state]) for state in ItemState],
            "late": sum(1 for i in items if i.overdue),
            "may_run": officer,
        },
    )


@require_POST
@signin_required
def close_round_page(request: HttpRequest, period: Period) -> HttpResponse:
    found = get_object_or_404(CollectionRound, period=period)
    try:
        locked = close_round(found, user=request.user, expected_version=request.POST.get("version"))
    except (Rejected, StaleEdit) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"The {period.label} round is closed: {locked} approved figure{'s' if locked != 1 else ''} locked.",
        )
    return redirect("collection:round", period=period)


@officer_required
def schedule(request: HttpRequest) -> HttpResponse:
    """When rounds open by themselves: one schedule per frequency."""
    stored = {s.frequency: s for s in RoundSchedule.objects.all()}
    forms_by_frequency = {}
    posted = request.POST.get("frequency") if request.method == "POST" else None
    for frequency in (Frequency.MONTHLY, Frequency.QUARTERLY):
        existing = stored.get(frequency.value)
        initial = {
            "version": existing.version if existing else "",
            "open_day": existing.open_day if existing else 1,
            "due_day": existing.due_day if existing else 10,
            "approvals_day": existing.approvals_day if existing else 15,
            "remind_days_before": existing.remind_days_before if existing else 3,
            "escalate_days_after": existing.escalate_days_after if existing else 5,
            "active": existing.active if existing else False,
        }
        forms_by_frequency[frequency] = ScheduleForm(
            request.POST if posted == frequency.value else None, initial=initial, prefix=frequency.value
        )
    if posted in {f.value for f in forms_by_frequency}:
        frequency = Frequency(posted)
        form = forms_by_frequency[frequency]
        if form.is_valid():
            typed = form.cleaned_data
            try:
                save_schedule(
                    frequency,
                    user=request.user,
                    open_day=typed["open_day"],
                    due_day=typed["due_day"],
                    approvals_day=typed["approvals_day"],
                    remind_days_before=typed["remind_days_before"],
                    escalate_days_after=typed["escalate_days_after"],
                    active=typed["active"],
                    expected_version=typed["version"] or None,
                )
            except (Rejected, StaleEdit) as exc:
                exc.put_on(form)
            else:
                messages.success(request, f"The {frequency.value} schedule is saved.")
                return redirect("collection:schedule")
    errors: dict[str, list[str]] = {}
    for form in forms_by_frequency.values():
        if form.is_bound:
            errors.update(form.error_summary)
    return render(
        request,
        "collection/schedule.html",
        {
            "schedules": [(f, forms_by_frequency[f], stored.get(f.value)) for f in forms_by_frequency],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@signin_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Who owes what and how late in the open rounds, and late returns over the last year
    per service and per person: every indicator for an officer, an approver's own."""
    access.check_may_track_lateness(request.user)
    today = timezone.localdate()
    returns = returns_over_year(request.user, today)
    return render(
        request,
        "collection/overdue.html",
        {
            "late": late_now(request.user, today),
            "returns": len(returns),
            "late_returns": sum(1 for r in returns if r.late),
            "by_service": summarise(returns, "service"),
            "by_person": summarise(returns, "person"),
            "since": today - timedelta(days=365),
        },
    )


@signin_required
def overdue_download(request: HttpRequest) -> HttpResponse:
    access.check_may_track_lateness(request.user)
    today = timezone.localdate()
    text = overdue_csv(returns_over_year(request.user, today), late_now(request.user, today))
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="late-returns-{today.isoformat()}.csv"'
    return response


@signin_required
def correct(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    """Correct a locked figure, with a reason: it goes for approval again and, once
    approved, is shown as a restatement."""
    indicator = get_object_or_404(Indicator.objects.select_related("owner", "approver"), code=code)
    access.check_may_correct(request.user, indicator)
    value = get_object_or_404(Value, indicator=indicator, period=period)
    initial = {**_entry_initial(value), "version": value.version}
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if not value.locked and request.method != "POST":
        messages.info(request, f"{indicator.code} {period.label} is not locked: change it on its entry page.")
        return redirect("collection:enter", code=code, period=period)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data
        try:
            correct_value(
                value,
                user=request.user,
                reason=typed["reason"],
                expected_version=typed["version"],
                figure=typed["value"] or None,
                numerator=typed["numerator"] or None,
                denominator=typed["denominator"] or None,
                no_data_reason=typed["no_data_reason"],
                not_measured=typed["not_measured"],
                commentary=typed["commentary"],
            )
        except (ValueRejected, StaleEdit) as exc:
            exc.put_on(form)
        except CollectionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"The correction to {indicator.code} {period.label} is submitted for approval; once approved it "
                f"is shown as a restatement.",
            )
            return redirect("web:indicator", code=code)
    return render(
        request,
        "collection/correct.html",
        {
            "indicator": indicator,
            "period": period,
            "value": value,
            "form": form,
            "is_rate": indicator.measure_kind == "rate",
            "errors": form.error_summary if form.is_bound else {},
            **_figures(indicator, period, value),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _people() -> Any:
    # A new action is given to someone still here: deactivated people are not offered.
    return Person.objects.filter(is_councillor=False, active=True).order_by("name")


@signin_required
def corrective_action_add(request: HttpRequest, code: str, period: Period) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("owner", "approver"), code=code)
    access.check_may_write_corrective_actions(request.user, indicator)
    people = list(_people())
    initial = {"owner": str(indicator.owner_id or "")}
    form = CorrectiveActionForm(
        request.POST if request.method == "POST" else None, people=people, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data
        try:
            set_corrective_action(
                indicator,
                period,
                user=request.user,
                description=typed["description"],
                owner=typed["owner"],
                due_on=typed["due_on"],
            )
        except Rejected as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"Corrective action set on {indicator.code} {period.label}.")
            return redirect("web:indicator", code=code)
    return render(
        request,
        "collection/corrective_action_form.html",
        {
            "indicator": indicator,
            "period": period,
            "form": form,
            "errors": form.error_summary if form.is_bound else {},
            **_figures(indicator, period),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@signin_required
def corrective_action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(CorrectiveAction.objects.select_related("indicator", "owner"), pk=pk)
    access.check_may_update_corrective_action(request.user, action)
    form = ProgressForm(
        request.POST if request.method == "POST" else None,
        initial={"version": action.version, "progress": action.progress},
    )
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data
        try:
            update_corrective_action(
                action,
                user=request.user,
                progress=typed["progress"],
                expected_version=typed["version"],
                done=typed["done"],
                due_on=typed["due_on"] or None,
            )
        except (Rejected, StaleEdit) as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"Progress recorded on {action.indicator.code}'s corrective action.")
            return redirect("web:indicator", code=action.indicator.code)
    return render(
        request,
        "collection/corrective_action_update.html",
        {
            "action": action,
            "indicator": action.indicator,
            "form": form,
            "history": action.history.order_by("-history_date")[:20],
            "errors": form.error_summary if form.is_bound else {},
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@officer_required
def comment_rule(request: HttpRequest, code: str) -> HttpResponse:
    """Which of an indicator's figures need a comment for the report before submission."""
    indicator = get_object_or_404(Indicator, code=code)
    form = CommentRuleForm(
        request.POST if request.method == "POST" else None,
        initial={"required_from": required_from(indicator.pk).value},
    )
    if request.method == "POST" and form.is_valid():
        try:
            set_comment_requirement(
                indicator, user=request.user, required_from=form.cleaned_data["required_from"]
            )
        except Rejected as exc:
            exc.put_on(form)
        else:
            messages.success(request, f"Saved which of {indicator.code}'s figures need a comment.")
            return redirect("web:indicator", code=code)
    return render(
        request,
        "collection/comment_rule.html",
        {"indicator": indicator, "form": form, "errors": form.error_summary if form.is_bound else {}},
        status=400 if form.is_bound and form.errors else 200,
    )
