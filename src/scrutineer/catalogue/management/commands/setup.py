"""`scrutineer setup`: name the council and make its first performance officer.

    scrutineer setup                      # asks each question, the password twice
    scrutineer setup --council "Borsetshire District Council" --officer jsmith \\
        --email j.smith@example.gov.uk --no-input

With --no-input the officer's password is SCRUTINEER_OFFICER_PASSWORD, or, when that is
not set, a strong one generated and printed once. The database is migrated first if it
needs to be. Bad input, or a council already set up, is refused in one sentence with a
non-zero exit, and nothing is changed. The work is `catalogue.setup.set_up_council`, the
same action as the first-run page's; see docs/setting-up.md.
"""

from __future__ import annotations

import getpass
import os
import secrets
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from scrutineer.catalogue.access import council_is_set_up
from scrutineer.catalogue.models import council_name
from scrutineer.catalogue.setup import AlreadySetUp, set_up_council
from scrutineer.changes import Rejected

PASSWORD_VARIABLE = "SCRUTINEER_OFFICER_PASSWORD"
# The option that gives each field, for messages about a field left out.
_OPTION = {
    "council_name": "--council",
    "short_name": "--short-name",
    "licence": "--licence",
    "username": "--officer",
    "name": "--name",
    "email": "--email",
    "password": PASSWORD_VARIABLE,
}


def _migrate_if_needed(stdout: Any) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        stdout.write("Setting up the database (scrutineer migrate)…")
        call_command("migrate", interactive=False, verbosity=0)


def _said(field: str, messages: list[str], interactive: bool) -> str:
    """A refusal as the command line says it: naming the option it is about, unless asked."""
    option = None if interactive else _OPTION.get(field)
    return " ".join(f"{option}: {message}" if option else message for message in messages)


class Command(BaseCommand):
    help = "Name the council and make its first performance officer (once, on a new site)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", help="The council's full name, e.g. 'Borsetshire District Council'.")
        parser.add_argument(
            "--short-name", default="", help="What the site's header calls it, e.g. Borsetshire."
        )
        parser.add_argument(
            "--licence", default="", help="The licence reports are published under (blank: none printed)."
        )
        parser.add_argument("--officer", help="The first performance officer's username.")
        parser.add_argument("--name", help="Their full name, as reports print it (default: the username).")
        parser.add_argument("--email", help="Their email address.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: the password is ${PASSWORD_VARIABLE}, or one generated and printed once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _migrate_if_needed(self.stdout)
        if council_is_set_up():
            named = council_name()
            raise CommandError(
                f"The council is set up already{f' as {named}' if named else ''}: a performance officer "
                "changes its name on Manage → The council's name and logo."
            )
        answers = self._ask(options) if options["interactive"] else self._given(options)
        generated = answers.pop("generated")
        try:
            officer = set_up_council(**answers)
        except AlreadySetUp as exc:
            raise CommandError(exc.message) from None
        except Rejected as exc:
            said = (_said(field, messages, options["interactive"]) for field, messages in exc.errors.items())
            raise CommandError(" ".join(said)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{answers['council_name']} is set up; {officer.username} is its performance officer."
            )
        )
        if generated:
            self.stdout.write(
                f"{officer.username}'s password, shown only this once (they can change it after signing in): "
                f"{generated}"
            )

    def _given(self, options: dict[str, Any]) -> dict[str, Any]:
        needed = (("--council", "council"), ("--officer", "officer"), ("--email", "email"))
        missing = [option for option, key in needed if not (options.get(key) or "").strip()]
        if missing:
            raise CommandError(f"With --no-input, give {', '.join(missing)}.")
        password = os.environ.get(PASSWORD_VARIABLE, "")
        generated = ""
        if not password:
            password = generated = secrets.token_urlsafe(18)
        return {
            "council_name": options["council"],
            "short_name": options["short_name"],
            "licence": options["licence"],
            "username": options["officer"],
            "name": options.get("name") or options["officer"],
            "email": options["email"],
            "password": password,
            "generated": generated,
        }

    def _ask(self, options: dict[str, Any]) -> dict[str, Any]:
        def ask(question: str, given: str | None = None, default: str = "") -> str:
            if given:
                return given
            shown = f" [{default}]" if default else ""
            try:
                return input(f"{question}{shown}: ").strip() or default
            except EOFError:
                raise CommandError(
                    "No answer was given: run scrutineer setup in a terminal, or with --no-input and options."
                ) from None

        council = ask("The council's full name (e.g. Borsetshire District Council)", options.get("council"))
        short_name = ask("Its short name, for the site's header (optional)", options.get("short_name"))
        licence = ask("The licence reports are published under (optional)", options.get("licence"))
        username = ask("The first performance officer's username", options.get("officer"))
        name = ask("Their full name, as reports print it", options.get("name"), default=username)
        email = ask("Their email address", options.get("email"))
        try:
            password = getpass.getpass("Their password: ")
            again = getpass.getpass("The password again: ")
        except EOFError:
            raise CommandError("No password was given: run scrutineer setup in a terminal.") from None
        if password != again:
            raise CommandError("The two passwords are not the same: run scrutineer setup again.")
        return {
            "council_name": council,
            "short_name": short_name,
            "licence": licence,
            "username": username,
            "name": name,
            "email": email,
            "password": password,
            "generated": "",
        }
