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
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from scrutineer.engine import Status
from scrutineer.reports.document import (
    BulletList,
    CoverField,
    Item,
    Block,
    Paragraph,
    ReportDocument,
    Section,
    TableBlock,
)
from scrutineer.reports.table import Cell, TableRow

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
    Status.AMBER: "FFEB9C",
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
# width of a landscape A4 page inside 1.5 cm margins.
COLUMN_WIDTHS = (Cm(5.2), Cm(3.4), Cm(3.4), Cm(3.4), Cm(3.1), Cm(3.6), Cm(4.6))
COVER_WIDTHS = (Cm(5.0), Cm(11.0))


def render_docx(doc: ReportDocument) -> bytes:
    """The report as a .docx file's bytes."""
    writer = _Writer(doc)
    writer.write()
    out = io.BytesIO()
    writer.word.save(out)
    return out.getvalue()


def heading_text(section: Section) -> str:
    """"1. Introduction", "3.1 Children Services…", "Appendix 1 – Performance report…"."""
    number = section.number
    if not number:
        return section.heading
    if number.isdigit():
        return f"{number}. {section.heading}"
    if number.replace(".", "").isdigit():
        return f"{number} {section.heading}"
    return f"{number} – {section.heading}"


class _Writer:
    """Walks the document tree once, top to bottom, writing Word paragraphs and tables.

    The performance table gets a landscape section of its own; the sections around it
    stay portrait. A new section is only started when the next thing written needs the
    other orientation.
    """

    def __init__(self, doc: ReportDocument) -> None:
        self.doc = doc
        self.word: WordDocument = Document()
        self.orientation = PORTRAIT
        self.table_written = False

    # -- the whole document --------------------------------------------------------

    def write(self) -> None:
        self._set_up()
        self._cover()
        if self.doc.restatements:
            self._restatements()
        for section in self.doc.sections:
            self._section(section, level=1)
        for appendix in self.doc.appendices:
            self._appendix(appendix)

    def _set_up(self) -> None:
        doc = self.doc
        word = self.word
        _styles(word, doc.lang)
        section = word.sections[0]
        _page(section, PORTRAIT)
        _footer(section)

        props = word.core_properties
        props.title = doc.title
        props.subject = f"{doc.committee} performance {doc.period.label}"
        props.author = doc.council
        props.last_modified_by = "Scrutineer"
        props.language = doc.lang
        props.category = "Committee report"
        props.keywords = f"performance; scrutiny; {doc.period.label}; {doc.committee}"
        props.identifier = doc.filename_stem
        props.content_status = "Draft" if doc.version == 0 else f"Version {doc.version}"
        props.version = str(doc.version)
        props.comments = (
            f"Drafted by Scrutineer from approved figures for the meeting of {doc.committee} "
            f"on {doc.meeting_date:%d %B %Y}. Licence: {doc.licence}."
        )
        now = datetime.now(UTC).replace(microsecond=0)
        props.created = now
        props.modified = now
        props.revision = max(doc.version, 1)

    # -- cover sheet ---------------------------------------------------------------

    def _cover(self) -> None:
        doc = self.doc
        council = self.word.add_paragraph(doc.council, style="Cover Council")
        council.paragraph_format.keep_with_next = True
        self.word.add_paragraph(doc.title, style="Title")

        table = self.word.add_table(rows=0, cols=2)
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _fixed_widths(table, COVER_WIDTHS)
        _describe(table, "Cover sheet", f"Cover sheet of the report: {doc.title}")
        for cover_field in doc.cover:
            self._cover_row(table, cover_field)
        _keep_rows_whole(table)
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _cover_row(self, table: Table, cover_field: CoverField) -> None:
        row = table.add_row()
        label, value = row.cells
        for cell, width in zip(row.cells, COVER_WIDTHS, strict=True):
            cell.width = width
        _shade(label, LABEL_FILL)
        _write_lines(label, [cover_field.label], style="Cover Text", bold=True)
        lines: list[tuple[str, bool]] = []
        if cover_field.sublabel:
            lines.append((cover_field.sublabel, True))
        lines.extend((line, False) for line in cover_field.lines)
        first = True
        for text, bold in lines or [("", False)]:
            paragraph = value.paragraphs[0] if first else value.add_paragraph()
            paragraph.style = self.word.styles["Cover Text"]
            paragraph.add_run(text).bold = bold or None
            first = False

    # -- body ----------------------------------------------------------------------

    def _restatements(self) -> None:
        self.word.add_paragraph("Restatements", style="Heading 1")
        for text in self.doc.restatements:
            self._bullet(text, indent=Length(0))

    def _section(self, section: Section, level: int) -> None:
        if section.blocks and isinstance(section.blocks[0], TableBlock):
            self._orient(LANDSCAPE)  # the heading goes on the table's page
        else:
            self._after_table()
        self.word.add_paragraph(heading_text(section), style=f"Heading {min(level, 3)}")
        self._blocks(section.blocks, level)

    def _appendix(self, section: Section) -> None:
        """Each appendix starts a page: landscape if it holds the table."""
        wanted = LANDSCAPE if any(isinstance(b, TableBlock) for b in section.blocks) else PORTRAIT
        if wanted == self.orientation:
            self._page_break()
        self.table_written = False
        self._orient(wanted)
        self.word.add_paragraph(heading_text(section), style="Heading 1")
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
        """"3.1.1<tab>text" with a hanging indent: the number is text, so it survives."""
        p = self.word.add_paragraph(f"{number}\t{text}" if text else number)
        fmt = p.paragraph_format
        fmt.left_indent = NUMBER_INDENT
        fmt.first_line_indent = -NUMBER_INDENT
        fmt.tab_stops.add_tab_stop(NUMBER_INDENT)
        return p

    def _item(self, item: Item) -> None:
        blocks = list(item.blocks)
        if blocks and isinstance(blocks[0], Paragraph):
            self._numbered(item.number, blocks.pop(0).text)
        else:
            self._numbered(item.number, "")
        for block in blocks:
            if isinstance(block, BulletList):
                for text in block.items:
                    self._bullet(text, indent=NUMBER_INDENT)
            else:
                p = self.word.add_paragraph(block.text)
                p.paragraph_format.left_indent = NUMBER_INDENT

    def _bullet(self, text: str, indent: Length) -> WordParagraph:
        p = self.word.add_paragraph(text, style="List Bullet")
        fmt = p.paragraph_format
        fmt.left_indent = indent + BULLET_HANG
        fmt.first_line_indent = -BULLET_HANG
        return p

    # -- the performance table -----------------------------------------------------

    def _table_block(self, block: TableBlock) -> None:
        caption = self.word.add_paragraph(block.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
        self._performance_table(block)
        self._key(block)

    def _performance_table(self, block: TableBlock) -> None:
        perf = block.table
        headers = (
            "Indicator",
            f"Results {perf.period.end_month_label}",
            f"Previous {perf.previous.end_month_label}",
            f"Last year {perf.last_year.end_month_label}",
            "Status",
            "Trend",
            "Comments",
        )
        table = self.word.add_table(rows=1, cols=len(headers))
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fixed_widths(table, COLUMN_WIDTHS)
        _describe(
            table,
            block.caption,
            f"Performance indicators for {perf.period.label}: each indicator's result, the previous "
            "period's and the same period last year's, with targets, status, trend and comments.",
        )

        header = table.rows[0]
        _repeat_as_header(header)
        _cell_widths(header.cells)
        for cell, text in zip(header.cells, headers, strict=True):
            _shade(cell, HEADER_FILL)
            _write_lines(cell, [text], bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))

        for group in perf.groups:
            theme = table.add_row()
            merged = theme.cells[0].merge(theme.cells[-1])
            merged.width = sum(COLUMN_WIDTHS, Length(0))
            _shade(merged, THEME_FILL)
            _write_lines(merged, [group.theme], bold=True)
            for row in group.rows:
                self._indicator_row(table, row)

        _keep_rows_whole(table)

    def _indicator_row(self, table: Table, row: TableRow) -> None:
        cells = table.add_row().cells
        _cell_widths(cells)
        name = cells[0].paragraphs[0]
        name.style = self.word.styles["Table Text"]
        name.add_run(row.code).bold = True
        name.add_run(f" - {row.name}")

        comment = row.current.comment
        for cell, data in zip(cells[1:4], (row.current, row.previous, row.last_year), strict=True):
            _write_lines(cell, _period_lines(data, shown_comment=comment if data is row.current else ""))

        status = row.current.result.status
        _shade(cells[4], STATUS_FILL[status])
        _write_lines(
            cells[4],
            [
                f"{status.symbol} {status.label}",
                *(
                    f"{c.result.period.end_month_label}: {c.result.status.symbol} {c.result.status.label}"
                    for c in (row.previous, row.last_year)
                ),
            ],
            bold_first=True,
        )
        _write_lines(
            cells[5],
            [
                f"vs {row.previous.result.period.end_month_label}: "
                f"{row.trend_previous.symbol} {row.trend_previous.label}",
                f"vs {row.last_year.result.period.end_month_label}: "
                f"{row.trend_last_year.symbol} {row.trend_last_year.label}",
            ],
        )
        _write_lines(cells[6], [comment])

    def _key(self, block: TableBlock) -> None:
        key = self.word.add_paragraph("Key", style="Key Heading")
        key.paragraph_format.keep_with_next = True
        intro = self.word.add_paragraph("Status of each figure against its target:", style="Key Text")
        intro.paragraph_format.keep_with_next = True
        for entry in block.statuses:
            self._key_entry(f"{entry.symbol} {entry.description}")
        intro = self.word.add_paragraph(
            "Trend against the previous period and the same period last year:", style="Key Text"
        )
        intro.paragraph_format.keep_with_next = True
        for entry in block.trends:
            self._key_entry(f"{entry.symbol} {entry.description}")
        self.word.add_paragraph(f"Tolerance: {block.tolerance_rule}", style="Key Text")

    def _key_entry(self, text: str) -> None:
        p = self._bullet(text, indent=Length(0))
        p.style = self.word.styles["Key Bullet"]

    # -- pages ---------------------------------------------------------------------

    def _orient(self, orientation: str) -> None:
        if orientation == self.orientation:
            return
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        _page(section, orientation)
        self.orientation = orientation

    def _page_break(self) -> None:
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _period_lines(data: Cell, shown_comment: str) -> list[str]:
    """The figure, the fraction for a rate, the target; the reason when there is no figure
    (unless the comments column already says it)."""
    r = data.result
    lines = [r.display]
    if r.fraction_display:
        lines.append(r.fraction_display)
    lines.append(r.target_display)
    if r.no_data_reason and r.no_data_reason != shown_comment:
        lines.append(r.no_data_reason)
    return lines


# -- low-level helpers ------------------------------------------------------------


def _write_lines(
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
        paragraph.style = style
        run = paragraph.add_run(text)
        if bold or (bold_first and i == 0):
            run.bold = True
        if color is not None:
            run.font.color.rgb = color


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    # tcPr children have a set order; shd goes before these if present.
    successors = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    for tag in successors:
        found = tc_pr.find(qn(tag))
        if found is not None:
            found.addprevious(shd)
            return
    tc_pr.append(shd)


def _repeat_as_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _keep_rows_whole(table: Table) -> None:
    """No row splits across a page: a figure is never parted from its target."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            cant_split = OxmlElement("w:cantSplit")
            cant_split.set(qn("w:val"), "true")
            tr_pr.insert(0, cant_split)


def _cell_widths(cells: list[_Cell]) -> None:
    """Word reads each cell's width, LibreOffice the table grid: set both."""
    for cell, width in zip(cells, COLUMN_WIDTHS, strict=True):
        cell.width = width


def _fixed_widths(table: Table, widths: tuple[Length, ...]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def _describe(table: Table, caption: str, description: str) -> None:
    """Alternative text for the table (Word's Table Properties → Alt Text)."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


def _page(section: object, orientation: str) -> None:
    """A4 in the orientation asked for; narrower margins for the landscape table."""
    s = section
    if orientation == LANDSCAPE:
        s.orientation = WD_ORIENT.LANDSCAPE  # type: ignore[attr-defined]
        s.page_width, s.page_height = Mm(297), Mm(210)  # type: ignore[attr-defined]
        margin = Cm(1.5)
    else:
        s.orientation = WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
        s.page_width, s.page_height = Mm(210), Mm(297)  # type: ignore[attr-defined]
        margin = Cm(2.5)
    s.left_margin = s.right_margin = margin  # type: ignore[attr-defined]
    s.top_margin = s.bottom_margin = Cm(2)  # type: ignore[attr-defined]
    s.header_distance = s.footer_distance = Cm(1)  # type: ignore[attr-defined]


def _footer(section: object) -> None:
    """"Page X of Y" in fields, so Word keeps them right as officers edit."""
    footer = section.footer  # type: ignore[attr-defined]
    p = footer.paragraphs[0]
    p.style = "Footer"
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("Page ")
    _field(p, "PAGE", "1")
    p.add_run(" of ")
    _field(p, "NUMPAGES", "1")


def _field(paragraph: WordParagraph, instruction: str, placeholder: str) -> None:
    for kind, text in (("begin", None), ("instr", f" {instruction} \\* MERGEFORMAT "), ("separate", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    paragraph.add_run(placeholder)
    end = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)


# -- styles -----------------------------------------------------------------------


def _styles(word: WordDocument, lang: str) -> None:
    """Arial throughout, en-GB, and restrained headings in the council's house manner."""
    styles = word.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            _set_fonts(r_pr)
            _set_lang(r_pr, lang)

    normal = styles["Normal"]
    _font(normal, size=11, color=TEXT)
    _set_lang(normal.element.get_or_add_rPr(), lang)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.1

    title = styles["Title"]
    _font(title, size=18, bold=True, color=ACCENT)
    p_pr = title.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)
    title.paragraph_format.space_after = Pt(12)
    _drop_character_spacing(title)

    for name, size, before, after in (("Heading 1", 14, 18, 6), ("Heading 2", 12, 12, 6), ("Heading 3", 11, 10, 4)):
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
) -> BaseStyle:
    from docx.enum.style import WD_STYLE_TYPE

    style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
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
    font = style.font  # type: ignore[attr-defined]
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
        color_el = style.element.rPr.find(qn("w:color"))
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color_el.attrib.pop(qn(attr), None)
    _set_fonts(style.element.get_or_add_rPr())


def _set_fonts(r_pr: object) -> None:
    """Arial for every script, replacing the template's theme fonts (which win over a name)."""
    fonts = r_pr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _set_lang(r_pr: object, lang: str) -> None:
    found = r_pr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if found is None:
        found = OxmlElement("w:lang")
        r_pr.append(found)  # type: ignore[attr-defined]
    found.set(qn("w:val"), lang)
    found.set(qn("w:eastAsia"), lang)
    found.set(qn("w:bidi"), "ar-SA")


def _drop_character_spacing(style: BaseStyle) -> None:
    r_pr = style.element.rPr
    if r_pr is None:
        return
    for tag in ("w:spacing", "w:kern"):
        for found in r_pr.findall(qn(tag)):
            r_pr.remove(found)
