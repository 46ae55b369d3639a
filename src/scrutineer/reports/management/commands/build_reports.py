import time

from django.core.management.base import BaseCommand, CommandParser

from scrutineer.reports.builds import fail_interrupted_builds, run_build
from scrutineer.reports.models import BuildState, ReportBuild


class Command(BaseCommand):
    help = (
        "Run queued report builds (for deployments with SCRUTINEER_REPORT_BUILDS=worker). "
        "With --loop it keeps polling; otherwise it runs what is queued and stops. Builds left unfinished "
        "by a process that stopped (or running past SCRUTINEER_REPORT_BUILD_TIME_LIMIT) are marked failed "
        "first, so they can be started again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep polling for new builds.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls (default 2).")

    def handle(self, *args: object, **options: object) -> None:
        while True:
            failed = fail_interrupted_builds()
            if failed:
                self.stdout.write(f"Marked {failed} interrupted build(s) failed: they can be started again.")
            queued = list(ReportBuild.objects.filter(state=BuildState.QUEUED).order_by("created_at"))
            for build in queued:
                done = run_build(build.pk)
                self.stdout.write(f"{done}: {done.get_state_display()}. {done.message}")
            if not options["loop"]:
                return
            time.sleep(float(options["interval"]))  # type: ignore[arg-type]
