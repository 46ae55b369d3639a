"""Reading and writing the workbook as XLSX, a folder (or zip) of CSV files, or JSON.

Anything uploaded is untrusted, so reading is strict and bounded:

- sizes are limited before anything is parsed (`SCRUTINEER_IMPORT_MAX_BYTES` for the file,
  ten times that for what a zip holds once unpacked), so a zip bomb is refused unopened;
- XLSX is read with the standard library's expat parser, with DTDs refused, so no entity
  can expand (the "billion laughs" XML bomb) or fetch anything; no formula is ever
  evaluated: a formula cell is refused, naming the cell, as is an error cell (#DIV/0!);
- a hidden row or column, a hidden sheet, or merged cells that hold data are refused:
  what is imported must be what the person saw;
- an unknown sheet or column is refused rather than skipped, so a typo in a header
  never loses a column of figures silently.

XLSX is read by this module rather than openpyxl's reader because it must see hidden
rows, merged cells and formulas on the same pass as the values, and read 100,000 rows in
a couple of seconds (bench/exchange_bench.py); it is written with openpyxl.

Problems name the sheet, the row as the file numbers it (the header is row 1; in JSON,
the item's position in its list) and the column.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any
from xml.parsers import expat

from django.conf import settings

from scrutineer.exchange.cells import escape, figure_text, looks_like_formula, normalised, unescape
from scrutineer.exchange.layout import ABOUT_SHEET, BY_NAME, SHEETS

FORMATS = ("xlsx", "csv", "json")
JSON_MARK = "scrutineer-workbook"
MAX_PROBLEMS = 500
"""At most this many problems are listed; a file with more is far from importable."""
CELL_LIMIT = 32_767
"""Characters in a cell: Excel's own limit."""


def max_bytes() -> int:
    return int(getattr(settings, "SCRUTINEER_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a file that stops it being imported, with what to do about it."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet or "the file"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(slots=True)
class Row:
    number: int
    cells: dict[str, Any]


@dataclass(slots=True)
class SheetData:
    name: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Workbook:
    """What a file holds, sheet by sheet, and what stops it being imported."""

    format: str
    sheets: dict[str, SheetData] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(sheet, row, column, message))

    def rows(self, name: str) -> list[Row]:
        found = self.sheets.get(name)
        return found.rows if found is not None else []

    def has_column(self, sheet: str, column: str) -> bool:
        found = self.sheets.get(sheet)
        return found is not None and column in found.columns


class FileRefused(Exception):
    """The file cannot be read at all (too large, not a workbook); the message says why."""


# Reading


def read_file(name: str, data: bytes) -> Workbook:
    """The workbook in an uploaded file: .xlsx, .json, a .csv named after its sheet
    (values.csv), or a .zip of such CSV files."""
    if len(data) > max_bytes():
        raise FileRefused(
            f"{name} is {len(data) // (1024 * 1024)} MB; files up to {max_bytes() // (1024 * 1024)} MB "
            "can be imported. Split it (the values sheet by year, say) and import each part."
        )
    suffix = PurePosixPath(name.lower()).suffix
    if data[:4] == b"PK\x03\x04":
        with _open_zip(name, data) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" in names:
                return _read_xlsx(archive)
            files = {n: n for n in names if n.lower().endswith(".csv") and not n.endswith("/")}
            if not files:
                raise FileRefused(f"{name} holds no CSV files and is not an XLSX workbook.")
            return read_csv_files({PurePosixPath(n).name: archive.read(n) for n in files})
    if suffix == ".json":
        return read_json(data)
    if suffix == ".csv":
        return read_csv_files({PurePosixPath(name).name: data})
    raise FileRefused(
        f"{name} is not a workbook Scrutineer reads: upload an .xlsx file, a .csv file named after "
        "its sheet (values.csv), a .zip of CSV files or a .json export."
    )


def read_path(path: Path) -> Workbook:
    """The workbook at `path`: a file, or a folder of CSV files named after their sheets."""
    if path.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.suffix.lower() == ".csv"}
        if not files:
            raise FileRefused(f"{path} holds no CSV files named after their sheets (values.csv, …).")
        if sum(len(b) for b in files.values()) > max_bytes():
            raise FileRefused(f"The CSV files in {path} are larger than the import limit.")
        return read_csv_files(files)
    return read_file(path.name, path.read_bytes())


def _open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileRefused(f"{name} is damaged: it is not a complete XLSX or zip file.") from None
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > 10 * max_bytes():
        raise FileRefused(
            f"{name} unpacks to {unpacked // (1024 * 1024)} MB, more than Scrutineer reads at once; "
            "split it into smaller files."
        )
    return archive


def _header_name(text: object) -> str:
    return "_".join(str(text or "").strip().lower().replace("-", " ").split())


def _take_header(book: Workbook, sheet: str, header: list[Any]) -> list[str] | None:
    """The header's column names, or None when the sheet cannot be read (problems added)."""
    layout = BY_NAME[sheet]
    names = [_header_name(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    ok = True
    for position, name in enumerate(names, start=1):
        if not name:
            book.problem(sheet, 1, f"{position}", "a column has no name; name it or delete the column.")
            ok = False
        elif name not in layout.column_names:
            book.problem(
                sheet,
                1,
                name,
                f"unknown column; the columns of {sheet} are {', '.join(layout.column_names)}. "
                "Rename it or delete it.",
            )
            ok = False
        elif name in seen:
            book.problem(sheet, 1, name, "this column appears twice; keep one.")
            ok = False
        seen.add(name)
    return names if ok else None


def _add_sheet(book: Workbook, sheet: str, rows: Iterable[tuple[int, list[Any]]]) -> None:
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    _, header = first
    columns = _take_header(book, sheet, header)
    if columns is None:
        return
    data = SheetData(sheet, columns)
    width = len(columns)
    for number, cells in iterator:
        if not any(c is not None and c != "" for c in cells):
            continue
        if len(cells) > width and any(c is not None and c != "" for c in cells[width:]):
            book.problem(
                sheet,
                number,
                None,
                "this row has cells beyond the last named column; give the column a name or clear them.",
            )
        data.rows.append(Row(number, dict(zip(columns, cells, strict=False))))
    missing = [c.name for c in BY_NAME[sheet].columns if c.required and c.name not in columns]
    if missing and data.rows:
        book.problem(
            sheet,
            1,
            None,
            f"the sheet needs the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}.",
        )
    book.sheets[sheet] = data


def _sheet_name(book: Workbook, name: str, where: str) -> str | None:
    sheet = _header_name(PurePosixPath(name).stem if where == "file" else name)
    if sheet in BY_NAME:
        return sheet
    if sheet != ABOUT_SHEET:
        book.problem(
            name,
            None,
            None,
            f"Scrutineer has no sheet called {name!r}; name each {where} after its sheet: "
            f"{', '.join(s.name for s in SHEETS)}.",
        )
    return None


# CSV


def decode(data: bytes) -> str:
    """A text file as Scrutineer reads it: UTF-8 (with or without its mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows (not "CSV UTF-8"): its £ and ’ are Windows-1252.
        return data.decode("cp1252", errors="replace")


def read_csv_files(files: Mapping[str, bytes]) -> Workbook:
    book = Workbook("csv")
    for name, data in files.items():
        sheet = _sheet_name(book, name, "file")
        if sheet is None:
            continue
        if sheet in book.sheets:
            book.problem(sheet, None, None, "two files hold this sheet; keep one.")
            continue
        try:
            numbered = list(_numbered(decode(data)))
        except csv.Error as error:
            book.problem(sheet, None, None, f"the file is not valid CSV ({error}); save it again as CSV.")
            continue
        names = [_header_name(c) for c in numbered[0][1]] if numbered else []
        rows = [(number, _csv_cells(book, sheet, number, cells, names)) for number, cells in numbered]
        _add_sheet(book, sheet, rows)
    return book


def _numbered(text: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        yield reader.line_num, cells


def _csv_cells(book: Workbook, sheet: str, number: int, cells: list[str], names: list[str]) -> list[Any]:
    if number == 1:
        return list(cells)
    read: list[Any] = []
    for position, text in enumerate(cells):
        if looks_like_formula(text):
            column = _column_at(names, position)
            book.problem(
                sheet,
                number,
                column,
                f'"{text[:40]}" would run as a formula in a spreadsheet, and Scrutineer never runs '
                "formulas: type the figure itself, or start text with an apostrophe (').",
            )
            read.append(None)
        elif len(text) > CELL_LIMIT:
            book.problem(
                sheet,
                number,
                _column_at(names, position),
                f"the cell holds more than {CELL_LIMIT} characters.",
            )
            read.append(None)
        else:
            read.append(unescape(text) if text else None)
    return read


def _column_at(names: list[str], position: int) -> str:
    return names[position] if position < len(names) and names[position] else str(position + 1)


# JSON


def read_json(data: bytes) -> Workbook:
    book = Workbook("json")
    try:
        document = json.loads(decode(data), parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise FileRefused(
            f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("sheets"), dict):
        raise FileRefused(
            'The JSON is not a Scrutineer workbook: it needs {"format": "scrutineer-workbook", '
            '"sheets": {"indicators": [...], ...}}, as `scrutineer export --format json` writes.'
        )
    for name, items in document["sheets"].items():
        sheet = _sheet_name(book, str(name), "list")
        if sheet is None:
            continue
        if not isinstance(items, list):
            book.problem(sheet, None, None, "the sheet must be a list of objects, one per row.")
            continue
        columns: list[str] = []
        for item in items:
            if isinstance(item, dict):
                columns.extend(_header_name(k) for k in item if _header_name(k) not in columns)
        header = _take_header(book, sheet, list(columns))
        if header is None:
            continue
        sheet_data = SheetData(sheet, header)
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                book.problem(sheet, number, None, "each row must be an object of column: value.")
                continue
            cells = {
                _header_name(k): _json_cell(book, sheet, number, _header_name(k), v) for k, v in item.items()
            }
            if any(v is not None and v != "" for v in cells.values()):
                sheet_data.rows.append(Row(number, cells))
        missing = [c.name for c in BY_NAME[sheet].columns if c.required and c.name not in header]
        if missing and sheet_data.rows:
            book.problem(sheet, None, None, f"the rows need {', '.join(missing)}.")
        book.sheets[sheet] = sheet_data
    return book


def _json_cell(book: Workbook, sheet: str, number: int, column: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | str | Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    book.problem(sheet, number, column, "give text, a number, true or false, or null.")
    return None


# XLSX: a bounded, formula-refusing reader (see the module docstring)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_FIFTEEN = Context(prec=15)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _expat(handlers: Mapping[str, Callable[..., None]]) -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse(*_: Any) -> None:
        raise FileRefused("The workbook holds a DTD or entity declaration, which Scrutineer never reads.")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    for name, handler in handlers.items():
        setattr(parser, name, handler)
    return parser


def _parse_part(archive: zipfile.ZipFile, name: str, handlers: Mapping[str, Callable[..., None]]) -> None:
    parser = _expat(handlers)
    try:
        with archive.open(name) as stream:
            parser.ParseFile(stream)
    except expat.ExpatError as error:
        raise FileRefused(
            f"The workbook is damaged ({name}: {error}); open it in Excel and save it again."
        ) from None


def _ooxml_text(text: str) -> str:
    return _XLSX_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    strings: list[str] = []
    if "xl/sharedStrings.xml" not in archive.namelist():
        return strings
    parts: list[str] = []
    state = {"t": False, "phonetic": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        name = _local(name)
        if name == "si":
            parts.clear()
        elif name == "t" and not state["phonetic"]:
            state["t"] = True
        elif name == "rPh":
            state["phonetic"] += 1

    def end(name: str) -> None:
        name = _local(name)
        if name == "si":
            strings.append(_ooxml_text("".join(parts)))
        elif name == "t":
            state["t"] = False
        elif name == "rPh":
            state["phonetic"] -= 1

    def chars(text: str) -> None:
        if state["t"]:
            parts.append(text)

    _parse_part(
        archive,
        "xl/sharedStrings.xml",
        {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": chars},
    )
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """The style indexes whose number format shows a date."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if "xl/styles.xml" not in archive.namelist():
        return set()
    formats: dict[int, str] = dict(BUILTIN_FORMATS)
    xfs: list[int] = []
    state = {"cellXfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        name = _local(name)
        if name == "numFmt":
            with contextlib.suppress(ValueError):
                formats[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            state["cellXfs"] = True
        elif name == "xf" and state["cellXfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            state["cellXfs"] = False

    _parse_part(archive, "xl/styles.xml", {"StartElementHandler": start, "EndElementHandler": end})
    return {index for index, fmt in enumerate(xfs) if is_date_format(formats.get(fmt, ""))}


def _workbook_sheets(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str, bool]], bool]:
    """(name, part, hidden) per sheet in order, and whether dates count from 1904."""
    targets: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist():

        def rel(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[attrs.get("Id", "")] = str(PurePosixPath(path))

        _parse_part(archive, rels, {"StartElementHandler": rel})
    sheets: list[tuple[str, str, bool]] = []
    epoch = {"1904": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append(
                (attrs.get("name", ""), targets.get(rid, ""), attrs.get("state", "visible") != "visible")
            )
        elif local == "workbookPr":
            epoch["1904"] = attrs.get("date1904", "0") in ("1", "true")

    _parse_part(archive, "xl/workbook.xml", {"StartElementHandler": start})
    return sheets, epoch["1904"]


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(slots=True)
class _SheetRead:
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)


def _read_sheet(
    archive: zipfile.ZipFile, part: str, strings: list[str], dates: set[int], epoch: Any
) -> _SheetRead:
    from openpyxl.utils.datetime import from_excel

    read = _SheetRead()
    row: list[Any] = []
    number = 0
    cell: dict[str, Any] = {}
    text: list[str] = []
    state = {"in_text": False, "in_formula": False, "in_data": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row, number, cell
        name = _local(name) if ":" in name else name
        if name == "c":
            reference = attrs.get("r")
            column = _column_index(reference) if reference else len(row)
            cell = {"col": column, "t": attrs.get("t", "n"), "s": attrs.get("s"), "v": None, "f": None}
        elif name == "v" or (name == "t" and cell):
            state["in_text"] = True
            text.clear()
        elif name == "f":
            cell["f"] = ""
            state["in_formula"] = True
            text.clear()
        elif name == "row":
            reference = attrs.get("r")
            number = int(reference) if reference and reference.isdigit() else number + 1
            row = []
            if attrs.get("hidden") in ("1", "true"):
                read.hidden_rows.add(number)
        elif name == "col" and attrs.get("hidden") in ("1", "true"):
            with contextlib.suppress(KeyError, ValueError):
                read.hidden_columns.append((int(attrs["min"]) - 1, int(attrs["max"]) - 1))
        elif name == "mergeCell":
            read.merged.append(attrs.get("ref", ""))

    def end(name: str) -> None:
        nonlocal cell
        name = _local(name) if ":" in name else name
        if name == "v" or (name == "t" and cell and state["in_text"]):
            state["in_text"] = False
            cell["v"] = (cell["v"] or "") + "".join(text) if name == "t" else "".join(text)
        elif name == "f":
            state["in_formula"] = False
            cell["f"] = "".join(text)
        elif name == "c":
            column = cell["col"]
            while len(row) < column:
                row.append(None)
            row.append(_cell_value(cell, number, read, strings, dates, epoch, from_excel))
            cell = {}
        elif name == "row":
            read.rows.append((number, row))

    def chars(data: str) -> None:
        if state["in_text"] or state["in_formula"]:
            text.append(data)

    _parse_part(
        archive, part, {"StartElementHandler": start, "EndElementHandler": end, "CharacterDataHandler": chars}
    )
    return read


def _cell_value(
    cell: dict[str, Any],
    number: int,
    read: _SheetRead,
    strings: list[str],
    dates: set[int],
    epoch: Any,
    from_excel: Callable[..., Any],
) -> Any:
    kind, value = cell["t"], cell["v"]
    if cell["f"] is not None:
        read.formulas.append((number, cell["col"], cell["f"] or "(a shared formula)"))
        return None
    if value is None:
        return None
    if kind == "s":
        try:
            return strings[int(value)]
        except (ValueError, IndexError):
            return None
    if kind in ("str", "inlineStr"):
        return _ooxml_text(value)
    if kind == "b":
        return value in ("1", "true")
    if kind == "e":
        read.errors.append((number, cell["col"], value))
        return None
    try:
        figure = Decimal(value)
    except InvalidOperation:
        return value
    if cell["s"] is not None and cell["s"].isdigit() and int(cell["s"]) in dates:
        try:
            return from_excel(float(figure), epoch)
        except (ValueError, OverflowError):
            return value
    # A spreadsheet keeps a binary double, shown to 15 significant digits.
    return normalised(_FIFTEEN.plus(figure)) if figure.is_finite() else value


def _read_xlsx(archive: zipfile.ZipFile) -> Workbook:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    book = Workbook("xlsx")
    sheets, is_1904 = _workbook_sheets(archive)
    strings = _shared_strings(archive)
    dates = _date_styles(archive)
    epoch = CALENDAR_MAC_1904 if is_1904 else CALENDAR_WINDOWS_1900
    for title, part, hidden in sheets:
        if part not in archive.namelist():
            continue
        read = _read_sheet(archive, part, strings, dates, epoch)
        has_data = (
            any(any(c is not None and c != "" for c in cells) for _, cells in read.rows) or read.formulas
        )
        if not has_data:
            continue
        sheet = _sheet_name(book, title, "sheet")
        if sheet is None:
            continue
        if hidden:
            book.problem(
                sheet, None, None, "the sheet is hidden; unhide it so what is imported is what you see."
            )
            continue
        if sheet in book.sheets:
            book.problem(sheet, None, None, "two sheets have this name; keep one.")
            continue
        _add_sheet(book, sheet, read.rows)
        columns = book.sheets[sheet].columns if sheet in book.sheets else []

        def name(column: int, columns: list[str] = columns) -> str:
            letter = _column_letters(column)
            return f"{columns[column]} ({letter})" if column < len(columns) else letter

        for number, column, formula in read.formulas:
            book.problem(
                sheet,
                number,
                name(column),
                f"the cell is a formula (={formula[:40]}); Scrutineer never runs formulas. Paste the "
                "value instead (Paste Special, Values).",
            )
        for number, column, shown in read.errors:
            book.problem(
                sheet, number, name(column), f"the cell shows an error ({shown}); type the figure itself."
            )
        for number, cells in read.rows:
            if number in read.hidden_rows and any(c is not None and c != "" for c in cells):
                book.problem(
                    sheet,
                    number,
                    None,
                    "the row is hidden; unhide it (or delete it) so what is imported is what you see.",
                )
        for first, last in read.hidden_columns:
            for _, cells in read.rows:
                if any(c is not None and c != "" for c in cells[first : last + 1]):
                    book.problem(
                        sheet,
                        None,
                        name(first),
                        "the column is hidden and holds data; unhide it (or delete it) so what is imported is what you see.",
                    )
                    break
        for reference in read.merged:
            book.problem(
                sheet,
                _first_row(reference),
                reference,
                "these cells are merged, so only the first holds a value and the others would read as "
                "blank; unmerge them and fill in each cell.",
            )
    return book


def _first_row(reference: str) -> int | None:
    digits = re.search(r"\d+", reference)
    return int(digits.group(0)) if digits else None


# Writing

Cell = str | Decimal | int | bool | None


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet's rows to write, in the layout's column order."""

    sheet: str
    rows: list[list[Cell]]


def _text_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | int):
        return figure_text(value)
    return escape(value)


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(BY_NAME[table.sheet].column_names)
    for row in table.rows:
        writer.writerow([_text_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def csv_files(tables: Iterable[Table]) -> dict[str, bytes]:
    """One CSV file per sheet, named after it (values.csv), UTF-8 with CRLF line ends."""
    return {f"{table.sheet}.csv": csv_bytes(table) for table in tables}


def zip_of(files: Mapping[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


def xlsx_bytes(tables: Iterable[Table], *, about: bool = True) -> bytes:
    from openpyxl import Workbook as XlsxWorkbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = XlsxWorkbook(write_only=True)
    bold = Font(bold=True)
    if about:
        sheet = book.create_sheet(ABOUT_SHEET)
        for line in about_rows():
            sheet.append([escape(str(c)) for c in line])
    for table in tables:
        sheet = book.create_sheet(table.sheet)
        header = []
        for name in BY_NAME[table.sheet].column_names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value: Cell) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        number = normalised(value)
        return int(number) if number == number.to_integral_value() else number
    return escape(value)


def about_rows() -> list[list[str]]:
    """The XLSX's "about" sheet: every sheet and column and what it means."""
    rows = [
        [
            "Scrutineer workbook: one sheet per kind of record; import it with `scrutineer import` or the import page."
        ],
        ["sheet", "column", "required", "kind", "what it holds"],
    ]
    for sheet in SHEETS:
        rows.append([sheet.name, "", "", "", sheet.help])
        for column in sheet.columns:
            rows.append(
                [sheet.name, column.name, "yes" if column.required else "", column.kind.value, column.help]
            )
    return rows


def json_bytes(tables: Iterable[Table]) -> bytes:
    sheets = {}
    for table in tables:
        names = BY_NAME[table.sheet].column_names
        sheets[table.sheet] = [
            {name: _json_value(value) for name, value in zip(names, row, strict=True)} for row in table.rows
        ]
    document = {"format": JSON_MARK, "version": 1, "sheets": sheets}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json_value(value: Cell) -> Any:
    if isinstance(value, Decimal):
        number = normalised(value)
        # Up to 15 significant digits (decision 0011), a float's shortest form is exact.
        return int(number) if number == number.to_integral_value() else float(number)
    return value


def cell_as_text(value: Any) -> str:
    """A read cell as plain text (for text columns given a number or a date)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return figure_text(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
