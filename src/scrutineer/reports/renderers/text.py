"""The performance table for a terminal: boxed columns, wrapped cells, grouped as the
committee's layout groups it, with the columns it shows and its period labels."""

from __future__ import annotations

import textwrap

from scrutineer.performance import Cell, TableRow
from scrutineer.reports.document import TableBlock

INDICATOR, PERIOD, STATUS, COMMENTS = 34, 22, 22, 34


def _cell_lines(cell: Cell) -> list[str]:
    r = cell.result
    lines = [r.display]
    if r.fraction_display:
        lines.append(r.fraction_display)
    lines.append(r.target_display)
    if r.no_data_reason and r.value is None:
        lines.append(r.no_data_reason)
    return lines


def _status_lines(row: TableRow, block: TableBlock) -> list[str]:
    current = row.current
    lines = [f"{current.status_symbol} {current.result.status_label}"]
    if block.layout.show_trend:
        lines += [
            f"vs {block.label(row.previous.result.period)}: {row.trend_previous_label}",
            f"vs {block.label(row.last_year.result.period)}: {row.trend_last_year_label}",
        ]
    return lines


def _wrap(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        out.extend(textwrap.wrap(line, width) or [""])
    return out


def _render_row(columns: list[list[str]], widths: tuple[int, ...]) -> list[str]:
    wrapped = [_wrap(col, w) for col, w in zip(columns, widths, strict=True)]
    height = max(len(c) for c in wrapped)
    return [
        "│ "
        + " │ ".join((c[i] if i < len(c) else "").ljust(w) for c, w in zip(wrapped, widths, strict=True))
        + " │"
        for i in range(height)
    ]


def render_text(block: TableBlock) -> str:
    """The table of `block` as boxed text: every period named the same way ("Jun-2020" and
    "Mar-2020", or "Q1 2020/21" and "Q4 2019/20")."""
    table = block.table
    layout = block.layout
    show_comments = layout.show_comments
    widths = (
        INDICATOR,
        *(PERIOD for _ in block.columns),
        STATUS,
        *((COMMENTS,) if show_comments else ()),
    )
    total = sum(widths) + 3 * len(widths) + 1
    rule = "├" + "┼".join("─" * (w + 2) for w in widths) + "┤"
    status_heading = "Status and trend" if layout.show_trend else "Status"
    out = [
        f"{table.committee} — {block.label(table.period)}",
        "",
        "┌" + "┬".join("─" * (w + 2) for w in widths) + "┐",
        *_render_row(
            [
                ["Indicator"],
                *([column.heading] for column in block.columns),
                [status_heading],
                *([["Comments"]] if show_comments else []),
            ],
            widths,
        ),
    ]
    for group in table.groups:
        out.append(rule)
        out.append("│ " + group.theme[: total - 4].ljust(total - 4) + " │")
        for row in group.rows:
            out.append(rule)
            out.extend(
                _render_row(
                    [
                        [f"{row.code} - {row.name}"],
                        *(_cell_lines(cell) for cell in block.cells(row)),
                        _status_lines(row, block),
                        *([[block.comment(row)]] if show_comments else []),
                    ],
                    widths,
                )
            )
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    out.append("")
    out.append(f"Summary: {block.summary}")
    return "\n".join(out) + "\n"
