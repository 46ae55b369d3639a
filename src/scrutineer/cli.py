"""The `scrutineer` command: the project's manage.py.

Every Django management command works through it (`scrutineer migrate`,
`scrutineer runserver`); Scrutineer's own commands (`setup`, `demo`, `table`, `generate`)
are management commands too, so `scrutineer help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutineer.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
