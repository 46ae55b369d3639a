"""The key to a table's statuses and trends, written from the status rules that judged it.

A page or a report prints one key per status rule on it, in that rule's words
(`StatusRule.key`, `StatusRule.trend_key`), so the key always says what the engine did.
A rule's key reads the same for every indicator it judges unless the rule says something
different for closest-to-target indicators (today's rule does) or gives a band in the
indicator's unit ("2 percentage points", "2 Second(s)"): then each reading is a key of its
own, naming the indicators it is for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scrutineer.engine import (
    KeyLine,
    Polarity,
    StatusRule,
    TrendKeyLine,
    WithinUnit,
)
from scrutineer.performance.judging import TableRow


@dataclass(frozen=True, slots=True)
class StatusKey:
    """The key to one status rule: its name, its statuses and trends in its words, and the
    indicators it is for (`codes`; empty when it is the only key, so for every row)."""

    rule: StatusRule
    closest: bool
    statuses: tuple[KeyLine, ...]
    trends: tuple[TrendKeyLine, ...]
    codes: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """ "Within 5% is green", or "… (closest to target)" for those indicators' own lines."""
        return f"{self.rule.name} (closest to target)" if self.closest else self.rule.name

    @property
    def uses_tolerance(self) -> bool:
        """True when a band is the indicator's tolerance, which the key should then say."""
        polarity = Polarity.CLOSEST_TO_TARGET if self.closest else Polarity.HIGHER_IS_BETTER
        return any(
            clause.within is not None and clause.within.unit is WithinUnit.TOLERANCE
            for clause in self.rule.clauses_for(polarity)
        )


def status_key(rule: StatusRule, polarity: Polarity = Polarity.HIGHER_IS_BETTER, unit: str = "") -> StatusKey:
    """`rule`'s key as it reads for an indicator of `polarity` and `unit`. Higher and lower
    is better read alike ("missed by"); an info-only indicator reads the rule's whole key."""
    closest = polarity is Polarity.CLOSEST_TO_TARGET and bool(rule.closest_clauses)
    reading = Polarity.CLOSEST_TO_TARGET if closest else Polarity.HIGHER_IS_BETTER
    return StatusKey(rule, closest, rule.key(reading, unit), rule.trend_key(unit))


def status_keys(rows: Iterable[TableRow], fallback: StatusRule | None = None) -> tuple[StatusKey, ...]:
    """One key per distinct reading of the rules that judged `rows`, in order of first use;
    with several, each names its indicators. No rows: `fallback`'s key, if given."""
    found: dict[tuple[object, ...], tuple[StatusKey, list[str]]] = {}
    for row in rows:
        key = status_key(row.rule, row.polarity, row.unit)
        same = (key.rule, key.closest, key.statuses, key.trends)
        found.setdefault(same, (key, []))[1].append(row.code)
    if not found:
        return () if fallback is None else (status_key(fallback),)
    if len(found) == 1:
        return tuple(key for key, _ in found.values())
    return tuple(
        StatusKey(key.rule, key.closest, key.statuses, key.trends, tuple(codes))
        for key, codes in found.values()
    )
