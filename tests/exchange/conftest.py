import pytest

from tests.factories import PerformanceOfficerFactory


@pytest.fixture
def officer(db):
    return PerformanceOfficerFactory(username="importer")
