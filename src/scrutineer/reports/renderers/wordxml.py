"""Word's XML where python-docx has no API for it (or a slow one): cell shading, header
rows, rows kept whole, one cell across a row, table alternative text, newspaper columns,
column breaks, fields, styles by id, and fonts and language for every script.

Each helper writes the WordprocessingML (`w:`) elements itself, in the order the schema
sets for their parent, so Word opens the file without repairing it. Nothing here knows
about reports: colours, widths, fonts and words are passed in. What the committee report
looks like is `scrutineer.reports.renderers.docx`.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section as WordSection
from docx.shared import Length
from docx.styles.style import BaseStyle
from docx.styles.styles import Styles
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph as WordParagraph

# -- paragraphs and runs ----------------------------------------------------------


def set_style_id(paragraph: WordParagraph, style_id: str) -> None:
    """Give the paragraph a style by its id. python-docx's lookup by name scans every
    style, which made a large council's table take seconds."""
    paragraph._p.style = style_id


def column_break_before(paragraph: WordParagraph) -> None:
    """Start the paragraph in the next newspaper column (a column break before its text)."""
    run = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "column")
    run.append(br)
    paragraph.runs[0]._r.addprevious(run)


def add_field(paragraph: WordParagraph, instruction: str, placeholder: str) -> None:
    """A field Word works out when it lays the page out (`PAGE`, `NUMPAGES`), showing
    `placeholder` until it does."""
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


# -- tables -----------------------------------------------------------------------


def shade(cell: _Cell, fill: str) -> None:
    """Fill the cell with a colour (`"1F3864"`), replacing any fill it had."""
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


def repeat_as_header(row: _Row) -> None:
    """Repeat the row at the top of every page the table runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def keep_rows_whole(table: Table) -> None:
    """No row of the table splits across a page."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            cant_split = OxmlElement("w:cantSplit")
            cant_split.set(qn("w:val"), "true")
            tr_pr.insert(0, cant_split)


def span_row(row: _Row, widths: Sequence[Length]) -> _Cell:
    """The row as one cell across a table of columns `widths` wide (python-docx's merge
    rescans the whole table)."""
    first, *rest = row._tr.tc_lst
    for tc in rest:
        row._tr.remove(tc)
    first.grid_span = len(widths)
    cell = _Cell(first, row.table)
    cell.width = sum(widths, Length(0))
    return cell


def fix_column_widths(table: Table, widths: Sequence[Length]) -> None:
    """Columns of these widths in the table grid, which LibreOffice reads, and no autofit."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def set_cell_widths(cells: Sequence[_Cell], widths: Sequence[Length]) -> None:
    """The same widths on each cell of a row, which Word reads rather than the grid."""
    for cell, width in zip(cells, widths, strict=True):
        cell.width = width


def describe_table(table: Table, caption: str, description: str) -> None:
    """Alternative text for the table (Word's Table Properties → Alt Text)."""
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


# -- sections ---------------------------------------------------------------------


def set_columns(section: WordSection, count: int, space: Length) -> None:
    """Lay the section out in `count` newspaper columns, `space` apart."""
    sect_pr = section._sectPr
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        successors = [
            qn(t)
            for t in (
                "w:formProt",
                "w:vAlign",
                "w:noEndnote",
                "w:titlePg",
                "w:textDirection",
                "w:bidi",
                "w:rtlGutter",
                "w:docGrid",
                "w:printerSettings",
                "w:sectPrChange",
            )
        ]
        later = [child for child in sect_pr if child.tag in successors]
        if later:
            later[0].addprevious(cols)
        else:
            sect_pr.append(cols)
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), str(int(space.twips)))


# -- styles -----------------------------------------------------------------------


def set_default_font_and_language(styles: Styles, font: str, lang: str) -> None:
    """The font and language of text no style sets (the document defaults)."""
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            _set_fonts(r_pr, font)
            _set_lang(r_pr, lang)


def set_style_font(style: BaseStyle, font: str) -> None:
    """`font` for every script in the style, replacing the template's theme fonts (which
    win over a font name)."""
    _set_fonts(style.element.get_or_add_rPr(), font)


def set_style_language(style: BaseStyle, lang: str) -> None:
    _set_lang(style.element.get_or_add_rPr(), lang)


def drop_theme_color(style: BaseStyle) -> None:
    """Keep the style's own text colour: a theme colour on it would win in Word."""
    color = style.element.rPr.find(qn("w:color"))
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)


def drop_borders(style: BaseStyle) -> None:
    """Remove the paragraph borders the style has (the template's Title rule)."""
    p_pr = style.element.get_or_add_pPr()
    for border in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(border)


def drop_character_spacing(style: BaseStyle) -> None:
    """Remove the style's letter spacing and kerning."""
    r_pr = style.element.rPr
    if r_pr is None:
        return
    for tag in ("w:spacing", "w:kern"):
        for found in r_pr.findall(qn(tag)):
            r_pr.remove(found)


def _set_fonts(r_pr: BaseOxmlElement, font: str) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _set_lang(r_pr: BaseOxmlElement, lang: str) -> None:
    found = r_pr.find(qn("w:lang"))
    if found is None:
        found = OxmlElement("w:lang")
        r_pr.append(found)
    found.set(qn("w:val"), lang)
