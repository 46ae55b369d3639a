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
