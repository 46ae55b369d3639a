"""Model fields that store engine values, so rows come out of the database as engine types."""

from __future__ import annotations

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
