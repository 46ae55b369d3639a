"""Web benchmark: the committee and service dashboards, an indicator page and the officers'
indicator list on the synthetic 2,000-indicator × 10-year council, beside the raw SQL
fetch of the same rows.

Uses the database `bench/engine_bench.py` generates (run that first, or pass
--database-url); requests go through Django's test client, as a signed-in performance
officer, so the timings include the engine, the templates and every query.

    .venv/bin/python bench/web_bench.py [--repeat 5]
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
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--period", default="2025-26-Q3")
    args = parser.parse_args()

    scratch = Path(tempfile.gettempdir()) / "scrutineer-bench-2000x10.sqlite3"
    if not args.database_url and not scratch.exists():
        sys.exit(f"No benchmark database at {scratch}: run bench/engine_bench.py first.")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutineer.settings")
    os.environ.setdefault("SCRUTINEER_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from scrutineer.catalogue.models import Committee, Indicator, ServiceTeam
    from scrutineer.engine import Period

    call_command("migrate", interactive=False, verbosity=0)
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    client = Client()
    client.force_login(officer)
    committee = Committee.objects.filter(slug__startswith="syn20260-").order_by("slug").first()
    if committee is None:
        sys.exit("The benchmark council is not there: run bench/engine_bench.py first.")
    indicator = (
        Indicator.objects.filter(code__startswith="S20260-", frequency="monthly").order_by("code").first()
    )
    service = ServiceTeam.objects.filter(slug__startswith="syn20260-").order_by("position").first()
    period = Period.parse(args.period)
    size = committee.indicators.count()

    def best(fn):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return min(times)

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    keys = [period.key, period.previous().key, period.same_period_last_year().key]
    keys += [m.key for p in (period, period.previous(), period.same_period_last_year()) for m in p.months()]

    def raw_dashboard():
        with connection.cursor() as cursor:
            marks = ",".join(["%s"] * len(keys))
            cursor.execute(
                "SELECT v.indicator_id, v.period, v.value, v.numerator, v.denominator, v.state "
                "FROM collection_value v JOIN catalogue_committee_indicators ci ON ci.indicator_id = v.indicator_id "
                f"WHERE ci.committee_id = %s AND v.period IN ({marks})",
                [committee.pk, *keys],
            )
            cursor.fetchall()

    def raw_service():
        with connection.cursor() as cursor:
            marks = ",".join(["%s"] * len(keys))
            cursor.execute(
                "SELECT v.indicator_id, v.period, v.value, v.numerator, v.denominator, v.state "
                "FROM collection_value v JOIN catalogue_indicator i ON i.id = v.indicator_id "
                f"WHERE i.service_id = %s AND v.period IN ({marks})",
                [service.pk, *keys],
            )
            cursor.fetchall()

    def raw_indicator():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT period, value, numerator, denominator, approver_comment, state "
                "FROM collection_value WHERE indicator_id = %s ORDER BY period",
                [indicator.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT period, value FROM catalogue_target WHERE indicator_id = %s", [indicator.pk]
            )
            cursor.fetchall()

    def raw_indicator_list():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.code, i.name, s.name, i.tolerance_kind, i.tolerance_amount, "
                "(SELECT COUNT(*) FROM catalogue_target t WHERE t.indicator_id = i.id) "
                "FROM catalogue_indicator i JOIN catalogue_serviceteam s ON s.id = i.service_id "
                "WHERE i.active ORDER BY i.code LIMIT 50"
            )
            cursor.fetchall()

    rows = [
        (
            f"committee dashboard ({size} indicators, {period.label})",
            best(lambda: get(f"/committees/{committee.slug}/?period={period.key}")),
            best(raw_dashboard),
        ),
        (
            f"service dashboard ({service.indicators.count()} indicators, {period.label})",
            best(lambda: get(f"/services/{service.slug}/?period={period.key}")),
            best(raw_service),
        ),
        (
            f"indicator page ({indicator.code}, {indicator.values.count()} values)",
            best(lambda: get(f"/indicators/{indicator.code}/")),
            best(raw_indicator),
        ),
        (
            f"manage: indicator list (page 1 of {Indicator.objects.filter(active=True).count()})",
            best(lambda: get("/manage/indicators/")),
            best(raw_indicator_list),
        ),
    ]
    print(f"database: {connection.vendor}; best of {args.repeat}; seconds")
    print(f"{'page':<58}{'page':>10}{'raw SQL':>10}")
    for name, page_s, raw_s in rows:
        print(f"{name:<58}{page_s:>10.3f}{raw_s:>10.3f}")


if __name__ == "__main__":
    main()
