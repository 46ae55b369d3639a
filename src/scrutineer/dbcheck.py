"""Check that the PostgreSQL named for the test run answers, before the suite runs on it.

Exit codes: 0 reachable; 1 unreachable under CI (CI must fail, never skip);
3 unreachable on a developer's machine (the Makefile skips the PostgreSQL run, loudly).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    url = argv[1] if len(argv) > 1 else os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        print("dbcheck: no TEST_DATABASE_URL given.", file=sys.stderr)
        return 1 if os.environ.get("CI") else 3
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=cfg.get("HOST") or None,
            port=cfg.get("PORT") or None,
            user=cfg.get("USER") or None,
            password=cfg.get("PASSWORD") or None,
            dbname=cfg.get("NAME") or "postgres",
            connect_timeout=5,
        ) as conn:
            version = conn.execute("select current_setting('server_version')").fetchone()
    except psycopg.Error as exc:
        message = f"PostgreSQL at {url} is unreachable: {exc}".strip()
        if os.environ.get("CI"):
            print(
                f"dbcheck: {message}\nCI needs it: start PostgreSQL or fix TEST_DATABASE_URL.",
                file=sys.stderr,
            )
            return 1
        print(
            f"dbcheck: {message}\n"
            "SKIPPING the PostgreSQL run on this machine (CI would fail here). "
            "Start PostgreSQL or set TEST_DATABASE_URL to run it.",
            file=sys.stderr,
        )
        return 3
    print(f"dbcheck: PostgreSQL {version[0] if version else '?'} at {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
