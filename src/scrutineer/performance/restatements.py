"""Restated figures, in words: what a locked figure was, what it became, when and why.

A restatement keeps the figures as they were stored (`collection.models.Restatement`);
here they are shown as every page and report shows a figure ("79.33 Second(s)",
"3.28% (640 / 19498)", "No Data (Service closed)"), by the indicator's own rule. The
indicator page lists an indicator's restatements; the report builder notes those made
since the committee's last published report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from scrutineer.catalogue.models import Indicator, default_tolerance, rules_in_force
from scrutineer.collection.models import Restatement, RestatementState
from scrutineer.engine import IndicatorRule, Observation, Period, evaluate

__all__ = ["RestatedFigure", "restated_figures", "restatements_of", "restatements_since"]


@dataclass(frozen=True, slots=True)
class RestatedFigure:
    code: str
    period: Period
    restated_on: date
    was: str
    now: str
    reason: str

    @property
    def sentence(self) -> str:
        """ "Restated on 4 November 2020 from 250 Second(s) to 265 Second(s), because …"."""
        return f"Restated on {_day(self.restated_on)} from {self.was} to {self.now}, because {_because(self.reason)}"

    @property
    def line(self) -> str:
        """The sentence, naming the figure, as a report lists it."""
        return (
            f"{self.code} {self.period.label} restated on {_day(self.restated_on)} from {self.was} to "
            f"{self.now}, because {_because(self.reason)}"
        )


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _because(reason: str) -> str:
    """The reason as the end of a sentence: its first letter lower case (unless it is an
    abbreviation), one full stop."""
    text = " ".join(reason.split())
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def words(rule: IndicatorRule, observation: Observation) -> str:
    """A figure as the table shows it, with its fraction or its reason for no data."""
    result = evaluate(rule, observation, observation.period, None, default_tolerance())
    text = result.display
    if result.fraction_display:
        text += f" ({result.fraction_display})"
    if result.no_data_reason:
        text += f" ({result.no_data_reason})"
    return text


def restated_figures(restatements: Sequence[Restatement]) -> list[RestatedFigure]:
    """`restatements` (made, with their figures' indicators loaded) in words, newest first."""
    indicators = {r.value.indicator_id: r.value.indicator for r in restatements}
    in_force = rules_in_force(list(indicators.values()))
    rules = {pk: indicator.rule(in_force[pk]) for pk, indicator in indicators.items()}
    found = []
    for r in restatements:
        rule = rules[r.value.indicator_id]
        when: datetime = r.restated_at or r.requested_at
        found.append(
            RestatedFigure(
                code=r.value.indicator.code,
                period=r.value.period,
                restated_on=timezone.localtime(when).date(),
                was=words(rule, r.was()),
                now=words(rule, r.now()),
                reason=r.reason,
            )
        )
    return sorted(found, key=lambda f: (f.restated_on, f.code), reverse=True)


def _made() -> Iterable[Restatement]:
    return Restatement.objects.filter(state=RestatementState.RESTATED).select_related("value__indicator")


def restatements_of(indicator: Indicator) -> list[RestatedFigure]:
    """Every restatement of `indicator`'s figures, newest first: the indicator page's list."""
    return restated_figures(list(_made().filter(value__indicator=indicator)))


def restatements_since(indicators: Iterable[Indicator], since: datetime | None) -> list[str]:
    """Restatements of `indicators`' figures made after `since` (all, when None), oldest
    first, as a report notes them."""
    made = _made().filter(value__indicator__in=list(indicators))
    if since is not None:
        made = made.filter(restated_at__gt=since)
    return [f.line for f in reversed(restated_figures(list(made)))]
