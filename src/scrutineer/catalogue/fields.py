"""Model fields that store engine values, so rows come out of the database as engine types."""

from __future__ import annotations

import decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from scrutineer.engine import Period, PeriodKeyError


class PeriodField(models.CharField):
    """A reporting period stored as its key (`2020-06`, `2020-21-Q1`, `2020-21`).

    Keys of one frequency sort chronologically as text, so ordering and range filters
    work in SQL; Python code always sees `Period` values, never loose strings or dates.
    """

    description = "A financial-year reporting period"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 10:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Period | None:
        if value is None:
            return None
        return Period.parse(value)

    def to_python(self, value: Any) -> Period | None:
        if value is None or isinstance(value, Period):
            return value
        try:
            return Period.parse(str(value))
        except PeriodKeyError as exc:
            raise ValidationError(str(exc), code="invalid_period") from exc

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        return None if value is None else value.key

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.key

    def run_validators(self, value: Any) -> None:
        # The length limit applies to the stored key (full_clean validates a Period).
        super().run_validators(value.key if isinstance(value, Period) else value)


class FigureField(models.DecimalField):
    """A decimal column for figures that reads back whatever a row holds, never failing.

    SQLite keeps a decimal as a binary double: 15 significant digits, any size. Django
    reads it back rounded to the column's places within `max_digits` and raises when a
    row holds more, so one figure stored before the limits of decision 0011 (or written by
    hand) failed every page that read it. This field reads such a row as the number it
    holds (`in_kept_range` tells the caller whether to show it), and a row that holds no
    number at all (NaN; text written into the column by hand) as NaN, or as None where
    `unreadable_as_none` (a target or tolerance nobody can read counts as not set).

    The column, the migrations and the history models' columns are a plain
    `DecimalField`'s: `deconstruct` names that class, so no migration is needed.
    """

    def __init__(self, *args: Any, unreadable_as_none: bool = False, **kwargs: Any) -> None:
        self.unreadable_as_none = unreadable_as_none
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs

    @cached_property
    def context(self) -> decimal.Context:
        # The context SQLite's reader rounds in: wide enough for any double, and quiet, so
        # infinity reads as NaN instead of raising.
        return decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[])

    def to_python(self, value: Any) -> Any:
        if isinstance(value, float):  # as DecimalField does, with its own precision
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def select_format(self, compiler: Any, sql: str, params: Any) -> tuple[str, Any]:
        sql, params = super().select_format(compiler, sql, params)
        if compiler.connection.vendor == "sqlite":
            # Text in a numeric column (only ever written by hand) reads as infinity, then NaN.
            sql = f"(CASE WHEN typeof({sql}) IN ('text', 'blob') THEN 9e999 ELSE {sql} END)"
            params = (*params, *params)
        return sql, params

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> decimal.Decimal | None:
        if value is None:
            return None
        if not isinstance(value, decimal.Decimal):
            try:
                value = decimal.Decimal(str(value))
            except (decimal.InvalidOperation, ValueError):
                value = decimal.Decimal("NaN")
        if value.is_finite():
            return value
        return None if self.unreadable_as_none else decimal.Decimal("NaN")
