"""Which target applies to a period.

A target may be set for the period itself or, more coarsely, for the quarter or
financial year containing it. The most specific one wins. A coarser target applies
as it stands to an indicator whose quarter is a mean, a ratio or the last month (a
20% abandoned-call target holds for every month), but is shared out evenly for one
whose quarter is the sum of its months (an annual target of 1,200 attendances is 100
a month and 300 a quarter), because that is what the periods add up to.

For an indicator whose figures are the financial year so far (`Aggregation.CUMULATIVE`),
a target is where the year should have got to by the end of its period, so a coarser
target is profiled in a straight line from the start of the year: an annual target of
100 is 25 at the end of Q1, 50 at Q2 (and 100/12 × 4 for July); a Q2 target of 50 is
50 × 4/6 for July. Profiles that are not straight lines are set per quarter (25, 40, 70,
100): each quarter's own target wins, as ever.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from scrutineer.engine.figures import DIVIDE, EXACT, ZERO
from scrutineer.engine.measures import Aggregation
from scrutineer.engine.periods import Frequency, Period


def _months_into_year(period: Period) -> int:
    """How many months of its financial year have passed at the end of `period` (1–12)."""
    return period.number * period.frequency.months


def _share(
    target: Decimal,
    coarse: Period,
    fine: Frequency,
    aggregation: Aggregation | None,
    part: Period | None = None,
) -> Decimal:
    """The part of a coarser target that holds for one `fine` period within `coarse`.

    A year-to-date (cumulative) target depends on where the part ends, so `part` is needed
    for it; the other kinds share out or hold evenly."""
    if aggregation is Aggregation.CUMULATIVE:
        assert part is not None
        reached, whole = _months_into_year(part), _months_into_year(coarse)
        if reached == whole:
            return target
        return DIVIDE.divide(EXACT.multiply(target, Decimal(reached)), Decimal(whole))
    if aggregation is not Aggregation.SUM:
        return target
    parts = coarse.frequency.months // fine.months
    return DIVIDE.divide(target, Decimal(parts)) if parts > 1 else target


def resolve_target(
    targets: Mapping[Period, Decimal], period: Period, aggregation: Aggregation | None = None
) -> Decimal | None:
    """The target for `period`: its own, else its quarter's, else its financial year's
    (shared out when the indicator sums its months, profiled when its figures are the year
    to date); None when there is none."""
    own = targets.get(period)
    if own is not None:
        return own
    for frequency in period.frequency.coarser():
        coarse = period.within(frequency)
        found = targets.get(coarse)
        if found is not None:
            return _share(found, coarse, period.frequency, aggregation, period)
    return None


def expand_targets(
    targets: Mapping[Period, Decimal], frequency: Frequency, aggregation: Aggregation | None = None
) -> dict[Period, Decimal]:
    """Every period of `frequency` that has a target, own or inherited, for a whole history
    at once: the same answers as `resolve_target`, without a lookup chain per period."""
    expanded: dict[Period, Decimal] = {}
    # Coarsest first (fewest frequencies above it), so a more specific target overwrites
    # an inherited one.
    for period in sorted(targets, key=lambda p: len(p.frequency.coarser())):
        target = targets[period]
        if period.frequency is frequency:
            expanded[period] = target
        elif frequency.is_finer_than(period.frequency):
            if aggregation is Aggregation.CUMULATIVE:
                for part in period.parts(frequency):
                    expanded[part] = _share(target, period, frequency, aggregation, part)
            else:
                share = _share(target, period, frequency, aggregation)
                for part in period.parts(frequency):
                    expanded[part] = share
    return expanded


def target_periods(period: Period) -> tuple[Period, ...]:
    """Every period whose target could apply to `period` (for fetching targets in one query)."""
    return (period, *(period.within(f) for f in period.frequency.coarser()))


def year_end_target(
    targets: Mapping[Period, Decimal], period: Period, aggregation: Aggregation | None = None
) -> Decimal | None:
    """The target for the end of `period`'s financial year, which a forecast is held to.

    The year's own target; else, for an indicator that sums its periods, the sum of the
    targets of every period of the year at `period`'s frequency (None if any has none);
    else the target of the year's last period at that frequency.
    """
    year = period.within(Frequency.ANNUAL)
    own = targets.get(year)
    if own is not None:
        return own
    parts = year.parts(period.frequency)
    if aggregation is Aggregation.SUM:
        total = ZERO
        for part in parts:
            target = resolve_target(targets, part, aggregation)
            if target is None:
                return None
            total = EXACT.add(total, target)
        return total
    return resolve_target(targets, parts[-1], aggregation)
