"""Every page of the web app, for each kind of visitor, in a real browser: axe-core finds
no WCAG 2.2 AA violation. The officer signs in through the sign-in form, as a person would."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django.test import override_settings

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.engine import Period
from scrutineer.reports.models import Report, ReportBuild
from tests.browser import browser_page  # noqa: F401
from tests.publishing import publish
from tests.reports.test_accessibility import WCAG_TAGS, readable

pytestmark = pytest.mark.django_db(transaction=True)

Q1 = "2020-21-Q1"


@pytest.fixture
def site(seed_council):
    publish(Report.objects.get(period=Period.parse(Q1)))
    user = User.objects.create_user("officer", password="a-long-officer-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
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
    public = ["/", "/reports/", f"/reports/housing-community/{Q1}/", "/open-data/", "/accounts/login/"]
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
        "/services/customer-services/",
        "/services/customer-services/?period=2020-21-Q1&status=green",
        "/reports/",
        f"/reports/housing-community/{Q1}/",
        f"/reports/housing-community/{Q1}/draft/",
        f"/reports/housing-community/{Q1}/edit/",
        f"/reports/builds/{site.pk}/",
    ]:
        check(page, live_server.url + path)
    # Themes are addressed by number: reach one as a person would, from an indicator page.
    page.goto(live_server.url + "/indicators/CSU10/")
    page.get_by_role("link", name="Dacorum Delivers - Performance excellence").click()
    page.wait_for_url("**/themes/*/")
    check(page)


def sign_in(page, base, username, password):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@pytest.fixture
def owner_and_approver(seed_council):
    """Set up before the browser starts: no database call runs beside Playwright's loop."""
    from django.utils import timezone

    from scrutineer.catalogue.models import Person
    from scrutineer.collection.rounds import open_periods
    from scrutineer.engine import Frequency

    for username, name in (("owner", "Tracy Lancashire"), ("approver", "Matt Rawdon")):
        user = User.objects.create_user(username, password=f"{username}-long-password")
        Person.objects.filter(name=name).update(user=user)
    return open_periods(Frequency.QUARTERLY, timezone.localdate())[0]


def test_entry_and_approval_pages_for_owner_and_approver(
    live_server,
    owner_and_approver,
    browser_page,  # noqa: F811
):
    key = owner_and_approver.key
    page = browser_page

    sign_in(page, live_server.url, "owner", "owner-long-password")
    check(page, live_server.url + "/my-work/")
    check(page, f"{live_server.url}/indicators/CSU11/{key}/")
    page.fill("#numerator", "640")
    page.fill("#denominator", "600")
    page.click("button[value=save]")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)  # the form with its errors
    page.fill("#denominator", "19498")
    page.click("button[value=submit]")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    check(page)

    # She leads Customer Services: its achievements for the quarter, written and previewed.
    achievements = f"{live_server.url}/services/customer-services/achievements/{key}/"
    check(page, achievements)
    check(page, achievements + "new/")
    page.fill("#body", "Opened the <b>new</b> contact centre.")
    page.click("button[value=save]")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)  # HTML refused, shown accessibly
    page.fill("#body", "Opened the new contact centre.\n\n- Longer hours\n- Shorter waits")
    page.click("button[value=preview]")
    check(page)  # the preview
    page.click("button[value=save]")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    check(page)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "approver", "approver-long-password")
    check(page, live_server.url + "/my-work/")
    check(page, live_server.url + "/approvals/")
    page.click("#select-all")  # ticks every figure in place (collection/select-all.js)
    assert page.url == live_server.url + "/approvals/"
    assert (
        page.locator("input[name=value]").count()
        and not page.locator("input[name=value]:not(:checked)").count()
    )
    assert page.locator("#select-all[role=button]").inner_text() == "Clear the selection"
    check(page)
    page.click("text=CSU11 Call Handling")
    check(page)  # the review page
    page.click("button[value=return]")  # no comment: an error, shown accessibly
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)


@pytest.fixture
def catalogue_officer(seed_council):
    """An officer, and the ids the catalogue pages need, set up before the browser starts."""
    from scrutineer.catalogue.models import Theme
    from tests.factories import StatusRuleFactory

    user = User.objects.create_user("cataloguer", password="a-long-officer-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    theme = Theme.objects.order_by("pk").first()
    rule = StatusRuleFactory(rule={"name": "Within 5% is green", "green": {"within": "5%"}})
    Theme.objects.filter(pk=theme.pk).update(status_rule=rule)
    return theme.pk, theme.priority_id, rule.pk


def test_catalogue_pages_for_an_officer(live_server, catalogue_officer, browser_page):  # noqa: F811
    theme, priority, rule = catalogue_officer
    page = browser_page
    sign_in(page, live_server.url, "cataloguer", "a-long-officer-password")
    for path in [
        "/manage/",
        "/manage/indicators/",
        "/manage/indicators/?q=CSU&state=all",
        "/manage/indicators/new/",
        "/manage/indicators/CSU11/targets/",
        "/manage/indicators/CSU10/targets/2020-21-Q1/",
        "/manage/themes/",
        "/manage/themes/new/",
        f"/manage/themes/{theme}/",
        "/manage/priorities/new/",
        f"/manage/priorities/{priority}/",
        "/manage/committees/",
        "/manage/committees/new/",
        "/manage/committees/housing-community/",
        "/manage/history/",
        "/manage/status-rules/",
        "/manage/status-rules/new/",
        f"/manage/status-rules/{rule}/",
        f"/manage/status-rules/{rule}/apply/",
        f"/manage/status-rules/{rule}/apply/?to=site",
        f"/manage/status-rules/clear/?to=theme-{theme}",
        "/indicators/CSU10/",
        "/committees/housing-community/?period=2020-21-Q1",
    ]:
        check(page, live_server.url + path)

    check(page, live_server.url + "/manage/indicators/CSU10/")
    page.fill("#id_definition", "Mean wait in seconds.")
    page.click("main button[type=submit]")  # no reason given: refused, with the error beside the field
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.locator("#id_definition").input_value() == "Mean wait in seconds."
    # GOV.UK Frontend's script moves focus to the summary, so a screen reader reads it first.
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    check(page)
    page.fill("#id_reason", "Clearer wording")
    page.click("main button[type=submit]")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    check(page)

    page.goto(live_server.url + "/manage/indicators/CSU10/targets/")
    page.fill("#id_period", "2021-06")
    page.fill("#id_value", "lots")
    page.click("text=Add target")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)


@pytest.fixture
def councillor(seed_council):
    """A member of the committee, and its published report, set up before the browser starts."""
    from scrutineer.catalogue.models import Committee, Person

    publish(Report.objects.get(period=Period.parse(Q1)))
    user = User.objects.create_user("member", password="a-long-member-password")
    person = Person.objects.create(name="Casey Member", is_councillor=True, user=user)
    Committee.objects.get(slug="housing-community").members.add(person)


def test_every_page_a_councillor_reads_and_the_refusal_and_not_found_pages(
    live_server,
    councillor,
    browser_page,  # noqa: F811
):
    page = browser_page
    sign_in(page, live_server.url, "member", "a-long-member-password")
    for path in [
        "/",
        "/my-work/",
        "/committees/housing-community/",
        "/committees/housing-community/?period=2020-21-Q1&status=green",
        "/services/customer-services/",
        "/indicators/CSU11/",
        "/reports/",
        f"/reports/housing-community/{Q1}/",
    ]:
        check(page, live_server.url + path)
    response = page.goto(live_server.url + "/manage/")
    assert response.status == 403
    check(page)
    response = page.goto(live_server.url + "/reports/housing-community/2019-20-Q3/")
    assert response.status == 404
    check(page)


@pytest.fixture
def cycle_officer(seed_council):
    """An officer, an open round for Q2 2020/21 with late figures, and a corrective action on
    CSU10, set up before the browser starts."""
    from datetime import date

    from scrutineer.catalogue.models import Indicator
    from scrutineer.collection.actions import open_round, set_corrective_action

    user = User.objects.create_user("cycler", password="a-long-officer-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    open_round(
        "2020-21-Q2",
        user=user,
        opens_on=date(2020, 10, 1),
        due_on=date(2020, 10, 14),
        approvals_due_on=date(2020, 10, 21),
    )
    csu10 = Indicator.objects.get(code="CSU10")
    action = set_corrective_action(
        csu10,
        Q1,
        user=user,
        description="Recruit two call handlers",
        owner=csu10.owner,
        due_on=date(2020, 12, 31),
    )
    return action.pk


def test_collection_cycle_pages_for_an_officer(live_server, cycle_officer, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    sign_in(page, base, "cycler", "a-long-officer-password")
    for path in [
        "/rounds/",
        "/rounds/2020-21-Q2/",
        "/rounds/schedule/",
        "/overdue/",
        "/my-work/",
        "/indicators/CSU10/",
        f"/indicators/CSU10/{Q1}/corrective-actions/new/",
        f"/corrective-actions/{cycle_officer}/",
        "/indicators/CSU10/comments-required/",
        "/manage/targets/roll-forward/?from=2020-21&to=2021-22",
    ]:
        check(page, base + path)

    page.click("text=Save the kept targets for 2021/22")  # no reason: refused beside the field
    assert "Say why the targets are rolled forward" in page.locator(".govuk-error-summary").inner_text()
    check(page)

    page.goto(base + "/rounds/")  # a second round for the same quarter: refused, shown accessibly
    page.fill("#id_period", "2020-21-Q2")
    page.fill("#id_opens_on", "2020-10-01")
    page.fill("#id_due_on", "2020-10-14")
    page.fill("#id_approvals_due_on", "2020-10-21")
    page.click("main button[type=submit]")
    assert "a period has one round" in page.locator(".govuk-error-summary").inner_text()
    check(page)

    page.goto(base + "/rounds/schedule/")
    page.fill("#id_monthly-open_day", "12")
    page.click("text=Save the monthly schedule")
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)

    page.goto(f"{base}/indicators/CSU10/{Q1}/corrective-actions/new/")
    page.click("main button[type=submit]")  # nothing said: each field says what it needs
    assert "Say what will be done." in page.locator(".govuk-error-summary").inner_text()
    check(page)
