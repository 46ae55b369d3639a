"""The performance table as data (JSON rows): what `scrutineer table --format json` prints.

Figures are JSON numbers rounded to the indicator's decimal places, exactly as shown;
`display` carries the printed form. Nothing here judges: statuses come from the engine,
worded (`status_label`) by the status rule that judged them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from scrutineer.performance import Cell, PerformanceTable, TableRow


def number(value: Decimal | None, places: int | None = None) -> int | float | None:
    """A Decimal as the JSON number people see: 79.33, 3.28, 2102 — never 3.2823879…"""
    if value is None:
        return None
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def cell_data(cell: Cell, places: int) -> dict[str, Any]:
    r = cell.result
    return {
        "period": r.period.key,
        "label": r.period.end_month_label,
        "value": number(r.value, places),
        "numerator": number(r.numerator),
        "denominator": number(r.denominator),
        "target": number(r.target),
        "status": r.status.value,
        "status_label": r.status_label,
        "display": r.display,
        "fraction": r.fraction_display,
        "target_display": r.target_display,
        "no_data_reason": r.no_data_reason,
        "comment": cell.comment,
    }


def row_data(row: TableRow) -> dict[str, Any]:
    places = row.decimal_places
    return {
        "code": row.code,
        "name": row.name,
        "theme": row.theme,
        "service": row.service,
        "unit": row.unit,
        "current": cell_data(row.current, places),
        "previous": cell_data(row.previous, places),
        "last_year": cell_data(row.last_year, places),
        "trend_previous": row.trend_previous.value,
        "trend_last_year": row.trend_last_year.value,
    }


def table_data(table: PerformanceTable) -> list[dict[str, Any]]:
    """JSON rows in table order."""
    return [row_data(row) for row in table.rows()]
