"""Collection rounds: which periods are open for entry on a given day.

A period opens for entry when it has ended, and stays open through the next one, so
late figures can still be entered and corrected before the committee meets: on
24 November the open quarters are Q2 (Jul–Sep) and Q1 (Apr–Jun). "My work" lists an
indicator as due for each open period without an approved figure.

`check_open_for_entry` is the rule `save_value` enforces itself, so the entry page, an
import and an API call all meet it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from scrutineer.catalogue import access
from scrutineer.catalogue.models import Indicator
from scrutineer.collection.models import ValueState
from scrutineer.engine import Frequency, Period


def open_periods(frequency: Frequency, today: date) -> list[Period]:
    """Periods open for entry: the last two that have ended, newest first."""
    latest = Period.containing(today, frequency).previous()
    return [latest, latest.previous()]


def check_open_for_entry(user: Any, indicator: Indicator, period: Period, stored: Any) -> None:
    """A data owner enters figures for the open periods, and finishes one still in draft or
    returned to them; performance officers correct any period. `stored` is the figure
    already stored for the period, or None."""
    if access.may_enter_any_period(user):
        return
    if period.frequency is not Frequency(indicator.frequency):
        return  # the action refuses the wrong kind of period with its own message
    open_now = open_periods(Frequency(indicator.frequency), timezone.localdate())
    unfinished = stored is not None and stored.state in (ValueState.DRAFT, ValueState.RETURNED)
    if period not in open_now and not unfinished:
        raise PermissionDenied(
            f"{period.label} is not open for entry: {indicator.code} takes figures for "
            f"{' and '.join(p.label for p in open_now)} now. A performance officer corrects earlier periods."
        )
