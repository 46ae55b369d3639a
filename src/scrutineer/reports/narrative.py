"""Drafted words for a report: the introduction's period wording and the summary of the
period, generated from the figures so that no heading or count is ever typed by hand.

A performance officer edits the drafted summary before publishing; these functions
only give a faithful first draft. This is report wording, not a rule: it lives with the
reports and reads the engine's periods and summaries, so the engine stays the rules alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scrutineer.catalogue.models import SummaryStyle
from scrutineer.engine.periods import Frequency, Period
from scrutineer.engine.status import JUDGED_STATUSES, Status
from scrutineer.engine.summary import Directions, Summary, directions
from scrutineer.engine.trend import Trend


def period_name(period: Period) -> str:
    """ "Quarter 1", "June 2020" or "2020/21": how a sentence names the period."""
    if period.frequency is Frequency.QUARTERLY:
        return f"Quarter {period.number}"
    if period.frequency is Frequency.MONTHLY:
        return period.long_label
    return period.fy_label


def update_wording(period: Period) -> str:
    """The introduction's phrase: "Q1 2020/2021" (the seed's "over Q1 2020/2021")."""
    if period.frequency is Frequency.QUARTERLY:
        return f"Q{period.number} {period.fy_long_label}"
    if period.frequency is Frequency.MONTHLY:
        return period.long_label
    return period.fy_long_label


def introduction(period: Period, *, achievements: bool = True) -> str:
    """The introduction's standard paragraph (the seed's), promising the achievements only
    when the report prints an achievements section."""
    update = f"This paper will provide an update on service performance over {update_wording(period)}"
    if not achievements:
        return f"{update}."
    return f"{update} and also highlight key achievements over this same period."


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _codes(codes: tuple[str, ...]) -> str:
    return f" ({', '.join(codes)})" if codes else ""


_SAID = {
    Status.AMBER_GREEN: "nearly on target",
    Status.AMBER: "close to target",
    Status.AMBER_RED: "further from target",
    Status.RED: "off target",
}
_MISSED = JUDGED_STATUSES[1:]  # every judged level short of green, kindest first
_THREE_LEVELS = (Status.GREEN, Status.AMBER, Status.RED)  # the default rule's


def _said(status: Status, labels: Mapping[Status, str] | None) -> str:
    """How the summary says a status: "close to target (amber)" in the default words, a
    council's own word as it writes it ('"Close to target"', '"Not achieved"')."""
    word = status.label if labels is None else labels[status]
    return f"{_SAID[status]} ({word.lower()})" if word == status.label else f'"{word}"'


def _missed(
    counts: Mapping[Status, int], levels: Sequence[Status], labels: Mapping[Status, str] | None
) -> str:
    """The sentence counting the figures short of green at every level the rules give, and
    at any other level a figure took, in the rules' words: "1 indicator is close to target
    (amber) and 0 indicators are off target (red)." ("" when none is short of green)."""
    said = [s for s in _MISSED if s in levels or counts[s]]
    if not any(counts[s] for s in said):
        return ""
    parts = [
        f"{_count(counts[s], 'indicator')} {'is' if counts[s] == 1 else 'are'} {_said(s, labels)}"
        for s in said
    ]
    joined = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{joined}."


@dataclass(frozen=True, slots=True)
class Tally:
    """What a summary counts for a set of indicators: their statuses and their directions
    of travel against the previous period."""

    summary: Summary
    moved: Directions = field(default_factory=lambda: directions(()))


def headline(
    style: str,
    tally: Tally,
    *,
    labels: Mapping[Status, str] | None = None,
    trend_words: Mapping[Trend, str] | None = None,
) -> str:
    """The summary of a period in the committee's chosen style (`SummaryStyle`), without a
    full stop: "3 of 4 measurable targets achieved" (the seed's), "75% of measurable targets
    achieved", "Green 3, Amber 1" (in the rule's words for the statuses) or "Against the
    previous period: 2 improving, 1 unchanged, 1 worsening" (in its words for the trends)."""
    summary = tally.summary
    if style == SummaryStyle.PERCENTAGE:
        return summary.percentage_text
    if style == SummaryStyle.STATUS_COUNTS:
        counts = [f"{_word(labels, status)} {n}" for status, n in summary.counts.items() if n]
        return ", ".join(counts) if counts else "No indicators"
    if style == SummaryStyle.DIRECTIONS:
        if not tally.moved.total:
            return "No figures to compare with the previous period"
        moved = ", ".join(f"{n} {_trend_word(trend_words, t).lower()}" for t, n in tally.moved.counts)
        return f"Against the previous period: {moved}"
    return summary.achieved_text


def _word(labels: Mapping[Status, str] | None, status: Status) -> str:
    return status.label if labels is None else labels[status]


def _trend_word(words: Mapping[Trend, str] | None, trend: Trend) -> str:
    return trend.label if words is None else words[trend]


def _has_headline(style: str, tally: Tally) -> bool:
    """Whether a service's own sentence would say anything."""
    if style == SummaryStyle.DIRECTIONS:
        return tally.moved.total > 0
    if style == SummaryStyle.STATUS_COUNTS:
        return tally.summary.total > 0
    return tally.summary.measurable > 0


def draft_summary(
    period: Period,
    overall: Summary | Tally,
    by_service: Mapping[str, Summary | Tally],
    *,
    labels: Mapping[Status, str] | None = None,
    style: str = SummaryStyle.ACHIEVED,
    trend_words: Mapping[Trend, str] | None = None,
    levels: Sequence[Status] | None = None,
) -> tuple[str, ...]:
    """Paragraphs summarising the period from its statuses: overall, then one per service,
    in the committee's summary style (`headline`). `labels` are the table's words for the
    statuses (`PerformanceTable.labels`), `trend_words` its words for the trends, `levels`
    the judged statuses its rules give (green, amber and red, the default rule's, when
    None): every figure short of green is counted at its level, a five-level rule's
    amber-green and amber-red too."""
    whole = overall if isinstance(overall, Tally) else Tally(overall)
    overall = whole.summary
    name = period_name(period)
    first = [f"{name} performance is detailed below."]
    if overall.total == 0:
        first.append("No indicators are reported for this period.")
        return (" ".join(first),)
    said = headline(style, whole, labels=labels, trend_words=trend_words)
    joiner = ": " if style == SummaryStyle.STATUS_COUNTS else ", "
    if style != SummaryStyle.STATUS_COUNTS:  # after a comma: "…, no measurable targets."
        said = said[:1].lower() + said[1:]
    first.append(f"Of {_count(overall.total, 'indicator')} reported{joiner}{said}.")
    missed = _missed(overall.counts, _THREE_LEVELS if levels is None else levels, labels)
    if missed and style != SummaryStyle.STATUS_COUNTS:  # the counts by status say it already
        first.append(missed)
    if overall.missing:
        verb = "has" if len(overall.missing) == 1 else "have"
        first.append(
            f"{_count(len(overall.missing), 'indicator')}{_codes(overall.missing)} {verb} no data "
            f"for {name.lower() if period.frequency is Frequency.QUARTERLY else name}."
        )
    if overall.not_measured:
        first.append(
            f"{_count(len(overall.not_measured), 'figure')}{_codes(overall.not_measured)} "
            f"{'is' if len(overall.not_measured) == 1 else 'are'} not a real measurement this period "
            "and not counted."
        )
    paragraphs = [" ".join(first)]
    for service, found in by_service.items():
        tally = found if isinstance(found, Tally) else Tally(found)
        if _has_headline(style, tally):
            paragraphs.append(f"{service}: {headline(style, tally, labels=labels, trend_words=trend_words)}.")
    return tuple(paragraphs)


def achievements_heading(period: Period) -> str:
    """ "Quarter 2 Achievements" — always from the period, never typed."""
    return f"{period_name(period)} Achievements"


def achievements_intro(period: Period) -> str:
    """The seed's sentence, with the period filled in from data."""
    if period.frequency is Frequency.QUARTERLY:
        during = f"the quarter {period.number} in {period.fy_long_label}"
    else:
        during = period_name(period)
    return (
        "The following achievements are a sample of the projects/work undertaken by this group of "
        f"services during {during}."
    )
