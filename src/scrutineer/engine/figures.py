"""Decimal arithmetic shared by the engine: exact sums, bounded division, rounding as shown.

Everything uses explicit decimal contexts rather than the thread's current one, so
results never depend on what some other code set, and so a huge or tiny figure is
handled exactly instead of tripping the default 28-digit context:

- `EXACT` adds, subtracts and multiplies without rounding (the result of these on
  finite decimals always fits), so totals and the edges of the amber band are exact.
- `DIVIDE` divides to 28 significant digits, plenty for any figure a council reports.
- `HALF_UP` rounds to a number of decimal places the way people round ("2.345" → "2.35",
  unlike Python's default banker's rounding); figures are judged as they are shown.
"""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Final

from scrutineer.engine.errors import DisplayError, NonFiniteFigureError

MAX_PLACES: Final = 10
"""Most decimal places an indicator may show; more is never meaningful in a report."""

EXACT: Final = Context(
    prec=MAX_PREC,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
DIVIDE: Final = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
HALF_UP: Final = Context(
    prec=MAX_PREC,
    rounding=ROUND_HALF_UP,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

ZERO: Final = Decimal(0)
HUNDRED: Final = Decimal(100)
QUANTA: Final = tuple(Decimal(1).scaleb(-places) for places in range(MAX_PLACES + 1))
"""`QUANTA[n]` is 1E-n, the quantum for rounding to n places (built once, not per call)."""


def check_places(places: int) -> Decimal:
    """The quantum for `places` decimal places; `DisplayError` if out of range."""
    if type(places) is not int or not 0 <= places <= MAX_PLACES:
        raise DisplayError(f"decimal places must be a whole number from 0 to {MAX_PLACES}; got {places!r}")
    return QUANTA[places]


def check_finite(value: Decimal, what: str = "figure") -> Decimal:
    """`value` if it is a real number; `NonFiniteFigureError` for NaN or infinity."""
    if not value.is_finite():
        raise NonFiniteFigureError(
            f"{what} {value} is not a number that can be reported; enter a real figure"
        )
    return value


def round_half_up(value: Decimal, places: int) -> Decimal:
    """`value` rounded half-up to `places` decimal places, exactly however large it is."""
    quantum = check_places(places)
    return HALF_UP.quantize(check_finite(value), quantum)


def plain(value: Decimal) -> str:
    """Fixed-point text without trailing zeros or exponent: 640 → "640", 1E+3 → "1000"."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        return "0"
    return text
