"""`scrutineer import-benchmark FILE --indicator CODE [--area CODE] [--dry-run] [--as USERNAME]`.

Imports an LG Inform comparison (the CSV LG Inform downloads: a row per area, a column
per period) as benchmarks for one of our indicators, with `--area` the council's own
row (its ONS code; default: the `SCRUTINEER_BENCHMARK_AREA` setting, else the council's
area of the last benchmark import). The file is checked whole first: its problems are
listed by row and column and nothing is written, or each period's comparison is replaced
by the file's. `--dry-run` shows where the council would sit and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.catalogue.access import performance_officers
from scrutineer.catalogue.models import Indicator
from scrutineer.exchange.benchmarks import default_area, run_benchmark_import
from scrutineer.exchange.models import ImportState


class Command(BaseCommand):
    help = "Import an LG Inform comparison (CSV) as benchmarks for one indicator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV file LG Inform downloads for a comparison group")
        parser.add_argument("--indicator", required=True, help="our indicator's code, e.g. CSU11")
        parser.add_argument("--area", default="", help="the council's ONS code in the file, e.g. E07000096")
        parser.add_argument("--dry-run", action="store_true", help="check and show; write nothing")
        parser.add_argument(
            "--as", dest="username", help="the performance officer importing (default: the first)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        indicator = Indicator.objects.filter(code__iexact=options["indicator"].strip()).first()
        if indicator is None:
            raise CommandError(f"There is no indicator with the code {options['indicator']!r}.")
        area = options["area"].strip() or default_area()
        run, plan = run_benchmark_import(
            path.name,
            path.read_bytes(),
            indicator=indicator,
            area=area,
            user=self._user(options["username"]),
            dry_run=options["dry_run"],
            source="command line",
        )
        for problem in plan.problems:
            self.stdout.write(f"  {problem}")
        if not plan.ok:
            raise CommandError(f"{len(plan.problems)} problem(s): nothing was imported.")
        source = f" ({plan.comparison.source})" if plan.comparison.source else ""
        self.stdout.write(f"{indicator.code}: LG Inform{source}, the council's area {plan.area}")
        for note in plan.notes:
            self.stdout.write(f"  {note}")
        _, new, changed, unchanged = plan.summary()[0]
        self.stdout.write(f"benchmarks: {new} new, {changed} changed, {unchanged} unchanged")
        for where in plan.positions():
            if where.rank is None:
                self.stdout.write(f"  {where.period.label}: {where.why_unranked} ({where.areas} areas)")
            else:
                self.stdout.write(
                    f"  {where.period.label}: ranked {where.rank} of {where.areas} "
                    f"({where.quartile_words.lower()}), median {where.median.normalize():f}"  # type: ignore[union-attr]
                )
        if run.state == ImportState.DONE:
            self.stdout.write(f"Imported {path.name} (SHA-256 {run.sha256}): import {run.pk}.")
        else:
            self.stdout.write("Dry run: nothing was written.")

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user {username!r}.")
            return user
        user = performance_officers().first()
        if user is None:
            raise CommandError(
                "Benchmarks are imported by a performance officer, and there is none: pass --as."
            )
        return user
