"""Saving what performance officers type into a committee report: the one way to change it.

`save_report` is the report editor's action (the Zulip model, see docs/development.md): the web
page calls it and never saves a `Report` itself. Like the collection actions it

- refuses anyone but a performance officer (`PermissionDenied`);
- refuses a stale edit: the form carries the `version` it showed, the action claims the
  row with a conditional UPDATE on that version, and `StaleEdit` is raised if someone
  else saved (or published) first, so two officers' saves can never both win and
  neither silently replaces the other;
- keeps a history row for every save (django-simple-history), so text replaced by a
  later, deliberate save can still be found.

Publishing raises the version too (`publishing.publish_report`), so a form opened
before a report was published cannot be saved over it unseen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from scrutineer.catalogue.access import check_may_manage
from scrutineer.catalogue.models import Committee
from scrutineer.changes import StaleEdit, claim, record_change
from scrutineer.engine import Period
from scrutineer.reports.models import EDITABLE_FIELDS, Report, ReportState

__all__ = ["save_report", "stale_report"]

_AT = "H:i \\o\\n j F Y"  # "14:02 on 3 June 2026"


def save_report(
    committee: Committee,
    period: Period,
    changes: Mapping[str, Any],
    *,
    user: Any,
    expected_version: int | None,
) -> Report:
    """Create or change `committee`'s report for `period` with `changes` (cleaned form data).

    `expected_version` is the version the officer opened: None when the page offered to
    start a new report. Editing a reviewed or published report returns it to draft, to be
    reviewed again before its next version is published.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"A report's editor does not change {', '.join(sorted(unknown))}.")
    check_may_manage(user, "edit committee reports")
    input = {**changes, "expected_version": expected_version}
    with transaction.atomic():
        existing = Report.objects.filter(committee=committee, period=period).values_list("pk", flat=True)
        pk = existing.first()
        if pk is None:
            if expected_version is not None:
                raise stale_report(None, expected_version, input, user=user)
            report = Report(committee=committee, period=period, **changes)
            report.updated_by, report.updated_at = user, timezone.now()
            try:
                with transaction.atomic():
                    record_change(report, user, "Started")
            except IntegrityError:
                current = Report.objects.filter(committee=committee, period=period).first()
                if current is None:
                    raise
                raise stale_report(current, expected_version, input, user=user) from None
            return report

        try:
            report = claim(Report.objects.all(), pk, expected_version, "report", input)
        except StaleEdit:
            current = Report.objects.select_related("updated_by").filter(pk=pk).first()
            raise stale_report(current, expected_version, input, user=user) from None
        for name, value in changes.items():
            setattr(report, name, value)
        if report.state != ReportState.DRAFT:
            report.state = ReportState.DRAFT  # edited after review or publishing: review it again
        report.updated_by, report.updated_at = user, timezone.now()
        record_change(report, user, "Edited")
        return report


def stale_report(
    current: Report | None,
    expected_version: int | None,
    input: Mapping[str, Any],
    *,
    user: Any = None,
    outcome: str = "Your changes were not saved.",
) -> StaleEdit:
    """The refusal when `current` (the report as now stored) is not the version the user
    opened; `outcome` says what did not happen."""
    if current is None:
        message = f"This report was deleted after you opened it. {outcome}"
        return StaleEdit(message, expected_version=expected_version, current_version=None, input=input)
    by = current.updated_by
    if by is not None and user is not None and by.pk == getattr(user, "pk", None):
        who = "You (in another window or tab)"
    elif by is not None:
        who = f"Someone else ({by.get_full_name() or by.get_username()})"
    else:
        who = "Someone else"
    when = ""
    if current.updated_at is not None:
        when = " at " + date_format(timezone.localtime(current.updated_at), _AT)
    did = "started this report" if expected_version is None else "saved or published this report"
    message = f"{who} {did}{when}, after you opened it. {outcome}"
    return StaleEdit(message, expected_version=expected_version, current_version=current.version, input=input)
