"""Import and export benchmark: 100,000 figures as CSV and as XLSX, with full validation.

Generates (once, into a scratch SQLite file unless --database-url is given) a council of
1,000 monthly indicators with 100 months of approved figures each, and exports it. Then,
for CSV and XLSX side by side: the export (read the database, write the file) and the
import of that file into an empty database as a performance officer importing approved
history, through the same functions as `scrutineer import` (read the file, check every
row, write in one transaction with a history row each). The bar: each import under 10 s.

The baseline writes the same figures as the import wrote them before (simple_history's
`bulk_create_with_history`, which prepares each field through Django), in a transaction
that is then rolled back.

    .venv/bin/python bench/exchange_bench.py [--indicators 1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BAR = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-baseline", action="store_true", help="skip the old writer (about 20 s)")
    args = parser.parse_args()

    scratch = Path(tempfile.gettempdir()) / f"scrutineer-bench-exchange-{args.indicators}.sqlite3"
    generated = scratch.with_suffix(".generated")
    if not args.database_url:
        for stale in scratch.parent.glob(f"{scratch.name}*"):
            stale.unlink()
        if generated.exists():
            shutil.copy(generated, scratch)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutineer.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from simple_history.utils import bulk_create_with_history

    from scrutineer.catalogue.models import Indicator
    from scrutineer.collection.models import Value
    from scrutineer.demo.generate import generate_council, remove_council
    from scrutineer.engine import Period
    from scrutineer.exchange.export import Selection, export_tables
    from scrutineer.exchange.files import csv_files, xlsx_bytes, zip_of
    from scrutineer.exchange.importing import check, reason_for, start, write

    call_command("migrate", interactive=False, verbosity=0)
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    seed = 99
    if Indicator.objects.filter(code__startswith=f"S{seed}-").count() != args.indicators:
        remove_council(seed)
        started = time.perf_counter()
        # 100 months: generate 9 financial years of months, keep the first 100.
        generate_council(args.indicators, 9, Period.parse("2020-21"), seed=seed, quarterly_share=0.0)
        keep = sorted({p.key for p in Value.objects.values_list("period", flat=True).distinct()})[:100]
        Value.objects.exclude(period__in=keep).delete()
        print(f"generated the council in {time.perf_counter() - started:.1f} s")
        if not args.database_url:
            connection.close()
            shutil.copy(scratch, generated)
    values = Value.objects.count()

    def timed(work):
        started = time.perf_counter()
        result = work()
        return time.perf_counter() - started, result

    rows: list[tuple[str, float | None, float | None]] = []
    read_s, tables = timed(lambda: export_tables(Selection(), user=officer))
    rows.append(("export: read the database", read_s, read_s))
    csv_s, files = timed(lambda: csv_files(tables))
    xlsx_s, workbook = timed(lambda: xlsx_bytes(tables))
    rows.append(("export: write the file", csv_s, xlsx_s))
    sizes = {"CSV": sum(len(b) for b in files.values()), "XLSX": len(workbook)}

    steps: dict[str, dict[str, float]] = {}
    baseline = None
    for fmt, name, data in (("CSV", "bench.zip", zip_of(files)), ("XLSX", "bench.xlsx", workbook)):
        remove_council(seed)
        run = start(name, data, user=officer, approved=True, source="bench")
        marks: list[tuple[str, float]] = []
        started = time.perf_counter()
        plan = check(
            run, progress=lambda done, message, marks=marks: marks.append((message, time.perf_counter()))
        )
        checked = time.perf_counter()
        assert plan.ok, [str(p) for p in plan.problems[:5]]
        reading = dict(marks)["Checking every row…"]
        write_s, _ = timed(lambda run=run, plan=plan: write(run, plan))
        assert Value.objects.count() == values, Value.objects.count()
        steps[fmt] = {
            "read": reading - started,
            "check": checked - reading,
            "write": write_s,
        }
        if fmt == "CSV" and not args.no_baseline:
            baseline = old_writer(plan, run, officer, reason_for, bulk_create_with_history, transaction)

    for label, step in (
        ("import: read the file", "read"),
        ("import: check every row", "check"),
        ("import: write (one transaction)", "write"),
    ):
        rows.append((label, steps["CSV"][step], steps["XLSX"][step]))
    totals = {fmt: sum(s.values()) for fmt, s in steps.items()}
    rows.append((f"import: total (bar: under {BAR:.0f} s)", totals["CSV"], totals["XLSX"]))
    again_s, _ = timed(lambda: csv_files(export_tables(Selection(), user=officer)))
    rows.append(("export again: read and write CSV", again_s, None))

    print(
        f"database: {connection.vendor}  indicators: {args.indicators}  values: {values}  "
        f"files: CSV {sizes['CSV'] / 1e6:.1f} MB, XLSX {sizes['XLSX'] / 1e6:.1f} MB"
    )
    print(f"{'step':<44}{'CSV s':>10}{'XLSX s':>10}{'values/s (CSV)':>18}")
    for label, first, second in rows:
        shown = [f"{t:>10.2f}" if t is not None else f"{'':>10}" for t in (first, second)]
        rate = f"{values / first:>18,.0f}" if first and label.startswith("import") else ""
        print(f"{label:<44}{''.join(shown)}{rate}")
    verdict = ", ".join(f"{fmt} {'under' if t < BAR else 'OVER'} {BAR:.0f} s" for fmt, t in totals.items())
    print(f"({verdict})")
    if baseline is not None:
        label = "baseline: write as before (simple_history)"
        print(f"{label:<44}{baseline:>10.2f}{'':>10}{values / baseline:>18,.0f}")


def old_writer(plan, run, officer, reason_for, bulk_create_with_history, transaction) -> float:
    """Seconds to write the imported figures again as the import wrote them before this
    version: model instances through simple_history's `bulk_create_with_history`."""
    from scrutineer.collection.models import Value

    new = plan.figures.new
    ids = {f.indicator.pk for f in new}

    class RolledBack(Exception):
        pass

    took = 0.0
    try:
        with transaction.atomic():
            Value.history.filter(indicator_id__in=ids).delete()
            Value.objects.filter(indicator_id__in=ids).delete()
            instances = [Value(indicator=f.indicator, period=f.period, **f.fields) for f in new]
            started = time.perf_counter()
            bulk_create_with_history(
                instances,
                Value,
                batch_size=2000,
                default_user=officer,
                default_change_reason=reason_for(run),
            )
            took = time.perf_counter() - started
            raise RolledBack
    except RolledBack:
        pass
    return took


if __name__ == "__main__":
    main()
