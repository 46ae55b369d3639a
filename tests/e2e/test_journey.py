"""The main journey, clicked through in Chromium by each person in turn."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from scrutineer.catalogue.models import Committee, Indicator, Person, Target
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency
from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-long-password")
    page.click("button[type=submit]")


@pytest.fixture
def journey_people(seed_council):
    for username, name in (("owner", "Tracy Lancashire"), ("approver", "Matt Rawdon")):
        user = User.objects.create_user(username, password=f"{username}-long-password")
        Person.objects.filter(name=name).update(user=user)
    councillor = User.objects.create_user("councillor", password="councillor-long-password")
    person = Person.objects.create(name="Casey Councillor", is_councillor=True, user=councillor)
    Committee.objects.get(slug="housing-community").members.add(person)
    period = open_periods(Frequency.QUARTERLY, timezone.localdate())[0]
    Target.objects.create(
        indicator=Indicator.objects.get(code="CSU11"), period=period.within(Frequency.ANNUAL), value=20
    )
    return period


def test_owner_submits_approver_returns_owner_corrects_approver_approves_councillor_sees_green(
    live_server,
    journey_people,
    browser_page,  # noqa: F811
):
    page, base, period = browser_page, live_server.url, journey_people

    sign_in(page, base, "owner")
    page.click("text=My work")
    page.click(f"a[href='/indicators/CSU11/{period.key}/']")
    page.fill("#numerator", "700")
    page.fill("#denominator", "20000")
    page.click("button[value=submit]")
    assert "submitted for approval" in page.locator(".govuk-notification-banner").inner_text()
    check(page)

    sign_in(page, base, "approver")
    page.click("text=My work")
    page.click(f"text=CSU11 {period.label}")
    check(page)
    page.fill("#comment", "The denominator looks low: please check it.")
    page.click("button[value=return]")
    assert "returned to the data owner" in page.locator(".govuk-notification-banner").inner_text()

    sign_in(page, base, "owner")
    page.click("text=My work")
    assert "The denominator looks low" in page.inner_text("main")
    page.click(f"a[href='/indicators/CSU11/{period.key}/']")
    assert page.input_value("#denominator") == "20000"
    page.fill("#denominator", "21000")
    page.click("button[value=submit]")

    sign_in(page, base, "approver")
    page.goto(base + "/approvals/")
    page.click("text=CSU11 Call Handling")
    page.fill("#comment", "KPI Achieved.")
    page.click("button[value=approve]")
    assert "approved" in page.locator(".govuk-notification-banner").inner_text()

    sign_in(page, base, "councillor")
    page.click("text=Housing and Community Overview & Scrutiny")
    page.select_option("#period", period.key)
    page.click("text=Show")
    row = page.locator("tr", has=page.locator("a[href='/indicators/CSU11/']"))
    text = row.inner_text()
    assert "3.33%" in text and "700 / 21000" in text and "Target: 20%" in text
    assert re.search(r"✓\s*Green", text)
    assert "KPI Achieved." in text
    check(page)
