"""The performance table for a terminal: boxed columns, wrapped cells, grouped by theme."""

from __future__ import annotations

import textwrap

from scrutineer.performance import Cell, PerformanceTable, TableRow

WIDTHS = (34, 22, 22, 22, 16, 34)


def _cell_lines(cell: Cell) -> list[str]:
    r = cell.result
    lines = [r.display]
    if r.fraction_display:
        lines.append(r.fraction_display)
    lines.append(r.target_display)
    return lines


def _status_lines(row: TableRow) -> list[str]:
    current = row.current
    return [
        f"{current.status_symbol} {current.result.status_label}",
        f"vs {row.previous.result.period.end_month_short_label}: {row.trend_previous_label}",
        f"vs {row.last_year.result.period.end_month_short_label}: {row.trend_last_year_label}",
    ]


def _wrap(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(line, width) or [""])
    return out


def _render_row(columns: list[list[str]]) -> list[str]:
    wrapped = [_wrap(col, w) for col, w in zip(columns, WIDTHS, strict=True)]
    height = max(len(c) for c in wrapped)
    return [
        "│ "
        + " │ ".join((c[i] if i < len(c) else "").ljust(w) for c, w in zip(wrapped, WIDTHS, strict=True))
        + " │"
        for i in range(height)
    ]


def render_text(table: PerformanceTable) -> str:
    total = sum(WIDTHS) + 3 * len(WIDTHS) + 1
    rule = "├" + "┼".join("─" * (w + 2) for w in WIDTHS) + "┤"
    out = [
        f"{table.committee} — {table.period.label}",
        "",
        "┌" + "┬".join("─" * (w + 2) for w in WIDTHS) + "┐",
        *_render_row(
            [
                ["Indicator"],
                [f"Results {table.period.end_month_label}"],
                [f"Previous {table.previous.end_month_short_label}"],
                [f"Last year {table.last_year.end_month_short_label}"],
                ["Status and trend"],
                ["Comments"],
            ]
        ),
    ]
    for group in table.groups:
        out.append(rule)
        out.append("│ " + group.theme[: total - 4].ljust(total - 4) + " │")
        for row in group.rows:
            out.append(rule)
            comment = row.current.comment or row.current.result.no_data_reason
            out.extend(
                _render_row(
                    [
                        [f"{row.code} - {row.name}"],
                        _cell_lines(row.current),
                        _cell_lines(row.previous),
                        _cell_lines(row.last_year),
                        _status_lines(row),
                        [comment],
                    ]
                )
            )
    out.append("└" + "┴".join("─" * (w + 2) for w in WIDTHS) + "┘")
    summary = table.summary
    out.append("")
    out.append(f"Summary: {summary.achieved_text}.")
    counts = ", ".join(f"{table.label(status)}: {n}" for status, n in summary.counts.items() if n)
    out.append(f"By status: {counts}.")
    if summary.missing:
        out.append(f"No data: {', '.join(summary.missing)}.")
    if summary.not_measured:
        out.append(f"Not measured: {', '.join(summary.not_measured)}.")
    return "\n".join(out) + "\n"
