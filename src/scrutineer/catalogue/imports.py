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
- targets, which run to thousands, are written in bulk, with their history rows;
- a status rule an indicator names that the catalogue does not keep yet is added through
  the status rules' own action (`save_status_rule`), before the indicators that use it.

The caller runs it inside its own transaction with the figures' import, so everything is
written or nothing is.

`insert_with_history` and `update_with_history` write many rows of one model and a
history row for each, as `simple_history`'s bulk functions write them (the same columns,
who, why and when), with one prepared statement for the lot (COPY on PostgreSQL): the
100,000 figures of bench/exchange_bench.py and their history rows go in in two to three
seconds instead of fifteen to twenty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models, router, transaction
from django.db.models import F, Q
from django.db.models.constraints import CheckConstraint
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from scrutineer.catalogue.access import check_may_manage
from scrutineer.catalogue.actions import (
    FIXED_ONCE_FIGURES_EXIST,
    PERCENTAGE_NOT_SUMMED,
    save_status_rule,
    target_errors,
    year_to_date_switch,
)
from scrutineer.catalogue.fields import PeriodField
from scrutineer.catalogue.history import one_history_row
from scrutineer.catalogue.models import Indicator, StatusRuleDefinition, Target
from scrutineer.changes import NON_FIELD, Rejected, record_change
from scrutineer.engine import MeasureKind, Period

__all__ = [
    "CatalogueChange",
    "change_errors",
    "fields_of",
    "import_catalogue",
    "insert_with_history",
    "status_rule_refusal",
    "update_with_history",
]


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
        errors.update(target_errors(instance.indicator, instance.period, instance.value))
        return errors
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(NON_FIELD if name == NON_FIELD_ERRORS else name, []).extend(messages)
    # As full_clean does: constraints only on the fields that passed.
    passed = {*relations, *(name for name in errors if name != NON_FIELD)}
    for name, messages in constraint_errors(instance, exclude=passed).items():
        errors.setdefault(NON_FIELD if name == NON_FIELD_ERRORS else name, []).extend(messages)
    if isinstance(instance, Indicator):
        if instance.aggregation == "ratio" and instance.measure_kind != MeasureKind.RATE.value:
            errors.setdefault("aggregation", []).append(
                "Only a rate is worked out as summed numerators ÷ summed denominators."
            )
        elif instance.measure_kind == MeasureKind.PERCENTAGE.value and instance.aggregation == "sum":
            errors.setdefault("aggregation", []).append(PERCENTAGE_NOT_SUMMED)
        if "aggregation" in change.fields and not change.created and figures_entered:
            before = Indicator.objects.filter(pk=instance.pk).values_list("aggregation", flat=True).first()
            refusal = year_to_date_switch(instance.code, before or "", instance.aggregation, figures_entered)
            if refusal:
                errors.setdefault("aggregation", []).append(refusal)
        fixed = [name for name in change.fields if name in FIXED_ONCE_FIGURES_EXIST]
        if fixed and not change.created and figures_entered:
            name = fixed[0]
            errors.setdefault(name, []).append(
                f"{instance.code} already has {figures_entered} figure{'s' if figures_entered != 1 else ''} "
                f"entered, so {FIXED_ONCE_FIGURES_EXIST[name]} cannot change. Retire it and create a new "
                "indicator instead."
            )
    return errors


class _Undo(Exception):
    pass


def status_rule_refusal(text: str, *, user: Any) -> str | None:
    """Why the status rules' action would refuse `text` as a new rule, or None. The action
    itself is asked, in a transaction that is then rolled back, so an import checks a rule
    exactly as the status rules page does and writes nothing."""
    try:
        with transaction.atomic():
            save_status_rule(None, text, user=user, reason="")
            raise _Undo
    except _Undo:
        return None
    except Rejected as error:
        return str(error)


# Check constraints, asked once per set of values they read

_ANSWERS: dict[tuple[Any, ...], ValidationError | None] = {}
_ANSWERS_KEPT = 4096


def constraint_errors(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, list[str]]:
    """What `Model.validate_constraints` says of `instance`, by field. A check constraint
    that reads only the row's own fields gives the same answer for the same values, so the
    database is asked once per set of values it reads rather than once per row: a
    thousand imported indicators share a handful of measure kinds and tolerances, and
    5,000 queries become a dozen."""
    excluded = set(exclude)
    using = router.db_for_write(type(instance), instance=instance)
    found: dict[str, Any] = {}
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            key = _answer_key(constraint, instance, excluded, using)
            try:
                if key is None:
                    constraint.validate(model_class, instance, exclude=excluded, using=using)
                    continue
                if key not in _ANSWERS:
                    if len(_ANSWERS) >= _ANSWERS_KEPT:
                        _ANSWERS.clear()
                    try:
                        constraint.validate(model_class, instance, exclude=excluded, using=using)
                        _ANSWERS[key] = None
                    except ValidationError as error:
                        _ANSWERS[key] = error
                refused = _ANSWERS[key]
                if refused is not None:
                    raise refused
            except ValidationError as error:
                found = error.update_error_dict(found)
    return ValidationError(found).message_dict if found else {}


def _answer_key(
    constraint: Any, instance: models.Model, excluded: set[str], using: str
) -> tuple[Any, ...] | None:
    """What a check constraint's answer depends on, or None when it may depend on more than
    the row's own values (a function, a subquery) and is asked each time."""
    if not isinstance(constraint, CheckConstraint):
        return None
    names = _fields_read(constraint.condition)
    if names is None or names & excluded:
        return None
    try:
        fields = [instance._meta.get_field(name) for name in sorted(names)]
        values = tuple(getattr(instance, f.attname) for f in fields)  # type: ignore[union-attr]
        key = (using, instance._meta.label, constraint.name, values)
        hash(key)
    except Exception:  # a field it names that is not a column; a value that cannot be a key
        return None
    return key


def _fields_read(condition: Any) -> set[str] | None:
    """The fields a condition built of plain lookups (`kind="rate"`, `amount__gte=0`,
    `due__lte=F("end")`) reads; None for anything else."""
    if not isinstance(condition, Q):
        return None
    names: set[str] = set()
    for child in condition.children:
        if isinstance(child, Q):
            inner = _fields_read(child)
            if inner is None:
                return None
            names |= inner
        elif isinstance(child, tuple) and len(child) == 2 and isinstance(child[0], str):
            lookup, value = child
            names.add(lookup.split("__", 1)[0])
            if isinstance(value, F):
                names.add(value.name.split("__", 1)[0])
            elif hasattr(value, "resolve_expression"):
                return None
        else:
            return None
    return names


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
    indicators_new: list[Indicator] = []
    for change in changes:
        instance = change.instance
        errors = change_errors(
            change, entered.get(instance.pk or 0, 0) if isinstance(instance, Indicator) else 0
        )
        if errors:
            raise _refuse(change, errors)
        name = type(instance).__name__
        if (
            isinstance(instance, Indicator)
            and change.created
            and not any(change.add.values())
            and not _unsaved_relations(instance)
        ):
            # New indicators, a thousand in a council's first import, go in together.
            indicators_new.append(instance)
            done[f"{name} created"] += 1
            continue
        _insert_indicators(indicators_new, user=user, reason=reason)
        if isinstance(instance, StatusRuleDefinition) and change.created:
            # Through the status rules' own action: the engine checks it, it is stored as
            # the engine writes it, and its history names the importer.
            saved = save_status_rule(None, instance.definition, user=user, reason=reason)
            instance.pk, instance.version, instance.definition = saved.pk, saved.version, saved.definition
            instance._state.adding, instance._state.db = False, saved._state.db
            done[f"{name} created"] += 1
            continue
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
    _insert_indicators(indicators_new, user=user, reason=reason)
    for instance, relation, related in deferred:
        setattr(instance, relation, related)
        record_change(instance, user, reason)
    _write_targets(targets_new, targets_changed, user=user, reason=reason)
    return done


def _insert_indicators(new: list[Indicator], *, user: Any, reason: str) -> None:
    """Insert `new` (and empty the list) with a history row each, as `record_change` saves
    one; each instance then holds its id, for the targets, figures and committees after it."""
    if not new:
        return
    signed_in = bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))
    ids = insert_with_history(
        Indicator,
        [fields_of(i) for i in new],
        key=("code",),
        user=user if signed_in else None,
        reason=reason,
    )
    using = router.db_for_write(Indicator)
    for indicator, pk in zip(new, ids, strict=True):
        indicator.pk = pk
        indicator._state.adding, indicator._state.db = False, using
    new.clear()


def _write_targets(new: Iterable[Target], changed: Iterable[Target], *, user: Any, reason: str) -> None:
    new, changed = list(new), list(changed)
    if new:
        insert_with_history(
            Target, [fields_of(t) for t in new], key=("indicator_id", "period"), user=user, reason=reason
        )
    if changed:
        for target in changed:
            target.version += 1
        update_with_history(Target, changed, ["value", "note", "version"], user=user, reason=reason)


# Many rows and their history rows, in one statement each

Row = Mapping[str, Any]
"""A row to write: its fields' values by attribute name (`indicator_id`, `period`)."""

BATCH = 5000


def fields_of(instance: models.Model) -> dict[str, Any]:
    """`instance`'s concrete fields by attribute name, as `insert_with_history` takes them;
    a relation to a row saved since it was set (a target's new indicator) by that row's id,
    as saving the instance would take it."""
    row = {}
    for f in instance._meta.concrete_fields:
        if f.is_relation and f.is_cached(instance):  # type: ignore[attr-defined]
            related = f.get_cached_value(instance)  # type: ignore[attr-defined]
            if related is not None and related.pk is None:
                raise ValueError(f"{instance!r}: its {f.name} is not saved yet.")
            row[f.attname] = None if related is None else related.pk
        else:
            row[f.attname] = getattr(instance, f.attname)
    return row


def insert_with_history(
    model: type[models.Model], rows: Sequence[Row], *, key: Sequence[str], user: Any, reason: str
) -> list[Any]:
    """Insert `rows` of `model` and a history row for each ("+", `user`, `reason`, now), as
    `simple_history.utils.bulk_create_with_history` would; their ids, in order. A field a
    row leaves out takes its default, and an `auto_now` field the time of writing. `key`
    names fields that are unique together (the first one a column to look rows up by):
    where the database cannot hand out the ids first (SQLite), they are read back by it.
    Run it inside a transaction."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    now = timezone.now()
    columns = [f for f in opts.concrete_fields if f is not opts.auto_field]
    defaults = {f.attname: f.get_default() for f in columns}
    stamps = dict.fromkeys((f.attname for f in columns if _stamped(f)), now)
    full = [{**defaults, **row, **stamps} for row in rows]
    values = {f.attname: _column(f, full, connection) for f in columns}
    pk = opts.pk
    if connection.vendor == "postgresql" and opts.auto_field is pk:
        # Ids from the table's own sequence, so the rows and their history go in together.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, pk.column, len(full)],
            )
            values[pk.attname] = [found for (found,) in cursor.fetchall()]
        columns = [pk, *columns]
        _insert(connection, opts.db_table, [f.column for f in columns], [values[f.attname] for f in columns])
    else:
        _insert(connection, opts.db_table, [f.column for f in columns], [values[f.attname] for f in columns])
        key_fields = [opts.get_field(name) for name in key]
        ids = _ids_by_key(model, connection, key_fields, values)
        keys = zip(*(values[f.attname] for f in key_fields), strict=True)
        values[pk.attname] = [ids[k] for k in keys]
    _write_history(model, values, len(full), "+", connection, user=user, reason=reason)
    return values[pk.attname]


def update_with_history(
    model: type[models.Model],
    instances: Sequence[models.Model],
    fields: Sequence[str],
    *,
    user: Any,
    reason: str,
) -> int:
    """Write `fields` of `instances` and a history row for each ("~", `user`, `reason`,
    now), as `simple_history.utils.bulk_update_with_history` would; how many."""
    if not instances:
        return 0
    connection = connections[router.db_for_write(model)]
    opts = model._meta
    rows = [fields_of(instance) for instance in instances]
    values = {f.attname: _column(f, rows, connection) for f in opts.concrete_fields}
    chosen = [opts.get_field(name) for name in fields]
    _update(
        connection,
        opts.db_table,
        opts.pk.column,
        [f.column for f in chosen],  # type: ignore[union-attr]
        [values[f.attname] for f in chosen],  # type: ignore[union-attr]
        values[opts.pk.attname],
    )
    _write_history(model, values, len(rows), "~", connection, user=user, reason=reason)
    return len(rows)


def _write_history(
    model: type[models.Model],
    values: Mapping[str, list[Any]],
    count: int,
    kind: str,
    connection: Any,
    *,
    user: Any,
    reason: str,
) -> None:
    """History rows for `count` rows whose columns, as written, are `values`."""
    history = get_history_model_for_model(model)
    opts = history._meta
    tracked = {f.attname for f in history.tracked_fields}  # type: ignore[attr-defined]
    # Each row its own moment, as simple_history stamps them, so the audit trail lists an
    # import's rows newest first like any others.
    written = {
        **{name: values[name] for name in tracked},
        "history_date": [timezone.now() for _ in range(count)],
        "history_change_reason": [reason] * count,
        "history_type": [kind] * count,
        "history_user_id": [getattr(user, "pk", None)] * count,
    }
    columns = [f for f in opts.concrete_fields if f is not opts.auto_field]
    for f in columns:
        if f.attname not in written:
            written[f.attname] = [f.get_default()] * count
        if f.attname not in tracked:
            written[f.attname] = _convert(f, written[f.attname], connection)
    _insert(connection, opts.db_table, [f.column for f in columns], [written[f.attname] for f in columns])


def _insert(connection: Any, table: str, columns: Sequence[str], values: Sequence[list[Any]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg's executemany sends a statement per row, twenty times slower.
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in zip(*values, strict=True):
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        _many(cursor, f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", zip(*values, strict=True))


def _update(
    connection: Any,
    table: str,
    key: str,
    columns: Sequence[str],
    values: Sequence[list[Any]],
    keys: list[Any],
) -> None:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # The new values are copied into a scratch table and set from it in one statement.
        scratch = quote(f"scrutineer_update_{table}")
        names = ", ".join(quote(c) for c in (key, *columns))
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {scratch} AS SELECT {names} FROM {quote(table)} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
                for row in zip(keys, *values, strict=True):
                    copy.write_row(row)
            sets = ", ".join(f"{quote(c)} = {scratch}.{quote(c)}" for c in columns)
            cursor.execute(
                f"UPDATE {quote(table)} SET {sets} FROM {scratch} "
                f"WHERE {quote(table)}.{quote(key)} = {scratch}.{quote(key)}"
            )
            cursor.execute(f"DROP TABLE {scratch}")
        return
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        _many(
            cursor,
            f"UPDATE {quote(table)} SET {sets} WHERE {quote(key)} = %s",
            zip(*values, keys, strict=True),
        )


def _many(cursor: Any, sql: str, params: Iterable[tuple[Any, ...]]) -> None:
    rows = iter(params)
    while batch := list(islice(rows, BATCH)):
        cursor.executemany(sql, batch)


def _ids_by_key(
    model: type[models.Model], connection: Any, key: Sequence[Any], values: Mapping[str, list[Any]]
) -> dict[tuple[Any, ...], Any]:
    opts = model._meta
    quote = connection.ops.quote_name
    first = list(set(values[key[0].attname]))
    ids: dict[tuple[Any, ...], Any] = {}
    selected = ", ".join(quote(c) for c in (opts.pk.column, *(f.column for f in key)))
    with connection.cursor() as cursor:
        for start in range(0, len(first), 500):
            chunk = first[start : start + 500]
            cursor.execute(
                f"SELECT {selected} FROM {quote(opts.db_table)} WHERE {quote(key[0].column)} IN "
                f"({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            for pk, *found in cursor.fetchall():
                ids[tuple(found)] = pk
    return ids


def _stamped(field: Any) -> bool:
    """An `auto_now` (or `auto_now_add`) field: a new row takes the time it is written."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _column(field: models.Field[Any, Any], rows: Sequence[Row], connection: Any) -> list[Any]:
    """One column of `rows` as the database driver takes it."""
    return _convert(field, list(map(itemgetter(field.attname), rows)), connection)


def _convert(field: models.Field[Any, Any], values: list[Any], connection: Any) -> list[Any]:
    """`values` of `field` as `get_db_prep_save` sends each to the driver, with the common
    cases done for the whole column at once."""
    kinds = set(map(type, values)) - {type(None)}
    internal = field.get_internal_type()
    if isinstance(field, PeriodField):
        if kinds <= {Period}:
            return [None if v is None else v.key for v in values]
    elif field.is_relation or internal in _WHOLE:
        if kinds <= {int}:
            return values
    elif internal in _TEXT:
        if all(issubclass(kind, str) for kind in kinds):  # a choice (`ValueState.APPROVED`) too
            return values
    elif internal == "BooleanField":
        if kinds <= {bool}:
            return values
    elif internal == "DecimalField":
        if kinds <= {Decimal} and all(v is None or v.is_finite() for v in values):
            # Django sends a Decimal as it is; SQLite's driver writes it as its text (the
            # adapter Django registers), which the column's numeric affinity stores as a number.
            return (
                [None if v is None else str(v) for v in values] if connection.vendor == "sqlite" else values
            )
    elif internal == "DateTimeField":
        moments = {v: _moment(field, v, connection) for v in set(values) if v is not None}
        return [None if v is None else moments[v] for v in values]
    return [None if v is None else field.get_db_prep_save(v, connection) for v in values]


def _moment(field: models.Field[Any, Any], value: Any, connection: Any) -> Any:
    """An aware time as Django's backends write one (`adapt_datetimefield_value`), without
    its settings lookups, which cost more than the rest when every history row has its own
    moment: PostgreSQL takes it as it is; SQLite the wall time in the connection's zone, as text."""
    if settings.USE_TZ and isinstance(value, datetime) and value.tzinfo:
        if connection.vendor == "postgresql":
            return value
        if connection.vendor == "sqlite":
            return str(value.astimezone(connection.timezone).replace(tzinfo=None))
    return field.get_db_prep_save(value, connection)


_WHOLE = frozenset(
    {
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "AutoField",
        "BigAutoField",
    }
)
_TEXT = frozenset({"CharField", "TextField", "SlugField", "EmailField"})
