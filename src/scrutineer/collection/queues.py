"""What is waiting for whom: the reads behind My work and the approval queue.

Who may act comes from `catalogue.access`; these only gather the rows, in a fixed
number of queries however large the council.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from scrutineer.catalogue import access
from scrutineer.catalogue.models import ServiceTeam, rules_in_force
from scrutineer.collection.models import Achievement, ActionState, CorrectiveAction, Value, ValueState
from scrutineer.collection.reading import readable_observation
from scrutineer.engine import (
    IndicatorRule,
    MeasureKind,
    Period,
    figure,
    format_fraction,
    format_value,
)
from scrutineer.engine.display import NO_DATA_TEXT

__all__ = [
    "AchievementsAwaiting",
    "FigureAwaiting",
    "achievements_awaiting_approval",
    "corrective_actions_for",
    "figure_text",
    "figures_awaiting_approval",
    "name_of",
    "values_awaiting_approval",
]


def values_awaiting_approval(user: Any) -> QuerySet[Value]:
    """Submitted figures `user` may approve or return (every one for an officer)."""
    return Value.objects.filter(state=ValueState.SUBMITTED, indicator__in=access.indicators_approved_by(user))


def name_of(user: Any) -> str:
    """Who an account is, as pages name people: the person's name ("Cllr Ann Smith"), else
    the account's full name, else its username; "unknown" for no account. Load accounts
    with `select_related("…__person")` so this asks nothing more of the database."""
    if user is None:
        return "unknown"
    person = getattr(user, "person", None)  # no person: RelatedObjectDoesNotExist, an AttributeError
    if person is not None:
        return str(person)
    return str(user.get_full_name() or user.get_username())


def figure_text(value: Value, rule: IndicatorRule) -> str:
    """A stored figure, whatever its state, as the indicator page and the report print it:
    "3.28% (640 / 19498)", "80 Attendances", "No Data: System outage"; "(not measured)"
    after a figure marked so."""
    observation = readable_observation(value, rule)
    number = figure(observation, rule.kind, rule.rate_scale)
    if number is None:
        reason = observation.no_data_reason
        text = f"{NO_DATA_TEXT}: {reason}" if reason else NO_DATA_TEXT
    else:
        text = format_value(
            number, rule.unit, rule.decimal_places, kind=rule.kind, duration_style=rule.duration_style
        )
        fraction = format_fraction(observation.numerator, observation.denominator)
        if rule.kind is MeasureKind.RATE and fraction:
            text = f"{text} ({fraction})"
    return f"{text} (not measured)" if observation.not_measured else text


@dataclass(frozen=True, slots=True)
class FigureAwaiting:
    """A submitted figure in the approval queue: `figure` as pages print it, and who entered it."""

    value: Value
    figure: str
    entered_by: str


def figures_awaiting_approval(user: Any) -> list[FigureAwaiting]:
    """`values_awaiting_approval`, by indicator code and period, each shown as pages show it.
    Three queries, however long the queue."""
    values = list(
        values_awaiting_approval(user)
        .select_related("indicator__theme", "entered_by__person")
        .order_by("indicator__code", "period")
    )
    indicators = {v.indicator_id: v.indicator for v in values}
    in_force = rules_in_force(indicators.values()) if indicators else {}
    rules = {pk: indicator.rule(in_force[pk]) for pk, indicator in indicators.items()}
    return [FigureAwaiting(v, figure_text(v, rules[v.indicator_id]), name_of(v.entered_by)) for v in values]


@dataclass(frozen=True, slots=True)
class AchievementsAwaiting:
    """One service's draft achievements for one quarter, as an approver is shown them.

    `drafts` holds each draft's (id, version) in report order: the approve form sends them
    back, so approving approves exactly what was shown (see `approve_achievements`).
    """

    service: ServiceTeam
    period: Period
    drafts: tuple[tuple[int, int], ...]

    @property
    def count(self) -> int:
        return len(self.drafts)


def achievements_awaiting_approval(user: Any) -> list[AchievementsAwaiting]:
    """Every service and quarter with draft achievements that `user` may approve, oldest
    quarter first, then services in report order. Two queries, however large the council."""
    scope = access.achievement_approval_scope(user)
    if scope is None:
        return []
    drafts = Achievement.objects.filter(scope, state=ValueState.DRAFT)
    found: dict[tuple[int, Period], list[Achievement]] = {}
    for achievement in drafts.select_related("service").order_by(
        "period", "service__position", "service__name", "position"
    ):
        found.setdefault((achievement.service_id, achievement.period), []).append(achievement)
    return [
        AchievementsAwaiting(
            service=items[0].service, period=period, drafts=tuple((a.pk, a.version) for a in items)
        )
        for (_, period), items in found.items()
    ]


def corrective_actions_for(user: Any) -> QuerySet[CorrectiveAction]:
    """Corrective actions in progress that are `user`'s to carry out or to follow: given to
    them, or on the indicators they enter figures for (every one for an officer), soonest due first."""
    person = access.person_of(user)
    mine = Q(indicator__in=access.indicators_entered_by(user))
    if person is not None:
        mine |= Q(owner=person)
    return (
        CorrectiveAction.objects.filter(mine, state=ActionState.OPEN)
        .select_related("indicator", "owner")
        .order_by("due_on", "pk")
    )
