"""Collecting figures: every change to a `Value` or an `Achievement` goes through here.

The actions for figures are in `values`, for achievements in `achievements`; what they
raise is in `collection.errors`. Reads live elsewhere: what waits for whom in
`collection.queues`, the audit trail in `collection.audit`.
"""

from scrutineer.collection.actions.achievements import approve_achievements, save_achievement
from scrutineer.collection.actions.commentary import set_comment_requirement
from scrutineer.collection.actions.corrections import correct_value
from scrutineer.collection.actions.corrective import set_corrective_action, update_corrective_action
from scrutineer.collection.actions.imports import FigurePlan, FigureRow, import_figures, plan_figures
from scrutineer.collection.actions.rounds import (
    close_round,
    lock_reported_figures,
    open_round,
    open_scheduled_rounds,
    save_schedule,
)
from scrutineer.collection.actions.values import (
    approve_value,
    bulk_approve,
    changed_since_approval,
    reopen_value,
    return_value,
    save_value,
    submit_value,
)
from scrutineer.collection.errors import CollectionError, InvalidTransition, StaleEdit, ValueRejected

__all__ = [
    "CollectionError",
    "FigurePlan",
    "FigureRow",
    "InvalidTransition",
    "StaleEdit",
    "ValueRejected",
    "approve_achievements",
    "approve_value",
    "bulk_approve",
    "changed_since_approval",
    "close_round",
    "correct_value",
    "import_figures",
    "lock_reported_figures",
    "open_round",
    "open_scheduled_rounds",
    "plan_figures",
    "reopen_value",
    "return_value",
    "save_achievement",
    "save_schedule",
    "save_value",
    "set_comment_requirement",
    "set_corrective_action",
    "submit_value",
    "update_corrective_action",
]
