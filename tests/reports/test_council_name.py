"""The council's name on reports comes from the site (or the setting), never from the
seed: a council set up from scratch sees no other council's name."""

import pytest

from scrutineer.catalogue.models import SITE_DEFAULTS_PK, SiteDefaults, council_name
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report
from scrutineer.reports.renderers import render
from tests.factories import CommitteeFactory, IndicatorFactory

pytestmark = pytest.mark.django_db
Q3 = Period.parse("2023-24-Q3")


@pytest.fixture
def planning():
    committee = CommitteeFactory(name="Planning Overview & Scrutiny", slug="planning")
    committee.indicators.add(IndicatorFactory(code="PL01"))
    return Report(committee=committee, period=Q3, meeting_date=None)


def test_a_council_not_yet_named_prints_no_council_and_never_the_seeds(planning):
    assert council_name() == ""
    doc = build_document(planning)
    for fmt in ("html", "csv", "docx"):
        content = render(doc, fmt)
        assert b"Dacorum" not in content, fmt
    assert "Council:" not in render(doc, "csv").decode("utf-8-sig")


def test_the_site_keeps_the_councils_own_name(planning, settings):
    settings.SCRUTINEER_COUNCIL_NAME = "From the setting"
    assert council_name() == "From the setting"
    SiteDefaults.objects.create(pk=SITE_DEFAULTS_PK, council_name="Borsetshire District Council")
    text = render(build_document(planning), "csv").decode("utf-8-sig")
    assert "# Council: Borsetshire District Council" in text
