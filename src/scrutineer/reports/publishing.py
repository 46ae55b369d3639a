"""Publishing a committee report: review it, then freeze it as a numbered version.

The two actions here are the only way a report is reviewed or published; the web page,
the `publish` command and the demo all call them (see STYLE.md, "Actions write"):

- `mark_reviewed` records that a performance officer reviewed the report as it stood
  at the version they looked at, and refuses a report saved since (`StaleEdit`);
- `publish_report` refuses anyone but a performance officer and a draft nobody has
  reviewed, then renders every format from one document tree, stores the files with
  their SHA-256 and a content hash over the data snapshot and the files, and records
  what changed since the previous version.

Nothing published is ever rewritten: a correction to a figure shows up only in the next
version, as a restatement. Each version keeps the part (I or II) it was published as;
a Part II version is exempt and never public (`catalogue.access.may_read_version`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from scrutineer.catalogue.access import check_may_manage
from scrutineer.changes import StaleEdit, claim, raise_version, record_change
from scrutineer.collection.actions import lock_reported_figures
from scrutineer.performance import committee_indicators
from scrutineer.reports.builder import build_document
from scrutineer.reports.document import ReportDocument, exempt_notice
from scrutineer.reports.editing import stale_report
from scrutineer.reports.models import Report, ReportFile, ReportState, ReportVersion
from scrutineer.reports.renderers import FORMATS, render
from scrutineer.reports.renderers.data import table_data

COLUMNS = (
    ("current", "this period"),
    ("previous", "previous period"),
    ("last_year", "same period last year"),
)


class NothingToPublish(Exception):
    """Re-issuing a report whose content has not changed since its last version."""


class NotReviewed(Exception):
    """Publishing a draft that no performance officer has marked reviewed."""


_NOT_PUBLISHED = "Nothing was published: look at the draft again, then publish."


def snapshot(doc: ReportDocument) -> dict[str, Any]:
    """What a version states: its table rows as data and its text, for comparing versions."""
    table = doc.table
    return {
        "title": doc.title,
        "committee": doc.committee_slug,
        "period": doc.period.key,
        "meeting_date": doc.meeting_date.isoformat() if doc.meeting_date else None,
        "cover": [[f.label, f.sublabel, list(f.lines)] for f in doc.cover],
        "rows": table_data(table) if table is not None else [],
        "summary": table.summary.achieved_text if table is not None else "",
    }


def _cell_words(cell: dict[str, Any]) -> str:
    words = cell["display"]
    if cell["fraction"]:
        words += f" ({cell['fraction']})"
    return f"{words}, {cell['target_display']}, {cell['status_label']}"


def restatements(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Every figure, target or status that differs between two snapshots, in words."""
    old = {row["code"]: row for row in before.get("rows", [])}
    new = {row["code"]: row for row in after.get("rows", [])}
    changes: list[str] = []
    for code, row in new.items():
        if code not in old:
            changes.append(f"{code} - {row['name']}: added to the report.")
            continue
        for column, _ in COLUMNS:
            was, now = old[code][column], row[column]
            keys = ("display", "fraction", "target_display", "status")
            if any(was[k] != now[k] for k in keys):
                changes.append(
                    f"{code} {now['label']}: restated from {_cell_words(was)} to {_cell_words(now)}."
                )
            elif was["comment"] != now["comment"]:
                changes.append(f"{code} {now['label']}: comment changed.")
    for code, row in old.items():
        if code not in new:
            changes.append(f"{code} - {row['name']}: no longer in the report.")
    if before.get("cover") != after.get("cover"):
        changes.append("Cover sheet changed.")
    if before.get("title") != after.get("title"):
        changes.append(f"Title changed to “{after['title']}”.")
    return changes


def content_hash(snap: dict[str, Any], files: dict[str, bytes]) -> str:
    digest = hashlib.sha256(json.dumps(snap, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    for fmt in sorted(files):
        digest.update(fmt.encode())
        digest.update(hashlib.sha256(files[fmt]).digest())
    return digest.hexdigest()


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@transaction.atomic
def mark_reviewed(report: Report, *, user: Any, expected_version: int | None) -> Report:
    """Record that `user` reviewed `report` as it stood at `expected_version`, and return it.

    Only a performance officer reviews a report (`PermissionDenied`). `expected_version`
    is the version the reviewer looked at (the command line passes the version it read):
    the row is claimed on it (`changes.claim`), so a report saved or published since is
    refused with `StaleEdit` and nothing changes. Marking it raises the version and writes
    a history row naming the reviewer. Call `publish_report` in the same transaction,
    with the returned report's version, to publish exactly what was reviewed.
    """
    check_may_manage(user, "review committee reports")
    input = {"expected_version": expected_version}
    try:
        reviewed = claim(Report.objects.all(), report.pk, expected_version, "report", input)
    except StaleEdit:
        current = Report.objects.select_related("updated_by").filter(pk=report.pk).first()
        raise stale_report(current, expected_version, input, user=user, outcome=_NOT_PUBLISHED) from None
    reviewed.state = ReportState.REVIEWED
    reviewed.updated_by, reviewed.updated_at = user, timezone.now()
    record_change(reviewed, user, "Reviewed")
    return reviewed


@transaction.atomic
def publish_report(
    report: Report,
    *,
    user: Any,
    note: str = "",
    formats: tuple[str, ...] = tuple(FORMATS),
    expected_version: int | None = None,
) -> ReportVersion:
    """Freeze `report` as its next version; refuse when nothing changed since the last one.

    Only a performance officer publishes (`PermissionDenied`), and a draft must have been
    marked reviewed first (`NotReviewed`; see `mark_reviewed`). `expected_version` is the
    version the publisher reviewed: if the report was saved since, `StaleEdit` and nothing
    is published (None: publish what is stored). The report's row is locked while it is
    published, and its version is raised, so an edit opened before publishing cannot be
    saved over it unseen. The version keeps the report's part (I or II) as published.
    """
    check_may_manage(user, "publish committee reports")
    report = Report.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=report.pk)
    if expected_version is not None and report.version != expected_version:
        raise stale_report(
            report,
            expected_version,
            {"note": note, "expected_version": expected_version},
            user=user,
            outcome=_NOT_PUBLISHED,
        )
    if report.state == ReportState.DRAFT:
        raise NotReviewed(
            f"The {report.period.label} report is still a draft, not yet reviewed: nothing was published."
        )
    previous = report.versions.order_by("-number").first()
    doc = build_document(report)
    snap = snapshot(doc)
    changes: list[str] = []
    if previous is not None:
        changes = restatements(previous.snapshot, snap)
        if not changes:
            raise NothingToPublish(
                f"Nothing has changed since version {previous.number} of {report}; nothing to re-issue."
            )
    number = previous.number + 1 if previous else 1
    # The figures restated since the committee's last report (the builder's), then what
    # differs from this report's previous version.
    doc = replace(doc, version=number, restatements=(*doc.restatements, *changes))
    files = {fmt: render(doc, fmt) for fmt in formats}
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        published_at=timezone.now(),
        published_by=user,
        note=note,
        snapshot=snap,
        restatements=changes,
        content_hash=content_hash(snap, files),
        part=report.part,
        part_two_reason=report.part_two_reason,
    )
    for fmt, content in files.items():
        ReportFile.objects.create(
            version=version,
            format=fmt,
            filename=f"{doc.filename_stem}{FORMATS[fmt].extension}",
            content=content,
            sha256=file_hash(content),
            size=len(content),
        )
    # The approved figures the report shows lock: from now on they change only by a
    # correction, which the committee's next report notes as a restatement.
    lock_reported_figures(
        committee_indicators(report.committee, report.period),
        (doc.period, doc.period.previous(), doc.period.same_period_last_year()),
        user=user,
        reason=f"published in {report} version {number}",
    )
    # The row is locked above: save it, so its history row records who published it.
    report.state, report.updated_by, report.updated_at = ReportState.PUBLISHED, user, timezone.now()
    raise_version(report)
    record_change(report, user, f"Published version {number}" + (f": {note}" if note else ""))
    return version


def exempt_warning(version: ReportVersion) -> str:
    """What the command line says about a Part II version's files ("" for a public one)."""
    if not version.exempt:
        return ""
    return (
        f"Warning: version {version.number} is exempt (Part II). "
        f"{exempt_notice(version.part_two_reason)}: these files are for the committee's members "
        "and officers only; do not publish or share them."
    )


def verify(version: ReportVersion) -> bool:
    """True when the stored files and snapshot still hash to what was published."""
    files = {f.format: bytes(f.content) for f in version.files.all()}
    return content_hash(version.snapshot, files) == version.content_hash and all(
        file_hash(bytes(f.content)) == f.sha256 for f in version.files.all()
    )
