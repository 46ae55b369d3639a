"""Cells as files hold them and as Scrutineer reads them: text, figures, periods, flags.

Every text cell written to a CSV or XLSX file goes through `escape`, the formula guard
(`spreadsheets.formula_safe`) made reversible: text a spreadsheet would run as a formula
gets a leading apostrophe, and so does text that already starts with apostrophes before
such text, so `unescape` gives back exactly what was written and a round trip never
changes a character. Text that reads as a formula with no apostrophe in front is never
run: the import refuses it (`looks_like_formula`).

Periods are read in the forms councils write as well as the keys: `Jun-2020`, `Jun-20`,
`June 2020`, `Q1 2020/21`, `Quarter 1 2020/21`, `2020/21`, and a spreadsheet's date (a
cell typed "Jun-2020" that Excel turned into 1 June 2020) as its month.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from scrutineer.engine import Frequency, Period, PeriodError, PeriodKeyError
from scrutineer.engine.figures import plain
from scrutineer.spreadsheets import CONTROL_STARTS, FORMULA_STARTS, formula_safe


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message says what to type."""


# The formula guard, reversible


_RISKY_FIRST = frozenset(FORMULA_STARTS + CONTROL_STARTS)


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would run `text` as a formula (the guard would escape it)."""
    # Most cells start with a letter or a digit: the guard leaves those alone.
    if not text or (text[0] not in _RISKY_FIRST and not text[0].isspace()):
        return False
    return formula_safe(text) != text


def escape(text: str) -> str:
    """`text` as a CSV or XLSX cell: an apostrophe in front when a spreadsheet could run it,
    or when it starts with apostrophes before such text (so `unescape` is exact)."""
    if looks_like_formula(text.lstrip("'")):
        return "'" + text
    return text


def unescape(text: str) -> str:
    """The text `escape` was given."""
    if text.startswith("'") and looks_like_formula(text.lstrip("'")):
        return text[1:]
    return text


# Figures


def figure_text(value: Decimal | int | None) -> str:
    """A figure as an export writes it: plain digits, no exponent, no trailing zeros."""
    if value is None:
        return ""
    return plain(Decimal(value))


def normalised(value: Decimal) -> Decimal:
    """A stored figure as exports write it: 12.500000 → 12.5, 1E+3 → 1000."""
    text = plain(value)
    return Decimal(text)


# Flags

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


def read_flag(raw: object) -> bool:
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | Decimal):
        raw = str(raw)
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f'"{text[:40]}" is not yes or no; write yes or no (or leave it blank for no)')


def read_whole(raw: object) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = raw if isinstance(raw, str) else str(raw)
    text = text.strip()
    if isinstance(raw, Decimal) and raw == raw.to_integral_value():
        text = str(int(raw))
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise CellError(f'"{text[:40]}" is not a whole number; write digits only, e.g. 3')
    return int(text)


def read_date(raw: object) -> date | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f'"{text[:40]}" is not a date; write it as YYYY-MM-DD, e.g. 2021-03-31')


def read_list(raw: object) -> list[str]:
    if raw is None:
        return []
    return [part.strip() for part in str(raw).split(";") if part.strip()]


# Periods

_MONTHS = {
    name: number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in (full, full[:3], "sept" if full == "september" else full[:3])
}
_MONTH_TEXT = re.compile(r"([a-z]+)[\s\-/.]*(\d{4}|\d{2})")
_FY = r"(\d{4})\s*[/-]\s*(\d{4}|\d{2})"
_QUARTER_TEXT = (
    re.compile(rf"(?:q|qtr|quarter)\s*([1-4])[\s,]*(?:of\s+)?(?:fy\s*)?{_FY}"),
    re.compile(rf"(?:fy\s*)?{_FY}[\s,]*(?:q|qtr|quarter)\s*([1-4])"),
)
_YEAR_TEXT = re.compile(rf"(?:fy\s*)?{_FY}")
_PERIOD_HELP = (
    "write a month as 2020-06 or Jun-2020, a quarter as 2020-21-Q1 or Q1 2020/21, "
    "a financial year as 2020-21 or 2020/21"
)


def _financial_year(first: str, second: str) -> int | None:
    start = int(first)
    follows = int(second) if len(second) == 4 else None
    if follows is not None:
        return start if follows == start + 1 else None
    return start if int(second) == (start + 1) % 100 else None


def _calendar_year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def read_period(raw: object, frequency: Frequency | None = None) -> Period:
    """The period a cell names, as a key or a label councils write; `CellError` otherwise.

    A date (or a date-time) is its month. `frequency` settles `2009-10`, which as a key
    is October 2009, for an indicator collected annually (2009/10)."""
    if isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        return Period.containing(day, Frequency.MONTHLY)
    if raw is None or not str(raw).strip():
        raise CellError(f"the period is missing; {_PERIOD_HELP}")
    text = str(raw).strip()
    for wanted in (frequency, None):
        try:
            # Of another frequency than wanted: the indicator's check says which it needs.
            return Period.parse(text, wanted)
        except PeriodKeyError:
            pass
    found = _read_label(" ".join(text.lower().split()))
    if found is None:
        raise CellError(f'"{text[:40]}" is not a period; {_PERIOD_HELP}')
    return found


def _read_label(text: str) -> Period | None:
    try:
        found = _read_label_unchecked(text)
        # Within the years a key can name (1900/01 to 2199/00), as every stored period is.
        return None if found is None else Period.parse(found.key)
    except (ValueError, PeriodError):
        return None


def _read_label_unchecked(text: str) -> Period | None:
    if match := _MONTH_TEXT.fullmatch(text):
        month = _MONTHS.get(match[1])
        return None if month is None else Period.month(_calendar_year(match[2]), month)
    for number, pattern in enumerate(_QUARTER_TEXT):
        if match := pattern.fullmatch(text):
            groups = match.groups()
            quarter, first, second = (
                (groups[0], groups[1], groups[2]) if number == 0 else (groups[2], *groups[:2])
            )
            year = _financial_year(first, second)
            return None if year is None else Period.quarter(year, int(quarter))
    if match := _YEAR_TEXT.fullmatch(text):
        year = _financial_year(match[1], match[2])
        return None if year is None else Period.financial_year(year)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Period.containing(date.fromisoformat(text), Frequency.MONTHLY)
    return None
