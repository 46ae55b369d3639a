"""Text written to CSV files that people open in spreadsheets."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """Typed text with a leading apostrophe if a spreadsheet would run it as a formula
    (OWASP's advice for CSV files); a plain number such as "-3.5" is left alone."""
    if text.startswith(FORMULA_STARTS):
        try:
            Decimal(text)
        except InvalidOperation:
            return "'" + text
    return text
