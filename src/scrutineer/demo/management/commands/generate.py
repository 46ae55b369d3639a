import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.demo.generate import AlreadyGenerated, generate_council, remove_council
from scrutineer.engine import Period, PeriodKeyError
from scrutineer.engine.periods import FIRST_KEY_YEAR


class Command(BaseCommand):
    help = (
        "Generate a plausible large synthetic council for scale testing: committees, services, "
        "monthly and quarterly indicators of every measure kind, yearly targets and some gaps, "
        "over --years financial years ending with --until. Prints the committees it made. "
        "Example: scrutineer generate --indicators 2000 --years 10 --until 2025-26 --seed 1"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicators", type=int, default=200, help="How many indicators (default 200).")
        parser.add_argument("--years", type=int, default=3, help="How many financial years (default 3).")
        parser.add_argument("--until", default="2025-26", help="The last financial year, e.g. 2025-26.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; also namespaces the council.")
        parser.add_argument(
            "--quarterly-share",
            type=float,
            default=0.2,
            help="Share of indicators collected quarterly rather than monthly, 0 to 1 (default 0.2).",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Remove a council made earlier with this seed first."
        )

    def handle(self, *args: object, **options: object) -> None:
        indicators, years, seed = int(options["indicators"]), int(options["years"]), int(options["seed"])
        if not 1 <= indicators <= 100_000:
            raise CommandError("--indicators must be between 1 and 100000.")
        if not 1 <= years <= 50:
            raise CommandError("--years must be between 1 and 50.")
        share = float(options["quarterly_share"])
        if not 0 <= share <= 1:
            raise CommandError("--quarterly-share must be between 0 and 1.")
        if seed < 0:
            raise CommandError("--seed must be zero or more.")
        try:
            until = Period.parse(str(options["until"]))
        except PeriodKeyError as exc:
            raise CommandError(str(exc)) from None
        if until.year - years + 1 < FIRST_KEY_YEAR:
            # Figures before then could be stored, but their periods never typed or read back.
            raise CommandError(
                f"--years {years} to {until.label} starts before {FIRST_KEY_YEAR}/"
                f"{(FIRST_KEY_YEAR + 1) % 100:02d}, the first financial year Scrutineer handles."
            )
        try:
            if options["replace"]:
                removed = remove_council(seed)
                if removed:
                    self.stdout.write(f"Removed the synthetic council of seed {seed} ({removed} indicators).")
            started = time.perf_counter()
            committees = generate_council(indicators, years, until, seed, quarterly_share=share)
        except (AlreadyGenerated, ValueError) as exc:
            raise CommandError(str(exc)) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Generated {indicators} indicators over {years} year(s) to {until.label} in {elapsed:.1f} s."
        )
        self.stdout.write("Committees:")
        for c in committees:
            self.stdout.write(f"  {c.slug}  {c.name}  ({c.indicators} indicators)")
