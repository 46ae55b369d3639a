"""Importing the catalogue from a workbook: many rows in one action.

`scrutineer.exchange` reads a council's workbook and plans what it would change; the
rows it plans to create or change come here as `CatalogueChange`s, in the order they
can be saved (people before the directorates they head, indicators before their
targets). `change_errors` says what the catalogue refuses in one change, so the import
lists every problem before anything is written; `import_catalogue` is the action that
writes them, as the forms' actions do (catalogue.actions):

- performance officers only (`PermissionDenied`);
- every row is checked again as it is saved: its fields and the model's constraints,
  an indicator's kind, frequency and rate scale fixed once figures are entered, a
  target's period and sign (`Rejected`, naming the row);
- one history row per saved row, naming the importer and the reason (the file's name
  and checksum), so the audit trail says where every imported row came from;
- many-to-many lists (a committee's services and members) are only added to: an import
  never takes a councillor off a committee;
- targets, which run to thousands, are written in bulk, with their history rows.

The caller runs it inside its own transaction with the figures' import, so everything is
written or nothing is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from scrutineer.catalogue.access import check_may_manage
from scrutineer.catalogue.actions import _FIXED_ONCE_FIGURES_EXIST, _target_errors
from scrutineer.catalogue.history import one_history_row
from scrutineer.catalogue.models import Indicator, Target
from scrutineer.changes import NON_FIELD, Rejected, record_change
from scrutineer.engine import MeasureKind

__all__ = ["CatalogueChange", "change_errors", "import_catalogue"]


@dataclass(slots=True)
class CatalogueChange:
    """One catalogue row to create (`created`) or change (`fields`, the fields that
    differ), and the rows to add to its many-to-many lists. `where` names the row in
    the file, for messages ("indicators row 4")."""

    instance: models.Model
    created: bool
    fields: tuple[str, ...] = ()
    add: dict[str, list[models.Model]] = field(default_factory=dict)
    where: str = ""


def _unsaved_relations(instance: models.Model) -> list[str]:
    names = []
    for f in instance._meta.concrete_fields:
        if f.is_relation and f.name in instance._state.fields_cache:
            related = instance._state.fields_cache[f.name]
            if related is not None and related.pk is None:
                names.append(f.name)
    return names


def change_errors(change: CatalogueChange, figures_entered: int = 0) -> dict[str, list[str]]:
    """What the catalogue refuses in `change`, by field: the model's fields and constraints
    (relations to rows not yet saved are the importer's to check), and the rules the
    catalogue's actions keep. `figures_entered` is how many figures an existing indicator
    already has."""
    instance = change.instance
    errors: dict[str, list[str]] = {}
    if isinstance(instance, Target):
        errors.update(_target_errors(instance.indicator, instance.period, instance.value))
        return errors
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(NON_FIELD if name == NON_FIELD_ERRORS else name, []).extend(messages)
    if isinstance(instance, Indicator):
        if instance.aggregation == "ratio" and instance.measure_kind != MeasureKind.RATE.value:
            errors.setdefault("aggregation", []).append(
                "Only a rate is worked out as summed numerators ÷ summed denominators."
            )
        fixed = [name for name in change.fields if name in _FIXED_ONCE_FIGURES_EXIST]
        if fixed and not change.created and figures_entered:
            name = fixed[0]
            errors.setdefault(name, []).append(
                f"{instance.code} already has {figures_entered} figure{'s' if figures_entered != 1 else ''} "
                f"entered, so {_FIXED_ONCE_FIGURES_EXIST[name]} cannot change. Retire it and create a new "
                "indicator instead."
            )
    return errors


def _refuse(change: CatalogueChange, errors: Mapping[str, list[str]]) -> Rejected:
    messages = [f"{change.where}: {m}" for ms in errors.values() for m in ms]
    return Rejected.from_errors({NON_FIELD: messages}, input={})


@transaction.atomic
def import_catalogue(
    changes: Sequence[CatalogueChange],
    *,
    user: Any,
    reason: str,
    figures_entered: Mapping[int, int] | None = None,
) -> Counter[str]:
    """Save `changes` in order, as `user`, with `reason` in every history row; return how
    many rows of each kind were created and changed ("Indicator created": 3)."""
    check_may_manage(user, "import indicators, targets and the organisation")
    entered = figures_entered or {}
    done: Counter[str] = Counter()
    deferred: list[tuple[models.Model, str, models.Model]] = []
    targets_new: list[Target] = []
    targets_changed: list[Target] = []
    for change in changes:
        instance = change.instance
        errors = change_errors(
            change, entered.get(instance.pk or 0, 0) if isinstance(instance, Indicator) else 0
        )
        if errors:
            raise _refuse(change, errors)
        name = type(instance).__name__
        if isinstance(instance, Target):
            (targets_new if change.created else targets_changed).append(instance)
            done[f"{name} {'created' if change.created else 'changed'}"] += 1
            continue
        # A relation to a row saved later (a person's service) is set once that row is saved.
        for relation in _unsaved_relations(instance):
            deferred.append((instance, relation, getattr(instance, relation)))
            setattr(instance, relation, None)
        if not change.created and hasattr(instance, "version"):
            instance.version += 1  # type: ignore[attr-defined]
        with one_history_row(instance):
            record_change(instance, user, reason)
            for attribute, rows in change.add.items():
                if rows:
                    getattr(instance, attribute).add(*rows)
        done[f"{name} {'created' if change.created else 'changed'}"] += 1
    for instance, relation, related in deferred:
        setattr(instance, relation, related)
        record_change(instance, user, reason)
    _write_targets(targets_new, targets_changed, user=user, reason=reason)
    return done


def _write_targets(new: Iterable[Target], changed: Iterable[Target], *, user: Any, reason: str) -> None:
    new, changed = list(new), list(changed)
    if new:
        bulk_create_with_history(
            new, Target, batch_size=2000, default_user=user, default_change_reason=reason
        )
    if changed:
        for target in changed:
            target.version += 1
        bulk_update_with_history(
            changed,
            Target,
            ["value", "note", "version"],
            batch_size=2000,
            default_user=user,
            default_change_reason=reason,
        )
