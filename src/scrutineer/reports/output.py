"""Writing reports to files: the CLI's `report`, and `demo`'s out/ folder."""

from __future__ import annotations

from pathlib import Path

from scrutineer.catalogue.models import Committee
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.document import ReportDocument
from scrutineer.reports.models import Report, ReportVersion
from scrutineer.reports.renderers import FORMATS, render


def draft_report(committee: Committee, period: Period) -> Report:
    """The committee's report for the period, or an unsaved draft with its defaults."""
    found = Report.objects.filter(committee=committee, period=period).select_related("committee").first()
    return found or Report(committee=committee, period=period, meeting_date=None)


def write_document(doc: ReportDocument, formats: list[str], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = folder / f"{doc.filename_stem}{FORMATS[fmt].extension}"
        path.write_bytes(render(doc, fmt))
        written.append(path)
    return written


def write_report(report: Report, formats: list[str], folder: Path) -> list[Path]:
    return write_document(build_document(report), formats, folder)


def write_version(version: ReportVersion, formats: list[str], folder: Path) -> list[Path]:
    """A published version's stored files, byte for byte as published."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stored in version.files.filter(format__in=formats):
        path = folder / stored.filename
        path.write_bytes(bytes(stored.content))
        written.append(path)
    return written
