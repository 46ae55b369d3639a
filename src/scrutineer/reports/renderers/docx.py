"""The committee report as an editable Word document, for officers to finish before it
goes into the committee system.

Everything an officer might want to change stays editable text in Word's own
structures: headings are Word heading styles (so the navigation pane and a table of
contents work), paragraph numbers are typed text ("3.2.2", then a tab to the hanging
indent) so numbering survives copying into any committee system, bullets use the
"List Bullet" style, and the performance table is a real table whose header row
repeats on every page. Nothing here numbers, words or judges: the document tree
(`scrutineer.reports.document`) and the engine already did.

Accessibility: every status is a symbol and a word as well as a cell colour, trends are
words, the table has a caption and a description for screen readers, and the document
declares its language (en-GB) and title.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.section import Section as WordSection
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from scrutineer.engine import Status
from scrutineer.performance import Cell, TableRow
from scrutineer.reports.document import (
    Block,
    BulletList,
    CoverField,
    Item,
    Paragraph,
    ReportDocument,
    Section,
    TableBlock,
)
from scrutineer.reports.renderers import wordxml

FONT = "Arial"  # Word has it; LibreOffice on Debian maps it to the metric-compatible Liberation Sans.
TEXT = RGBColor(0x0B, 0x0C, 0x0C)
ACCENT = RGBColor(0x1F, 0x38, 0x64)
HEADER_FILL = "1F3864"  # white bold text on it: contrast 12:1
THEME_FILL = "D9E2F3"
LABEL_FILL = "F2F2F2"

# Status fills are a second signal only: the symbol and word are always in the cell.
# Black text on each has a contrast ratio above 12:1.
STATUS_FILL = {
    Status.GREEN: "C6EFCE",
    Status.AMBER_GREEN: "E2EFC4",
    Status.AMBER: "FFEB9C",
    Status.AMBER_RED: "F8CBAD",
    Status.RED: "FFC7CE",
    Status.INFO_ONLY: "DDEBF7",
    Status.NO_DATA: "EDEDED",
    Status.NOT_MEASURED: "EDEDED",
}

NUMBER_INDENT = Cm(1.27)  # where the text of "3.1.1<tab>text" starts
BULLET_HANG = Cm(0.63)

PORTRAIT = "portrait"
LANDSCAPE = "landscape"

# Indicator | Results | Previous | Last year | Status | Trend | Comments: 26.7 cm, the
# width of a landscape A4 page inside 1.5 cm margins. A layout without some columns
# shares the width they leave among those it shows (`_column_widths`).
COLUMN_WIDTHS = (Cm(4.6), Cm(3.6), Cm(3.6), Cm(3.6), Cm(3.4), Cm(4.2), Cm(3.7))
TABLE_WIDTH = sum(COLUMN_WIDTHS)
COVER_WIDTHS = (Cm(5.0), Cm(11.0))
COLUMN_GAP = Cm(1)  # between newspaper columns (the key's two)


def render_docx(doc: ReportDocument) -> bytes:
    """The report as a .docx file's bytes."""
    writer = _Writer(doc)
    writer.write()
    out = io.BytesIO()
    writer.word.save(out)
    return out.getvalue()


def _property(text: str) -> str:
    """Word's document properties hold at most 255 characters; the page keeps the whole text."""
    return text if len(text) <= 255 else text[:254] + "…"


class _Writer:
    """Walks the document tree once, top to bottom, writing Word paragraphs and tables.

    The performance table gets landscape pages of their own (its key a two-column
    section under it); the pages around it stay portrait. A new Word section is only
    started when the next thing written needs another page layout.
    """

    def __init__(self, doc: ReportDocument) -> None:
        self.doc = doc
        self.word: WordDocument = Document()
        self.orientation = PORTRAIT
        self.table_written = False
        self.columns = 1
        self.style_ids: dict[str, str] = {}

    def _add(self, text: str, style: str) -> WordParagraph:
        """A paragraph in a named style."""
        paragraph = self.word.add_paragraph(text)
        self._style(paragraph, style)
        return paragraph

    def _style(self, paragraph: WordParagraph, style: str) -> None:
        wordxml.set_style_id(paragraph, self.style_ids[style])

    # -- the whole document --------------------------------------------------------

    def write(self) -> None:
        self._set_up()
        self._cover()
        for section in self.doc.sections:
            self._section(section, level=1)
        for appendix in self.doc.appendices:
            self._appendix(appendix)

    def _set_up(self) -> None:
        doc = self.doc
        word = self.word
        _styles(word, doc.lang)
        self.style_ids = {style.name: style.style_id for style in word.styles if style.name}
        section = word.sections[0]
        _page(section, PORTRAIT)
        _footer(section, "" if doc.exempt else doc.footer_line)
        if doc.exempt:
            _exempt_header(section, doc.exempt_notice)

        props = word.core_properties
        props.title = _property(doc.title)
        props.subject = _property(f"{doc.committee} performance {doc.period.label}")
        props.author = _property(doc.council)
        props.last_modified_by = "Scrutineer"
        props.language = doc.lang
        props.category = "Committee report"
        props.keywords = _property(f"performance; scrutiny; {doc.period.label}; {doc.committee}")
        props.identifier = _property(doc.filename_stem)
        props.content_status = "Draft" if doc.version == 0 else f"Version {doc.version}"
        props.version = str(doc.version)
        meeting = f"the meeting of {doc.committee}"
        if doc.meeting_date is not None:
            meeting += f" on {doc.meeting_text}"
        terms = doc.exempt_notice if doc.exempt else f"Licence: {doc.licence}" if doc.licence else ""
        comments = f"Drafted by Scrutineer from approved figures for {meeting}."
        props.comments = _property(f"{comments} {terms}." if terms else comments)
        now = datetime.now(UTC).replace(microsecond=0)
        props.created = now
        props.modified = now
        props.revision = max(doc.version, 1)

    # -- cover sheet ---------------------------------------------------------------

    def _cover(self) -> None:
        doc = self.doc
        if doc.council:  # a council not yet named prints no line for it
            council = self._add(doc.council, "Cover Council")
            council.paragraph_format.keep_with_next = True
        self._add(doc.title, "Title")
        self._add(f"Version {doc.version}" if doc.version else "Draft – not published", "Cover Council")
        if doc.restatements:
            self._restatements()

        table = self.word.add_table(rows=0, cols=2)
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        wordxml.fix_column_widths(table, COVER_WIDTHS)
        wordxml.describe_table(table, "Cover sheet", f"Cover sheet of the report: {doc.title}")
        for cover_field in doc.cover:
            self._cover_row(table, cover_field)
        wordxml.keep_rows_whole(table)
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _cover_row(self, table: Table, cover_field: CoverField) -> None:
        row = table.add_row()
        label, value = row.cells
        for cell, width in zip(row.cells, COVER_WIDTHS, strict=True):
            cell.width = width
        wordxml.shade(label, LABEL_FILL)
        self._write_lines(label, [cover_field.label], style="Cover Text", bold=True)
        if cover_field.sublabel:  # "Financial", in bold above its lines
            self._write_lines(
                value, [cover_field.sublabel, *cover_field.lines], style="Cover Text", bold_first=True
            )
        else:
            self._write_lines(value, list(cover_field.lines), style="Cover Text")

    # -- body ----------------------------------------------------------------------

    def _restatements(self) -> None:
        """What an earlier version said differently: first, so no reader misses it."""
        doc = self.doc
        self._add("Restatements", "Heading 1")
        whose = f"Version {doc.version} of this report" if doc.version else "This report"
        self.word.add_paragraph(f"{whose} restates what an earlier version said:")
        for text in doc.restatements:
            last = self._bullet(text, indent=Length(0))
        last.paragraph_format.space_after = Pt(12)

    def _section(self, section: Section, level: int) -> None:
        if section.blocks and isinstance(section.blocks[0], TableBlock):
            self._orient(LANDSCAPE)  # the heading goes on the table's page
        else:
            self._after_table()
        self._add(section.heading_text, f"Heading {min(level, 3)}")
        self._blocks(section.blocks, level)

    def _appendix(self, section: Section) -> None:
        """Each appendix starts a page: landscape if it holds the table."""
        wanted = LANDSCAPE if any(isinstance(b, TableBlock) for b in section.blocks) else PORTRAIT
        if wanted == self.orientation and self.columns == 1:
            self._page_break()
        self.table_written = False
        self._orient(wanted)
        self._add(section.heading_text, "Heading 1")
        self._blocks(section.blocks, 1)

    def _blocks(self, blocks: Iterable[Block], level: int) -> None:
        for block in blocks:
            if isinstance(block, Section):
                self._section(block, level + 1)
            elif isinstance(block, TableBlock):
                self._orient(LANDSCAPE)
                self._table_block(block)
                self.table_written = True
            else:
                self._after_table()
                if isinstance(block, Paragraph):
                    self._paragraph(block)
                elif isinstance(block, BulletList):
                    for text in block.items:
                        self._bullet(text, indent=Length(0))
                else:
                    self._item(block)

    def _after_table(self) -> None:
        """Back to portrait for whatever follows the landscape table."""
        if self.table_written:
            self._orient(PORTRAIT)
            self.table_written = False

    def _paragraph(self, paragraph: Paragraph) -> WordParagraph:
        if paragraph.number:
            return self._numbered(paragraph.number, paragraph.text)
        return self.word.add_paragraph(paragraph.text)

    def _numbered(self, number: str, text: str) -> WordParagraph:
        """A numbered paragraph, "3.1.1<tab>text", with a hanging indent; the number is text."""
        p = self.word.add_paragraph(f"{number}\t{text}" if text else number)
        fmt = p.paragraph_format
        fmt.left_indent = NUMBER_INDENT
        fmt.first_line_indent = -NUMBER_INDENT
        fmt.tab_stops.add_tab_stop(NUMBER_INDENT)
        return p

    def _item(self, item: Item) -> None:
        blocks = item.blocks
        first = blocks[0] if blocks else None
        if isinstance(first, Paragraph):
            self._numbered(item.number, first.text)
            blocks = blocks[1:]
        else:
            self._numbered(item.number, "")  # the number alone, its bullets below
        for block in blocks:
            if isinstance(block, BulletList):
                for text in block.items:
                    self._bullet(text, indent=NUMBER_INDENT)
                continue
            # a further paragraph of the item, aligned with its text
            p = self.word.add_paragraph(block.text)
            p.paragraph_format.left_indent = NUMBER_INDENT

    def _bullet(self, text: str, indent: Length) -> WordParagraph:
        p = self._add(text, "List Bullet")
        fmt = p.paragraph_format
        fmt.left_indent = indent + BULLET_HANG
        fmt.first_line_indent = -BULLET_HANG
        return p

    # -- the performance table -----------------------------------------------------

    def _table_block(self, block: TableBlock) -> None:
        caption = self._add(block.caption, "Caption")
        caption.paragraph_format.keep_with_next = True
        self._performance_table(block)
        self._key(block)

    def _performance_table(self, block: TableBlock) -> None:
        perf = block.table
        headers = block.headers
        widths = _column_widths(block)
        table = self.word.add_table(rows=1, cols=len(headers))
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        wordxml.fix_column_widths(table, widths)
        wordxml.describe_table(table, block.caption, _description(block))

        header = table.rows[0]
        wordxml.repeat_as_header(header)
        wordxml.set_cell_widths(header.cells, widths)
        for cell, text in zip(header.cells, headers, strict=True):
            wordxml.shade(cell, HEADER_FILL)
            self._write_lines(cell, [text], bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))

        for group in perf.groups:
            merged = wordxml.span_row(table.add_row(), widths)
            wordxml.shade(merged, THEME_FILL)
            self._write_lines(merged, [group.theme], bold=True)
            merged.paragraphs[0].paragraph_format.keep_with_next = True  # never last on a page
            for row in group.rows:
                self._indicator_row(table, row, block, widths)

        wordxml.keep_rows_whole(table)  # a figure is never parted from its target

    def _indicator_row(
        self, table: Table, row: TableRow, block: TableBlock, widths: tuple[Length, ...]
    ) -> None:
        cells = iter(table.add_row().cells)
        row_cells = table.rows[-1].cells
        wordxml.set_cell_widths(row_cells, widths)
        name = next(cells).paragraphs[0]
        self._style(name, "Table Text")
        name.add_run(row.code).bold = True
        name.add_run(f" - {row.name}")

        shown = block.cells(row)
        for data in shown:
            self._write_lines(next(cells), _period_lines(data))

        current = row.current
        status = next(cells)
        wordxml.shade(status, STATUS_FILL[current.result.status])
        self._write_lines(
            status,
            [
                f"{current.status_symbol} {current.result.status_label}",
                *(
                    f"{block.label(c.result.period)}: {c.status_symbol} {c.result.status_label}"
                    for c in shown[1:]
                ),
            ],
            bold_first=True,
        )
        if block.layout.show_trend:
            self._write_lines(
                next(cells),
                [
                    f"vs {block.label(row.previous.result.period)}: "
                    f"{row.trend_previous.symbol} {row.trend_previous_label}",
                    f"vs {block.label(row.last_year.result.period)}: "
                    f"{row.trend_last_year.symbol} {row.trend_last_year_label}",
                ],
            )
        if block.layout.show_comments:
            comment = block.comment(row)
            self._write_lines(next(cells), [comment] if comment else [])

    def _key(self, block: TableBlock) -> None:
        """The summary and each status rule's tolerance, then the key in two newspaper
        columns: statuses | trends, each under its rule's name when there are several."""
        key = self._add("Summary and key to the table", "Key Heading")
        key.paragraph_format.keep_with_next = True
        self._add(block.summary, "Key Text")
        several = len(block.keys) > 1
        for rule_key in block.keys:
            note = f"Tolerance: {rule_key.note}" if rule_key.tolerance else rule_key.note
            self._add(f"{rule_key.heading}. {note}" if several else f"{rule_key.heading}.", "Key Text")
            if not several:
                self._add(note, "Key Text")
        self._columns(2)
        self._add("Status of each figure against its target:", "Key Text")
        for rule_key in block.keys:
            if several:
                self._add(f"{rule_key.heading}:", "Key Text")
            for entry in rule_key.statuses:
                self._key_entry(f"{entry.symbol} {entry.description}")
        if not block.explains_trends:
            return
        intro = self._add("Trend against the previous period and the same period last year:", "Key Text")
        wordxml.column_break_before(intro)
        for rule_key in block.keys:
            if several:
                self._add(f"{rule_key.heading}:", "Key Text")
            for entry in rule_key.trends:
                self._key_entry(f"{entry.symbol} {entry.description}")

    def _key_entry(self, text: str) -> None:
        self._style(self._bullet(text, indent=Length(0)), "Key Bullet")

    def _write_lines(
        self,
        cell: _Cell,
        lines: list[str],
        *,
        style: str = "Table Text",
        bold: bool = False,
        bold_first: bool = False,
        color: RGBColor | None = None,
    ) -> None:
        """One paragraph per line (never line breaks), so each line is its own editable text."""
        for i, text in enumerate(lines):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            self._style(paragraph, style)
            run = paragraph.add_run(text)
            if bold or (bold_first and i == 0):
                run.bold = True
            if color is not None:
                run.font.color.rgb = color

    # -- pages ---------------------------------------------------------------------

    def _orient(self, orientation: str) -> None:
        """Start a new page in `orientation`, single column, unless already there."""
        if orientation == self.orientation and self.columns == 1:
            return
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        _page(section, orientation)
        self.orientation = orientation
        self.columns = 1

    def _columns(self, count: int) -> None:
        """Carry on, on the same page, in `count` columns."""
        section = self.word.add_section(WD_SECTION.CONTINUOUS)
        wordxml.set_columns(section, count, COLUMN_GAP)
        self.columns = count

    def _page_break(self) -> None:
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _period_lines(data: Cell) -> list[str]:
    """The figure, the fraction for a rate, the target; the reason when there is no figure."""
    r = data.result
    lines = [r.display]
    if r.fraction_display:
        lines.append(r.fraction_display)
    lines.append(r.target_display)
    if r.no_data_reason and r.value is None:
        lines.append(r.no_data_reason)
    return lines


def _column_widths(block: TableBlock) -> tuple[Length, ...]:
    """Each shown column's width: the full layout's, widened in proportion so the table
    still spans the page when the layout leaves columns out."""
    indicator, period, _, _, status, trend, comments = COLUMN_WIDTHS
    chosen = [
        indicator,
        *(period for _ in block.columns),
        status,
        *((trend,) if block.layout.show_trend else ()),
        *((comments,) if block.layout.show_comments else ()),
    ]
    scale = TABLE_WIDTH / sum(chosen)
    return tuple(Length(int(width * scale)) for width in chosen)


def _description(block: TableBlock) -> str:
    """What the table holds, for a screen reader: only the columns it has."""
    layout = block.layout
    earlier = [
        words
        for shown, words in (
            (layout.show_previous, "the previous period's"),
            (layout.show_last_year, "the same period last year's"),
        )
        if shown
    ]
    extras = [
        "status",
        *(["trend"] if layout.show_trend else []),
        *(["comments"] if layout.show_comments else []),
    ]
    result = "each indicator's result" + (f", {' and '.join(earlier)}" if earlier else "")
    items = ["targets", *extras]
    listed = f"{', '.join(items[:-1])} and {items[-1]}"
    return f"Performance indicators for {block.table.period.label}: {result}, with {listed}."


# -- pages ------------------------------------------------------------------------


def _page(section: WordSection, orientation: str) -> None:
    """A4 in the orientation asked for; narrower margins for the landscape table."""
    s = section
    if orientation == LANDSCAPE:
        s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Mm(297), Mm(210)
        margin = Cm(1.5)
    else:
        s.orientation = WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = Mm(210), Mm(297)
        margin = Cm(2.5)
    s.left_margin = s.right_margin = margin
    s.top_margin = s.bottom_margin = Cm(2)
    s.header_distance = s.footer_distance = Cm(1)
    wordxml.set_columns(s, 1, COLUMN_GAP)


def _footer(section: WordSection, line: str = "") -> None:
    """A "Page X of Y" footer made of fields, so Word keeps it right as officers edit,
    under the committee's footer text and the licence line when there are any."""
    footer = section.footer
    p = footer.paragraphs[0]
    if line:
        p.style = "Footer"
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line)
        p = footer.add_paragraph()
    p.style = "Footer"
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("Page ")
    wordxml.add_field(p, "PAGE", "1")
    p.add_run(" of ")
    wordxml.add_field(p, "NUMPAGES", "1")


def _exempt_header(section: WordSection, notice: str) -> None:
    """A Part II report's notice in the page header. Later sections link to this header,
    so every page, portrait or landscape, carries it."""
    p = section.header.paragraphs[0]
    p.style = "Header"
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(notice).bold = True


# -- styles -----------------------------------------------------------------------


def _styles(word: WordDocument, lang: str) -> None:
    """Arial throughout, en-GB, and restrained headings in the council's house manner."""
    styles = word.styles
    wordxml.set_default_font_and_language(styles, FONT, lang)

    normal = styles["Normal"]
    _font(normal, size=11, color=TEXT)
    wordxml.set_style_language(normal, lang)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.1

    title = styles["Title"]
    _font(title, size=18, bold=True, color=ACCENT)
    wordxml.drop_borders(title)
    title.paragraph_format.space_after = Pt(12)
    wordxml.drop_character_spacing(title)

    for name, size, before, after in (
        ("Heading 1", 14, 18, 6),
        ("Heading 2", 12, 12, 6),
        ("Heading 3", 11, 10, 4),
    ):
        style = styles[name]
        _font(style, size=size, bold=True, color=TEXT)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True

    caption = styles["Caption"]
    _font(caption, size=11, bold=True, color=TEXT, italic=False)
    caption.paragraph_format.space_before = Pt(0)
    caption.paragraph_format.space_after = Pt(6)

    bullet = styles["List Bullet"]
    bullet.paragraph_format.space_after = Pt(3)

    footer = styles["Footer"]
    _font(footer, size=9, color=TEXT)

    _new_style(word, "Cover Council", size=12, bold=True, color=ACCENT, after=2)
    _new_style(word, "Cover Text", size=11, after=2, line=1.0)
    _new_style(word, "Table Text", size=9, after=1, line=1.0)
    _new_style(word, "Key Heading", size=10, bold=True, before=8, after=2)
    _new_style(word, "Key Text", size=9, before=4, after=2, line=1.0)
    key_bullet = _new_style(word, "Key Bullet", size=9, after=0, line=1.0, base="List Bullet")
    key_bullet.paragraph_format.space_after = Pt(0)


def _new_style(
    word: WordDocument,
    name: str,
    *,
    size: float,
    bold: bool = False,
    color: RGBColor | None = None,
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    base: str = "Normal",
) -> ParagraphStyle:
    style: ParagraphStyle = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles[base]
    style.quick_style = True
    _font(style, size=size, bold=bold, color=color)
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)
    if line is not None:
        style.paragraph_format.line_spacing = line
    return style


def _font(
    style: BaseStyle,
    *,
    size: float,
    bold: bool | None = None,
    color: RGBColor | None = None,
    italic: bool | None = None,
) -> None:
    font = style.font  # type: ignore[attr-defined]  # paragraph styles have one
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
        wordxml.drop_theme_color(style)
    wordxml.set_style_font(style, FONT)
