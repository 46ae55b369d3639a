"""Collection rounds: which periods are open for entry on a given day.

A period opens for entry when it has ended, and stays open through the next one, so
late figures can still be entered and corrected before the committee meets: on
24 November the open quarters are Q2 (Jul–Sep) and Q1 (Apr–Jun). "My work" lists an
indicator as due for each open period without an approved figure.
"""

from __future__ import annotations

from datetime import date

from scrutineer.engine import Frequency, Period


def open_periods(frequency: Frequency, today: date) -> list[Period]:
    """Periods open for entry: the last two that have ended, newest first."""
    latest = Period.containing(today, frequency).previous()
    return [latest, latest.previous()]
