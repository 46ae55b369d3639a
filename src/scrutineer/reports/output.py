"""Writing reports to files: the CLI's `report`, and `demo`'s out/ folder.

Each file is written all at once or not at all: into a temporary file beside it, then
moved into place with `os.replace`, so a crash, a full disk or a second run never
leaves half a PDF, and no other file in the folder is ever touched. What goes wrong on
the way (a read-only folder, a file where a folder should be, a full disk) is raised as
an `OutputError` whose message is one sentence naming the path and the reason, for
commands to show as it is.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from scrutineer.catalogue.models import Committee
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report, ReportVersion
from scrutineer.reports.renderers import FORMATS, render

File = tuple[str, bytes]
"""A file to write: its name and its content."""


class OutputError(Exception):
    """A report file could not be written; the message says which and why."""


def draft_report(committee: Committee, period: Period) -> Report:
    """The committee's report for the period, or an unsaved draft with its defaults."""
    found = Report.objects.filter(committee=committee, period=period).select_related("committee").first()
    return found or Report(committee=committee, period=period, meeting_date=None)


def report_files(report: Report, formats: list[str]) -> list[File]:
    """The report rendered now from live data, under its usual file names."""
    doc = build_document(report)
    return [(f"{doc.filename_stem}{FORMATS[fmt].extension}", render(doc, fmt)) for fmt in formats]


def version_files(version: ReportVersion, formats: list[str]) -> list[File]:
    """A published version's stored files, byte for byte as published."""
    return [(stored.filename, bytes(stored.content)) for stored in version.files.filter(format__in=formats)]


def write_report(report: Report, formats: list[str], folder: Path) -> list[Path]:
    return write_files(report_files(report, formats), folder)


def write_files(files: Iterable[File], folder: Path) -> list[Path]:
    """Each file into `folder` (made if missing) under its own name."""
    make_folder(folder)
    return [write_file(folder / name, content) for name, content in files]


def make_folder(folder: Path, *, for_file: Path | None = None) -> None:
    """The folder, made if missing (with its parents); `for_file` names the file it is for
    in the message if it cannot be."""
    try:
        if folder.exists() and not folder.is_dir():
            if for_file is not None:
                raise OutputError(f"Could not write {for_file}: {folder} is a file, not a folder.")
            raise OutputError(f"Could not write to {folder}: it is a file, not a folder.")
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Could not make the folder {folder}: {_reason(exc)}.") from None


def write_file(path: Path, content: bytes) -> Path:
    """`content` into `path` all at once, replacing any file of that name; the folder must exist.

    The temporary file is a hidden name beside the target (`.q1.pdf.…part`), removed if
    anything fails, so the only name that ever changes is `path`.
    """
    folder = path.parent
    temporary = None
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"Could not write {path}: {folder} is a file, not a folder.")
        if path.is_dir():
            raise OutputError(f"Could not write {path}: it is a folder.")
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _new_file_mode(path))
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise OutputError(f"Could not write {path}: {_reason(exc)}.") from None
    return path


def _new_file_mode(path: Path) -> int:
    """The mode a plain `open(path, "w")` would give (mkstemp's own is owner-only)."""
    with contextlib.suppress(OSError):
        return path.stat().st_mode & 0o777  # replacing a file keeps its permissions
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _reason(exc: OSError) -> str:
    """The operating system's reason, as a phrase: "Permission denied"."""
    return exc.strerror or str(exc) or type(exc).__name__
