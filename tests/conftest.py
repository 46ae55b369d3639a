import os

import pytest


@pytest.fixture
def seed_council(db):
    """The seed council, loaded as `scrutineer demo` loads it."""
    from scrutineer.demo.load import load_seed_council

    load_seed_council()


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL") or "sqlite (default)"
    return f"scrutineer database: {url}"


def pytest_collection_modifyitems(config, items):
    """Tests that drive Chromium are marked `browser`: they check pages (axe-core, scripts,
    journeys), which are the same whichever database is under them, so `make test` runs
    them once, on SQLite, and the PostgreSQL run leaves them out (see the Makefile)."""
    for item in items:
        if "browser_page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
