"""The performance table as open data: one CSV row per indicator per period shown.

The file opens with a few metadata lines starting "# " (what it is, the period, the
council, the meeting, the key to the statuses and trends in the words of the status
rules that judged them, and the licence; for a Part II report, first its "NOT FOR
PUBLICATION" notice and reason, and no licence), then a header row and the rows in long format:
each indicator three times, for this period, the previous period and the same period
last year. Figures are plain numbers rounded to the indicator's decimal places, exactly
as the report shows them (`data.number`); field names follow the JSON rows of
`data.py`. Nothing here judges: statuses and trends come from the engine.

Every cell, the header's too, is written through `spreadsheets.safe_writer`, so text a
spreadsheet would run as a formula (a unit such as `+cmd|' /C calc'!A0` in `display`)
gets a leading apostrophe; the metadata lines get the same guard for each piece a
spreadsheet would split them into at their commas.

The module is `csvfile`, not `csv`, so it never shadows the standard library.
"""

from __future__ import annotations

import io
from decimal import Decimal

from scrutineer.performance import Cell, TableRow
from scrutineer.reports.document import ReportDocument, TableBlock
from scrutineer.reports.renderers.data import cell_data
from scrutineer.spreadsheets import formula_safe, safe_writer

COLUMNS = (
    "code",
    "name",
    "theme",
    "service",
    "unit",
    "column",
    "period",
    "period_label",
    "value",
    "numerator",
    "denominator",
    "target",
    "status",
    "status_label",
    "display",
    "fraction",
    "target_display",
    "no_data_reason",
    "trend_previous",
    "trend_last_year",
    "comment",
)


def render_csv(doc: ReportDocument) -> str:
    """The report's performance table as CSV text (CRLF line ends, as RFC 4180 has them),
    with the periods, trends and comments the committee's layout shows, rows in its order."""
    out = io.StringIO(newline="")
    for line in metadata_lines(doc):
        out.write(f"# {line}\r\n")
    writer = safe_writer(out)
    block = doc.table_block
    columns = COLUMNS if block is None else columns_for(block)
    writer.writerow(columns)
    if block is not None:
        for row in block.table.rows():
            for column, cell in zip(block.columns, block.cells(row), strict=True):
                values = csv_row(row, column.name, cell)
                writer.writerow(
                    [value for name, value in zip(COLUMNS, values, strict=True) if name in columns]
                )
    return out.getvalue()


def columns_for(block: TableBlock) -> tuple[str, ...]:
    """The header: every field, less the trends and comment when the layout leaves them out."""
    left_out = set()
    if not block.layout.show_trend:
        left_out |= {"trend_previous", "trend_last_year"}
    if not block.layout.show_comments:
        left_out.add("comment")
    return tuple(name for name in COLUMNS if name not in left_out)


def metadata_lines(doc: ReportDocument) -> list[str]:
    """The "# " lines above the header: each is one line of plain text, never quoted."""
    period = doc.period
    licence = doc.licence
    if doc.licence_url:
        licence = f"{licence} {doc.licence_url}"
    meeting = ""
    if doc.meeting_date is not None:
        meeting = f", meeting of {doc.meeting_text}"
    # A Part II file says so first, and claims no open licence: it is not open data.
    exempt = [doc.exempt_notice, f"Reason for exemption: {doc.part_two_reason or 'not stated'}"]
    lines = [
        *(exempt if doc.exempt else []),
        f"{doc.committee} performance {period.label}",
        f"Period: {period.key} ({period.label})",
        *([f"Council: {doc.council}"] if doc.council else []),
        f"Committee: {doc.committee}{meeting}",
        f"Report: {doc.title} ({'draft' if doc.version == 0 else f'version {doc.version}'})",
        *(f"Restated: {text}" for text in doc.restatements),
        *key_lines(doc),
        *([] if doc.exempt or not licence else [f"Licence: {licence}"]),
    ]
    return [_one_line(line) for line in lines]


def key_lines(doc: ReportDocument) -> list[str]:
    """The key, as the report prints it: each status rule, its statuses and trends."""
    block = doc.table_block
    lines: list[str] = []
    if block is None:
        return lines
    for key in block.keys:
        lines.append(f"{key.heading}. {key.note}")
        lines.extend(f"Status {entry.symbol} {entry.description}" for entry in key.statuses)
        if block.explains_trends:
            lines.extend(f"Trend {entry.symbol} {entry.description}" for entry in key.trends)
    return lines


def csv_row(row: TableRow, column: str, cell: Cell) -> list[str]:
    # The same fields as the JSON rows (renderers.data), flattened one period a line.
    data = cell_data(cell, row.decimal_places)
    current = column == "current"
    values: dict[str, object] = {
        "code": row.code,
        "name": row.name,
        "theme": row.theme,
        "service": row.service,
        "unit": row.unit,
        "column": column,
        **data,
        "period_label": cell.result.period.label,
        "trend_previous": row.trend_previous.value if current else "",
        "trend_last_year": row.trend_last_year.value if current else "",
    }
    return [_text(values[key]) for key in COLUMNS]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # repr is the shortest exact form; Decimal's "f" format never uses an exponent.
        return format(Decimal(repr(value)), "f")
    return str(value)


def _one_line(text: str) -> str:
    """Metadata must stay one line, never open a quoted CSV field, and never start a
    formula in the cells a spreadsheet splits it into at its commas."""
    line = " ".join(text.split()).replace('"', "'")
    return ",".join(formula_safe(piece) for piece in line.split(","))
