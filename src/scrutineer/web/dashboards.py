"""Committee dashboards and indicator pages: read-only views of judged figures.

Figures come from the engine through `reports.table.build_table` and
`engine.evaluate_history`; these views only choose what to show and to whom.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from scrutineer.catalogue.models import Committee, Indicator, default_tolerance
from scrutineer.collection.actions import audit_csv, audit_trail
from scrutineer.collection.models import Value, ValueState
from scrutineer.engine import Frequency, Period, PeriodKeyError, Status, evaluate_history
from scrutineer.reports.table import build_table
from scrutineer.web.access import visible_committees, visible_indicators


def _find(request: HttpRequest, queryset: QuerySet[Any], **lookup: Any) -> tuple[Any, HttpResponse | None]:
    """The object and no response if the user may see it; anonymous visitors are sent to
    sign in, and a signed-in user without access is refused (403)."""
    found = get_object_or_404(queryset.model, **lookup)
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if not queryset.filter(pk=found.pk).exists():
        raise PermissionDenied("You do not have access to this page.")
    return found, None


def committee_periods(committee: Committee) -> list[Period]:
    """Quarters with approved figures for the committee's indicators, newest first."""
    keys = (
        Value.objects.filter(indicator__committees=committee, state=ValueState.APPROVED)
        .values_list("period", flat=True)
        .distinct()
    )
    quarters = {
        p if p.frequency is Frequency.QUARTERLY else p.within(Frequency.QUARTERLY)
        for p in keys
        if p.frequency is not Frequency.ANNUAL
    }
    return sorted(quarters, reverse=True)


def committee_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    committee, denied = _find(request, visible_committees(request.user), slug=slug)
    if denied:
        return denied
    periods = committee_periods(committee)
    error = ""
    period = periods[0] if periods else None
    if request.GET.get("period"):
        try:
            period = Period.parse(request.GET["period"])
        except PeriodKeyError as exc:
            error = str(exc)
    table = build_table(committee, period) if period is not None else None
    status_filter = request.GET.get("status", "")
    theme_filter = request.GET.get("theme", "")
    rows = []
    if table is not None:
        for row in table.rows():
            if status_filter and row.current.result.status.value != status_filter:
                continue
            if theme_filter and row.theme != theme_filter:
                continue
            rows.append(row)
    return render(
        request,
        "web/committee_dashboard.html",
        {
            "committee": committee,
            "period": period,
            "periods": periods,
            "table": table,
            "rows": rows,
            "statuses": list(Status),
            "themes": [g.theme for g in table.groups] if table else [],
            "status_filter": status_filter,
            "theme_filter": theme_filter,
            "error": error,
            "linked": set(visible_indicators(request.user).values_list("code", flat=True)),
        },
    )


def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    indicator, denied = _find(request, visible_indicators(request.user), code=code)
    if denied:
        return denied
    indicator = Indicator.objects.select_related("service", "theme__priority", "owner", "approver").get(
        pk=indicator.pk
    )
    rule = indicator.rule()
    approved = list(Value.objects.filter(indicator=indicator, state=ValueState.APPROVED).order_by("period"))
    targets = {t.period: t.value for t in indicator.targets.all()}
    history = evaluate_history(rule, [v.observation() for v in approved], targets, default_tolerance())
    comments = {v.period: v.approver_comment for v in approved}
    rows = [(period, c, comments.get(period, "")) for period, c in reversed(history.items())]
    counts = Counter(c.current.status for c in history.values())
    return render(
        request,
        "web/indicator.html",
        {
            "indicator": indicator,
            "rows": rows,
            "targets": sorted(
                indicator.targets.all(), key=lambda t: (t.period.frequency.months, t.period.start)
            ),
            "committees": indicator.committees.all(),
            "chart": chart(list(history.items())),
            "counts": [(s, counts[s]) for s in Status if counts[s]],
            "pending": Value.objects.filter(indicator=indicator)
            .exclude(state=ValueState.APPROVED)
            .order_by("period"),
            "audit": audit_trail(indicator)[:100],
        },
    )


def indicator_history_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The indicator's full change history (definition, targets, figures) as CSV."""
    indicator, denied = _find(request, visible_indicators(request.user), code=code)
    if denied:
        return denied
    response = HttpResponse(
        audit_csv(audit_trail(indicator)).encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
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
