from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.reports.management.commands.table import find_committee, parse_period, printing
from scrutineer.reports.output import (
    OutputError,
    draft_report,
    make_folder,
    report_files,
    version_files,
    write_file,
)
from scrutineer.reports.publishing import exempt_warning
from scrutineer.reports.renderers import FORMATS


def parse_formats(raw: str) -> list[str]:
    formats = list(FORMATS) if raw == "all" else [f.strip() for f in raw.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise CommandError(
            f"Unknown format '{', '.join(unknown) or raw}'. Use one or more of {', '.join(FORMATS)} "
            "(comma-separated), or 'all'."
        )
    return formats


class Command(BaseCommand):
    help = (
        "Write a committee's performance report for a period as HTML, tagged PDF, Word (DOCX) or the "
        "table as CSV open data. Without --published it renders the current draft from live data; with "
        "--published it writes a published version's files exactly as published (for a Part II version, "
        "with a warning that they are exempt: not for publication). Example: scrutineer report "
        "--committee housing-community --period 2020-21-Q1 --format pdf --output q1.pdf"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", required=True, help="Committee slug, e.g. housing-community.")
        parser.add_argument("--period", required=True, help="Period key, e.g. 2020-21-Q1.")
        parser.add_argument(
            "--format",
            default="html",
            help=f"One of {', '.join(FORMATS)}, several comma-separated, or 'all' (default html).",
        )
        parser.add_argument(
            "--output",
            required=True,
            help="A file for one format; a folder for several (created if missing).",
        )
        parser.add_argument(
            "--published",
            dest="report_version",
            help="A published version's number, or 'latest': write its stored files.",
        )

    def handle(self, *args: object, **options: str) -> None:
        formats = parse_formats(options["format"])
        period = parse_period(options["period"])
        committee = find_committee(options["committee"])
        output = Path(options["output"])
        single_file = len(formats) == 1 and output.suffix == FORMATS[formats[0]].extension
        if not single_file and output.suffix and output.suffix in {f.extension for f in FORMATS.values()}:
            raise CommandError(
                f"--output {output} is a file name: give a folder when writing several formats."
            )
        report = draft_report(committee, period)
        wanted = options.get("report_version")
        if wanted:
            if report.pk is None or not report.versions.exists():
                raise CommandError(f"{committee.name} {period.label} has no published version yet.")
            versions = report.versions.order_by("-number")
            version = (
                versions.first() if wanted == "latest" else versions.filter(number=_number(wanted)).first()
            )
            if version is None:
                numbers = ", ".join(str(n) for n in versions.values_list("number", flat=True))
                raise CommandError(f"No version {wanted}; published versions: {numbers}.")
            if version.exempt:  # an operator may write them; they must not go further
                self.stderr.write(self.style.WARNING(exempt_warning(version)))
            files = version_files(version, formats)
            if not files:
                raise CommandError(f"Version {version.number} was published without {', '.join(formats)}.")
        else:
            files = report_files(report, formats)
        # One format to a file name: that name, and only it, is written (never the usual
        # name first, which could be someone's file in the same folder).
        if single_file:
            folder, for_file, targets = output.parent, output, [(output, files[0][1])]
        else:
            folder, for_file, targets = output, None, [(output / name, content) for name, content in files]
        try:
            make_folder(folder, for_file=for_file)
            for path, content in targets:
                write_file(path, content)
                with printing(self.stdout):
                    self.stdout.write(f"Wrote {path} ({len(content):,} bytes)")
        except OutputError as exc:
            raise CommandError(str(exc)) from None


def _number(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"--published takes a version number or 'latest', not '{raw}'.") from None
