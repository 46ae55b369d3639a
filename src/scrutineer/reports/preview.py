"""The layout preview: a committee's report as the layout chosen on its page would print
it, before the choices are saved (docs/report-layouts.md).

Nothing is written: the committee is the form's unsaved instance, and the services,
indicators and objectives are those ticked on the form. The period is the latest quarter
with approved figures for those indicators (the current quarter's previous one when
there are none yet), and the report is a draft with the committee's cover-sheet texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.utils import timezone

from scrutineer.catalogue.models import Committee, CorporateObjective, Indicator, ServiceTeam
from scrutineer.engine import Frequency, Period
from scrutineer.performance import approved_quarters, judge_indicators, reported_indicators
from scrutineer.reports.builder import build_document
from scrutineer.reports.document import ReportDocument
from scrutineer.reports.models import Report


def preview_period(indicators: Iterable[Indicator]) -> Period:
    """The latest quarter with approved figures for `indicators`; else the last quarter ended."""
    chosen = [i.pk for i in indicators]
    found = approved_quarters(Indicator.objects.filter(pk__in=chosen)) if chosen else []
    if found:
        return found[0]
    return Period.containing(timezone.localdate(), Frequency.QUARTERLY).previous()


def layout_preview(
    committee: Committee,
    *,
    services: Iterable[ServiceTeam],
    indicators: Iterable[Indicator],
    objectives: Iterable[CorporateObjective],
) -> ReportDocument:
    """The report of `committee` (saved or not) for `preview_period`, laid out by its
    fields as they are now, marked as a preview."""
    chosen = list(indicators)
    period = preview_period(chosen)
    rows = reported_indicators(Indicator.objects.filter(pk__in=[i.pk for i in chosen]), period)
    table = judge_indicators(rows, period, title=committee.name, slug=committee.slug or "preview")
    report = Report(committee=committee, period=period, meeting_date=None)
    ordered = sorted(services, key=lambda s: (s.position, s.name))
    doc = build_document(report, table, services=ordered, objectives=[str(o) for o in objectives])
    notice = (
        f"Preview of the report layout for {period.long_label}, with the figures approved now. "
        "Nothing is saved: go back to the committee's page to change the layout or save it."
    )
    return replace(doc, preview=notice)
