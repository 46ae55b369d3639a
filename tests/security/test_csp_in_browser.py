"""In Chromium, the Content Security Policy blocks nothing the pages need: their
stylesheets apply, GOV.UK Frontend's script runs, and no violation is reported."""

import pytest

from tests.browser import browser_page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def visit(page, url):
    """Open `url`; return the policy violations the page reported."""
    page.goto(url)
    page.wait_for_load_state("load")
    return page.evaluate("window.__violations || []")


def test_pages_and_a_served_report_work_under_the_policy(live_server, published, browser_page):  # noqa: F811
    page = browser_page
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    for url in (
        "/",
        "/accounts/login/",
        "/reports/",
        "/reports/housing-community/2020-21-Q1/",
        "/no-such-page/",
    ):
        assert visit(page, live_server.url + url) == [], url
        # GOV.UK Frontend's stylesheet applied (the header is black) and its module script ran.
        header = page.eval_on_selector(".govuk-header", "e => getComputedStyle(e).backgroundColor")
        assert header == "rgb(11, 12, 12)", url
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), url

    assert visit(page, live_server.url + "/reports/housing-community/2020-21-Q1/v1/html") == []
    # The report's own embedded stylesheet applied: its running head is hidden on screen.
    running = page.eval_on_selector(".report-running", "e => getComputedStyle(e).display")
    assert running == "none"
    assert blocked == []
