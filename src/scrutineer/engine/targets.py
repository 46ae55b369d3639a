"""Which target applies to a period.

A target may be set for the period itself or, more coarsely, for the quarter or
financial year containing it (an annual target of 80% applies to every month and
quarter of that year). The most specific one wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from scrutineer.engine.periods import Frequency, Period

_COARSER = {
    Frequency.MONTHLY: (Frequency.QUARTERLY, Frequency.ANNUAL),
    Frequency.QUARTERLY: (Frequency.ANNUAL,),
    Frequency.ANNUAL: (),
}


def resolve_target(targets: Mapping[Period, Decimal], period: Period) -> Decimal | None:
    """The target for `period`: its own, else its quarter's, else its financial year's; None if none."""
    own = targets.get(period)
    if own is not None:
        return own
    for frequency in _COARSER[period.frequency]:
        found = targets.get(period.within(frequency))
        if found is not None:
            return found
    return None


def target_periods(period: Period) -> tuple[Period, ...]:
    """Every period whose target could apply to `period` (for fetching targets in one query)."""
    return (period, *(period.within(f) for f in _COARSER[period.frequency]))
