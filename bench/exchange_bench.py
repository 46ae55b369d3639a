"""Import and export benchmark: 100,000 figures as CSV and as XLSX, with full validation.

Generates a council with 1,000 monthly indicators and 100 months of approved figures
each (100,000 values) and exports it; then, for CSV and for XLSX, imports the export
into an empty database (read, check every row, write in one transaction with history
rows) and exports again. Prints seconds for each step. The bar: each import under 10 s.

    .venv/bin/python bench/exchange_bench.py [--indicators 1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = Path(tempfile.gettempdir()) / "scrutineer-bench-exchange.sqlite3"
    if not args.database_url and scratch.exists():
        scratch.unlink()
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutineer.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from scrutineer.collection.models import Value
    from scrutineer.demo.generate import generate_council, remove_council
    from scrutineer.engine import Period
    from scrutineer.exchange.export import Selection, export_tables
    from scrutineer.exchange.files import csv_files, xlsx_bytes, zip_of
    from scrutineer.exchange.importing import check, start, write

    call_command("migrate", interactive=False, verbosity=0)
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    remove_council(99)
    # 100 months: 8 financial years and 4 months; generate 9 years, keep 100 months.
    generate_council(args.indicators, 9, Period.parse("2020-21"), seed=99, quarterly_share=0.0)
    keep = sorted({v.key for v in Value.objects.values_list("period", flat=True).distinct()})[:100]
    Value.objects.exclude(period__in=keep).delete()
    values = Value.objects.count()
    print(f"{args.indicators} indicators, {values} values")

    def timed(label: str, work):
        started = time.perf_counter()
        result = work()
        print(f"{label:<42} {time.perf_counter() - started:6.2f} s")
        return result

    tables = timed("export: read the database", lambda: export_tables(Selection(), user=officer))
    files = timed("export: write CSV files", lambda: csv_files(tables))
    workbook = timed("export: write XLSX", lambda: xlsx_bytes(tables))
    print(f"CSV {sum(len(b) for b in files.values()) / 1e6:.1f} MB, XLSX {len(workbook) / 1e6:.1f} MB")

    for fmt, name, data in (("CSV", "bench.zip", zip_of(files)), ("XLSX", "bench.xlsx", workbook)):
        remove_council(99)
        run = start(name, data, user=officer, approved=True, source="bench")
        started = time.perf_counter()
        plan = timed(f"import {fmt}: read and check every row", lambda run=run: check(run))
        assert plan.ok, plan.problems[:5]
        timed(f"import {fmt}: write (one transaction)", lambda run=run, plan=plan: write(run, plan))
        total = time.perf_counter() - started
        print(
            f"import {fmt}: total {total:6.2f} s for {Value.objects.count()} values ({'under' if total < 10 else 'OVER'} 10 s)"
        )
    timed("export again: read and write CSV", lambda: csv_files(export_tables(Selection(), user=officer)))


if __name__ == "__main__":
    main()
