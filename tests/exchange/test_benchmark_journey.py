"""An officer imports LG Inform benchmarks in Chromium: a file with a problem, the problem
named by row and column, a check-only upload, the import, and the indicator's page; axe-core
on each page."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.exchange.models import Benchmark
from tests.browser import browser_page  # noqa: F401
from tests.e2e.test_journey import sign_in
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = Path(__file__).parent / "fixtures" / "lg-inform-comparison.csv"


@pytest.fixture
def officer_account(seed_council):
    user = User.objects.create_user("officer", password="officer-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


def test_officer_imports_benchmarks_and_sees_where_the_council_sits(
    live_server,
    officer_account,
    browser_page,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page, base = browser_page, live_server.url
    sign_in(page, base, "officer")
    check(page, base + "/open-data/")
    page.goto(base + "/data/")
    page.click("text=Import LG Inform benchmarks")
    check(page)

    page.click("button:has-text('Check and import')")  # nothing chosen
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    bad = tmp_path / "comparison.csv"
    bad.write_text(SAMPLE.read_text().replace("53.5", "lots"))
    page.select_option("#id_indicator", "CSU06")
    page.fill("#id_area", "E07000096")
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('Check and import')")
    assert "The file has problems" in page.inner_text("h1")
    assert '"lots" is not a number' in page.inner_text("main")
    check(page)

    page.click("text=Back to LG Inform benchmarks")
    page.select_option("#id_indicator", "CSU06")
    page.fill("#id_area", "E07000096")
    page.set_input_files("#id_file", str(SAMPLE))
    page.check("#id_dry_run")
    page.click("button:has-text('Check and import')")
    assert "would sit" in page.inner_text("main") and "4 of 8" in page.inner_text("main")
    check(page)
    assert not Benchmark.objects.exists()

    page.click("text=Back to LG Inform benchmarks")
    page.select_option("#id_indicator", "CSU06")
    page.set_input_files("#id_file", str(SAMPLE))  # the area is remembered from the form
    page.fill("#id_area", "E07000096")
    page.click("button:has-text('Check and import')")
    assert "Imported" in page.inner_text("h1")
    check(page)
    page.click("text=See CSU06's page")
    table = page.locator("#benchmarks-caption").locator("xpath=..")
    assert "4 of 8" in table.inner_text() and "Second quartile" in table.inner_text()
    check(page)
