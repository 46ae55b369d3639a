"""`scrutineer export`: the council's workbook, or its template.

    scrutineer export --format xlsx|csv|json --output PATH [--committee SLUG]
        [--service SLUG] [--theme ID] [--from PERIOD] [--to PERIOD] [--template]

XLSX writes one workbook, CSV a folder with one file per sheet (named after it), JSON
one document. `--template` writes the sheets with their headers and no rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.catalogue.access import performance_officers
from scrutineer.catalogue.models import Committee, ServiceTeam, Theme
from scrutineer.exchange.cells import CellError, read_period
from scrutineer.exchange.export import Selection, export_tables, template_tables
from scrutineer.exchange.files import FORMATS, csv_files, json_bytes, xlsx_bytes


class Command(BaseCommand):
    help = "Export indicators, targets, the organisation and figures as XLSX, CSV or JSON (or the template)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="xlsx")
        parser.add_argument("--output", required=True, help="the file (xlsx, json) or folder (csv) to write")
        parser.add_argument("--template", action="store_true", help="the empty workbook to fill in")
        parser.add_argument("--committee", help="a committee's slug")
        parser.add_argument("--service", help="a service's slug")
        parser.add_argument("--theme", type=int, help="a theme's number (as in its dashboard's address)")
        parser.add_argument("--from", dest="first", help="the first period, e.g. 2020-21-Q1 or Apr-2020")
        parser.add_argument("--to", dest="last", help="the last period, e.g. 2020-21 or Q4 2020/21")
        parser.add_argument(
            "--as", dest="username", help="the performance officer exporting (default: the first)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if options["template"]:
            tables = template_tables()
        else:
            tables = export_tables(self._selection(options), user=self._user(options["username"]))
        fmt = options["format"]
        if fmt == "csv":
            output.mkdir(parents=True, exist_ok=True)
            for name, content in csv_files(tables).items():
                (output / name).write_bytes(content)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_bytes(xlsx_bytes(tables) if fmt == "xlsx" else json_bytes(tables))
        rows = sum(len(t.rows) for t in tables)
        self.stdout.write(f"Wrote {output} ({fmt}, {rows} rows).")

    def _selection(self, options: dict[str, Any]) -> Selection:
        def one(model: Any, what: str, **lookup: Any) -> Any:
            found = model.objects.filter(**lookup).first()
            if found is None:
                raise CommandError(f"There is no {what} {next(iter(lookup.values()))!r}.")
            return found

        def period(text: str | None) -> Any:
            if not text:
                return None
            try:
                return read_period(text)
            except CellError as error:
                raise CommandError(str(error)) from None

        return Selection(
            committee=one(Committee, "committee", slug=options["committee"])
            if options["committee"]
            else None,
            service=one(ServiceTeam, "service", slug=options["service"]) if options["service"] else None,
            theme=one(Theme, "theme", pk=options["theme"]) if options["theme"] else None,
            first=period(options["first"]),
            last=period(options["last"]),
        )

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"There is no user {username!r}.")
            return user
        user = performance_officers().first()
        if user is None:
            raise CommandError("Exports are made by a performance officer, and there is none: pass --as.")
        return user
