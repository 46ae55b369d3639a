"""Reporting periods of the UK local-government financial year (1 April to 31 March).

A `Period` is a month, a quarter or a financial year, always named by the financial
year it falls in: `year` is the calendar year the financial year starts in (2020 for
2020/21) and `number` counts from April (month 1 = April, quarter 1 = April–June).
Councils report by financial year, so arithmetic in that frame ("the previous quarter",
"the same quarter last year") never has to think about calendar years.

Keys are the stable text form, stored in the database and used in addresses:

- a month is `YYYY-MM` in calendar terms: `2020-06` is June 2020;
- a quarter is `YYYY-YY-QN`: `2020-21-Q1`;
- a financial year is `YYYY-YY`: `2020-21`, and `2099-00` for 2099/2100.

`YYYY-YY` and `YYYY-MM` collide for the twelve financial years of each century whose
second year is 01–12: `2009-10` could be October 2009 or 2009/10. A key must name one
period, so `2009-10` is October 2009 and those financial years have the long key
`2009-2010` (which `parse` accepts for any year). `Period.parse("2009-10", Frequency.ANNUAL)`
reads the short form when the caller knows it wants a financial year.

Keys name financial years 1900/01 to 2199/00 only (`FIRST_KEY_YEAR`, `LAST_KEY_YEAR`):
`parse` refuses `1000-01-Q1` or `9998-99` with a `PeriodKeyError` that says so. Periods
themselves reach much further (`MIN_YEAR` to `MAX_YEAR`), so that arithmetic from any
period a key can name (the previous period, the same period last year, decades of
history) never runs off the calendar `datetime.date` knows.

Labels are what councils print: `Jun-2020`, `Q1 2020/21`, `2020/21`.

Periods are immutable, hashable and cheap: constructors return shared instances, and
derived values (labels, dates, neighbours) are computed once per period and cached.
Periods of one frequency sort chronologically; ordering a month against a quarter
raises `TypeError`, because there is no single right answer (sort by `.start` to mix).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Final, NamedTuple

from scrutineer.engine.errors import FrequencyError, PeriodError, PeriodKeyError
from scrutineer.engine.figures import echo

MIN_YEAR: Final = 1000
"""Earliest financial year (1000/01): keys have four-digit years."""
MAX_YEAR: Final = 9998
"""Latest financial year (9998/99): it ends in 9999, the last year `datetime.date` knows."""
FIRST_KEY_YEAR: Final = 1900
"""Earliest financial year a key may name (1900/01): no council reports from before it."""
LAST_KEY_YEAR: Final = 2199
"""Latest financial year a key may name (2199/00)."""

_MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_ABBR: Final = tuple(name[:3] for name in _MONTH_NAMES)  # "Sep", as councils print it
_KEY_HELP: Final = (
    "Use YYYY-MM for a month (2020-06), YYYY-YY-QN for a quarter (2020-21-Q1) "
    "or YYYY-YY for a financial year (2020-21)."
)
_KEY_RANGE: Final = (
    f"April {FIRST_KEY_YEAR} to March {LAST_KEY_YEAR + 1} (financial years "
    f"{FIRST_KEY_YEAR}/{(FIRST_KEY_YEAR + 1) % 100:02d} to {LAST_KEY_YEAR}/{(LAST_KEY_YEAR + 1) % 100:02d})"
)


class Frequency(StrEnum):
    """How often an indicator is reported: each month, quarter or financial year."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def per_year(self) -> int:
        """Periods of this frequency in a financial year (12, 4, 1)."""
        return _PER_YEAR[self]

    @property
    def months(self) -> int:
        """Months in one period of this frequency (1, 3, 12)."""
        return 12 // _PER_YEAR[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()

    def is_finer_than(self, other: Frequency) -> bool:
        """True when a period of `other` is made of several periods of this frequency.

        The engine's one ordering of frequencies: `coarser`, `Period.parts` and
        `Period.within` all ask this.
        """
        return _PER_YEAR[self] > _PER_YEAR[other]

    def coarser(self) -> tuple[Frequency, ...]:
        """The frequencies a period of this one falls within, nearest first:
        (quarterly, annual) for monthly, none for annual."""
        return _COARSER[self]


_PER_YEAR: Final = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 1}
# Built from is_finer_than, so there is no second ordering to keep in step. Nearest
# first: the finest of the coarser frequencies (the one most others are coarser than).
_COARSER: Final = {
    frequency: tuple(
        sorted(
            (other for other in Frequency if frequency.is_finer_than(other)),
            key=lambda other: sum(other.is_finer_than(f) for f in Frequency),
            reverse=True,
        )
    )
    for frequency in Frequency
}
_NOUN: Final = {
    Frequency.MONTHLY: "a month",
    Frequency.QUARTERLY: "a quarter",
    Frequency.ANNUAL: "a financial year",
}


class _Texts(NamedTuple):
    key: str
    label: str
    long_label: str
    end_month_label: str
    end_month_short_label: str
    fy_label: str
    fy_long_label: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Period:
    """A month, quarter or financial year; see the module docstring for the conventions.

    Build periods with the constructors (`Period.month(2020, 6)`, `Period.quarter(2020, 1)`,
    `Period.financial_year(2020)`, `Period.parse("2020-21-Q1")`): they validate, return
    shared instances and are what the rest of the engine uses. `ordinal` counts periods
    of one frequency from year 0, so `b.ordinal - a.ordinal` is how many months (or
    quarters, or years) apart two periods are.
    """

    frequency: Frequency
    year: int
    number: int
    ordinal: int = field(init=False)
    _hash: int = field(init=False)

    def __post_init__(self) -> None:
        frequency = self.frequency
        if type(frequency) is not Frequency:
            try:
                frequency = Frequency(frequency)
            except ValueError:
                raise PeriodError(
                    f"'{frequency}' is not a frequency; use monthly, quarterly or annual"
                ) from None
            object.__setattr__(self, "frequency", frequency)
        year, number = self.year, self.number
        if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
            raise PeriodError(
                f"financial year {year!r} is outside the years Scrutineer handles "
                f"({MIN_YEAR} to {MAX_YEAR}, by the year each financial year starts in)"
            )
        per_year = _PER_YEAR[frequency]
        if type(number) is not int or not 1 <= number <= per_year:
            raise PeriodError(
                f"{frequency.value} period number {number!r} is out of range: "
                f"a financial year has {per_year} (numbered from 1 in April)"
            )
        ordinal = year * per_year + number - 1
        object.__setattr__(self, "ordinal", ordinal)
        object.__setattr__(self, "_hash", hash((per_year, ordinal)))

    # Construction

    @staticmethod
    def month(calendar_year: int, calendar_month: int) -> Period:
        """The month `calendar_month` (1–12) of `calendar_year`: `month(2020, 6)` is June 2020."""
        if type(calendar_month) is not int or not 1 <= calendar_month <= 12:
            raise PeriodError(f"month {calendar_month!r} is not a calendar month (1 to 12)")
        if type(calendar_year) is not int:
            raise PeriodError(f"year {calendar_year!r} is not a whole number")
        if calendar_month >= 4:
            return _make(Frequency.MONTHLY, calendar_year, calendar_month - 3)
        return _make(Frequency.MONTHLY, calendar_year - 1, calendar_month + 9)

    @staticmethod
    def quarter(fy_start_year: int, quarter: int) -> Period:
        """Quarter 1–4 of the financial year starting in `fy_start_year` (Q1 = April–June)."""
        return _make(Frequency.QUARTERLY, fy_start_year, quarter)

    @staticmethod
    def financial_year(fy_start_year: int) -> Period:
        """The financial year starting on 1 April `fy_start_year`."""
        return _make(Frequency.ANNUAL, fy_start_year, 1)

    @staticmethod
    def containing(day: date, frequency: Frequency = Frequency.MONTHLY) -> Period:
        """The period of `frequency` that `day` falls in (use local dates, not UTC instants)."""
        return Period.month(day.year, day.month).within(frequency)

    @staticmethod
    def parse(key: str, frequency: Frequency | None = None) -> Period:
        """The period a key names; `PeriodKeyError` with the formats if it names none,
        or with the years handled if it names one before 1900/01 or after 2199/00.

        Leading and trailing spaces and the case of `Q` are forgiven. Pass `frequency`
        when only one kind of period is acceptable: the key is then read as that kind
        (which is the only way to read `2009-10` as the financial year 2009/10).
        """
        if not isinstance(key, str):
            raise PeriodKeyError(f"'{echo(str(key))}' is not a period key. {_KEY_HELP}")
        if frequency is not None and type(frequency) is not Frequency:
            frequency = Period(frequency, MIN_YEAR, 1).frequency  # stored text; validated
        return _parse(key, frequency)

    @staticmethod
    def from_ordinal(frequency: Frequency, ordinal: int) -> Period:
        """The period of `frequency` with this `ordinal` (the inverse of `.ordinal`)."""
        return _from_ordinal(frequency, ordinal)

    @staticmethod
    def range(first: Period, last: Period) -> Iterator[Period]:
        """Every period from `first` to `last` inclusive, in order (none if `last` is earlier)."""
        frequency = first.frequency
        if last.frequency is not frequency:
            raise FrequencyError(
                f"a range runs between periods of one frequency; {first.key} is "
                f"{frequency.value} and {last.key} is {last.frequency.value}"
            )
        for ordinal in range(first.ordinal, last.ordinal + 1):
            yield _from_ordinal(frequency, ordinal)

    # Text

    @property
    def key(self) -> str:
        """Stable text form: `2020-06`, `2020-21-Q1`, `2020-21` (see the module docstring)."""
        return _texts(self).key

    @property
    def label(self) -> str:
        """Short label as reports print it: `Jun-2020`, `Q1 2020/21`, `2020/21`."""
        return _texts(self).label

    @property
    def long_label(self) -> str:
        """Label in words, for headings and screen readers: `June 2020`, `Quarter 1 2020/21`."""
        return _texts(self).long_label

    @property
    def end_month_label(self) -> str:
        """Label of the period's last month: `Jun-2020` for Q1 2020/21, `Mar-2021` for 2020/21."""
        return _texts(self).end_month_label

    @property
    def end_month_short_label(self) -> str:
        """Last month with a two-digit year, as table columns print it: `Mar-20`."""
        return _texts(self).end_month_short_label

    @property
    def fy_label(self) -> str:
        """The financial year this period is in: `2020/21`."""
        return _texts(self).fy_label

    @property
    def fy_long_label(self) -> str:
        """The financial year with both years in full: `2020/2021`."""
        return _texts(self).fy_long_label

    # Dates

    @property
    def start(self) -> date:
        """First day of the period."""
        return _bounds(self)[0]

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        return _bounds(self)[1]

    @property
    def calendar_year(self) -> int:
        """Calendar year of a month (2021 for March in 2020/21); `PeriodError` for others."""
        if self.frequency is not Frequency.MONTHLY:
            raise PeriodError(f"{self.label} is not a month, so it has no single calendar year")
        return self.year if self.number <= 9 else self.year + 1

    @property
    def calendar_month(self) -> int:
        """Calendar month of a month (1 = January); `PeriodError` for quarters and years."""
        if self.frequency is not Frequency.MONTHLY:
            raise PeriodError(f"{self.label} is not a month, so it has no single calendar month")
        return (self.number + 2) % 12 + 1

    # Arithmetic

    def previous(self) -> Period:
        """The period before this one, of the same frequency."""
        return _from_ordinal(self.frequency, self.ordinal - 1)

    def next(self) -> Period:
        """The period after this one, of the same frequency."""
        return _from_ordinal(self.frequency, self.ordinal + 1)

    def same_period_last_year(self) -> Period:
        """The same month, quarter or year one year earlier (the "last year's results" column)."""
        return _from_ordinal(self.frequency, self.ordinal - _PER_YEAR[self.frequency])

    def months(self) -> tuple[Period, ...]:
        """The months this period is made of, in order (just itself for a month)."""
        return _parts(self, Frequency.MONTHLY)

    def parts(self, frequency: Frequency) -> tuple[Period, ...]:
        """The periods of a finer (or the same) `frequency` this period is made of, in order."""
        return _parts(self, frequency)

    def within(self, frequency: Frequency) -> Period:
        """The period of a coarser (or the same) `frequency` containing this one."""
        return _within(self, frequency)

    # Identity and order

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self is other or (self.ordinal == other.ordinal and self.frequency is other.frequency)

    def __hash__(self) -> int:
        return self._hash

    def __lt__(self, other: Period) -> bool:
        mine, theirs = _ordinals(self, other, "<")
        return mine < theirs

    def __le__(self, other: Period) -> bool:
        mine, theirs = _ordinals(self, other, "<=")
        return mine <= theirs

    def __gt__(self, other: Period) -> bool:
        mine, theirs = _ordinals(self, other, ">")
        return mine > theirs

    def __ge__(self, other: Period) -> bool:
        mine, theirs = _ordinals(self, other, ">=")
        return mine >= theirs

    def __repr__(self) -> str:
        return f"<Period {self.key}>"

    def __str__(self) -> str:
        # The key, so text forms of a period (form fields, CSV cells) parse back to it.
        return self.key

    def __reduce__(self) -> tuple[object, tuple[Frequency, int, int]]:
        # Unpickled and copied periods come back as the shared instances.
        return (_make, (self.frequency, self.year, self.number))


def _ordinals(mine: Period, other: object, op: str) -> tuple[int, int]:
    if not isinstance(other, Period):
        raise TypeError(f"'{op}' is not supported between a Period and {type(other).__name__}")
    if mine.frequency is not other.frequency:
        raise TypeError(
            f"cannot order {mine.key} ({mine.frequency.value}) against {other.key} "
            f"({other.frequency.value}); compare periods of one frequency, or sort by .start"
        )
    return mine.ordinal, other.ordinal


_INTERNED: dict[tuple[Frequency, int, int], Period] = {}


def _make(frequency: Frequency, year: int, number: int) -> Period:
    """The shared instance of a period (validated on first use)."""
    key = (frequency, year, number)
    found = _INTERNED.get(key)
    if found is None or type(year) is not int or type(number) is not int:  # 1.0 == 1
        found = Period(frequency, year, number)
        _INTERNED[key] = found
    return found


@functools.cache
def _from_ordinal(frequency: Frequency, ordinal: int) -> Period:
    year, index = divmod(ordinal, _PER_YEAR[frequency])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            f"the period requested falls outside the years Scrutineer handles "
            f"({MIN_YEAR}/{(MIN_YEAR + 1) % 100:02d} to {MAX_YEAR}/{(MAX_YEAR + 1) % 100:02d})"
        )
    return _make(frequency, year, index + 1)


@functools.cache
def _within(period: Period, frequency: Frequency) -> Period:
    if frequency.is_finer_than(period.frequency):
        raise FrequencyError(
            f"{period.label} is {_NOUN[period.frequency]}, which is not within "
            f"{_NOUN[frequency]}; it is made of several"
        )
    ratio = _PER_YEAR[period.frequency] // _PER_YEAR[frequency]
    return _from_ordinal(frequency, period.ordinal // ratio)


@functools.cache
def _parts(period: Period, frequency: Frequency) -> tuple[Period, ...]:
    if period.frequency.is_finer_than(frequency):
        raise FrequencyError(
            f"{period.label} is {_NOUN[period.frequency]}, which is not made of "
            f"{_NOUN[frequency][2:]}s; it is within one"
        )
    ratio = _PER_YEAR[frequency] // _PER_YEAR[period.frequency]
    first = period.ordinal * ratio
    return tuple(_from_ordinal(frequency, ordinal) for ordinal in range(first, first + ratio))


def _month_texts(month: Period) -> tuple[str, str, str, str]:
    """Key, label, long label and short label of a month."""
    calendar_year, calendar_month = month.calendar_year, month.calendar_month
    abbr = _MONTH_ABBR[calendar_month - 1]
    return (
        f"{calendar_year:04d}-{calendar_month:02d}",
        f"{abbr}-{calendar_year}",
        f"{_MONTH_NAMES[calendar_month - 1]} {calendar_year}",
        f"{abbr}-{calendar_year % 100:02d}",
    )


@functools.cache
def _texts(period: Period) -> _Texts:
    year, number = period.year, period.number
    next_yy = f"{(year + 1) % 100:02d}"
    fy_label = f"{year}/{next_yy}"
    fy_long_label = f"{year}/{year + 1}"
    _, end_label, _, end_short = _month_texts(_parts(period, Frequency.MONTHLY)[-1])
    if period.frequency is Frequency.MONTHLY:
        key, label, long_label, _ = _month_texts(period)
    elif period.frequency is Frequency.QUARTERLY:
        key = f"{year}-{next_yy}-Q{number}"
        label = f"Q{number} {fy_label}"
        long_label = f"Quarter {number} {fy_label}"
    else:
        # 2009-10 is October 2009, so 2009/10 gets the long key (see the module docstring).
        key = f"{year}-{year + 1}" if 1 <= (year + 1) % 100 <= 12 else f"{year}-{next_yy}"
        label = long_label = fy_label
    return _Texts(key, label, long_label, end_label, end_short, fy_label, fy_long_label)


@functools.cache
def _bounds(period: Period) -> tuple[date, date]:
    months = _parts(period, Frequency.MONTHLY)
    first, last = months[0], months[-1]
    start = date(first.calendar_year, first.calendar_month, 1)
    if last.calendar_month == 12:
        after = date(last.calendar_year + 1, 1, 1)
    else:
        after = date(last.calendar_year, last.calendar_month + 1, 1)
    return start, after - timedelta(days=1)


def _digits(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


@functools.lru_cache(maxsize=4096)
def _parse(key: str, frequency: Frequency | None) -> Period:
    text = key.strip().upper()
    found = _read(text, frequency)
    if found is None and frequency is not None:
        found = _read(text, None)
    if found is None:
        raise PeriodKeyError(f"'{echo(key)}' is not a period key. {_KEY_HELP}")
    if not FIRST_KEY_YEAR <= found.year <= LAST_KEY_YEAR:
        raise _out_of_range(key)
    if frequency is not None and found.frequency is not frequency:
        raise PeriodKeyError(
            f"'{echo(key)}' is {_NOUN[found.frequency]}, but {_NOUN[frequency]} is needed here. {_KEY_HELP}"
        )
    return found


def _read(text: str, frequency: Frequency | None) -> Period | None:
    """The period `text` names, or None; `frequency` settles `YYYY-YY` against `YYYY-MM`."""
    try:
        return _read_unchecked(text, frequency)
    except PeriodError:  # a well-formed key outside the years a Period can hold
        raise _out_of_range(text) from None


def _out_of_range(key: str) -> PeriodKeyError:
    return PeriodKeyError(f"'{echo(key)}' is outside the periods Scrutineer handles: {_KEY_RANGE}.")


def _read_unchecked(text: str, frequency: Frequency | None) -> Period | None:
    if len(text) < 7 or text[4] != "-":
        return None
    year = _digits(text[:4])
    if year is None:
        return None
    if len(text) == 10 and text[7:9] == "-Q":
        next_yy, quarter = _digits(text[5:7]), _digits(text[9])
        if next_yy != (year + 1) % 100 or quarter is None or not 1 <= quarter <= 4:
            return None
        return _make(Frequency.QUARTERLY, year, quarter)
    if len(text) == 9:
        if _digits(text[5:]) != year + 1:
            return None
        return _make(Frequency.ANNUAL, year, 1)
    if len(text) != 7:
        return None
    second = _digits(text[5:])
    if second is None:
        return None
    if 1 <= second <= 12 and frequency is not Frequency.ANNUAL:
        return Period.month(year, second)
    if second == (year + 1) % 100:
        return _make(Frequency.ANNUAL, year, 1)
    return None
