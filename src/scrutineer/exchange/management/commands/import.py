"""`scrutineer import FILE [--dry-run] [--approved] [--as USERNAME]`: import a workbook.

FILE is an .xlsx workbook, a folder of CSV files named after their sheets (values.csv),
a .zip of them, a single such .csv, or a .json export. The whole file is checked first;
the problems are listed by sheet, row and column and nothing is written, or everything
is written in one transaction. `--dry-run` shows what would change and writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.catalogue.access import performance_officers
from scrutineer.exchange.files import zip_of
from scrutineer.exchange.importing import check, start, write
from scrutineer.exchange.models import ImportRun, ImportState
from scrutineer.exchange.plan import ImportPlan


class Command(BaseCommand):
    help = "Import indicators, targets, the organisation and figures from a workbook (XLSX, CSV or JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an .xlsx, .json, .csv or .zip file, or a folder of CSV files")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and show what would change; write nothing"
        )
        parser.add_argument(
            "--approved",
            action="store_true",
            help="the figures marked approved are the council's approved history: import them approved, "
            "recorded as imported by you as approved history",
        )
        parser.add_argument(
            "--as", dest="username", help="the performance officer importing (default: the first)"
        )
        parser.add_argument("--show", type=int, default=20, help="changes to list (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        user = self._user(options["username"])
        if path.is_dir():
            files = {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.suffix.lower() == ".csv"}
            name, data = f"{path.name}.zip", zip_of(files)
        else:
            name, data = path.name, path.read_bytes()
        run = start(
            name,
            data,
            user=user,
            approved=options["approved"],
            dry_run=options["dry_run"],
            source="command line",
        )
        progress = Bar(self.stderr)
        plan = check(run, progress=progress)
        self._report(run, plan, options["show"])
        if not plan.ok:
            raise CommandError(f"{len(plan.problems)} problem(s): nothing was imported.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        written = write(run, plan, progress=progress)
        progress.done()
        ImportRun.objects.filter(pk=run.pk).update(
            state=ImportState.DONE, result={**run.result, "written": written}, content=b""
        )
        self.stdout.write(f"Imported {name} (SHA-256 {run.sha256}): import {run.pk}.")

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user {username!r}.")
            return user
        user = performance_officers().first()
        if user is None:
            raise CommandError(
                "Imports are made by a performance officer, and there is none. On a new site, "
                "scrutineer setup (or the first-run page) makes the first; a performance officer "
                "invites others on Manage → People → Invite someone (/manage/people/invite/). "
                "Or pass --as USERNAME."
            )
        return user

    def _report(self, run: ImportRun, plan: ImportPlan, show: int) -> None:
        for sheet, problems in plan.problems_by_sheet().items():
            self.stdout.write(f"{sheet}:")
            for problem in problems:
                self.stdout.write(f"  {problem}")
        for sheet, new, changed, unchanged in plan.summary():
            self.stdout.write(f"{sheet}: {new} new, {changed} changed, {unchanged} unchanged")
        for change in plan.changes[:show]:
            if change.kind == "new":
                self.stdout.write(f"  new {change.sheet} {change.label}")
            else:
                pairs = ", ".join(
                    f"{k} {change.before.get(k, '')!r} → {v!r}" for k, v in change.after.items()
                )
                self.stdout.write(f"  changed {change.sheet} {change.label}: {pairs}")


class Bar:
    """A progress bar on standard error, drawn only on a terminal."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()

    def __call__(self, done: int, message: str) -> None:
        if self.tty:
            filled = done * 30 // 100
            self.out.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done:3d}% {message:<45}", ending="")
            self.out.flush()

    def done(self) -> None:
        if self.tty:
            self.out.write(f"\r[{'#' * 30}] 100% Done.{' ' * 40}")
