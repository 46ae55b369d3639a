"""Build a committee report's document tree from data: report → `ReportDocument`.

Every heading, number and period phrase comes from the period and the order of
things, never from typed text: a Quarter 2 report cannot say "1st Quarter
Achievements". Figures and statuses come from `build_table` (the engine).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from scrutineer.catalogue.models import (
    Grouping,
    ServiceTeam,
    SummaryStyle,
    Theme,
    council_name,
    default_tolerance,
    site_default_tolerance,
    site_rule,
)
from scrutineer.collection.models import Achievement, ValueState
from scrutineer.collection.text import parse_body
from scrutineer.engine import DEFAULT_RULE, JUDGED_STATUSES, Status, Trend, summarise
from scrutineer.engine.summary import directions
from scrutineer.performance import PerformanceTable, StatusKey, TableRow, ThemeGroup, build_table, status_keys
from scrutineer.performance.restatements import restatements_since
from scrutineer.reports.document import (
    STATUS_ORDER,
    TREND_ORDER,
    CoverField,
    Item,
    KeyEntry,
    Paragraph,
    ReportDocument,
    RuleKey,
    Section,
    TableBlock,
    meeting_text,
)
from scrutineer.reports.layout import Layout, layout_of, licence_for
from scrutineer.reports.models import Report, ReportVersion
from scrutineer.reports.narrative import (
    Tally,
    achievements_heading,
    achievements_intro,
    draft_summary,
    headline,
    introduction,
    period_name,
)


def default_title(report: Report, services: list[ServiceTeam]) -> str:
    names = [s.name for s in services]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
    title = f"{period_name(report.period)} Performance Report"
    return f"{title} – {joined}" if joined else title


def cover_sheet(
    report: Report, services: list[ServiceTeam], objectives: Sequence[str] | None = None
) -> tuple[CoverField, ...]:
    committee = report.committee
    contact = report.contact
    if contact is None:
        contact = committee.portfolio.contact_line if committee.portfolio else ""
    authors = [line for line in report.authors.splitlines() if line.strip()]
    if not authors:
        leaders = [s.team_leader for s in services if s.team_leader is not None]
        authors = [p.name_and_title for p in leaders]
    own = report.corporate_objectives
    if own is not None:
        objective_lines = [line for line in own.splitlines() if line.strip()]
    elif objectives is not None:
        objective_lines = list(objectives)
    else:
        objective_lines = [str(o) for o in committee.corporate_objectives.all()]
    fields = [
        CoverField("Report for:", (committee.name,)),
        CoverField("Date of meeting:", (meeting_text(report.meeting_date),)),
        CoverField("PART:", (report.part,) if report.part else ()),
        CoverField(
            "If Part II, reason:",
            (report.part_two_reason,) if report.part_two_reason else (),
            empty="Not applicable" if report.part == "I" else "Not stated",
        ),
        CoverField("Title of report:", (report.title or default_title(report, services),)),
        CoverField("Contact:", (contact,) if contact else ()),
        CoverField("Author/Responsible Officers:", tuple(authors)),
        CoverField("Purpose of report:", _lines(report.cover_value("purpose"))),
        CoverField("Recommendations:", _lines(report.cover_value("recommendations"))),
        CoverField("Corporate objectives:", tuple(objective_lines)),
        CoverField("Implications:", _lines(report.cover_value("financial_implications")), "Financial"),
        CoverField(
            "Value for Money Implications:",
            _lines(report.cover_value("value_for_money_implications")),
            "Value for Money",
        ),
        CoverField("Risk Implications:", _lines(report.cover_value("risk_implications"))),
        CoverField("Equalities Implications:", _lines(report.cover_value("equalities_implications"))),
        CoverField(
            "Health and Safety Implications:", _lines(report.cover_value("health_and_safety_implications"))
        ),
        CoverField("Consultees:", _lines(report.cover_value("consultees"))),
        CoverField("Background papers:", _lines(report.cover_value("background_papers"))),
    ]
    always = {"Report for:", "Date of meeting:", "PART:", "If Part II, reason:", "Title of report:"}
    return tuple(f for f in fields if f.lines or f.label in always)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def key_block(table: PerformanceTable, caption: str, layout: Layout | None = None) -> TableBlock:
    """The table with its key: one per status rule that judged it, written from the rule
    (`performance.status_keys`), so the key always says what the engine did. A table with
    no rows has the key of the site's rule. The summary above the key is in the layout's
    style (`summary_line`)."""
    layout = Layout() if layout is None else layout
    fallback = None
    if not any(True for _ in table.rows()):
        found = site_rule()
        fallback = DEFAULT_RULE if found is None else found.rule
    return TableBlock(
        table=table,
        caption=caption,
        keys=tuple(_rule_key(key) for key in status_keys(table.rows(), fallback)),
        layout=layout,
        summary=summary_line(table, layout),
    )


def summary_line(table: PerformanceTable, layout: Layout) -> str:
    """The sentences above the key: the period summed up in the layout's style, then the
    counts by status (unless that is the style), the codes with no data and those not
    measured. The seed's: "3 of 3 measurable targets achieved. By status: …"."""
    summary = table.summary
    words = [
        f"{headline(layout.summary_style, tally(table), labels=table.labels, trend_words=trend_words(table))}."
    ]
    counts = [f"{table.label(status)} {n}" for status, n in summary.counts.items() if n]
    if counts and layout.summary_style != SummaryStyle.STATUS_COUNTS:
        words.append(f"By status: {', '.join(counts)}.")
    if summary.missing:
        words.append(f"No data: {', '.join(summary.missing)}.")
    if summary.not_measured:
        words.append(f"Not measured: {', '.join(summary.not_measured)}.")
    return " ".join(words)


def tally(table: PerformanceTable, rows: Sequence[TableRow] | None = None) -> Tally:
    """The statuses (the table's own summary) and directions of travel of `rows` (all the
    table's by default) against the previous period."""
    if rows is None:
        return Tally(table.summary, directions(row.trend_previous for row in table.rows()))
    return Tally(
        summarise((row.code, row.current.result) for row in rows),
        directions(row.trend_previous for row in rows),
    )


def trend_words(table: PerformanceTable) -> dict[Trend, str]:
    """Each trend in the words of the rules on the table ("Similar / Unchanged" where two differ)."""
    rules = table.rules or (DEFAULT_RULE,)
    return {trend: " / ".join(dict.fromkeys(rule.trend_label(trend) for rule in rules)) for trend in Trend}


def regroup(table: PerformanceTable, grouping: str) -> PerformanceTable:
    """The table's rows under the layout's headings: "Priority - Theme" as judged (the
    seed's), the theme alone, or the service. Rows keep their order within a heading;
    services come in their report order."""
    if grouping == Grouping.PRIORITY_THEME:
        return table
    rows = list(table.rows())
    if grouping == Grouping.THEME:
        names = dict(Theme.objects.filter(pk__in={r.theme_id for r in rows}).values_list("pk", "name"))
        heading = {r.code: names.get(r.theme_id, r.theme) for r in rows}
    else:
        order = {
            slug: n
            for n, slug in enumerate(
                ServiceTeam.objects.filter(slug__in={r.service_slug for r in rows})
                .order_by("position", "name")
                .values_list("slug", flat=True)
            )
        }
        rows.sort(key=lambda r: order.get(r.service_slug, len(order)))
        heading = {r.code: r.service for r in rows}
    grouped: dict[str, list[TableRow]] = {}
    for row in rows:
        grouped.setdefault(heading[row.code], []).append(row)
    return replace(table, groups=tuple(ThemeGroup(name, tuple(found)) for name, found in grouped.items()))


def _rule_key(key: StatusKey) -> RuleKey:
    statuses = {line.status: line for line in key.statuses}
    trends = {line.trend: line for line in key.trends}
    if not key.uses_tolerance:
        tolerance = ""
    elif key.rule == DEFAULT_RULE and not key.closest:
        tolerance = f"{default_tolerance().describe()}, unless the indicator sets its own band."
    else:
        tolerance = f"The tolerance is {site_default_tolerance()}, unless the indicator sets its own."
    return RuleKey(
        name=key.heading,
        codes=key.codes,
        statuses=tuple(
            KeyEntry(statuses[s].symbol, statuses[s].label, statuses[s].line, s.value)
            for s in STATUS_ORDER
            if s in statuses
        ),
        trends=tuple(
            KeyEntry(trends[t].symbol, trends[t].label, trends[t].line, t.value) for t in TREND_ORDER
        ),
        tolerance=tolerance,
    )


def service_tallies(table: PerformanceTable) -> dict[str, Tally]:
    """Each service's statuses and directions of travel, in table order."""
    by_service: dict[str, list[TableRow]] = defaultdict(list)
    for row in table.rows():
        by_service[row.service].append(row)
    return {service: tally(table, rows) for service, rows in by_service.items()}


def drafted_summary(table: PerformanceTable, layout: Layout) -> tuple[str, ...]:
    """The summary drafted from the figures, in the layout's style (section 2's paragraphs
    when the officer writes none)."""
    return draft_summary(
        table.period,
        tally(table),
        service_tallies(table),
        labels=table.labels,
        style=layout.summary_style,
        trend_words=trend_words(table),
        levels=levels(table),
    )


def levels(table: PerformanceTable) -> tuple[Status, ...]:
    """The judged statuses the rules on the table give, kindest first (the default rule's
    green, amber and red for a table no rule judged)."""
    rules = table.rules or (DEFAULT_RULE,)
    return tuple(status for status in JUDGED_STATUSES if any(status in rule.statuses for rule in rules))


def build_document(
    report: Report,
    table: PerformanceTable | None = None,
    *,
    services: Sequence[ServiceTeam] | None = None,
    objectives: Sequence[str] | None = None,
) -> ReportDocument:
    """The report's document tree, laid out as its committee chooses (`layout.Layout`).

    `table`, `services` and `objectives` stand in for the committee's own: the layout
    preview builds a committee's report from choices not saved yet."""
    committee = report.committee
    layout = layout_of(committee)
    period = report.period
    if services is None:
        services = list(committee.services.select_related("team_leader").order_by("position", "name"))
    services = list(services)
    if table is None:
        table = build_table(committee, period)
    table = regroup(table, layout.grouping)
    caption = f"{committee.table_caption or committee.name} {layout.period_label(period)}"
    block = key_block(table, caption, layout)
    as_appendix = report.effective_table_as_appendix

    sections: list[Section] = []

    def number() -> str:
        return str(len(sections) + 1)

    achievements = list(
        Achievement.objects.filter(service__in=services, period=period, state=ValueState.APPROVED).order_by(
            "service__position", "service__name", "position"
        )
    )
    by_service: dict[int, list[Achievement]] = defaultdict(list)
    for a in achievements:
        by_service[a.service_id].append(a)
    reporting = [s for s in services if by_service.get(s.pk)]
    # No achievements this period: no achievements section, and none of its wording.
    with_achievements = bool(reporting) or not layout.omit_empty_sections

    n = number()
    intro = [p.strip() for p in report.introduction.split("\n\n") if p.strip()] or [
        introduction(period, achievements=with_achievements)
    ]
    sections.append(
        Section(
            n,
            "Introduction",
            tuple(Paragraph(text, f"{n}.{i}") for i, text in enumerate(intro, start=1)),
            anchor="introduction",
        )
    )

    n = number()
    commentary = [p.strip() for p in report.performance_commentary.split("\n\n") if p.strip()]
    perf_blocks: list[Paragraph | TableBlock] = []
    appendices: list[Section] = []
    if as_appendix:
        appendix_name = "Appendix 1"
        texts = [*commentary, f"{period_name(period)} report - See {appendix_name}"]
        appendices.append(
            Section(
                appendix_name,
                f"Performance report {period.label}",
                (block,),
                anchor="appendix-1",
            )
        )
    else:
        texts = commentary or list(drafted_summary(table, layout))
    perf_blocks.extend(Paragraph(text, f"{n}.{i}") for i, text in enumerate(texts, start=1))
    if not as_appendix:
        perf_blocks.append(block)
    sections.append(
        Section(
            n,
            f"Performance Reports {period.fy_label} - {period_name(period)}",
            tuple(perf_blocks),
            anchor="performance",
        )
    )

    def items(prefix: str, service: ServiceTeam) -> tuple[Item, ...]:
        return tuple(
            Item(f"{prefix}.{i}", parse_body(a.body)) for i, a in enumerate(by_service[service.pk], start=1)
        )

    if with_achievements:
        n = number()
        heading = achievements_heading(period)
        intro_text = achievements_intro(period)
        if report.effective_achievements_as_sections:
            sections.append(Section(n, heading, (Paragraph(intro_text, f"{n}.1"),), anchor="achievements"))
            for service in reporting:
                own = number()
                sections.append(
                    Section(own, service.name, items(own, service), anchor=f"service-{service.slug}")
                )
        else:
            subsections = tuple(
                Section(
                    f"{n}.{i}", service.name, items(f"{n}.{i}", service), anchor=f"service-{service.slug}"
                )
                for i, service in enumerate(reporting, start=1)
            )
            sections.append(Section(n, heading, (Paragraph(intro_text), *subsections), anchor="achievements"))

    title = report.title or default_title(report, services)
    return ReportDocument(
        council=council_name(),
        committee=committee.name,
        committee_slug=committee.slug,
        period=period,
        meeting_date=report.meeting_date,
        title=title,
        cover=cover_sheet(report, services, objectives),
        sections=tuple(sections),
        appendices=tuple(appendices),
        part=report.part,
        part_two_reason=report.part_two_reason,
        restatements=tuple(restated_since_last_report(report)) if committee.pk is not None else (),
        licence=licence_for(layout),
        footer=layout.footer_text.strip(),
    )


def restated_since_last_report(report: Report) -> list[str]:
    """Figures of the committee's indicators restated (a locked figure corrected and
    approved again) since the committee's latest published report: the next report notes
    each, with the reason. Published versions keep the figures they were published with."""
    latest = (
        ReportVersion.objects.filter(report__committee=report.committee)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return restatements_since(report.committee.indicators.all(), latest)
