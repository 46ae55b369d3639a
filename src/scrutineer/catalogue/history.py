"""Change history for the organisation, people, committees and sign-in roles.

django-simple-history writes a history row for every save, with who and why
(`changes.record_change`). `History` is its `HistoricalRecords` with two fixes that the
catalogue needs, and `one_history_row` writes one row for a save and its
many-to-many changes together:

- a many-to-many change made from the other side (`group.user_set.add(user)`,
  `person.committee_memberships.add(committee)`) is recorded on the side that keeps the
  history; the library records it on the wrong object or fails (its issue #1048);
- a save that changes only fields the history leaves out (signing in saves a user's
  `last_login`) writes no row.

Read the rows back with `catalogue.audit`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords

__all__ = ["History", "hold_history", "kept_many_to_many", "one_history_row", "write_history"]

_records: dict[type[models.Model], History] = {}


class History(HistoricalRecords):
    """`HistoricalRecords` that follows many-to-many changes made from either side."""

    def finalize(self, sender: type[models.Model], **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            _records[sender] = self

    def post_save(self, instance: models.Model, created: bool, using: Any = None, **kwargs: Any) -> None:
        saved = kwargs.get("update_fields")
        if not created and saved and not set(saved) - set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(
        self,
        instance: models.Model,
        action: str,
        attr: str,
        pk_set: set[Any] | None,
        reverse: bool,
        model: type[models.Model] | None = None,
        **kwargs: Any,
    ) -> None:
        if not reverse:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        # `instance` is the other side; `model` keeps the history; `pk_set` its rows.
        assert model is not None
        if action == "pre_clear":
            instance._history_cleared = list(  # type: ignore[attr-defined]
                model._default_manager.filter(**{attr: instance}).values_list("pk", flat=True)
            )
            return
        if action == "post_clear":
            pk_set = set(instance.__dict__.pop("_history_cleared", []))
        elif action not in ("post_add", "post_remove"):
            return
        for changed in model._default_manager.filter(pk__in=pk_set or ()):
            for name in ("_history_user", "_change_reason"):
                if hasattr(instance, name):
                    setattr(changed, name, getattr(instance, name))
            self.create_historical_record(changed, "~")


def hold_history(instance: models.Model) -> None:
    """From now on, saving `instance` and changing its many-to-many fields write no history
    row; `write_history` then writes one row with them all."""
    instance._history_created = instance._state.adding  # type: ignore[attr-defined]
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]


def write_history(instance: models.Model) -> None:
    """The one history row for what changed since `hold_history(instance)`."""
    created = instance.__dict__.pop("_history_created")
    del instance.skip_history_when_saving  # type: ignore[attr-defined]
    _records[type(instance)].create_historical_record(instance, "+" if created else "~")


@contextmanager
def one_history_row(instance: models.Model) -> Iterator[None]:
    """Saves of `instance` and changes to its many-to-many fields inside the block write
    one history row when it ends, instead of one for the save and one for each remove and
    add. Nothing is written if the block fails. A model without `History` is left as it is."""
    if type(instance) not in _records:
        yield
        return
    hold_history(instance)
    try:
        yield
    except BaseException:
        instance.__dict__.pop("_history_created", None)
        instance.__dict__.pop("skip_history_when_saving", None)
        raise
    write_history(instance)


def kept_many_to_many(model: type[models.Model]) -> dict[str, type[models.Model]]:
    """The history models of the many-to-many fields kept in `model`'s history, by field
    name, in the model's order (none for a model without `History`)."""
    records = _records.get(model)
    if records is None:
        return {}
    kept = {field.name: field for field in records.get_m2m_fields_from_model(model)}
    return {f.name: records.m2m_models[kept[f.name]] for f in model._meta.many_to_many if f.name in kept}
