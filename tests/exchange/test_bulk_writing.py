"""The import's bulk writer stores what Django and simple_history's bulk functions store:
the same column values (as the database keeps them) and the same history rows."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from scrutineer.catalogue.imports import fields_of, insert_with_history, update_with_history
from scrutineer.catalogue.models import Target
from scrutineer.collection.models import Value, ValueState
from scrutineer.engine import Period
from tests.factories import IndicatorFactory, RateIndicatorFactory

pytestmark = pytest.mark.django_db

REASON = "Imported from values.csv (SHA-256 abc), import 1"


def stored(model, ids):
    """Every column of the rows as the database holds them (SQLite: with its storage class)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [f.column for f in model._meta.concrete_fields]
    shown = ", ".join(
        f"typeof({connection.ops.quote_name(c)}), {connection.ops.quote_name(c)}"
        if connection.vendor == "sqlite"
        else connection.ops.quote_name(c)
        for c in columns
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {shown} FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))}) ORDER BY id", ids
        )
        return cursor.fetchall()


def raw_moments(ids):
    """How the history rows' times are stored: SQLite keeps text in one shape."""
    table = connection.ops.quote_name(Value.history.model._meta.db_table)
    # Concatenated, so the driver hands back the stored text rather than a datetime.
    column = "typeof(history_date), history_date || ''" if connection.vendor == "sqlite" else "history_date"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        found = cursor.fetchall()
    if connection.vendor == "sqlite":
        return {
            (kind, bool(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?", text)))
            for kind, text in found
        }
    return {(type(at), at.utcoffset()) for (at,) in found}


def comparable(rows, model, *, skip):
    """The rows without the columns that differ between two writes of the same figures."""
    width = 2 if connection.vendor == "sqlite" else 1
    names = [f.attname for f in model._meta.concrete_fields]
    keep = [i for i, name in enumerate(names) if name not in skip]
    return [tuple(row[i * width + j] for i in keep for j in range(width)) for row in rows]


def history_of(model, ids):
    rows = model.history.filter(id__in=ids).order_by("id", "history_id")
    names = [f.attname for f in model.history.model._meta.concrete_fields]
    skip = {"history_id", "history_date", "id", "period", "updated_at"}
    return [tuple(getattr(r, n) for n in names if n not in skip) for r in rows]


def figures(indicator, rate, user, periods, now):
    approved = dict(state=ValueState.APPROVED, approved_by=user, approved_at=now, submitted_at=now)
    made = [
        Value(indicator=indicator, period=periods[0], value=Decimal("79.33"), entered_by=user, **approved),
        Value(
            indicator=indicator, period=periods[1], value=Decimal("1E+3"), note="£ 'quoted'", entered_by=user
        ),
        Value(
            indicator=rate,
            period=periods[0],
            numerator=Decimal("640"),
            denominator=Decimal("19498.000001"),
            approver_comment="KPI Achieved.",
            entered_by=user,
            **approved,
        ),
        Value(
            indicator=rate,
            period=periods[1],
            no_data_reason="Service closed",
            not_measured=True,
            state=ValueState.DRAFT,
            entered_by=user,
        ),
    ]
    for value in made:
        value.updated_at = now
    return made


def test_new_figures_and_their_history_are_stored_as_simple_history_stores_them(officer):
    indicator, rate = IndicatorFactory(), RateIndicatorFactory()
    first = [Period.parse("2020-21-Q1"), Period.parse("2020-21-Q2")]
    second = [Period.parse("2021-22-Q1"), Period.parse("2021-22-Q2")]
    now = timezone.now()

    bulk_create_with_history(
        figures(indicator, rate, officer, first, now),
        Value,
        default_user=officer,
        default_change_reason=REASON,
    )
    insert_with_history(
        Value,
        [fields_of(v) for v in figures(indicator, rate, officer, second, now)],
        key=("indicator_id", "period"),
        user=officer,
        reason=REASON,
    )
    by_django = list(Value.objects.filter(period__in=first).order_by("id").values_list("id", flat=True))
    by_us = list(Value.objects.filter(period__in=second).order_by("id").values_list("id", flat=True))
    skip = {"id", "period", "updated_at", "submitted_at", "approved_at"}
    assert comparable(stored(Value, by_us), Value, skip=skip) == comparable(
        stored(Value, by_django), Value, skip=skip
    )
    assert history_of(Value, by_us) == history_of(Value, by_django)
    assert raw_moments(by_us) == raw_moments(by_django)
    # Every figure's history row holds the figure as stored, who wrote it and why.
    for value in Value.objects.filter(pk__in=by_us):
        record = value.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+",
            officer,
            REASON,
        )
        assert (record.value, record.numerator, record.denominator, record.state) == (
            value.value,
            value.numerator,
            value.denominator,
            value.state,
        )
        assert record.updated_at == value.updated_at


def test_changed_targets_and_their_history_are_stored_as_simple_history_stores_them(officer):
    indicator = IndicatorFactory()
    periods = [Period.parse(k) for k in ("2020-21", "2021-22", "2022-23", "2023-24")]
    targets = [Target(indicator=indicator, period=p, value=Decimal("100")) for p in periods]
    insert_with_history(
        Target, [fields_of(t) for t in targets], key=("indicator_id", "period"), user=officer, reason=REASON
    )
    saved = list(Target.objects.filter(indicator=indicator).order_by("period"))
    assert [t.history.get().history_change_reason for t in saved] == [REASON] * 4
    for target in saved:
        target.value, target.note, target.version = Decimal("12.5"), "Council plan", target.version + 1
    bulk_update_with_history(
        saved[:2], Target, ["value", "note", "version"], default_user=officer, default_change_reason=REASON
    )
    update_with_history(Target, saved[2:], ["value", "note", "version"], user=officer, reason=REASON)
    skip = {"id", "period"}
    ids = [t.pk for t in saved]
    assert comparable(stored(Target, ids[2:]), Target, skip=skip) == comparable(
        stored(Target, ids[:2]), Target, skip=skip
    )
    assert history_of(Target, ids[2:]) == history_of(Target, ids[:2])
    assert [t.history.latest().history_type for t in saved] == ["~"] * 4
