"""Build a committee report's document tree from data: report → `ReportDocument`.

Every heading, number and period phrase comes from the period and the order of
things, never from typed text: a Quarter 2 report cannot say "1st Quarter
Achievements". Figures and statuses come from `build_table` (the engine).
"""

from __future__ import annotations

from collections import defaultdict

from scrutineer.catalogue.models import (
    ServiceTeam,
    council_name,
    default_tolerance,
    site_default_tolerance,
    site_rule,
)
from scrutineer.collection.models import Achievement, ValueState
from scrutineer.collection.text import parse_body
from scrutineer.engine import DEFAULT_RULE, Result, Summary, summarise
from scrutineer.performance import PerformanceTable, StatusKey, build_table, status_keys
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
from scrutineer.reports.models import Report, ReportVersion
from scrutineer.reports.narrative import (
    achievements_heading,
    achievements_intro,
    draft_summary,
    period_name,
    update_wording,
)


def default_title(report: Report, services: list[ServiceTeam]) -> str:
    names = [s.name for s in services]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
    title = f"{period_name(report.period)} Performance Report"
    return f"{title} – {joined}" if joined else title


def cover_sheet(report: Report, services: list[ServiceTeam]) -> tuple[CoverField, ...]:
    committee = report.committee
    contact = report.contact
    if contact is None:
        contact = committee.portfolio.contact_line if committee.portfolio else ""
    authors = [line for line in report.authors.splitlines() if line.strip()]
    if not authors:
        leaders = [s.team_leader for s in services if s.team_leader is not None]
        authors = [p.name_and_title for p in leaders]
    objectives = report.corporate_objectives
    objective_lines = (
        [line for line in objectives.splitlines() if line.strip()]
        if objectives is not None
        else [str(o) for o in committee.corporate_objectives.all()]
    )
    fields = [
        CoverField("Report for:", (committee.name,)),
        CoverField("Date of meeting:", (meeting_text(report.meeting_date),)),
        CoverField("PART:", (report.part,) if report.part else ()),
        CoverField("If Part II, reason:", (report.part_two_reason,) if report.part_two_reason else ()),
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


def key_block(table: PerformanceTable, caption: str) -> TableBlock:
    """The table with its key: one per status rule that judged it, written from the rule
    (`performance.status_keys`), so the key always says what the engine did. A table with
    no rows has the key of the site's rule."""
    fallback = None
    if not any(True for _ in table.rows()):
        found = site_rule()
        fallback = DEFAULT_RULE if found is None else found.rule
    return TableBlock(
        table=table,
        caption=caption,
        keys=tuple(_rule_key(key) for key in status_keys(table.rows(), fallback)),
    )


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


def service_summaries(table: PerformanceTable) -> dict[str, Summary]:
    by_service: dict[str, list[tuple[str, Result]]] = defaultdict(list)
    for row in table.rows():
        by_service[row.service].append((row.code, row.current.result))
    return {service: summarise(results) for service, results in by_service.items()}


def build_document(report: Report, table: PerformanceTable | None = None) -> ReportDocument:
    committee = report.committee
    period = report.period
    services = list(committee.services.select_related("team_leader").order_by("position", "name"))
    if table is None:
        table = build_table(committee, period)
    caption = f"{committee.table_caption or committee.name} {period.end_month_label}"
    block = key_block(table, caption)
    as_appendix = report.effective_table_as_appendix

    sections: list[Section] = []
    intro = [p.strip() for p in report.introduction.split("\n\n") if p.strip()] or [
        f"This paper will provide an update on service performance over {update_wording(period)} "
        "and also highlight key achievements over this same period."
    ]
    sections.append(
        Section(
            "1",
            "Introduction",
            tuple(Paragraph(text, f"1.{i}") for i, text in enumerate(intro, start=1)),
            anchor="introduction",
        )
    )

    commentary = [p.strip() for p in report.performance_commentary.split("\n\n") if p.strip()]
    perf_blocks: list[Paragraph | TableBlock] = []
    appendices: list[Section] = []
    if as_appendix:
        appendix_name = "Appendix 1"
        texts = [*commentary, f"{period_name(period)} report - See {appendix_name}"]
        appendices.append(
            Section(appendix_name, f"Performance report {period.label}", (block,), anchor="appendix-1")
        )
    else:
        texts = commentary or list(
            draft_summary(period, table.summary, service_summaries(table), labels=table.labels)
        )
    perf_blocks.extend(Paragraph(text, f"2.{i}") for i, text in enumerate(texts, start=1))
    if not as_appendix:
        perf_blocks.append(block)
    sections.append(
        Section(
            "2",
            f"Performance Reports {period.fy_label} - {period_name(period)}",
            tuple(perf_blocks),
            anchor="performance",
        )
    )

    achievements = list(
        Achievement.objects.filter(service__in=services, period=period, state=ValueState.APPROVED).order_by(
            "service__position", "service__name", "position"
        )
    )
    by_service: dict[int, list[Achievement]] = defaultdict(list)
    for a in achievements:
        by_service[a.service_id].append(a)
    reporting = [s for s in services if by_service.get(s.pk)]

    def items(prefix: str, service: ServiceTeam) -> tuple[Item, ...]:
        return tuple(
            Item(f"{prefix}.{i}", parse_body(a.body)) for i, a in enumerate(by_service[service.pk], start=1)
        )

    heading = achievements_heading(period)
    intro = achievements_intro(period)
    if report.effective_achievements_as_sections:
        sections.append(Section("3", heading, (Paragraph(intro, "3.1"),), anchor="achievements"))
        for n, service in enumerate(reporting, start=4):
            sections.append(
                Section(str(n), service.name, items(str(n), service), anchor=f"service-{service.slug}")
            )
    else:
        subsections = tuple(
            Section(f"3.{n}", service.name, items(f"3.{n}", service), anchor=f"service-{service.slug}")
            for n, service in enumerate(reporting, start=1)
        )
        sections.append(Section("3", heading, (Paragraph(intro), *subsections), anchor="achievements"))

    title = report.title or default_title(report, services)
    return ReportDocument(
        council=council_name(),
        committee=committee.name,
        committee_slug=committee.slug,
        period=period,
        meeting_date=report.meeting_date,
        title=title,
        cover=cover_sheet(report, services),
        sections=tuple(sections),
        appendices=tuple(appendices),
        part=report.part,
        part_two_reason=report.part_two_reason,
        restatements=tuple(restated_since_last_report(report)),
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
