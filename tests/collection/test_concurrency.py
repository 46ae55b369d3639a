"""Two people saving one figure at the same moment, on PostgreSQL: exactly one wins.

Each save runs in its own thread and database connection. The first holds its
transaction open after saving; the second reads the figure meanwhile (still the version
both opened), then tries to save. Only the conditional UPDATE (or, for a new figure,
the unique constraint) stops the second: it waits for the first to commit, then finds
the version gone and raises `StaleEdit`.
"""

import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections, transaction

from scrutineer.collection.actions import StaleEdit, save_value
from scrutineer.collection.models import Value
from scrutineer.engine import Period
from tests.factories import OwnedIndicatorFactory, PerformanceOfficerFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JUN = Period.parse("2020-06")


@pytest.fixture(autouse=True)
def mid_july_2020():
    """June 2020 is open for data owners' entry (save_value enforces the open periods)."""
    with time_machine.travel(datetime(2020, 7, 15, 12, tzinfo=UTC)):
        yield


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (run with DATABASE_URL=postgresql://…)")


def race(first, second):
    """Run `first` holding its transaction open while `second` runs; return their outcomes."""
    outcomes = {}
    first_saved = threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                outcomes["first"] = first()
                first_saved.set()
                time.sleep(0.5)  # the second save starts while this one is uncommitted
        except Exception as error:  # reported to the test
            outcomes["first"] = error
            first_saved.set()
        finally:
            connections.close_all()

    def run_second():
        first_saved.wait(5)
        try:
            outcomes["second"] = second()
        except Exception as error:  # reported to the test
            outcomes["second"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return outcomes["first"], outcomes["second"]


def test_two_simultaneous_edits_of_one_version_never_both_win():
    indicator = OwnedIndicatorFactory(frequency="monthly")
    owner, officer = indicator.owner.user, PerformanceOfficerFactory()
    save_value(indicator, JUN, user=owner, value=Decimal(10))

    first, second = race(
        lambda: save_value(indicator, JUN, user=owner, value=Decimal(11), expected_version=1),
        lambda: save_value(indicator, JUN, user=officer, value=Decimal(12), expected_version=1),
    )

    assert isinstance(first, Value), first
    assert isinstance(second, StaleEdit), second
    assert second.current_version == 2
    stored = Value.objects.get()
    assert (stored.value, stored.version, stored.entered_by) == (Decimal(11), 2, owner)
    assert stored.history.count() == 2


def test_two_simultaneous_first_entries_never_both_win():
    indicator = OwnedIndicatorFactory(frequency="monthly")
    owner, officer = indicator.owner.user, PerformanceOfficerFactory()

    first, second = race(
        lambda: save_value(indicator, JUN, user=owner, value=Decimal(11)),
        lambda: save_value(indicator, JUN, user=officer, value=Decimal(12)),
    )

    assert isinstance(first, Value), first
    assert isinstance(second, StaleEdit), second
    assert Value.objects.get().value == Decimal(11)
