"""Building draft reports in the background, with progress.

A PDF of a large committee takes seconds, so the web app queues a `ReportBuild` and
returns at once; the page then shows its progress. Builds run in a thread of the web
process by default (`SCRUTINEER_REPORT_BUILDS=thread`), synchronously (`sync`, for
tests and small sites), or are left queued for `scrutineer build_reports` (`worker`).

A build whose process dies (a restart, a crash, a deployment) must not show "Building"
for ever. Each build records the process building it (`runner`, host and process id);
`fail_interrupted_builds` marks failed, so they can be started again:

- builds whose process on this machine no longer exists ("interrupted"), which the
  build worker does when it starts and between polls, and the build pages when read;
- builds queued or running for longer than `SCRUTINEER_REPORT_BUILD_TIME_LIMIT`
  seconds (default 15 minutes), whichever machine ran them ("given up").

A build marked failed stops at its next step if its process is in fact still going,
so it can never overwrite the failure with a half-finished result.
"""

from __future__ import annotations

import os
import socket
import threading
import traceback
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from scrutineer.reports.builder import build_document
from scrutineer.reports.models import BuildState, BuiltFile, ReportBuild
from scrutineer.reports.output import draft_report
from scrutineer.reports.renderers import FORMATS, render

UNFINISHED = (BuildState.QUEUED, BuildState.RUNNING)
DEFAULT_TIME_LIMIT = 15 * 60
INTERRUPTED = "The build was interrupted (the process building it stopped); start it again."


class BuildAbandoned(Exception):
    """The build was marked failed while it ran (given up or interrupted): stop."""


def queue_build(build: ReportBuild) -> None:
    mode = getattr(settings, "SCRUTINEER_REPORT_BUILDS", "thread")
    if mode == "sync":
        run_build(build.pk)
    elif mode == "thread":
        # This process will run it: if it dies first, the build is known to be interrupted.
        ReportBuild.objects.filter(pk=build.pk).update(runner=this_process())
        transaction.on_commit(
            lambda: threading.Thread(target=_run_in_thread, args=(build.pk,), daemon=True).start()
        )


def _run_in_thread(build_id: int) -> None:
    try:
        run_build(build_id)
    finally:
        close_old_connections()


def run_build(build_id: int) -> ReportBuild:
    """Render the build's formats, recording progress after each step.

    Only a queued build is run, and it is claimed first, so two workers never run one build.
    """
    claimed = ReportBuild.objects.filter(pk=build_id, state=BuildState.QUEUED).update(
        state=BuildState.RUNNING, runner=this_process()
    )
    build = ReportBuild.objects.select_related("committee").get(pk=build_id)
    if not claimed:
        return build
    steps = len(build.formats) + 1

    def step(done: int, message: str) -> None:
        updated = ReportBuild.objects.filter(pk=build.pk, state=BuildState.RUNNING).update(
            progress=min(100, round(100 * done / steps)), message=message
        )
        if not updated:
            raise BuildAbandoned

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
        ReportBuild.objects.filter(pk=build.pk, state=BuildState.RUNNING).update(
            state=BuildState.DONE, progress=100, message="Ready to download.", finished_at=timezone.now()
        )
    except BuildAbandoned:
        pass  # already marked failed, with the reason
    except Exception as exc:  # a failed build must say so, not hang at "Building…"
        ReportBuild.objects.filter(pk=build.pk, state=BuildState.RUNNING).update(
            state=BuildState.FAILED,
            message=f"The build failed: {traceback.format_exception_only(exc)[-1].strip()}",
            finished_at=timezone.now(),
        )
    build.refresh_from_db()
    return build


def fail_interrupted_builds() -> int:
    """Mark failed the unfinished builds no process will finish; how many were marked.

    Cheap when nothing is unfinished (one query), so pages that show builds call it on
    every read.
    """
    now = timezone.now()
    limit = time_limit()
    marked = ReportBuild.objects.filter(state__in=UNFINISHED, created_at__lt=now - limit).update(
        state=BuildState.FAILED,
        message=(f"The build did not finish within {_duration(limit)}, so it was given up; start it again."),
        finished_at=now,
    )
    host = f"{socket.gethostname()}:"
    unfinished = ReportBuild.objects.filter(state__in=UNFINISHED, runner__startswith=host)
    for build_id, runner in unfinished.values_list("pk", "runner"):
        if not _process_exists(runner.removeprefix(host)):
            marked += ReportBuild.objects.filter(pk=build_id, state__in=UNFINISHED, runner=runner).update(
                state=BuildState.FAILED, message=INTERRUPTED, finished_at=now
            )
    return marked


def time_limit() -> timedelta:
    """How long a build may be queued or running before it is given up."""
    seconds = getattr(settings, "SCRUTINEER_REPORT_BUILD_TIME_LIMIT", DEFAULT_TIME_LIMIT)
    return timedelta(seconds=float(seconds))


def this_process() -> str:
    """This process as a build's `runner`: host, process id and, where the system says,
    when the process started (so a new process given an old one's id is not taken for it)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_started(pid)}"


def _process_exists(runner: str) -> bool:
    """Whether the process `runner` names (without its host) still runs on this machine.
    What cannot be told counts as running: the time limit catches it."""
    pid_text, _, started = runner.partition(":")
    try:
        pid = int(pid_text)
    except ValueError:
        return True
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: asks only whether it exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else, or this system cannot say
        return True
    now_started = _started(pid)
    return not (started and now_started and started != now_started)


def _started(pid: int) -> str:
    """When the process started, in clock ticks since boot (Linux); "" elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # Fields after the command name, which is in brackets and may hold spaces: the
    # start time is field 22 of the line, the 20th after the name.
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


def _duration(limit: timedelta) -> str:
    minutes = round(limit.total_seconds() / 60)
    if minutes >= 1:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    seconds = round(limit.total_seconds())
    return f"{seconds} second{'s' if seconds != 1 else ''}"
