"""Engine benchmark: judge every value of a large council, and load it from the database.

Generates (once, into a scratch SQLite file unless --database-url is given) a synthetic
council of N indicators × Y years of monthly figures, then prints, side by side:
  load   — fetching indicators, values and targets from the database into engine inputs;
  engine — status and trend (previous period and same period last year) for every value,
           and the status summary for every month across all indicators.

    .venv/bin/python bench/engine_bench.py [--indicators 2000] [--years 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--until", default="2025-26")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each timing; the best is shown.")
    args = parser.parse_args()

    scratch = Path(tempfile.gettempdir()) / f"scrutineer-bench-{args.indicators}x{args.years}.sqlite3"
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutineer.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from scrutineer.catalogue.models import Indicator, Target, default_tolerance, rules_in_force
    from scrutineer.collection.models import Value
    from scrutineer.demo.generate import generate_council
    from scrutineer.engine import Observation, Period, evaluate_history, summarise

    call_command("migrate", interactive=False, verbosity=0)
    seed = 20260
    codes = Indicator.objects.filter(code__startswith=f"S{seed}-")
    if codes.count() != args.indicators:
        from scrutineer.demo.generate import remove_council

        remove_council(seed)
        started = time.perf_counter()
        generate_council(args.indicators, args.years, Period.parse(args.until), seed, quarterly_share=0.0)
        print(
            f"generated {args.indicators} indicators × {args.years} years in {time.perf_counter() - started:.1f} s"
        )

    def load():
        indicators = {i.pk: i for i in Indicator.objects.filter(code__startswith=f"S{seed}-")}
        observations = defaultdict(list)
        for row in Value.objects.filter(indicator_id__in=indicators).values_list(
            "indicator_id", "period", "value", "numerator", "denominator", "no_data_reason", "not_measured"
        ):
            observations[row[0]].append(Observation(*row[1:]))
        targets = defaultdict(dict)
        for indicator_id, period, value in Target.objects.filter(indicator_id__in=indicators).values_list(
            "indicator_id", "period", "value"
        ):
            targets[indicator_id][period] = value
        return indicators, observations, targets

    def judge(indicators, observations, targets):
        """Status and trend for every value: the engine's whole-history path."""
        tolerance = default_tolerance()
        in_force = rules_in_force(indicators.values())  # one query for every indicator's status rule
        return {
            pk: evaluate_history(indicator.rule(in_force[pk]), observations[pk], targets[pk], tolerance)
            for pk, indicator in indicators.items()
        }

    def summaries(indicators, histories):
        """The status summary of every month across all indicators."""
        by_period = defaultdict(list)
        for pk, history in histories.items():
            code = indicators[pk].code
            for period, comparison in history.items():
                by_period[period].append((code, comparison.current))
        return {period: summarise(results) for period, results in by_period.items()}

    def best(fn, *a):
        times, result = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = fn(*a)
            times.append(time.perf_counter() - started)
        return min(times), result

    load_s, data = best(load)
    # The loaded data lives for the whole run: keep the collector from rescanning it
    # (what a long-running worker would do after loading; see docs/demo-data.md).
    gc.collect()
    gc.freeze()
    n_values = sum(len(v) for v in data[1].values())
    engine_s, histories = best(judge, *data)
    count = sum(len(h) for h in histories.values())
    summary_s, by_month = best(summaries, data[0], histories)
    print(f"database: {django.db.connection.vendor}  indicators: {len(data[0])}  values: {n_values}")
    print(f"{'step':<44}{'seconds':>10}{'values/s':>14}")
    print(f"{'load from database → engine inputs':<44}{load_s:>10.2f}{n_values / load_s:>14,.0f}")
    print(f"{'engine: status + trend (every value)':<44}{engine_s:>10.2f}{count / engine_s:>14,.0f}")
    print(f"{'engine: summary of every month':<44}{summary_s:>10.2f}{count / summary_s:>14,.0f}")
    print(f"({count} judged periods, {len(by_month)} monthly summaries; best of {args.repeat} runs)")


if __name__ == "__main__":
    main()
