"""Open data: the figures a committee's report published, for anyone, under the Open
Government Licence.

Open data is read only from published report versions (`ReportVersion.snapshot`, frozen
when the report was published), so it holds only what was published: approved figures
as the report stated them, never a draft or a figure awaiting approval (those read "No
Data: Awaiting approval" in a snapshot, as in the report), and never an exempt (Part II)
version (`catalogue.access.may_read_version` asked as the public). A correction after
publishing appears only when a new version is published.

Each committee and period has a stable address, with no sign-in:
`/open-data/<committee>/<period>.csv`, `.json` and `/metadata.json` (what each column
means, the units, the status rule in words, when it was published and the licence).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max

from scrutineer.catalogue.access import readable_versions
from scrutineer.catalogue.models import Committee
from scrutineer.engine import DEFAULT_RULE, Period, Polarity
from scrutineer.reports.document import LICENCE_URLS
from scrutineer.reports.models import ReportVersion
from scrutineer.spreadsheets import safe_writer

LICENCE = "Open Government Licence v3.0"

COLUMNS = (
    ("committee", "The committee's short name (as in the address)."),
    ("period", "The period's key: 2020-21-Q1 is Quarter 1 (April to June) of the financial year 2020/21."),
    ("period_label", "The period as the report printed it."),
    ("code", "The indicator's code."),
    ("name", "What the indicator measures."),
    ("theme", "The priority and theme it reports under."),
    ("service", "The service that owns it."),
    ("unit", "The unit of value and target (a rate is a percentage unless its unit says otherwise)."),
    ("value", "The figure as published, rounded as the report shows it; blank when there was none."),
    ("numerator", "For a rate: the count the rate is worked out from."),
    ("denominator", "For a rate: the count it is out of."),
    ("target", "The target for the period; blank when there was none."),
    (
        "status",
        "The status against target (green, amber-green, amber, amber-red, red, info-only, no-data, "
        "not-measured); amber-green and amber-red only under a status rule of more than three levels.",
    ),
    ("status_label", "The status as the report words it."),
    ("display", "The figure as the report printed it, with its unit."),
    ("no_data_reason", "Why there was no figure."),
    ("comment", "The approver's comment, as published."),
)


@dataclass(frozen=True, slots=True)
class Published:
    committee: Committee
    period: Period
    version: ReportVersion


def _public(versions: Any) -> Any:
    return readable_versions(AnonymousUser(), versions)


def published(slug: str, period: Period) -> Published | None:
    """The latest public version of the committee's report for `period`, or None."""
    committee = Committee.objects.filter(slug=slug).first()
    if committee is None:
        return None
    versions = _public(ReportVersion.objects.filter(report__committee=committee, report__period=period))
    version = versions.order_by("-number").first()
    return None if version is None else Published(committee, period, version)


def published_periods() -> list[tuple[Committee, list[Period]]]:
    """Each committee with the periods it has public open data for, newest first."""
    found: dict[int, list[Period]] = {}
    rows = (
        _public(ReportVersion.objects.all())
        .values("report__committee", "report__period")
        .annotate(latest=Max("number"))
        .order_by()
    )
    for row in rows:
        found.setdefault(row["report__committee"], []).append(Period.parse(str(row["report__period"])))
    committees = Committee.objects.filter(pk__in=found).order_by("name")
    return [(c, sorted(found[c.pk], key=lambda p: p.start, reverse=True)) for c in committees]


def rows(found: Published) -> list[dict[str, Any]]:
    snapshot = found.version.snapshot
    out = []
    for row in snapshot.get("rows", []):
        cell = row["current"]
        out.append(
            {
                "committee": found.committee.slug,
                "period": cell["period"],
                "period_label": Period.parse(cell["period"]).label,
                "code": row["code"],
                "name": row["name"],
                "theme": row["theme"],
                "service": row["service"],
                "unit": row["unit"],
                "value": cell["value"],
                "numerator": cell["numerator"],
                "denominator": cell["denominator"],
                "target": cell["target"],
                "status": cell["status"],
                "status_label": cell["status_label"],
                "display": cell["display"],
                "no_data_reason": cell["no_data_reason"],
                "comment": cell["comment"],
            }
        )
    return out


def as_csv(found: Published) -> bytes:
    out = io.StringIO(newline="")
    writer = safe_writer(out)
    writer.writerow([name for name, _ in COLUMNS])
    for row in rows(found):
        writer.writerow(["" if row[name] is None else row[name] for name, _ in COLUMNS])
    return out.getvalue().encode("utf-8")


def as_json(found: Published) -> bytes:
    document = {
        "licence": LICENCE,
        "licence_url": LICENCE_URLS[LICENCE],
        "committee": found.committee.name,
        "period": found.period.key,
        "version": found.version.number,
        "published_at": found.version.published_at.isoformat(),
        "rows": rows(found),
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def rule_in_words(version: ReportVersion | None = None) -> list[str]:
    """How a status is decided, in the words of the rule(s) the report was judged by: the
    key its published CSV printed ("# Status rule: …" and "# Status …" lines), so a rule
    changed since never rewrites what a published report said. The default rule's key when
    the version has no CSV."""
    stored = version.files.filter(format="csv").first() if version is not None else None
    if stored is not None:
        text = bytes(stored.content).decode("utf-8-sig", errors="replace")
        lines = [
            line[2:].strip()
            for line in text.splitlines()
            if line.startswith(("# Status rule", "# Status ", "# Key"))
        ]
        if lines:
            return lines
    lines = [line.line for line in DEFAULT_RULE.key(Polarity.HIGHER_IS_BETTER)]
    return [f"Status rule: {DEFAULT_RULE.name}.", *lines]


def metadata(found: Published, index_url: str) -> bytes:
    units = sorted({(r["code"], r["unit"]) for r in rows(found)})
    document = {
        "title": f"{found.committee.name}: performance {found.period.label}",
        "committee": found.committee.slug,
        "period": found.period.key,
        "period_label": found.period.long_label,
        "published_at": found.version.published_at.isoformat(),
        "version": found.version.number,
        "restatements": found.version.restatements,
        "licence": LICENCE,
        "licence_url": LICENCE_URLS[LICENCE],
        "columns": [{"name": name, "meaning": meaning} for name, meaning in COLUMNS],
        "units": [{"code": code, "unit": unit} for code, unit in units],
        "status_rule": rule_in_words(found.version),
        "about": "Only figures published in the committee's report: approved, as the report stated them. "
        "Figures not yet approved read 'No Data' with the reason 'Awaiting approval'.",
        "index": index_url,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
