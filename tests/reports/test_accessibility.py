"""The HTML reports in a real browser: axe-core finds no WCAG 2.2 AA violation, the page
loads nothing from outside the file, and the skip link works from the keyboard.

Chromium is the Debian package, launched by `tests/browser.py`; axe-core is the copy
bundled with axe-playwright-python.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.renderers.html import render_html
from tests.browser import browser_page  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

PERIODS = ("2020-21-Q1", "2018-19-Q2")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Where the screenshot of the Q1 report goes, for people to look at.
SCREENSHOT_DIR = Path(os.environ.get("SCRUTINEER_SCREENSHOT_DIR", tempfile.gettempdir()))


@pytest.fixture
def report_files(seed_council, tmp_path) -> dict[str, Path]:
    """Both seed reports written to disk, as a councillor would open them from a folder.

    Built before the browser starts: the database is not used while Playwright runs.
    """
    from scrutineer.reports.models import Report

    files = {}
    for key in PERIODS:
        doc = build_document(Report.objects.get(period=Period.parse(key)))
        path = tmp_path / f"{doc.filename_stem}.html"
        path.write_text(render_html(doc), encoding="utf-8")
        files[key] = path
    return files


def readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(
                f"    at {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
            lines.append(f"       {node['html'][:160]}")
    return "\n".join(lines)


@pytest.mark.parametrize("key", PERIODS)
def test_axe_finds_no_violations(report_files, browser_page, key):  # noqa: F811
    page = browser_page
    page.goto(report_files[key].as_uri())
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    assert violations == [], f"{len(violations)} axe WCAG violations:\n{readable(violations)}"
    assert results.response["testEngine"]["version"].startswith("4.")
    # Beyond WCAG's letter, what screen reader users rely on: heading order, landmarks.
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["best-practice"]}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    assert violations == [], f"{len(violations)} axe best-practice violations:\n{readable(violations)}"


def test_skip_link_is_the_first_stop_and_reaches_the_report(report_files, browser_page):  # noqa: F811
    page = browser_page
    page.goto(report_files["2020-21-Q1"].as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".govuk-skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"


def test_the_table_scrolls_in_its_own_region_on_a_phone(report_files, browser_page):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(report_files["2020-21-Q1"].as_uri())
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 375  # the page itself never scrolls sideways (WCAG 1.4.10)
    region = page.locator(".report-table-wrapper")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.response["violations"] == [], readable(results.response["violations"])


def test_the_file_loads_nothing_from_outside_itself_and_is_screenshot(report_files, browser_page):  # noqa: F811
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report_files["2020-21-Q1"].as_uri())
    page.wait_for_load_state("networkidle")
    assert [url for url in requested if not url.startswith(("file://", "data:"))] == []
    # For people to look at: does it read like a council's committee report?
    path = SCREENSHOT_DIR / "report-q1.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
