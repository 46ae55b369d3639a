"""Importing a workbook: check it whole, show what it would change, then write it all or nothing.

`check` reads a file and plans the import (`exchange.plan`), writing nothing but its
`ImportRun`; `run` writes a checked file through the actions (`catalogue.imports`, then
`collection.actions.imports`) inside one transaction, so a failure half way leaves the
database as it was. Every history row written carries the file's name and SHA-256, and
the `ImportRun` keeps what was found and what was written: the audit trail of imports.

The web app checks and imports in the background, with progress, by the same mechanism
as report builds (`SCRUTINEER_REPORT_BUILDS`: a thread of the web process, inline for
tests, or left for a worker); the command line does both in its own process, with a
progress bar.
"""

from __future__ import annotations

import gc
import hashlib
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from scrutineer.catalogue.access import check_may_manage
from scrutineer.catalogue.imports import import_catalogue
from scrutineer.changes import ChangeError
from scrutineer.collection.actions.imports import import_figures
from scrutineer.exchange.files import FileRefused, Problem, read_file
from scrutineer.exchange.models import ImportRun, ImportState
from scrutineer.exchange.plan import ImportPlan, plan_import
from scrutineer.reports.builds import this_process

Progress = Callable[[int, str], None]


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cycle collector less often while a file is read, checked or written.

    An import makes hundreds of thousands of small objects (cells, rows, figures) that all
    live until it ends, and the collector's default (every 700 new objects) walks them
    again and again: a third of the time of a 100,000-figure import. Almost none are in
    reference cycles (they are freed as soon as the import lets go of them), so
    collecting every 20,000 new objects instead loses next to nothing."""
    first, *rest = gc.get_threshold()
    gc.set_threshold(max(first, 20_000), *rest)
    try:
        yield
    finally:
        gc.set_threshold(first, *rest)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reason_for(run: ImportRun) -> str:
    """What every history row an import writes says about where it came from."""
    return f"Imported from {run.file_name} (SHA-256 {run.sha256}), import {run.pk}"


def start(
    name: str, data: bytes, *, user: Any, approved: bool = False, dry_run: bool = False, source: str = "web"
) -> ImportRun:
    """Record a file to be checked (and kept until imported): performance officers only."""
    check_may_manage(user, "import indicators, targets and figures")
    return ImportRun.objects.create(
        file_name=name[:255],
        sha256=checksum(data),
        size=len(data),
        content=data,
        approved=approved,
        dry_run=dry_run,
        requested_by=user,
        source=source,
    )


def plan_file(run: ImportRun, *, progress: Progress | None = None) -> ImportPlan:
    """Read and check the run's file, writing nothing."""
    note = progress or (lambda done, message: None)
    note(5, "Reading the file…")
    with fewer_collections():
        try:
            book = read_file(run.file_name, bytes(run.content))
        except FileRefused as error:
            return ImportPlan(problems=[Problem("", None, None, str(error))])
        note(30, "Checking every row…")
        return plan_import(book, user=run.requested_by, approved=run.approved)


def _result(plan: ImportPlan) -> dict[str, Any]:
    return {
        "problems": [asdict(p) for p in plan.problems],
        "summary": [list(row) for row in plan.summary()],
        "changes": [asdict(c) for c in plan.changes[:500]],
        "more_changes": max(0, sum(n + c for _, n, c, _ in plan.summary()) - min(len(plan.changes), 500)),
    }


def check(run: ImportRun, *, progress: Progress | None = None) -> ImportPlan:
    """Check the run's file and record what it would do (`CHECKED`) or why not (`REFUSED`)."""
    plan = plan_file(run, progress=progress)
    state = ImportState.CHECKED if plan.ok else ImportState.REFUSED
    message = (
        "Checked: nothing has been imported yet."
        if plan.ok
        else f"The file has {len(plan.problems)} problem{'s' if len(plan.problems) != 1 else ''}: nothing was imported."
    )
    ImportRun.objects.filter(pk=run.pk).update(
        state=state, result=_result(plan), progress=100, message=message, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return plan


def write(run: ImportRun, plan: ImportPlan, *, progress: Progress | None = None) -> dict[str, Any]:
    """Write a checked plan in one transaction, through the actions: all or nothing."""
    note = progress or (lambda done, message: None)
    user = run.requested_by
    check_may_manage(user, "import indicators, targets and figures")
    if not plan.ok:
        raise ChangeError("The file has problems, so nothing was imported: correct them and try again.")
    reason = reason_for(run)
    with fewer_collections(), transaction.atomic():
        note(70, "Writing the indicators and targets…")
        written = dict(
            import_catalogue(plan.catalogue, user=user, reason=reason, figures_entered=plan.figures_entered)
        )
        if plan.figures is not None:
            note(80, "Writing the figures…")
            figures = import_figures(plan.figures, user=user, reason=reason)
            written.update({f"Value {k}": v for k, v in figures.items() if k != "unchanged"})
        note(95, "Finishing…")
    return written


def run_import(run: ImportRun, *, progress: Progress | None = None) -> ImportRun:
    """Check the run's file again and write it, recording the outcome on the run."""
    ImportRun.objects.filter(pk=run.pk).update(state=ImportState.IMPORTING, progress=0, runner=this_process())
    try:
        plan = plan_file(run, progress=progress)
        if not plan.ok:
            ImportRun.objects.filter(pk=run.pk).update(
                state=ImportState.REFUSED,
                result=_result(plan),
                progress=100,
                message="The file has problems now (the database changed since it was checked): nothing was imported.",
                finished_at=timezone.now(),
            )
        else:
            written = write(run, plan, progress=progress)
            ImportRun.objects.filter(pk=run.pk).update(
                state=ImportState.DONE,
                result={**_result(plan), "written": written},
                progress=100,
                message="Imported.",
                content=b"",
                finished_at=timezone.now(),
            )
    except Exception as error:  # a failed import must say so: nothing was written
        ImportRun.objects.filter(pk=run.pk).update(
            state=ImportState.FAILED,
            message=f"The import failed and nothing was written: {traceback.format_exception_only(error)[-1].strip()}",
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def _step(run_id: int) -> Progress:
    def note(done: int, message: str) -> None:
        ImportRun.objects.filter(pk=run_id).update(progress=done, message=message)

    return note


def queue(run: ImportRun, action: str) -> None:
    """Check (`"check"`) or import (`"import"`) in the background, as report builds run."""
    mode = getattr(settings, "SCRUTINEER_REPORT_BUILDS", "thread")
    work = _background_check if action == "check" else _background_import
    if mode == "sync":
        work(run.pk)
    elif mode == "thread":
        ImportRun.objects.filter(pk=run.pk).update(runner=this_process())
        transaction.on_commit(
            lambda: threading.Thread(target=_in_thread, args=(work, run.pk), daemon=True).start()
        )


def _in_thread(work: Callable[[int], None], run_id: int) -> None:
    try:
        work(run_id)
    finally:
        close_old_connections()


def _background_check(run_id: int) -> None:
    run = ImportRun.objects.select_related("requested_by").get(pk=run_id)
    try:
        check(run, progress=_step(run_id))
    except Exception as error:
        ImportRun.objects.filter(pk=run_id).update(
            state=ImportState.FAILED,
            message=f"Checking the file failed: {traceback.format_exception_only(error)[-1].strip()}",
            finished_at=timezone.now(),
        )


def _background_import(run_id: int) -> None:
    run = ImportRun.objects.select_related("requested_by").get(pk=run_id)
    run_import(run, progress=_step(run_id))
