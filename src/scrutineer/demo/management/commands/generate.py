import os
import subprocess
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrutineer.demo.generate import AlreadyGenerated, council_data, generate_council, remove_council
from scrutineer.engine import Period, PeriodKeyError
from scrutineer.engine.periods import FIRST_KEY_YEAR


class Command(BaseCommand):
    help = (
        "Generate a plausible large synthetic council for scale testing: committees, services, "
        "monthly and quarterly indicators of every measure kind, yearly targets and some gaps, "
        "over --years financial years ending with --until. Prints the committees it made. "
        "It will not add them to a database that holds a council's data (the demo's, or your own) "
        "unless told to (--into-this-database) or asked and answered yes: write them into a separate "
        "SQLite file with --database PATH. "
        "Example: scrutineer generate --database var/synthetic.sqlite3 --indicators 2000 --years 10 "
        "--until 2025-26 --seed 1"
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
        parser.add_argument(
            "--database",
            metavar="PATH",
            help="Write into this SQLite file (made and migrated if missing) instead of the configured "
            "database, e.g. var/synthetic.sqlite3.",
        )
        parser.add_argument(
            "--into-this-database",
            action="store_true",
            help="Add the synthetic council to the configured database even though it holds a "
            "council's data, beside it in every list, dashboard and export.",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Never ask: without --into-this-database, refuse a database holding a council's data.",
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
        if options["database"]:
            self.generate_elsewhere(Path(str(options["database"])), options)
            return
        self.check_no_council_here(indicators, options)
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

    def check_no_council_here(self, indicators: int, options: dict[str, object]) -> None:
        """Refuse (or, at a terminal, ask) before mixing synthetic indicators into a council's data."""
        found = council_data()
        if not found or options["into_this_database"]:
            return
        risk = (
            f"This database already holds a council's data ({found}): {indicators} synthetic "
            "indicators would sit beside them in every list, dashboard and export."
        )
        if options["interactive"] and sys.stdin.isatty():
            answer = input(f"{risk} Add them here anyway? Type 'yes' to go on: ")
            if answer.strip().lower() == "yes":
                return
            raise CommandError("Nothing was generated.")
        raise CommandError(
            f"{risk} Nothing was generated. Write them into a separate SQLite file with --database PATH "
            "(e.g. --database var/synthetic.sqlite3), or add them here with --into-this-database."
        )

    def generate_elsewhere(self, path: Path, options: dict[str, object]) -> None:
        """Run `migrate` and this command again against the SQLite file at `path`, each in a
        process of its own configured by DATABASE_URL, so this process's database is untouched."""
        path = path.expanduser().resolve()
        if path.is_dir():
            raise CommandError(
                f"--database {path} is a folder: give the SQLite file to write, e.g. {path}/synthetic.sqlite3."
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Could not make the folder {path.parent}: {exc.strerror or exc}.") from None
        url = f"sqlite:///{path}"
        # The same settings module and import path as this process (it may be a council's own
        # settings, importable only from where the command was started).
        env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        again = [
            "generate",
            f"--indicators={options['indicators']}",
            f"--years={options['years']}",
            f"--until={options['until']}",
            f"--seed={options['seed']}",
            f"--quarterly-share={options['quarterly_share']}",
            *(["--replace"] if options["replace"] else []),
            *(["--into-this-database"] if options["into_this_database"] else []),
            "--no-input",  # its output is piped here: a question would not be seen
        ]
        self.stdout.write(f"Writing into {path} (migrating it first)…")
        for command in (["migrate", "--no-input", "--verbosity=0"], again):
            self.run_here(command, env)
        self.stdout.write(
            f"To look at it: DATABASE_URL={url} scrutineer runserver "
            f"(or scrutineer table with the same DATABASE_URL)."
        )

    def run_here(self, command: list[str], env: dict[str, str]) -> None:
        """`scrutineer <command>` in a new process, its output passed on line by line."""
        with subprocess.Popen(
            [sys.executable, "-m", "scrutineer.cli", *command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                self.stdout.write(line, ending="")
        if child.returncode:
            raise CommandError(f"scrutineer {command[0]} against the file stopped (exit {child.returncode}).")
