"""The audit trail of an indicator, read back from its history rows, and its CSV.

Every action that changes an indicator, its targets or its figures writes a history
row (django-simple-history, through `changes.record_change`); `catalogue.audit` reads
them back as field-level changes, newest first, naming linked records (service, theme,
owner, approver, who entered a figure) as they were at the time. It only reads.
"""

from __future__ import annotations

from scrutineer.catalogue.audit import AuditEntry, Source, audit_csv, read_trail, rule_sources
from scrutineer.catalogue.models import Indicator, Target
from scrutineer.collection.models import Value, ValueState

__all__ = ["AuditEntry", "audit_csv", "audit_trail"]

# Bookkeeping that the entry's own time and version already say.
_NOT_AUDITED = frozenset({"id", "version", "updated_at", "submitted_at", "approved_at", "indicator"})


def audit_trail(indicator: Indicator, *, approved_only: bool = False) -> list[AuditEntry]:
    """Every change to `indicator`'s definition, targets and values, newest first, field by
    field; and to what decides its status rule (its theme's rule, the site's, the rule itself).

    `approved_only` is for readers who see a figure only once it is approved (councillors,
    see `catalogue.access.sees_unapproved`): of the figures' history they see the
    approvals alone, each compared with the approval before it, never a draft.
    """
    values = Value.history.filter(indicator_id=indicator.pk)
    if approved_only:
        values = values.filter(state=ValueState.APPROVED)
    return read_trail(
        [
            Source(
                Indicator,
                Indicator.history.filter(id=indicator.pk),
                lambda record, names: "Indicator definition",
                hidden=_NOT_AUDITED,
            ),
            Source(
                Target,
                Target.history.filter(indicator_id=indicator.pk),
                lambda record, names: f"Target {record.period.label}",
                hidden=_NOT_AUDITED,
            ),
            Source(Value, values, lambda record, names: f"Value {record.period.label}", hidden=_NOT_AUDITED),
            *rule_sources(indicator),
        ]
    )
