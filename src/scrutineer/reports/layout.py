"""How a committee's reports are laid out: the choices it makes on its page (period
labels, grouping, comparison columns, comment label, summary style, empty sections,
footer and licence), as one value the builder reads (docs/report-layouts.md).

The defaults print the seed council's reports as they were published. Nothing here
judges or counts: the layout only says what to show and how to name it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from scrutineer.catalogue.models import Committee, Grouping, PeriodLabels, SummaryStyle, site_identity
from scrutineer.engine import Period

SEED_COMMENT_LABEL = "Approver Comments:"


@dataclass(frozen=True, slots=True)
class Layout:
    """A committee's report layout: the fields of the same names on `Committee`."""

    period_labels: str = PeriodLabels.MONTH
    grouping: str = Grouping.PRIORITY_THEME
    show_previous: bool = True
    show_last_year: bool = True
    show_trend: bool = True
    show_comments: bool = True
    comment_label: str = SEED_COMMENT_LABEL
    summary_style: str = SummaryStyle.ACHIEVED
    omit_empty_sections: bool = True
    footer_text: str = ""
    licence: str = ""  # the committee's own licence; "" for the site's

    def period_label(self, period: Period) -> str:
        """A period as the table names it: "Jun-2020" (by its last month) or "Q1 2020/21"."""
        if self.period_labels == PeriodLabels.QUARTER:
            return period.label
        return period.end_month_label


LAYOUT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Layout))
"""The committee's fields that make its layout, in the order its page shows them."""


def layout_of(committee: Committee) -> Layout:
    """The committee's layout, from its fields (saved or not: the preview's are not)."""
    return Layout(**{name: getattr(committee, name) for name in LAYOUT_FIELDS})


def licence_for(layout: Layout) -> str:
    """The licence a report prints: the committee's own, else the site's licence line
    ("" when neither names one: no licence is printed)."""
    return layout.licence.strip() or site_identity().licence.strip()
