"""The collection cycle, clicked through in Chromium: an officer opens the Q2 2020/21 round;
the reminders go out; the data owner submits late, with the comment a red figure needs;
the approver approves; the officer closes the round; a correction with a reason is
approved and shows as a restatement on the indicator page and in the next draft report.
axe-core checks every new page on the way."""

import re
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db import connections

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import Indicator, Person, Target
from scrutineer.collection.actions.reminders import send_due_reminders
from scrutineer.engine import Period
from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)

Q1 = Period.parse("2020-21-Q1")
Q2 = Period.parse("2020-21-Q2")


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-long-password")
    page.click("button[type=submit]")


@pytest.fixture
def cycle_people(seed_council):
    """Set up before the browser starts: no database call runs beside Playwright's loop."""
    for username, name in (("owner", "Tracy Lancashire"), ("approver", "Matt Rawdon")):
        user = User.objects.create_user(username, password=f"{username}-long-password")
        Person.objects.filter(name=name).update(user=user, email=f"{username}@example.org")
    officer = User.objects.create_user(
        "officer", password="officer-long-password", email="officer@example.org"
    )
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    csu10 = Indicator.objects.get(code="CSU10")
    Target.objects.create(indicator=csu10, period=Q2, value=300)  # seconds, lower is better


def outside_the_browser_loop(work):
    """Run `work` (database calls) in a thread of its own: Playwright's event loop runs in
    this one, where Django refuses database calls."""
    done = {}

    def run():
        try:
            done["result"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    return done["result"]


def banner(page):
    return page.locator(".govuk-notification-banner").inner_text()


def test_open_remind_submit_late_approve_close_correct_restate(live_server, cycle_people, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url

    # The officer opens the Q2 round: figures were due on 14 October 2020.
    sign_in(page, base, "officer")
    page.get_by_role("link", name="Rounds").click()
    check(page)
    page.fill("#id_period", Q2.key)
    page.fill("#id_opens_on", "2020-10-01")
    page.fill("#id_due_on", "2020-10-14")
    page.fill("#id_approvals_due_on", "2100-10-21")
    page.click("main button[type=submit]")
    assert "The Q2 2020/21 round is open" in banner(page)
    assert "Overdue (not started)" in page.inner_text("main")
    check(page)  # the round's page

    # The daily job reminds: the owner is late, so she and her approver are told.
    run = outside_the_browser_loop(send_due_reminders)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert re.match(
        r"Overdue: \d+ figures for Q2 2020/21 \(due on 14 October 2020\)", subjects["owner@example.org"]
    )
    assert "CSU10 Call Handling: Average wait time" in next(
        m.body for m in mail.outbox if m.to == ["owner@example.org"]
    )
    assert len(run.sent) == len(mail.outbox) and outside_the_browser_loop(send_due_reminders).sent == []

    # The owner submits late: 400 seconds is red against 300, so it needs a comment.
    sign_in(page, base, "owner")
    page.click("text=My work")
    assert "Collection rounds open now" in page.inner_text("main")
    assert re.search(r"14 October 2020, \d+ days late", page.inner_text("main"))
    check(page)
    page.click(f"a[href='/indicators/CSU10/{Q2.key}/']")
    page.fill("#value", "400")
    page.click("button[value=submit]")
    assert "needs a comment for the report" in page.locator(".govuk-error-summary").inner_text()
    check(page)  # the entry page with its error
    page.fill("#commentary", "Two vacancies on the phones; recruitment under way.")
    page.click("button[value=submit]")
    assert "submitted for approval" in banner(page)

    # The approver approves it.
    sign_in(page, base, "approver")
    page.goto(base + "/approvals/")
    page.click("text=CSU10 Call Handling")
    page.fill("#comment", "Agreed: see the recruitment plan.")
    page.click("button[value=approve]")
    assert "approved" in banner(page)
    page.goto(base + "/overdue/")
    check(page)  # the overdue tracker, as an approver sees it

    # The officer closes the round: the approved figure locks.
    sign_in(page, base, "officer")
    page.goto(f"{base}/rounds/{Q2.key}/")
    page.click("text=Close the Q2 2020/21 round")
    assert "The Q2 2020/21 round is closed: 1 approved figure locked." in banner(page)
    check(page)

    # The owner corrects the locked figure, with a reason.
    sign_in(page, base, "owner")
    page.goto(base + "/indicators/CSU10/")
    page.get_by_role("link", name=f"Correct CSU10 {Q2.label}").click()
    check(page)
    page.fill("#id_value", "380")
    page.click("main button[type=submit]")
    assert "say why it is being corrected" in page.locator(".govuk-error-summary").inner_text()
    check(page)  # the correction page with its error
    page.fill("#id_reason", "The telephony supplier restated September's calls")
    page.click("main button[type=submit]")
    assert "submitted for approval" in banner(page)

    # The approver approves the correction: it is a restatement.
    sign_in(page, base, "approver")
    page.goto(base + "/approvals/")
    page.click("text=CSU10 Call Handling")
    page.click("button[value=approve]")
    page.goto(base + "/indicators/CSU10/")
    restated = page.locator("#restatements + p + ul").inner_text()
    assert re.search(
        r"Q2 2020/21: Restated on \d+ \w+ \d{4} from 400 Second\(s\) to 380 Second\(s\), because the telephony "
        r"supplier restated September's calls\.",
        restated,
    ), restated
    check(page)

    # The next draft report notes it; the officer also sees the schedule and rule pages.
    sign_in(page, base, "officer")
    page.goto(f"{base}/reports/housing-community/{Q2.key}/draft/")
    notes = page.locator(".report-restatements").inner_text()
    assert "CSU10 Q2 2020/21 restated on" in notes and "because the telephony supplier" in notes
    table = page.locator("tr", has_text="CSU10").first.inner_text()
    assert "Two vacancies on the phones" in table
    for path in ("/rounds/", "/rounds/schedule/", "/overdue/", "/indicators/CSU10/comments-required/"):
        check(page, base + path)
