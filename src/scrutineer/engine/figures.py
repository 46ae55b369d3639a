"""Decimal arithmetic shared by the engine: exact sums, bounded division, rounding as shown.

Everything uses explicit decimal contexts rather than the thread's current one, so
results never depend on what some other code set, and so a huge or tiny figure is
handled exactly instead of tripping the default 28-digit context:

- `EXACT` adds, subtracts and multiplies without rounding (the result of these on
  finite decimals always fits), so totals and the edges of the amber band are exact.
- `DIVIDE` divides to 28 significant digits, plenty for any figure a council reports.
- `HALF_UP` rounds to a number of decimal places the way people round ("2.345" → "2.35",
  unlike Python's default banker's rounding); figures are judged as they are shown.

What is typed and stored is narrower (decision 0011): `parse_figure` reads a typed
figure (ASCII digits, a sign, one point, thousands commas, nothing else) and
`check_kept` refuses one that some database Scrutineer runs on would not keep exactly.
`echo` cuts what a message quotes of anything typed.
"""

from __future__ import annotations

import re
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

from scrutineer.engine.errors import (
    DisplayError,
    FigureNotKeptError,
    FigureTextError,
    NonFiniteFigureError,
)

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


# What is typed and stored (decision 0011)

KEPT_DIGITS: Final = 15
"""Most significant digits a figure may have: SQLite keeps a decimal as a binary double,
which holds 15 exactly, so a figure with more would read back as another number there."""
KEPT_PLACES: Final = 6
"""Most decimal places a figure may have: the columns keep 6."""
KEPT_WHOLE_DIGITS: Final = 14
"""Most digits before the decimal point: the columns keep 20 digits, 6 of them places."""
ECHO_LENGTH: Final = 40
"""Most characters of what was typed that a message quotes back."""

# ASCII digits only (`\d` would take "٣" and "３"), thousands commas every three digits.
_FIGURE_TEXT: Final = re.compile(r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)")


def echo(text: str, limit: int = ECHO_LENGTH) -> str:
    """`text` as a message quotes what was typed: at most `limit` characters, then "…";
    control and other invisible characters are shown as "�", so the reader sees there is one."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    if cut.isprintable():
        return cut
    return "".join(c if c.isprintable() or c == " " else "\ufffd" for c in cut)


def quoted_figure(value: Decimal) -> str:
    """`value` as a message quotes it: plain while it is of a sensible size, at most
    `ECHO_LENGTH` characters either way (a typed 1E+999999 is not written out)."""
    if value.is_finite() and -ECHO_LENGTH < value.adjusted() < ECHO_LENGTH:
        return echo(plain(value))
    return echo(str(value))


def parse_figure(text: str) -> Decimal:
    """The figure typed in `text`: ASCII digits with an optional sign, one decimal point and
    thousands commas in their places ("19,498", "-2.5", ".75"); spaces around are ignored.

    Anything else raises `FigureTextError`, though `Decimal` would take much of it:
    "1e5", "NaN", "Infinity", "12_000", "1,23", Arabic-Indic or full-width digits.
    """
    stripped = text.strip(" \t\r\n")
    if _FIGURE_TEXT.fullmatch(stripped) is None:
        raise FigureTextError(f'"{echo(stripped)}" is not a number; enter digits, e.g. 640, 19,498 or 79.33')
    return Decimal(stripped.replace(",", ""))


def check_kept(value: Decimal) -> Decimal:
    """`value` if every database Scrutineer runs on keeps it exactly: below
    100,000,000,000,000 in size, at most 6 decimal places and 15 significant digits
    (trailing zeros after the point do not count). `FigureNotKeptError` says which limit
    it passes; `NonFiniteFigureError` for NaN or infinity."""
    if not value.is_finite():
        raise NonFiniteFigureError(
            f"{echo(str(value))} is not a number that can be reported; enter a real figure"
        )
    if not value:
        return value
    shown = quoted_figure(value)
    if value.adjusted() >= KEPT_WHOLE_DIGITS:
        raise FigureNotKeptError(
            f"{shown} is too large; Scrutineer keeps figures below 100,000,000,000,000 "
            f"({KEPT_WHOLE_DIGITS} digits before the decimal point)"
        )
    _, digits, exponent = value.as_tuple()
    coefficient = "".join(map(str, digits))
    significant = coefficient.rstrip("0")
    places = -(int(exponent) + len(coefficient) - len(significant))
    if places > KEPT_PLACES:
        raise FigureNotKeptError(
            f"{shown} has more than {KEPT_PLACES} decimal places ({places}); "
            f"round it to {KEPT_PLACES} or fewer"
        )
    if len(significant) > KEPT_DIGITS:
        raise FigureNotKeptError(
            f"{shown} has {len(significant)} significant digits; Scrutineer keeps {KEPT_DIGITS}, so "
            f"every database it runs on stores the figure exactly: round it to {KEPT_DIGITS} or fewer"
        )
    return value


def read_figure(raw: object) -> Decimal | None:
    """A figure as an action receives it: a Decimal, a whole number or typed text
    ("19,498"); None when blank. Raises `FigureTextError`, `FigureNotKeptError` or
    `NonFiniteFigureError` for anything `parse_figure` and `check_kept` refuse."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(str(raw))  # as it was written: 79.33, not 79.3299999…
    else:
        number = parse_figure(str(raw))
    return check_kept(number)


def in_kept_range(value: Decimal) -> bool:
    """True if `value` is a real number below 100,000,000,000,000 in size: a stored figure
    outside that (NaN, or too large for its column) was not written through Scrutineer's
    checks, and is not shown as a figure."""
    return value.is_finite() and value.adjusted() < KEPT_WHOLE_DIGITS
