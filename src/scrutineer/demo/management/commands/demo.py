from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.demo.load import load_seed_council


class Command(BaseCommand):
    help = (
        "Set up the demonstration: migrate the database, load the seed council (Dacorum's Housing and "
        "Community Overview & Scrutiny Committee, from its Q1 2020/21 and Q2 2018/19 reports), then serve "
        "the app on http://127.0.0.1:8000. Safe to run again: nothing already there is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Set up, then stop without serving.")
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="Where to serve (default 127.0.0.1:8000)."
        )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        created = load_seed_council()
        if created:
            made = ", ".join(f"{n} {kind}" for kind, n in sorted(created.items()))
            self.stdout.write(self.style.SUCCESS(f"Loaded the seed council: {made}."))
        else:
            self.stdout.write("The seed council is already loaded; nothing changed.")
        self.print_accounts()
        self.publish_seed_report()  # as the demo's performance officer, made just above
        self.write_reports()  # after publishing, so out/ holds the published version's files
        self.start_round()
        self.stdout.write("Try: scrutineer table --committee housing-community --period 2020-21-Q1")
        if options["no_serve"]:
            return
        addrport = str(options["addrport"])
        self.stdout.write(f"Serving on http://{addrport}/ (Ctrl-C to stop).")
        # Debug stays off (as in a deployment), so runserver is asked to serve the static files.
        call_command("runserver", addrport, use_reloader=False, insecure_serving=True)

    def print_accounts(self) -> None:
        from scrutineer.demo.users import ensure_demo_accounts

        self.stdout.write("Demo accounts (sign in at http://127.0.0.1:8000/accounts/login/):")
        try:
            accounts = ensure_demo_accounts()
        except OSError as exc:  # the file that keeps their passwords, in var/
            raise CommandError(
                f"Could not save the demo passwords to {exc.filename}: {exc.strerror or exc}."
            ) from None
        for account in accounts:
            self.stdout.write(
                f"  {account.role:<20} {account.username:<11} password {account.password:<18} {account.who}"
            )

    def publish_seed_report(self) -> None:
        """The Q1 2020/21 report went to committee: publish it once, so the public pages
        have it. (Q2 2018/19 stays a draft: the seeds do not give its table's figures.)"""
        from django.db import transaction

        from scrutineer.catalogue.access import performance_officers
        from scrutineer.engine import Period
        from scrutineer.reports.models import Report
        from scrutineer.reports.publishing import mark_reviewed, publish_report

        report = Report.objects.get(committee__slug="housing-community", period=Period.parse("2020-21-Q1"))
        if report.versions.exists():
            return
        officer = performance_officers().first()
        with transaction.atomic():
            report = mark_reviewed(report, user=officer, expected_version=report.version)
            version = publish_report(
                report,
                user=officer,
                note="The report as presented on 9 September 2020.",
                expected_version=report.version,
            )
        self.stdout.write(f"Published {report} as version {version.number}: http://127.0.0.1:8000/reports/")

    def start_round(self) -> None:
        """The Q2 2020/21 collection round, in progress and late, so `scrutineer remind` has
        reminders to print (docs/collection.md)."""
        from scrutineer.demo.cycle import start_demo_round

        opened = start_demo_round()
        if opened is not None:
            self.stdout.write(
                f"Opened the {opened.period.label} collection round (figures due {opened.due_on:%d %B %Y}): "
                "try scrutineer remind --dry-run, then scrutineer remind."
            )

    def write_reports(self) -> None:
        """Both seed reports, in every format, into the out/ folder (each file written
        all at once; a folder that cannot be written is one clear error): a published
        report's latest version as it was published, a draft as it renders now."""
        from django.conf import settings

        from scrutineer.reports.models import Report
        from scrutineer.reports.output import OutputError, report_files, version_files, write_files
        from scrutineer.reports.renderers import FORMATS

        folder = settings.OUT_DIR
        for report in Report.objects.filter(committee__slug="housing-community").select_related("committee"):
            latest = report.versions.order_by("-number").first()
            files = version_files(latest, list(FORMATS)) if latest else report_files(report, list(FORMATS))
            try:
                paths = write_files(files, folder)
            except OutputError as exc:
                raise CommandError(f"{exc} Set SCRUTINEER_OUT_DIR to a folder you can write to.") from None
            names = ", ".join(p.name for p in paths)
            which = f"version {latest.number} of the" if latest else "the draft"
            self.stdout.write(f"Wrote {which} {report.period.label} report to {folder}: {names}")
