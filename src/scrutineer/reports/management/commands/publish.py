from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.reports.management.commands.table import find_committee, parse_period
from scrutineer.reports.models import Report, ReportState
from scrutineer.reports.publishing import NothingToPublish, publish_report


class Command(BaseCommand):
    help = (
        "Publish a committee's report for a period: freeze its figures and its HTML, PDF, Word and CSV "
        "files as a numbered version with a content hash. A report must be reviewed first (--review marks "
        "it reviewed as you publish). Publishing again after figures were corrected issues a new version "
        "that lists the restatements; the earlier version never changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", required=True, help="Committee slug, e.g. housing-community.")
        parser.add_argument("--period", required=True, help="Period key, e.g. 2020-21-Q1.")
        parser.add_argument("--review", action="store_true", help="Mark the draft reviewed, then publish.")
        parser.add_argument("--note", default="", help="Why this version is issued (kept with it).")

    def handle(self, *args: object, **options: object) -> None:
        period = parse_period(str(options["period"]))
        committee = find_committee(str(options["committee"]))
        report = Report.objects.filter(committee=committee, period=period).first()
        if report is None:
            raise CommandError(
                f"There is no report for {committee.name} {period.label} to publish. Create it (with its "
                "meeting date) in the web app or the admin first."
            )
        if report.state == ReportState.DRAFT:
            if not options["review"]:
                raise CommandError(
                    f"The {period.label} report is still a draft. Review it, then publish with --review "
                    "to record that it was reviewed."
                )
            Report.objects.filter(pk=report.pk).update(state=ReportState.REVIEWED)
        try:
            version = publish_report(report, note=str(options["note"]))
        except NothingToPublish as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Published {committee.name} {period.label} version {version.number}.")
        )
        self.stdout.write(f"Content hash: {version.content_hash}")
        for f in version.files.all():
            self.stdout.write(f"  {f.filename}  {f.size:,} bytes  sha256 {f.sha256}")
        if version.restatements:
            self.stdout.write("Restatements:")
            for line in version.restatements:
                self.stdout.write(f"  - {line}")
