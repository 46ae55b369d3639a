"""Building draft reports in the background, with progress.

A PDF of a large committee takes seconds, so the web app queues a `ReportBuild` and
returns at once; the page then shows its progress. Builds run in a thread of the web
process by default (`SCRUTINEER_REPORT_BUILDS=thread`), synchronously (`sync`, for
tests and small sites), or are left queued for `scrutineer build_reports` (`worker`).
"""

from __future__ import annotations

import threading
import traceback

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from scrutineer.reports.builder import build_document
from scrutineer.reports.models import BuildState, BuiltFile, ReportBuild
from scrutineer.reports.output import draft_report
from scrutineer.reports.renderers import FORMATS, render


def queue_build(build: ReportBuild) -> None:
    mode = getattr(settings, "SCRUTINEER_REPORT_BUILDS", "thread")
    if mode == "sync":
        run_build(build.pk)
    elif mode == "thread":
        transaction.on_commit(
            lambda: threading.Thread(target=_run_in_thread, args=(build.pk,), daemon=True).start()
        )


def _run_in_thread(build_id: int) -> None:
    try:
        run_build(build_id)
    finally:
        close_old_connections()


def run_build(build_id: int) -> ReportBuild:
    """Render the build's formats, recording progress after each step."""
    build = ReportBuild.objects.select_related("committee").get(pk=build_id)
    steps = len(build.formats) + 1

    def step(done: int, message: str, state: str = BuildState.RUNNING) -> None:
        ReportBuild.objects.filter(pk=build.pk).update(
            progress=min(100, round(100 * done / steps)), message=message, state=state
        )

    try:
        step(0, "Gathering the figures…")
        doc = build_document(draft_report(build.committee, build.period))
        for index, fmt in enumerate(build.formats, start=1):
            step(index, f"Rendering {FORMATS[fmt].label}…")
            BuiltFile.objects.update_or_create(
                build=build,
                format=fmt,
                defaults={
                    "filename": f"{doc.filename_stem}-draft{FORMATS[fmt].extension}",
                    "content": render(doc, fmt),
                },
            )
        ReportBuild.objects.filter(pk=build.pk).update(
            state=BuildState.DONE, progress=100, message="Ready to download.", finished_at=timezone.now()
        )
    except Exception as exc:  # a failed build must say so, not hang at "Building…"
        ReportBuild.objects.filter(pk=build.pk).update(
            state=BuildState.FAILED,
            message=f"The build failed: {traceback.format_exception_only(exc)[-1].strip()}",
            finished_at=timezone.now(),
        )
    build.refresh_from_db()
    return build
