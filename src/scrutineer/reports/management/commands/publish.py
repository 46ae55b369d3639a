from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from scrutineer.catalogue.access import performance_officers
from scrutineer.changes import StaleEdit
from scrutineer.reports.management.commands.table import find_committee, parse_period
from scrutineer.reports.models import Report
from scrutineer.reports.publishing import (
    NothingToPublish,
    NotReviewed,
    exempt_warning,
    mark_reviewed,
    publish_report,
)


class Command(BaseCommand):
    help = (
        "Publish a committee's report for a period: freeze its figures and its HTML, PDF, Word and CSV "
        "files as a numbered version with a content hash. A report must be reviewed first (--review marks "
        "it reviewed as you publish). Publishing again after figures were corrected issues a new version "
        "that lists the restatements; the earlier version never changes. The command acts as a "
        "performance officer: --as USERNAME, or by default the first active performance officer (the "
        "oldest staff account or member of the 'Performance officers' group), who is recorded as the "
        "reviewer and publisher. A Part II (exempt) report's version is for the committee's members and "
        "officers only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", required=True, help="Committee slug, e.g. housing-community.")
        parser.add_argument("--period", required=True, help="Period key, e.g. 2020-21-Q1.")
        parser.add_argument("--review", action="store_true", help="Mark the draft reviewed, then publish.")
        parser.add_argument("--note", default="", help="Why this version is issued (kept with it).")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="The performance officer who reviews and publishes (default: the first active one).",
        )

    def handle(self, *args: object, **options: object) -> None:
        period = parse_period(str(options["period"]))
        committee = find_committee(str(options["committee"]))
        report = Report.objects.filter(committee=committee, period=period).first()
        if report is None:
            raise CommandError(
                f"There is no report for {committee.name} {period.label} to publish. Create it (with its "
                "meeting date) in the web app or the admin first."
            )
        user = acting_user(options["as_user"])
        try:
            with transaction.atomic():  # reviewed and published, or neither
                if options["review"]:
                    report = mark_reviewed(report, user=user, expected_version=report.version)
                version = publish_report(
                    report, user=user, note=str(options["note"]), expected_version=report.version
                )
        except NotReviewed as exc:
            raise CommandError(
                f"{exc} Review it, then publish with --review to record that it was."
            ) from None
        except NothingToPublish as exc:
            # Publishing is idempotent: the latest version already says this. Not an error.
            self.stdout.write(str(exc))
            return
        except (StaleEdit, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Published {committee.name} {period.label} version {version.number} "
                f"as {user.get_username()}."
            )
        )
        self.stdout.write(f"Content hash: {version.content_hash}")
        for f in version.files.all():
            self.stdout.write(f"  {f.filename}  {f.size:,} bytes  sha256 {f.sha256}")
        if version.restatements:
            self.stdout.write("Restatements:")
            for line in version.restatements:
                self.stdout.write(f"  - {line}")
        if version.exempt:
            self.stdout.write(self.style.WARNING(exempt_warning(version)))


def acting_user(username: object) -> User:
    """The account named by --as, or the first active performance officer."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account '{username}' to publish as.")
        return user
    user = performance_officers().first()
    if user is None:
        raise CommandError(
            "There is no active performance officer to publish as: give one with --as USERNAME (a staff "
            "account or a member of the 'Performance officers' group)."
        )
    return user
