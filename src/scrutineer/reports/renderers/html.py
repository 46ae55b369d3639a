"""The committee report as one standalone, accessible HTML page.

`render_html` draws a `ReportDocument` with GOV.UK Frontend's styles (vendored, in
Arial) and the report's own stylesheet, both inlined, so the file reads the same
from a web server, an email attachment or a shared drive. The PDF renderer prints
this same page with its print styles.

Nothing here numbers, words or judges: numbers, headings and statuses come from the
document tree; this module only chooses markup. Text always goes through Django's
autoescaping, so a body typed as "<script>" is shown, never run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from scrutineer.engine import Status, Trend
from scrutineer.performance import Cell, TableRow
from scrutineer.reports.document import (
    NOT_FOR_PUBLICATION,
    BulletList,
    CoverField,
    Item,
    KeyEntry,
    Paragraph,
    ReportDocument,
    RuleKey,
    Section,
    TableBlock,
    row_comment,
)

_PACKAGE = Path(__file__).resolve().parents[2]
GOVUK_CSS = _PACKAGE / "web/static/vendor/govuk-frontend/govuk-frontend-report.min.css"
REPORT_CSS = _PACKAGE / "reports/static/reports/report.css"

# GOV.UK tag colours, and Scrutineer's own for amber-green (scrutineer.css and
# report.css: #3b4a00 on #e8f2c4, 8.3:1): each pair of text and background passes WCAG
# AA, and every status also shows its word and symbol, so colour is never the only signal.
STATUS_TAG_CLASSES = {
    Status.GREEN: "govuk-tag--green",
    Status.AMBER_GREEN: "scrutineer-tag--amber-green",
    Status.AMBER: "govuk-tag--yellow",
    Status.AMBER_RED: "govuk-tag--orange",
    Status.RED: "govuk-tag--red",
    Status.INFO_ONLY: "govuk-tag--blue",
    Status.NO_DATA: "govuk-tag--grey",
    Status.NOT_MEASURED: "govuk-tag--purple",
}


@lru_cache(maxsize=4)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def stylesheets() -> str:
    """The CSS inlined into every report: GOV.UK Frontend's parts, then the report's own."""
    return f"{_read(GOVUK_CSS)}\n{_read(REPORT_CSS)}"


def page_title(doc: ReportDocument) -> str:
    """The `<title>`, which is also the PDF's title: report title, committee and period."""
    return f"{doc.title} – {doc.committee} – {doc.period.label}"


def render_html(doc: ReportDocument) -> str:
    """The report as a complete HTML5 document with its CSS inlined."""
    return render_to_string("reports/report.html", report_context(doc))


def report_context(doc: ReportDocument) -> dict[str, Any]:
    """The template context for `doc`: the tree turned into plain values for markup."""
    meeting = doc.meeting_text
    running_head = f"{doc.committee} – {doc.period.label}"
    if doc.exempt:  # beside the notice in the footer: both margins of every PDF page say it
        running_head = f"{NOT_FOR_PUBLICATION} (Part II) – {running_head}"
    sections = [_section(s, level=2) for s in doc.sections]
    appendices = [_section(s, level=2) for s in doc.appendices]
    return {
        "doc": doc,
        "title": page_title(doc),
        "running_head": running_head,
        "css": stylesheets(),
        "cover": [_cover_field(f) for f in doc.cover],
        "contents": [_contents_entry(s) for s in (*sections, *appendices)],
        "sections": sections,
        "appendices": appendices,
        "licence_url": doc.licence_url,
        "meeting": meeting,
        "description": (
            f"{doc.council}: {doc.committee}, meeting of {meeting}. "
            f"Performance report for {doc.period.long_label}."
        ),
    }


@dataclass(frozen=True, slots=True)
class _Heading:
    """A section's heading, with its number kept as part of the text ("3.1 The Old Town Hall")."""

    number: str
    text: str

    @property
    def separator(self) -> str:
        return " " if self.number else ""


def _anchor(section: Section) -> str:
    if section.anchor:
        return section.anchor
    slug = "".join(c if c.isalnum() else "-" for c in (section.number or section.heading).lower())
    return f"section-{slug.strip('-')}"


def _section(section: Section, level: int) -> dict[str, Any]:
    blocks = [_block(b, level) for b in section.blocks]
    return {
        "heading": _Heading(section.number_label, section.heading),
        "anchor": _anchor(section),
        "level": min(level, 6),
        "heading_class": "govuk-heading-l" if level <= 2 else "govuk-heading-m",
        "blocks": blocks,
        # An appendix that is only the table: its heading goes on the table's landscape page.
        "table_first": bool(blocks) and blocks[0]["kind"] == "table",
        "children": [_contents_entry(b["section"]) for b in blocks if b["kind"] == "section"],
    }


def _contents_entry(section: dict[str, Any]) -> dict[str, Any]:
    return {"heading": section["heading"], "anchor": section["anchor"], "children": section["children"]}


def _block(block: Paragraph | BulletList | Item | TableBlock | Section, level: int) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "number": block.number, "text": block.text}
    if isinstance(block, BulletList):
        return {"kind": "bullets", "items": block.items}
    if isinstance(block, Item):
        return _item(block)
    if isinstance(block, TableBlock):
        return {"kind": "table", "table": _table(block, level + 1)}
    return {"kind": "section", "section": _section(block, level + 1)}


def _item(item: Item) -> dict[str, Any]:
    """A numbered item: its number leads its first paragraph, as in the printed reports."""
    blocks = list(item.blocks)
    lead = ""
    if blocks and isinstance(blocks[0], Paragraph):
        lead = blocks.pop(0).text
    return {
        "kind": "item",
        "number": item.number,
        "anchor": "item-" + item.number.replace(".", "-"),
        "lead": lead,
        "blocks": [_block(b, 0) for b in blocks],
    }


def _cover_field(field: CoverField) -> dict[str, Any]:
    return {"label": field.label, "sublabel": field.sublabel, "lines": field.lines, "empty": field.empty}


# The performance table ---------------------------------------------------------------


def _status(cell: Cell) -> dict[str, str]:
    """The status in the words of the rule that judged it."""
    status = cell.result.status
    return {
        "label": cell.result.status_label,
        "symbol": cell.status_symbol,
        "tag_class": STATUS_TAG_CLASSES[status],
    }


def _trend(trend: Trend, label: str, against: str) -> dict[str, str]:
    return {"label": label, "symbol": trend.symbol, "against": against, "value": trend.value}


def _cell(cell: Cell) -> dict[str, str]:
    r = cell.result
    return {
        "display": r.display,
        "fraction": r.fraction_display,
        "target": r.target_display,
        "reason": r.no_data_reason if r.value is None else "",
        "status": r.status.value,
    }


def _row(row: TableRow, block: TableBlock) -> dict[str, Any]:
    comment = row_comment(row)  # "" when it only repeats the reason in the figure's cell
    return {
        "code": row.code,
        "header": f"{row.code} - {row.name}",
        "service": row.service,
        "cells": [_cell(cell) for cell in block.cells(row)],
        "status": _status(row.current),
        "trends": [
            _trend(row.trend_previous, row.trend_previous_label, block.label(row.previous.result.period)),
            _trend(row.trend_last_year, row.trend_last_year_label, block.label(row.last_year.result.period)),
        ],
        "comment": comment,
        "comment_label": block.layout.comment_label.strip() if comment else "",
    }


def _key_entry(entry: KeyEntry, tag_classes: dict[str, str]) -> dict[str, str]:
    # The key's descriptions start with the label ("Green: the target was met.");
    # the label is shown beside them, so it is not repeated.
    prefix = f"{entry.label}: "
    text = entry.description[len(prefix) :] if entry.description.startswith(prefix) else entry.description
    return {
        "symbol": entry.symbol,
        "label": entry.label,
        "text": text,
        "tag_class": tag_classes.get(entry.value, ""),
    }


def _rule_key(key: RuleKey) -> dict[str, Any]:
    status_tags = {s.value: STATUS_TAG_CLASSES[s] for s in Status}
    return {
        "heading": key.heading,
        "statuses": [_key_entry(e, status_tags) for e in key.statuses],
        "trends": [_key_entry(e, {}) for e in key.trends],
        "note": key.note,
    }


def _table(block: TableBlock, level: int) -> dict[str, Any]:
    table = block.table
    anchor = f"table-{table.committee_slug}-{table.period.key}"
    layout = block.layout
    return {
        "anchor": anchor,
        "caption": block.caption,
        "columns": [column.heading for column in block.columns],
        "show_trend": layout.show_trend,
        "show_comments": layout.show_comments,
        "explains_trends": block.explains_trends,
        "colspan": len(block.headers),
        "groups": [{"theme": g.theme, "rows": [_row(r, block) for r in g.rows]} for g in table.groups],
        "summary": block.summary,
        "key_level": min(level, 6),
        "key_sublevel": min(level + 1, 6),
        "keys": [_rule_key(key) for key in block.keys],
    }
