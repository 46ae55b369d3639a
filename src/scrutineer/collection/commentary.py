"""Required commentary: a red figure (or an amber one, by the indicator's setting) is
submitted with the data owner's comment for the report, saying why and what is being done.

Whether a figure is red is the one treatment's answer (`collection.reading.as_if_approved`,
the status the approver is about to sign off, as every page shows it), never a second
judgement here. The submit and correct actions call `check_commentary`.
"""

from __future__ import annotations

from scrutineer.collection.models import CommentFrom, CommentRequirement, Value
from scrutineer.collection.reading import as_if_approved
from scrutineer.engine import Status

__all__ = ["check_commentary", "comment_needed", "required_from"]

_NEEDS = {
    CommentFrom.RED: (Status.RED,),
    CommentFrom.AMBER: (Status.AMBER, Status.AMBER_RED, Status.RED),  # amber and anything harsher
}


def required_from(indicator_id: int) -> CommentFrom:
    """Which figures of the indicator need a comment: red ones unless it says amber too."""
    found = CommentRequirement.objects.filter(indicator_id=indicator_id).values_list(
        "required_from", flat=True
    )
    return CommentFrom(found.first() or CommentFrom.RED)


def comment_needed(value: Value) -> str:
    """The status, in the indicator's own words ("Red"), that makes a comment necessary for
    `value` as it would be approved; "" when none is needed."""
    result = as_if_approved(value.indicator, value)
    return result.status_label if result.status in _NEEDS[required_from(value.indicator_id)] else ""


def check_commentary(value: Value, errors: dict[str, list[str]]) -> None:
    """Add to `errors` (under `commentary`) when `value` needs the data owner's comment and has none."""
    if value.commentary.strip():
        return
    status = comment_needed(value)
    if not status:
        return
    errors.setdefault("commentary", []).append(
        f"{value.indicator.code} {value.period.label} would be reported as “{status}”, so it needs a comment "
        f"for the report before it is submitted: say why, and what is being done about it."
    )
