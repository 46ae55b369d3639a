"""Two officers editing one report at once, and a group head approving achievements from
the queue, clicked through in Chromium; every page as shown passes axe."""

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import Person, ServiceTeam
from scrutineer.collection.models import Achievement
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency
from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)

EDIT = "/reports/housing-community/2020-21-Q1/edit/"


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-long-password")
    page.click("button[type=submit]")


@pytest.fixture
def two_officers(seed_council):
    """Set up before the browser starts: no database call runs beside Playwright's loop."""
    officers = Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0]
    for username, first in (("alex", "Alex"), ("jo", "Jo")):
        user = User.objects.create_user(
            username, password=f"{username}-long-password", first_name=first, last_name="Officer"
        )
        user.groups.add(officers)


def test_the_second_officer_sees_both_versions_and_saves_knowingly(
    live_server,
    two_officers,
    browser_page,  # noqa: F811
):
    mine, base = browser_page, live_server.url
    theirs = mine.context.browser.new_context(locale="en-GB").new_page()
    sign_in(mine, base, "alex")
    sign_in(theirs, base, "jo")
    mine.goto(base + EDIT)
    theirs.goto(base + EDIT)
    assert mine.input_value("#id_meeting_date") == "2020-09-09"  # shown, so saved again as it was

    theirs.fill("#id_risk_implications", "Their risk text.")
    theirs.click("text=Save the draft")
    assert "saved as a draft" in theirs.locator(".govuk-notification-banner").inner_text()

    mine.fill("#id_risk_implications", "My risk text.")
    mine.fill("#id_introduction", "My introduction, typed at length.")
    mine.click("text=Save the draft")
    summary = mine.locator(".govuk-error-summary").inner_text()
    assert "Someone else (Jo Officer) saved or published this report" in summary
    assert "Your changes were not saved." in summary
    assert mine.input_value("#id_risk_implications") == "My risk text."
    assert mine.input_value("#id_introduction") == "My introduction, typed at length."
    assert "Their risk text." in mine.locator("#id_risk_implications-stored").inner_text()
    check(mine)  # the refusal as shown

    mine.fill("#id_risk_implications", "Their risk text. My risk text.")
    mine.click("text=Save the draft")
    assert "saved as a draft" in mine.locator(".govuk-notification-banner").inner_text()
    theirs.context.close()


@pytest.fixture
def drafts_for_the_head(seed_council):
    User.objects.create_user("head", password="head-long-password")
    Person.objects.filter(name="Matt Rawdon").update(user=User.objects.get(username="head"))
    quarter = open_periods(Frequency.QUARTERLY, timezone.localdate())[0]
    service = ServiceTeam.objects.get(slug="customer-services")
    for position in (1, 2):
        Achievement.objects.create(service=service, period=quarter, position=position, body="Done.")
    return quarter


def test_the_group_head_approves_achievements_from_the_queue(
    live_server,
    drafts_for_the_head,
    browser_page,  # noqa: F811
):
    page, base, quarter = browser_page, live_server.url, drafts_for_the_head
    sign_in(page, base, "head")
    page.click("text=My work")
    assert f"Customer Services {quarter.label}: 2 draft achievements" in page.inner_text("main")
    page.click("text=Approve achievements from the approval queue")
    check(page)
    row = page.locator("tr", has=page.locator("text=Customer Services"))
    assert "2" in row.inner_text()
    row.get_by_role("button", name=f"Approve 2 achievements of Customer Services for {quarter.label}").click()
    assert "Approved 2 achievements" in page.locator(".govuk-notification-banner").inner_text()
    assert page.url.endswith("/approvals/#achievements")
    assert "No achievements await your approval." in page.inner_text("main")
    check(page)
