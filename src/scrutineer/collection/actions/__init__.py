"""Collecting figures: every change to a `Value` or an `Achievement` goes through here.

The actions for figures are in `values`, for achievements in `achievements`; what they
raise is in `collection.errors`. Reads live elsewhere: what waits for whom in
`collection.queues`, the audit trail in `collection.audit`.
"""

from scrutineer.collection.actions.achievements import approve_achievements, save_achievement
from scrutineer.collection.actions.imports import FigurePlan, FigureRow, import_figures, plan_figures
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
    "import_figures",
    "plan_figures",
    "reopen_value",
    "return_value",
    "save_achievement",
    "save_value",
    "submit_value",
]
