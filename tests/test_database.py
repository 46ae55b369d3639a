"""The suite runs on the database it was asked to: a PostgreSQL run that silently fell
back to SQLite would prove nothing."""

import os

from django.db import connection


def test_runs_on_the_configured_database(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
