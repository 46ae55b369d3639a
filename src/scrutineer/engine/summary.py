"""A period at a glance: how many indicators are green, amber, red, and which have no data.

The counts feed the report's opening sentence ("three measurable targets being
achieved"). Only green, amber and red are *measurable*: info-only figures have no
target, and a figure that is not a real measurement (a suspended service) or missing
is not counted as a target achieved or missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from scrutineer.engine.evaluate import Result
from scrutineer.engine.status import Status
from scrutineer.engine.trend import Trend


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of statuses for a set of indicators in one period.

    `counts` has every status, zero when none; `missing` and `not_measured` list the
    indicator codes with no data and with figures that are not real measurements, in
    the order given.
    """

    counts: Mapping[Status, int]
    measurable: int
    achieved: int
    missing: tuple[str, ...]
    not_measured: tuple[str, ...]

    @property
    def total(self) -> int:
        """How many indicators were summarised."""
        return sum(self.counts.values())

    @property
    def achieved_text(self) -> str:
        """ "3 of 3 measurable targets achieved" ("1 of 1 measurable target achieved")."""
        if not self.measurable:
            return "No measurable targets"
        noun = "target" if self.measurable == 1 else "targets"
        return f"{self.achieved} of {self.measurable} measurable {noun} achieved"

    @property
    def percentage(self) -> int | None:
        """The share of measurable targets achieved, as a whole percent rounded half up
        (2 of 3 is 67); None when nothing was measurable."""
        if not self.measurable:
            return None
        return (200 * self.achieved + self.measurable) // (2 * self.measurable)

    @property
    def percentage_text(self) -> str:
        """ "75% of measurable targets achieved" ("No measurable targets" when none)."""
        if self.percentage is None:
            return "No measurable targets"
        return f"{self.percentage}% of measurable targets achieved"


def summarise(results: Iterable[tuple[str, Result]]) -> Summary:
    """A `Summary` of (indicator code, result) pairs."""
    counts = dict.fromkeys(Status, 0)
    missing: list[str] = []
    not_measured: list[str] = []
    for code, result in results:
        status = result.status
        counts[status] += 1
        if status is Status.NO_DATA:
            missing.append(code)
        elif status is Status.NOT_MEASURED:
            not_measured.append(code)
    measurable = sum(n for status, n in counts.items() if status.is_measurable)  # green to red, five levels
    return Summary(
        counts=MappingProxyType(counts),
        measurable=measurable,
        achieved=counts[Status.GREEN],
        missing=tuple(missing),
        not_measured=tuple(not_measured),
    )


DIRECTIONS = (Trend.IMPROVING, Trend.UNCHANGED, Trend.WORSENING)
"""The directions of travel a summary counts: a trend "up" or "down" (an indicator with no
better direction) or "not comparable" says nothing about performance, so is not counted."""


@dataclass(frozen=True, slots=True)
class Directions:
    """How many indicators improved, held and worsened against an earlier period."""

    improving: int
    unchanged: int
    worsening: int

    @property
    def counts(self) -> tuple[tuple[Trend, int], ...]:
        """(trend, count) in the order a summary says them: improving, unchanged, worsening."""
        return (
            (Trend.IMPROVING, self.improving),
            (Trend.UNCHANGED, self.unchanged),
            (Trend.WORSENING, self.worsening),
        )

    @property
    def total(self) -> int:
        return self.improving + self.unchanged + self.worsening


def directions(trends: Iterable[Trend]) -> Directions:
    """Count the improving, unchanged and worsening trends among `trends`."""
    counts = dict.fromkeys(DIRECTIONS, 0)
    for trend in trends:
        if trend in counts:
            counts[trend] += 1
    return Directions(counts[Trend.IMPROVING], counts[Trend.UNCHANGED], counts[Trend.WORSENING])
