"""Every page of the web app, for each kind of visitor, in a real browser: axe-core finds
no WCAG 2.2 AA violation. The officer signs in through the sign-in form, as a person would."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django.test import override_settings

from scrutineer.engine import Period
from scrutineer.reports.models import Report, ReportBuild
from scrutineer.reports.publishing import publish_report
from scrutineer.web.permissions import PERFORMANCE_OFFICERS
from tests.browser import browser_page  # noqa: F401
from tests.reports.test_accessibility import WCAG_TAGS, readable

pytestmark = pytest.mark.django_db(transaction=True)

Q1 = "2020-21-Q1"


@pytest.fixture
def site(seed_council):
    publish_report(Report.objects.get(period=Period.parse(Q1)), formats=("html", "csv"))
    user = User.objects.create_user("officer", password="a-long-officer-password")
    user.groups.add(Group.objects.create(name=PERFORMANCE_OFFICERS))
    report = Report.objects.get(period=Period.parse(Q1))
    build = ReportBuild.objects.create(
        committee=report.committee, period=report.period, formats=["csv"], requested_by=user
    )
    return build


def check(page, url=None):
    if url is not None:
        page.goto(url)
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    assert violations == [], f"{page.url}: {len(violations)} axe violations:\n{readable(violations)}"


@override_settings(SCRUTINEER_REPORT_BUILDS="worker")
def test_every_page_for_the_public_and_for_an_officer(live_server, site, browser_page):  # noqa: F811
    page = browser_page
    public = ["/", "/reports/", f"/reports/housing-community/{Q1}/", "/accounts/login/"]
    for path in public:
        check(page, live_server.url + path)

    page.goto(live_server.url + "/accounts/login/?next=/reports/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "wrong password")
    page.click("button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)  # the page with its error summary, as shown
    page.fill("#id_username", "officer")
    page.fill("#id_password", "a-long-officer-password")
    page.click("button[type=submit]")
    assert page.url.endswith("/reports/")
    for path in [
        "/",
        "/committees/housing-community/",
        "/committees/housing-community/?period=2020-21-Q1&status=green",
        "/indicators/CSU10/",
        "/indicators/YP01a/",
        "/reports/",
        f"/reports/housing-community/{Q1}/",
        f"/reports/housing-community/{Q1}/draft/",
        f"/reports/builds/{site.pk}/",
    ]:
        check(page, live_server.url + path)
