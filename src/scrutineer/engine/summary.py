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
