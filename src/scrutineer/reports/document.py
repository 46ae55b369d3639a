"""The committee report as a document tree: what every renderer (HTML, PDF, Word, CSV)
draws, so all four always say the same thing.

The tree holds text and the engine's judged table only. Numbering (1.1, 3.2.4) is
assigned by the builder from the order of things; renderers never number, word or
judge anything themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from scrutineer.catalogue.models import SummaryStyle
from scrutineer.collection.text import BulletList, Paragraph
from scrutineer.engine import Period, Status, Trend
from scrutineer.performance import Cell, PerformanceTable, TableRow
from scrutineer.reports.layout import Layout


@dataclass(frozen=True, slots=True)
class CoverField:
    """One row of the cover sheet: "Purpose of report:" and its lines."""

    label: str
    lines: tuple[str, ...]
    sublabel: str = ""  # "Financial", "Value for Money" inside Implications
    empty: str = "Not stated"  # what the web page and PDF say for a row without lines


@dataclass(frozen=True, slots=True)
class Item:
    """A numbered item ("3.2.2") whose body is paragraphs and bullet lists."""

    number: str
    blocks: tuple[Paragraph | BulletList, ...]


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One line of a key: "✓", "On target", "On target: the target was met …"."""

    symbol: str
    label: str
    description: str
    value: str = ""  # the status or trend it explains ("green", "improving"), for styling


TRENDS_COMPARED = (
    "Trends compare the figure with the previous period and with the same period last year, "
    "at the precision shown."
)


@dataclass(frozen=True, slots=True)
class RuleKey:
    """The key to one status rule on the table, in the rule's words (written by the builder
    from `StatusRule.key`): statuses and trends, and the tolerance where a band is it.
    `codes` names the indicators it judges when the table has more than one key."""

    name: str
    codes: tuple[str, ...]
    statuses: tuple[KeyEntry, ...]
    trends: tuple[KeyEntry, ...]
    tolerance: str = ""  # "Amber when within 10% of target, unless …"; "" when no band is the tolerance

    @property
    def note(self) -> str:
        """What the key adds below its lines: the tolerance, and how trends compare."""
        return f"{self.tolerance} {TRENDS_COMPARED}" if self.tolerance else TRENDS_COMPARED

    @property
    def heading(self) -> str:
        """ "Status rule: Within 5% is green (CSU10, CSU11)"."""
        heading = f"Status rule: {self.name}"
        return f"{heading} ({', '.join(self.codes)})" if self.codes else heading


@dataclass(frozen=True, slots=True)
class Column:
    """One column of figures: "current", "previous" or "last_year", and its heading."""

    name: str
    heading: str  # "Results Jun-2020", "Previous Q4 2019/20"


@dataclass(frozen=True, slots=True)
class TableBlock:
    """The performance table, its caption and the key that explains it in words: one
    `RuleKey` per status rule that judged it. `layout` says which columns it shows and how
    it names its periods; `summary` is the summary above the key, in the layout's style."""

    table: PerformanceTable
    caption: str
    keys: tuple[RuleKey, ...]
    layout: Layout = field(default_factory=Layout)
    summary: str = ""

    def label(self, period: Period) -> str:
        """A period as this table names it ("Jun-2020", or "Q1 2020/21")."""
        return self.layout.period_label(period)

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns of figures shown: this period's, then those the layout keeps."""
        table = self.table
        shown = [Column("current", f"Results {self.label(table.period)}")]
        if self.layout.show_previous:
            shown.append(Column("previous", f"Previous {self.label(table.previous)}"))
        if self.layout.show_last_year:
            shown.append(Column("last_year", f"Last year {self.label(table.last_year)}"))
        return tuple(shown)

    def cells(self, row: TableRow) -> tuple[Cell, ...]:
        """The row's cells for the columns shown, in order."""
        by_name = {"current": row.current, "previous": row.previous, "last_year": row.last_year}
        return tuple(by_name[column.name] for column in self.columns)

    @property
    def headers(self) -> tuple[str, ...]:
        """Every column's heading, in order: "Indicator", the periods, "Status", and the
        trend and comments where shown."""
        return (
            "Indicator",
            *(column.heading for column in self.columns),
            "Status",
            *(("Trend",) if self.layout.show_trend else ()),
            *(("Comments",) if self.layout.show_comments else ()),
        )

    @property
    def explains_trends(self) -> bool:
        """Whether the key explains the trends: when the table shows them, or the summary
        counts them."""
        return self.layout.show_trend or self.layout.summary_style == SummaryStyle.DIRECTIONS

    def comment(self, row: TableRow) -> str:
        """The Comments cell: the comment after the layout's label ("Approver Comments: KPI
        Achieved.", as the seed prints it); "" without a comment, or when it only repeats the
        no-data reason shown beside the figure."""
        text = row_comment(row)
        label = self.layout.comment_label.strip()
        return f"{label} {text}" if text and label else text

    @property
    def statuses(self) -> tuple[KeyEntry, ...]:
        """The first key's statuses (a table under one rule has one key)."""
        return self.keys[0].statuses if self.keys else ()

    @property
    def trends(self) -> tuple[KeyEntry, ...]:
        return self.keys[0].trends if self.keys else ()

    @property
    def tolerance_rule(self) -> str:
        """The first key's note: its tolerance, if it uses one, and how trends compare."""
        return self.keys[0].note if self.keys else TRENDS_COMPARED


@dataclass(frozen=True, slots=True)
class Section:
    number: str  # "2", "3.1", or "" for an unnumbered section (an appendix has "Appendix 1")
    heading: str
    blocks: tuple[Block, ...] = ()
    anchor: str = ""

    @property
    def number_label(self) -> str:
        """The number as printed: "1." for a section (as the council's reports print it),
        "3.1" for a subsection, "Appendix 1:" for an appendix; "" when unnumbered."""
        number = self.number
        if not number:
            return ""
        if number.isdigit():
            return f"{number}."
        if number.replace(".", "").isdigit():
            return number
        return f"{number}:"

    @property
    def heading_text(self) -> str:
        """ "1. Introduction", "3.1 Children Services…", "Appendix 1: Performance report…"."""
        label = self.number_label
        return f"{label} {self.heading}" if label else self.heading


Block = Paragraph | BulletList | Item | TableBlock | Section


@dataclass(frozen=True, slots=True)
class ReportDocument:
    council: str
    committee: str
    committee_slug: str
    period: Period
    meeting_date: date | None
    title: str
    cover: tuple[CoverField, ...]
    sections: tuple[Section, ...]
    appendices: tuple[Section, ...] = ()
    version: int = 0  # 0 for a draft; 1, 2, … once published
    restatements: tuple[str, ...] = ()
    lang: str = "en-GB"
    licence: str = "Open Government Licence v3.0"  # "" prints no licence
    footer: str = ""  # the committee's own line at the foot of every page, before the licence
    preview: str = ""  # a layout preview's notice (`reports.preview`); "" for a report
    meta: dict[str, str] = field(default_factory=dict)
    part: str = ""  # "I", "II" (exempt) or "" when the report does not state it
    part_two_reason: str = ""

    @property
    def exempt(self) -> bool:
        """Part II: every renderer marks every page "NOT FOR PUBLICATION" (`exempt_notice`)."""
        return self.part == "II"

    @property
    def exempt_notice(self) -> str:
        """The marking an exempt report carries on every page; "" for one that is not exempt."""
        return exempt_notice(self.part_two_reason) if self.exempt else ""

    @property
    def licence_lead(self) -> str:
        """The words before the licence's name (`licence_lead_for`)."""
        return licence_lead_for(self.licence)

    @property
    def licence_line(self) -> str:
        """ "Published under the Open Government Licence v3.0", "Published under CC BY 4.0";
        "" without a licence."""
        return f"{self.licence_lead} {self.licence}" if self.licence else ""

    @property
    def footer_line(self) -> str:
        """What the foot of every page says (a Part II report says its notice instead):
        the committee's footer text, then the licence line."""
        return " – ".join(part for part in (self.footer, self.licence_line) if part)

    @property
    def licence_url(self) -> str:
        """Where the licence's terms are published ("" for a licence we do not know)."""
        return LICENCE_URLS.get(self.licence, "")

    @property
    def meeting_text(self) -> str:
        """ "9 September 2020", as the cover sheet prints it; "To be confirmed" without a date."""
        return meeting_text(self.meeting_date)

    @property
    def table(self) -> PerformanceTable | None:
        """The performance table, wherever it stands (section 2 or an appendix)."""
        for section in (*self.sections, *self.appendices):
            found = _find_table(section)
            if found is not None:
                return found.table
        return None

    @property
    def table_block(self) -> TableBlock | None:
        for section in (*self.sections, *self.appendices):
            found = _find_table(section)
            if found is not None:
                return found
        return None

    @property
    def filename_stem(self) -> str:
        """ "housing-community-2020-21-Q1" (with "-v2" for a re-issue)."""
        stem = f"{self.committee_slug}-{self.period.key}"
        return f"{stem}-v{self.version}" if self.version > 1 else stem


_ARTICLE = re.compile(r"(the|a|an)\s", re.IGNORECASE)
_CALLED_A_LICENCE = re.compile(r"\blicen[cs]es?\b", re.IGNORECASE)


def licence_lead_for(licence: str) -> str:
    """ "Published under the" before a licence named as one ("the Open Government Licence
    v3.0", "the MIT License"), "Published under" before any other name ("CC BY 4.0",
    "Creative Commons Attribution 4.0 International") and before one that brings its own
    article ("a Creative Commons Attribution 4.0 International License")."""
    if _ARTICLE.match(licence) or not _CALLED_A_LICENCE.search(licence):
        return "Published under"
    return "Published under the"


LICENCE_URLS = {
    "Open Government Licence v3.0": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"

_PARAGRAPHS = re.compile(r"\bparagraphs?\s+(\d+(?:\s*(?:,|and|&)\s*\d+)*)", re.IGNORECASE)


def exempt_notice(reason: str) -> str:
    """ "NOT FOR PUBLICATION — exempt information under paragraph 3 of Part 1 of Schedule 12A
    to the Local Government Act 1972": the paragraphs (1 to 7) are those the reason names;
    a reason that names none gives the notice without them."""
    found = _PARAGRAPHS.search(reason)
    numbers = [n for n in re.findall(r"\d+", found.group(1)) if 1 <= int(n) <= 7] if found else []
    numbers = list(dict.fromkeys(numbers))
    if len(numbers) == 1:
        where = f"paragraph {numbers[0]} of Part 1"
    elif numbers:
        where = f"paragraphs {', '.join(numbers[:-1])} and {numbers[-1]} of Part 1"
    else:
        where = "Part 1"
    return (
        f"{NOT_FOR_PUBLICATION} — exempt information under {where} of Schedule 12A "
        "to the Local Government Act 1972"
    )


def row_comment(row: TableRow) -> str:
    """The row's comment for this period, unless it only repeats the no-data reason that is
    shown beside the figure already."""
    current = row.current
    if current.comment and current.comment == current.result.no_data_reason and current.result.value is None:
        return ""
    return current.comment


def meeting_text(d: date | None) -> str:
    """A meeting date as a cover sheet prints it: "9 September 2020"."""
    return f"{d.day} {d:%B %Y}" if d else "To be confirmed"


def _find_table(section: Section) -> TableBlock | None:
    for block in section.blocks:
        if isinstance(block, TableBlock):
            return block
        if isinstance(block, Section):
            found = _find_table(block)
            if found is not None:
                return found
    return None


STATUS_ORDER = (
    Status.GREEN,
    Status.AMBER_GREEN,
    Status.AMBER,
    Status.AMBER_RED,
    Status.RED,
    Status.INFO_ONLY,
    Status.NO_DATA,
    Status.NOT_MEASURED,
)
TREND_ORDER = (Trend.IMPROVING, Trend.WORSENING, Trend.UNCHANGED, Trend.UP, Trend.DOWN, Trend.NOT_COMPARABLE)
