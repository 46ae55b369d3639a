"""Two saves at once on SQLite: the second waits, then meets the first's change.

Before immediate transactions the second failed with "database is locked" (a 500) and
its author's typing was lost: a transaction that had read, then tried to write after
another writer, could not wait for the lock.
"""

import threading
import time

from django.db import OperationalError, connections, transaction


def test_two_writers_on_a_sqlite_file_queue_and_the_later_is_refused_as_stale(
    settings_from_env, tmp_path, django_db_blocker
):
    config = settings_from_env({})["DATABASES"]["default"]
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    alias = "two-writers"
    connections.settings[alias] = connections.configure_settings(
        {"default": {**config, "NAME": str(tmp_path / "writers.sqlite3")}}
    )["default"]
    outcomes: dict[str, str] = {}

    def save(name: str, start_after: float) -> None:
        """A report edit: read the row, think, update it only if still the version shown."""
        time.sleep(start_after)
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT version FROM report WHERE id = 1")
                cursor.fetchone()
                time.sleep(0.2)
                cursor.execute(
                    "UPDATE report SET version = version + 1, body = %s WHERE id = 1 AND version = 1", [name]
                )
                outcomes[name] = "saved" if cursor.rowcount == 1 else "stale"
        except OperationalError as exc:
            outcomes[name] = str(exc)
        finally:
            connections[alias].close()

    try:
        with django_db_blocker.unblock():
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, version INTEGER, body TEXT)")
                cursor.execute("INSERT INTO report VALUES (1, 1, '')")
            connections[alias].close()
            writers = [
                threading.Thread(target=save, args=("first", 0)),
                threading.Thread(target=save, args=("second", 0.05)),
            ]
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.join(timeout=10)
    finally:
        del connections.settings[alias]

    assert outcomes == {"first": "saved", "second": "stale"}
