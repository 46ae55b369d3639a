"""The workbook layout: the sheets and columns of an import or export, in one place.

XLSX, CSV and JSON carry the same sheets with the same columns (docs/import-export.md):
a workbook's sheet, a CSV file named after the sheet, or a list in the JSON document.
The template, the export, the import and the documentation's tables are all made from
`SHEETS`, so they cannot drift apart.

Rows refer to each other by natural keys, never by database ids: a directorate, group,
service or committee by its slug, an indicator by its code, a person by their email (or
their name when they have none), a priority, objective or portfolio by its name, and a
theme by its priority and name together.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a column's cells are read and written."""

    TEXT = "text"
    FIGURE = "figure"  # a number, read exactly (decision 0011)
    WHOLE = "whole number"
    PERIOD = "period"  # a key (2020-21-Q1) or a label councils write (Q1 2020/21)
    FLAG = "yes or no"
    DATE = "date"  # YYYY-MM-DD
    LIST = "list"  # several values separated by ";"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    help: str
    required: bool = False


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


T, F, W, P, B, D, L = Kind.TEXT, Kind.FIGURE, Kind.WHOLE, Kind.PERIOD, Kind.FLAG, Kind.DATE, Kind.LIST
PERSON = "a person: their email, or their name if they have none (as on the people sheet)"

COVER_TEXTS = (
    ("purpose", "Purpose of the report"),
    ("recommendations", "Recommendations"),
    ("financial_implications", "Financial implications"),
    ("value_for_money_implications", "Value for money implications"),
    ("risk_implications", "Risk implications"),
    ("equalities_implications", "Equalities implications"),
    ("health_and_safety_implications", "Health and safety implications"),
    ("consultees", "Consultees"),
    ("background_papers", "Background papers"),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "directorates",
        "The council's directorates.",
        (
            Column("slug", T, "Short name used in addresses, e.g. people-performance-innovation.", True),
            Column("name", T, "The directorate's name.", True),
            Column("head", T, f"Who heads it: {PERSON}."),
        ),
    ),
    Sheet(
        "groups",
        "Groups within directorates.",
        (
            Column("slug", T, "Short name, e.g. people-communities.", True),
            Column("name", T, "The group's name.", True),
            Column("directorate", T, "The directorate's slug.", True),
            Column("head", T, f"Who heads it (approves its services' achievements): {PERSON}."),
        ),
    ),
    Sheet(
        "services",
        "Service teams: they own indicators and report achievements.",
        (
            Column("slug", T, "Short name, e.g. customer-services.", True),
            Column("name", T, "The service's name.", True),
            Column("group", T, "The group's slug.", True),
            Column("team_leader", T, f"The team leader: {PERSON}."),
            Column("position", W, "Order within reports (0, 1, 2, …)."),
        ),
    ),
    Sheet(
        "people",
        "Officers and councillors named on indicators, reports and committees.",
        (
            Column("name", T, "Their name, e.g. Tracy Lancashire.", True),
            Column("honorific", T, "e.g. Cllr."),
            Column("job_title", T, "As printed on reports."),
            Column("email", T, "Their email; other sheets may name them by it."),
            Column("role", T, "officer or councillor."),
            Column("service", T, "The slug of the service they work in."),
        ),
    ),
    Sheet(
        "portfolios",
        "Cabinet portfolios: the holder is the contact on committee reports.",
        (
            Column("name", T, "The portfolio, e.g. Community and Regulatory Services.", True),
            Column("holder", T, f"The portfolio holder: {PERSON}."),
        ),
    ),
    Sheet(
        "objectives",
        "Corporate objectives, listed on report cover sheets.",
        (
            Column("name", T, "The objective.", True),
            Column("position", W, "Order on cover sheets."),
        ),
    ),
    Sheet(
        "priorities",
        "Corporate priorities, each with themes.",
        (
            Column("name", T, "The priority, e.g. A clean, safe and enjoyable environment.", True),
            Column("objective", T, "The corporate objective it serves (its name)."),
            Column("position", W, "Order in reports."),
        ),
    ),
    Sheet(
        "themes",
        "Themes under priorities: reports group indicators by them.",
        (
            Column("priority", T, "The priority's name.", True),
            Column("name", T, "The theme, e.g. Performance excellence.", True),
            Column("position", W, "Order within its priority."),
        ),
    ),
    Sheet(
        "committees",
        "Overview & Scrutiny committees and their report cover-sheet defaults.",
        (
            Column("slug", T, "Short name used in addresses, e.g. housing-community.", True),
            Column("name", T, "The committee's name.", True),
            Column("portfolio", T, "The portfolio whose holder is the reports' contact (its name)."),
            Column("table_caption", T, "The performance table's caption; blank: the committee's name."),
            Column("table_as_appendix", B, "yes: the performance table goes in an appendix."),
            Column("achievements_as_sections", B, "yes: each service's achievements get a numbered section."),
            Column("services", L, "The slugs of the services it scrutinises, separated by ';'."),
            Column("members", L, "The councillors who sit on it (email or name), separated by ';'."),
            Column("objectives", L, "The corporate objectives on its cover sheets, separated by ';'."),
            *(Column(name, T, f"Cover sheet default: {label.lower()}.") for name, label in COVER_TEXTS),
        ),
    ),
    Sheet(
        "indicators",
        "Performance indicators: what is measured, how it is judged and who owns it.",
        (
            Column("code", T, "Short code, e.g. CSU10: letters, digits, '.', '_' or '-'.", True),
            Column("name", T, "What it measures, as printed.", True),
            Column("definition", T, "How it is counted."),
            Column("unit", T, 'Printed after the figure: "%", "Second(s)", "Attendances".'),
            Column(
                "measure_kind",
                T,
                "count, number, duration, currency, rate (numerator ÷ denominator), or percentage "
                "(a rate entered as a figure: 93.3 for 93.3%).",
                True,
            ),
            Column("polarity", T, "higher-is-better, lower-is-better, closest-to-target or info-only.", True),
            Column("decimal_places", W, "Places shown, 0 to 6 (default 2)."),
            Column("frequency", T, "monthly, quarterly or annual: how often figures are collected.", True),
            Column(
                "aggregation",
                T,
                "How the figures add up: how a monthly indicator's months make a quarter and a "
                "year, or a quarterly one's quarters a year. sum, mean, last, ratio (summed "
                "numerators ÷ summed denominators, rates only), or cumulative (year to date: each "
                "figure is the financial year so far; a quarter is its last month's). A percentage "
                "is never sum or ratio.",
                True,
            ),
            Column("rate_scale", F, "Rates only: 100 for a percentage (default), 1000 for 'per 1,000'."),
            Column("duration_style", T, "Durations: seconds (79.33 Second(s)) or mmss (1:19)."),
            Column(
                "tolerance_kind", T, "The amber band: absolute or percentage; blank for the site default."
            ),
            Column("tolerance_amount", F, "The amber band's size; blank for the site default."),
            Column("service", T, "The slug of the service that owns it.", True),
            Column("priority", T, "The priority its theme is under (its name).", True),
            Column("theme", T, "The theme's name.", True),
            Column("owner", T, f"The data owner who enters its figures: {PERSON}."),
            Column("approver", T, f"Who approves its figures: {PERSON}."),
            Column("committees", L, "The slugs of the committees that scrutinise it, separated by ';'."),
            Column("active", B, "no for a retired indicator (default yes)."),
            Column("retired_on", D, "A retired indicator: the date it was retired (YYYY-MM-DD)."),
            Column(
                "status_rule",
                T,
                "Its own status rule in the interchange format (docs/status-rules.md), found by its "
                "name or added; blank: its theme's or the site's rule.",
            ),
            Column("may_exceed_100", B, "Percentages only: yes to allow figures over 100% (default no)."),
        ),
    ),
    Sheet(
        "targets",
        "Targets: one row per indicator per period.",
        (
            Column("indicator", T, "The indicator's code.", True),
            Column("period", P, "2020-21 (a year), 2020-21-Q1 or Q1 2020/21, 2020-06 or Jun-2020.", True),
            Column("target", F, "The target, in the indicator's unit (a rate: as a percentage).", True),
            Column("note", T, "Where the target comes from."),
        ),
    ),
    Sheet(
        "values",
        "Figures: one row per indicator per period.",
        (
            Column("indicator", T, "The indicator's code.", True),
            Column("period", P, "Its period: 2020-06 or Jun-2020, 2020-21-Q1 or Q1 2020/21, 2020-21.", True),
            Column("value", F, "The figure; blank for a rate (give numerator and denominator) or no data."),
            Column("numerator", F, "A rate's numerator, e.g. 640."),
            Column("denominator", F, "A rate's denominator, e.g. 19498 (more than 0)."),
            Column("no_data_reason", T, "Why there is no figure (required when there is none)."),
            Column("not_measured", B, "yes: the figure is not a real measurement (service suspended)."),
            Column("note", T, "The data owner's note."),
            Column("comment", T, "The approver's comment, printed in reports."),
            Column(
                "state",
                T,
                "draft, submitted or approved (blank: submitted). Approved figures arrive approved "
                "only when a performance officer imports them as approved history.",
            ),
        ),
    ),
)

BY_NAME = {sheet.name: sheet for sheet in SHEETS}
ABOUT_SHEET = "about"
"""The XLSX's first sheet: what each sheet and column means (ignored on import)."""


def sheet(name: str) -> Sheet:
    return BY_NAME[name]
