"""Committee, service and theme dashboards and indicator pages: read-only views of
judged figures.

Figures come through `performance`, the one read path (`build_table`, `judge_indicators`,
`indicator_history`); who may see what comes from `catalogue.access`. These views only
choose what to show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from scrutineer.catalogue.access import (
    may_correct,
    may_write_corrective_actions,
    sees_everything,
    sees_unapproved,
    visible_committees,
    visible_indicators,
    visible_services,
    visible_themes,
)
from scrutineer.catalogue.models import Indicator, rules_in_force, site_default_tolerance
from scrutineer.collection.audit import audit_csv, audit_trail
from scrutineer.collection.models import CorrectiveAction, Value, ValueState
from scrutineer.engine import DEFAULT_RULE, Period, PeriodKeyError, Status
from scrutineer.exchange.benchmarks import positions, shown
from scrutineer.performance import (
    PerformanceTable,
    approved_quarters,
    build_table,
    indicator_history,
    judge_indicators,
    reported_indicators,
    status_key,
    status_keys,
    words_for,
)
from scrutineer.performance.restatements import restatements_of


def _find(request: HttpRequest, queryset: QuerySet[Any], **lookup: Any) -> tuple[Any, HttpResponse | None]:
    """The object and no response if the user may see it; anonymous visitors are sent to
    sign in, and a signed-in user without access is refused (403)."""
    found = get_object_or_404(queryset.model, **lookup)
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not queryset.filter(pk=found.pk).exists():
        raise PermissionDenied("You do not have access to this page.")
    return found, None


def _status_choices(table: PerformanceTable | None) -> list[tuple[Status, str]]:
    """The statuses to filter a dashboard by, in the words of its rules: a judged level
    (green to red, up to five) only when a rule on the table gives it."""
    rules = table.rules if table is not None and table.rules else (DEFAULT_RULE,)
    given = {status for rule in rules for status in rule.statuses}
    return [(s, words_for(s, rules)) for s in Status if s in given or not s.is_measurable]


def _dashboard(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    periods: list[Period],
    judge: Callable[[Period], PerformanceTable],
    by: str,
    linked: set[str] | None = None,
) -> HttpResponse:
    """The page every dashboard shares: the period picker (or a typed key, with a clear error
    when it is wrong), the counts by status, the table filtered by status and by `by`
    ("theme" or "service"), and the key written from the status rules that judged it.
    `linked`: the codes whose indicator pages the user may open (None: every row's)."""
    error = ""
    period = periods[0] if periods else None
    if request.GET.get("period"):
        try:
            period = Period.parse(request.GET["period"])
        except PeriodKeyError as exc:
            error = str(exc)
    table = judge(period) if period is not None else None
    status_filter = request.GET.get("status", "")
    by_filter = request.GET.get(by, "")
    every_row = list(table.rows()) if table is not None else []
    rows = [
        row
        for row in every_row
        if (not status_filter or row.current.result.status.value == status_filter)
        and (not by_filter or getattr(row, by) == by_filter)
    ]
    return render(
        request,
        template,
        {
            **context,
            "period": period,
            "periods": periods,
            "table": table,
            "rows": rows,
            "statuses": _status_choices(table),
            "status_filter": status_filter,
            "keys": status_keys(every_row),
            "tolerance": site_default_tolerance(),
            "by": by,
            "by_label": by.capitalize(),
            "by_options": list(dict.fromkeys(getattr(row, by) for row in every_row)),
            "by_filter": by_filter,
            "filtered": bool(status_filter or by_filter),
            "error": error,
            "linked": {row.code for row in every_row} if linked is None else linked,
        },
    )


def committee_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    committee, denied = _find(request, visible_committees(request.user), slug=slug)
    if denied:
        return denied
    return _dashboard(
        request,
        "web/committee_dashboard.html",
        {"committee": committee, "noun": "committee"},
        periods=approved_quarters(committee.indicators.all()),
        judge=lambda period: build_table(committee, period),
        by="theme",
        linked=set(visible_indicators(request.user).values_list("code", flat=True)),
    )


def service_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """A service's indicators, only those the user may read (every one for an officer)."""
    service, denied = _find(request, visible_services(request.user), slug=slug)
    if denied:
        return denied
    indicators = visible_indicators(request.user).filter(service=service)
    return _dashboard(
        request,
        "web/service_dashboard.html",
        {"service": service, "noun": "service", "everything": sees_everything(request.user)},
        periods=approved_quarters(indicators),
        judge=lambda period: judge_indicators(
            reported_indicators(indicators, period), period, title=service.name, slug=service.slug
        ),
        by="theme",
    )


def theme_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """A theme's indicators across services, only those the user may read."""
    theme, denied = _find(request, visible_themes(request.user), pk=pk)
    if denied:
        return denied
    indicators = visible_indicators(request.user).filter(theme=theme)
    return _dashboard(
        request,
        "web/theme_dashboard.html",
        {"theme": theme, "noun": "theme", "everything": sees_everything(request.user)},
        periods=approved_quarters(indicators),
        judge=lambda period: judge_indicators(
            reported_indicators(indicators, period), period, title=str(theme), slug=str(theme.pk)
        ),
        by="service",
    )


def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    indicator, denied = _find(request, visible_indicators(request.user), code=code)
    if denied:
        return denied
    indicator = Indicator.objects.select_related("service", "theme__priority", "owner", "approver").get(
        pk=indicator.pk
    )
    in_force = rules_in_force([indicator])[indicator.pk]
    history = indicator_history(indicator, in_force)
    counts = Counter(row.comparison.current.status for row in history)
    unapproved = sees_unapproved(request.user, indicator)
    rule = in_force.judged_by
    return render(
        request,
        "web/indicator.html",
        {
            "indicator": indicator,
            "in_force": in_force,
            "rule": rule,
            "keys": (status_key(rule, indicator.rule(in_force).polarity, indicator.unit),),
            "tolerance": site_default_tolerance(),
            "rows": list(reversed(history)),
            "targets": sorted(
                indicator.targets.all(), key=lambda t: (t.period.frequency.months, t.period.start)
            ),
            "committees": indicator.committees.all(),
            "chart": chart([(row.period, row.comparison) for row in history]),
            "counts": [(s, counts[s]) for s in Status if counts[s]],
            "pending": Value.objects.filter(indicator=indicator)
            .exclude(state=ValueState.APPROVED)
            .order_by("period")
            if unapproved
            else Value.objects.none(),
            "audit": audit_trail(indicator, approved_only=not unapproved)[:100],
            "benchmarks": shown(indicator, positions(indicator, request.user)),
            **_cycle(request, indicator, history),
        },
    )


def _cycle(request: HttpRequest, indicator: Indicator, history: list[Any]) -> dict[str, Any]:
    """The indicator page's part of the collection cycle: its restated figures, its corrective
    actions, and (for those who may) its locked figures to correct and red ones to act on."""
    user = request.user
    correcting = may_correct(user, indicator)
    may_act = may_write_corrective_actions(user, indicator)
    return {
        "restated": restatements_of(indicator),
        "corrective_actions": CorrectiveAction.objects.filter(indicator=indicator)
        .select_related("owner")
        .order_by("state", "due_on", "pk"),
        "may_correct": correcting,
        "locked": Value.objects.filter(indicator=indicator, locked_at__isnull=False).order_by("-period")[:8]
        if correcting
        else [],
        "may_act": may_act,
        "red_periods": [
            row.period for row in reversed(history) if row.comparison.current.status == Status.RED
        ][:4]
        if may_act
        else [],
    }


def indicator_history_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The indicator's full change history (definition, targets, figures) as CSV."""
    indicator, denied = _find(request, visible_indicators(request.user), code=code)
    if denied:
        return denied
    trail = audit_trail(indicator, approved_only=not sees_unapproved(request.user, indicator))
    response = HttpResponse(audit_csv(trail).encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}-change-history.csv"'
    return response


def chart(points: list[tuple[Period, Any]], width: int = 720, height: int = 240) -> dict[str, Any] | None:
    """An SVG line of the figure with the target as a dashed line; the history table
    beside it carries the same numbers for anyone who cannot see the chart."""
    figures = [(p, c.current.value, c.current.target) for p, c in points]
    values = [v for _, v, _ in figures if v is not None] + [t for _, _, t in figures if t is not None]
    if len(figures) < 2 or not values:
        return None
    low, high = min(values), max(values)
    if high == low:
        high = low + Decimal(1)
    pad_x, pad_y = 48, 20
    step = (width - 2 * pad_x) / (len(figures) - 1)

    def y(v: Decimal) -> float:
        return round(height - pad_y - float((v - low) / (high - low)) * (height - 2 * pad_y), 1)

    def path(index: int) -> str:
        parts, pen = [], "M"
        for i, point in enumerate(figures):
            v = point[index]
            if v is None:
                pen = "M"
                continue
            parts.append(f"{pen}{round(pad_x + i * step, 1)},{y(v)}")
            pen = "L"
        return " ".join(parts)

    markers = [
        {"x": round(pad_x + i * step, 1), "y": y(v), "label": f"{p.label}: {v}"}
        for i, (p, v, _) in enumerate(figures)
        if v is not None
    ]
    return {
        "markers": markers,
        "width": width,
        "height": height,
        "figure_path": path(1),
        "target_path": path(2),
        "first": figures[0][0].label,
        "last": figures[-1][0].label,
        "low": low,
        "high": high,
        "label_y_high": pad_y,
        "label_y_low": height - pad_y,
    }
