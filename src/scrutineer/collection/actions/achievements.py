"""Achievements: a service's numbered achievements for a quarter, written and approved.

As with figures, the web app never saves an `Achievement` itself: it calls these,
which ask `catalogue.access`, refuse stale edits and keep a history row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from scrutineer.catalogue import access
from scrutineer.catalogue.models import ServiceTeam
from scrutineer.changes import StaleEdit, as_version, claim, raise_version, record_change, stale
from scrutineer.collection.errors import InvalidTransition, ValueRejected
from scrutineer.collection.models import Achievement, ValueState
from scrutineer.collection.validation import EDITABLE, check_texts, clean_text, parse_period
from scrutineer.engine import Frequency, Period

__all__ = ["approve_achievements", "save_achievement"]


def save_achievement(
    service: ServiceTeam,
    period: Period | str,
    position: int,
    body: str,
    *,
    user: Any,
    expected_version: int | None = None,
    reason: str = "",
) -> Achievement:
    """Create or change a service's achievement at `position` for a quarter, as a draft.

    The service's team leader or a performance officer may. `body` is plain text (blank
    lines between paragraphs, "- " for bullets); anything that looks like an HTML tag is
    refused. As with figures, `expected_version` is the version the user opened (None
    for a new one). An approved or submitted achievement is not changed here.
    """
    input = {"body": body, "position": position, "expected_version": expected_version, "reason": reason}
    access.check_may_write_achievements(user, service)
    errors: dict[str, list[str]] = {}
    parsed = parse_period(period, errors)
    if parsed is None:
        raise ValueRejected.from_errors(errors, input=input)
    body, reason = clean_text(body), clean_text(reason)
    with transaction.atomic():
        existing = Achievement.objects.filter(service=service, period=parsed, position=position).first()
        if existing is not None:
            stored = claim(
                Achievement.objects.all(), existing.pk, as_version(expected_version), "achievement", input
            )
            if stored.state not in EDITABLE:
                raise InvalidTransition(
                    f"{service.name}'s achievement {position} for {parsed.label} is "
                    f"{stored.get_state_display().lower()}, so it cannot be changed here.",
                    state=stored.state,
                    input=input,
                )
        elif expected_version is not None:
            raise stale("achievement", as_version(expected_version), None, input)

        if parsed.frequency is not Frequency.QUARTERLY:
            errors["period"] = [
                f"Achievements are reported for a quarter (e.g. Q1 2020/21), not {parsed.label}."
            ]
        if not isinstance(position, int) or isinstance(position, bool) or position < 1:
            errors["position"] = [
                "The position is a whole number from 1: achievements are numbered in order."
            ]
        if not body:
            errors["body"] = ["Write the achievement: it cannot be empty."]
        check_texts({"body": body, "reason": reason}, errors)
        if errors:
            raise ValueRejected.from_errors(errors, input=input)

        if existing is None:
            created = Achievement(
                service=service, period=parsed, position=position, body=body, state=ValueState.DRAFT
            )
            try:
                with transaction.atomic():
                    record_change(created, user, reason or "Written")
            except IntegrityError:
                current = (
                    Achievement.objects.filter(service=service, period=parsed, position=position)
                    .values_list("version", flat=True)
                    .first()
                )
                if current is None:
                    raise
                raise stale("achievement", None, current, input) from None
            return created
        stored.body = body
        stored.state = ValueState.DRAFT
        record_change(stored, user, reason or "Edited")
        return stored


@transaction.atomic
def approve_achievements(
    service: ServiceTeam,
    period: Period | str,
    *,
    user: Any,
    expected: Iterable[tuple[int, int]] | None = None,
) -> int:
    """Approve a service's draft achievements for a quarter, so reports include them.

    Returns how many were approved. The team leader who wrote them cannot approve them.
    `expected` is the (id, version) of each draft the approver was shown: if a draft was
    added, edited or removed since, `StaleEdit` and nothing is approved, so nobody approves
    text they have not seen. None approves the drafts as they are now (for scripts).
    """
    access.check_may_approve_achievements(user, service)
    key = period if isinstance(period, Period) else Period.parse(period)
    drafts = list(
        Achievement.objects.select_for_update()
        .filter(service=service, period=key, state=ValueState.DRAFT)
        .order_by("position")
    )
    if expected is not None:
        shown = set(expected)
        now = {(a.pk, a.version) for a in drafts}
        if shown != now:
            if len(shown) != len(now):
                what = f"there were {_drafts(len(shown))} then and {_drafts(len(now))} now"
            else:
                what = "a draft was edited since"
            raise StaleEdit(
                f"{service.name}'s achievements for {key.label} changed after you opened the page: "
                f"{what}. Nothing was approved: read them again, then approve.",
                expected_version=None,
                current_version=None,
                input={"expected": sorted(shown)},
            )
    for achievement in drafts:
        achievement.state = ValueState.APPROVED
        raise_version(achievement)
        record_change(achievement, user, "Approved for the committee report")
    return len(drafts)


def _drafts(count: int) -> str:
    return f"{count} draft{'s' if count != 1 else ''}"
