"""Text written to CSV files that people open in spreadsheets.

A spreadsheet runs a cell as a formula when it starts with `=`, `+`, `-` or `@` (or a
tab or line break before one), and a formula can fetch web pages or, in older Excel,
start programs: `=cmd|' /C calc'!A0`. The published report CSV is public open data
built from what people typed (names, units, comments), so every cell of every CSV the
product writes goes through `formula_safe`, which puts an apostrophe in front of such
text, as OWASP advises. The simplest way to be sure is to write rows with
`safe_writer`, which passes every cell, header included, through the guard: a new
column cannot forget it.

Plain numbers ("-5", "3.28", "-3.5%") are left alone: a spreadsheet reads them as
numbers, never as formulas. A `|` inside a cell is left alone too: the DDE payloads
that use it run only from a cell that starts as a formula, which the guard catches.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

# A cell starting with one of these, after any spaces, is run as a formula by some
# spreadsheet (CSV injection); the full-width forms are read as formulas in East Asian
# locales of Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
# A cell starting with one of these is unsafe whatever follows: spreadsheets may strip
# them on import and run what comes next (OWASP lists tab and carriage return; ASVS NUL).
CONTROL_STARTS = ("\t", "\r", "\n", "\0")

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?%?")


def formula_safe(text: str) -> str:
    """The text with a leading apostrophe if a spreadsheet could run it as a formula
    (OWASP's advice for CSV files); a plain number such as "-3.5" is left alone."""
    if text.startswith(CONTROL_STARTS):
        return "'" + text
    if text.lstrip().startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeWriter:
    """A `csv.writer` whose every cell goes through `formula_safe` (None is an empty cell)."""

    def __init__(self, out: _Writable, **fmtparams: Any) -> None:
        fmtparams.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, cells: Iterable[object]) -> None:
        self._writer.writerow([formula_safe(_cell_text(cell)) for cell in cells])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(out: _Writable, **fmtparams: Any) -> SafeWriter:
    """The CSV writer to use for anything people may open in a spreadsheet (CRLF line
    ends by default, as RFC 4180 has them)."""
    return SafeWriter(out, **fmtparams)


def _cell_text(cell: object) -> str:
    return "" if cell is None else str(cell)
