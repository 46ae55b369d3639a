import contextlib
import json
import os
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from scrutineer.catalogue.models import Committee
from scrutineer.engine import Period, PeriodKeyError
from scrutineer.performance import build_table
from scrutineer.reports.builder import key_block, regroup
from scrutineer.reports.layout import layout_of
from scrutineer.reports.renderers.data import table_data
from scrutineer.reports.renderers.text import render_text


def find_committee(slug: str) -> Committee:
    """The committee with this slug, or an error that lists the ones there are."""
    try:
        return Committee.objects.get(slug=slug)
    except Committee.DoesNotExist:
        known = ", ".join(Committee.objects.order_by("slug").values_list("slug", flat=True))
        hint = (
            f"Known committees: {known}." if known else "There are no committees yet: run `scrutineer demo`."
        )
        raise CommandError(f"No committee '{slug}'. {hint}") from None


def parse_period(key: str) -> Period:
    try:
        return Period.parse(key)
    except PeriodKeyError as exc:
        raise CommandError(str(exc)) from None


@contextlib.contextmanager
def printing(stdout: OutputWrapper) -> Iterator[None]:
    """Standard output that cannot take what is printed (a full disk, a closed pipe) is
    one clear error, not a traceback."""
    try:
        yield
        stdout.flush()
    except OSError as exc:
        _discard_unprinted(stdout)
        raise CommandError(f"Could not print the output: {exc.strerror or exc}.") from None


def _discard_unprinted(stdout: OutputWrapper) -> None:
    # Python flushes standard output again on exit, which would fail the same way and
    # print its own traceback: point the descriptor at the null device first (the
    # Python documentation's advice for a closed pipe).
    stream = getattr(stdout, "_out", stdout)
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a file: nothing will flush it on exit
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


class Command(BaseCommand):
    help = (
        "Print a committee's performance table for a period, laid out as the committee's reports are: "
        "each indicator under its group, with this period and the comparison columns, status, trend "
        "and comments the committee shows. "
        "Example: scrutineer table --committee housing-community --period 2020-21-Q1 --format json"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", required=True, help="Committee slug, e.g. housing-community.")
        parser.add_argument(
            "--period",
            required=True,
            help="Period key: 2020-06 (month), 2020-21-Q1 (quarter) or 2020-21 (financial year).",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text: a readable terminal table (default); json: a list of rows.",
        )

    def handle(self, *args: object, **options: str) -> None:
        period = parse_period(options["period"])
        committee = find_committee(options["committee"])
        table = build_table(committee, period)
        with printing(self.stdout):
            if options["format"] == "json":
                self.stdout.write(json.dumps(table_data(table), indent=2, ensure_ascii=False))
            else:
                layout = layout_of(committee)
                block = key_block(regroup(table, layout.grouping), "", layout)
                self.stdout.write(render_text(block), ending="")
