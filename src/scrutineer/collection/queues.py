"""What is waiting for whom: the reads behind My work and the approval queue.

Who may act comes from `catalogue.access`; these only gather the rows, in a fixed
number of queries however large the council.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from scrutineer.catalogue import access
from scrutineer.catalogue.models import ServiceTeam
from scrutineer.collection.models import Achievement, ActionState, CorrectiveAction, Value, ValueState
from scrutineer.engine import Period

__all__ = [
    "AchievementsAwaiting",
    "achievements_awaiting_approval",
    "corrective_actions_for",
    "values_awaiting_approval",
]


def values_awaiting_approval(user: Any) -> QuerySet[Value]:
    """Submitted figures `user` may approve or return (every one for an officer)."""
    return Value.objects.filter(state=ValueState.SUBMITTED, indicator__in=access.indicators_approved_by(user))


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
