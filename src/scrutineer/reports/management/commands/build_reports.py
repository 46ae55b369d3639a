import time

from django.core.management.base import BaseCommand, CommandParser

from scrutineer.reports.builds import run_build
from scrutineer.reports.models import BuildState, ReportBuild


class Command(BaseCommand):
    help = (
        "Run queued report builds (for deployments with SCRUTINEER_REPORT_BUILDS=worker). "
        "With --loop it keeps polling; otherwise it runs what is queued and stops."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep polling for new builds.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls (default 2).")

    def handle(self, *args: object, **options: object) -> None:
        while True:
            queued = list(ReportBuild.objects.filter(state=BuildState.QUEUED).order_by("created_at"))
            for build in queued:
                done = run_build(build.pk)
                self.stdout.write(f"{done}: {done.get_state_display()}. {done.message}")
            if not options["loop"]:
                return
            time.sleep(float(options["interval"]))  # type: ignore[arg-type]
