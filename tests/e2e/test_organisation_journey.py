"""An officer builds the organisation on /manage/ without the admin, invites a data owner,
who chooses a password from the emailed link and signs in; the officer then deactivates
someone. Clicked through in Chromium, with axe-core on every new page as shown (errors
included)."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(db):
    """Set up before the browser starts: no database call runs beside Playwright's loop."""
    from scrutineer.catalogue.models import Committee, Person, Priority, Theme

    user = User.objects.create_user("officer", password="officer-long-password", email="o@council.example")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    Person.objects.create(name="Olive Officer", user=user, email="o@council.example")
    Committee.objects.create(name="Housing and Community", slug="housing-community")
    Theme.objects.create(priority=Priority.objects.create(name="Safe and clean"), name="Community")
    return user


def test_officer_builds_the_organisation_and_invites_a_data_owner(
    live_server,
    officer,
    browser_page,  # noqa: F811
    settings,
):
    settings.SCRUTINEER_SITE_URL = live_server.url
    page, base = browser_page, live_server.url
    sign_in(page, base, "officer", "officer-long-password")

    page.goto(base + "/manage/")
    check(page)
    page.click("text=Organisation")
    check(page)  # empty: says what to add first
    page.click("text=Add a directorate")
    page.click("button:has-text('Save')")  # nothing typed: errors beside each field
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)
    page.fill("#id_name", "Housing")
    page.fill("#id_slug", "housing")
    page.click("button:has-text('Save')")
    page.click("text=Add a group")
    check(page)
    page.fill("#id_name", "Communities")
    page.fill("#id_slug", "communities")
    page.select_option("#id_directorate", label="Housing")
    page.click("button:has-text('Save')")
    page.click("text=Add a service")
    page.fill("#id_name", "Customer Services")
    page.fill("#id_slug", "customer-services")
    page.select_option("#id_group", label="Communities")
    page.fill("#id_position", "1")
    page.click("button:has-text('Save')")
    check(page)  # the tree, with its success message
    page.click("text=Customer Services")
    check(page)  # who does what, before anyone does anything

    page.goto(base + "/manage/portfolios/")
    check(page)
    page.click("text=Add a portfolio")
    check(page)
    page.fill("#id_name", "Community and Regulatory Services")
    page.click("button:has-text('Save')")
    page.click("text=Add a corporate objective")
    page.fill("#id_name", "Affordable housing")
    page.fill("#id_position", "1")
    page.click("button:has-text('Save')")
    check(page)

    page.goto(base + "/manage/people/")
    check(page)
    page.click("text=Invite someone")
    page.check("#id_role_0")  # data owner
    page.click("button:has-text('Send the invitation')")  # no email, name or service
    assert page.locator(".govuk-error-summary").is_visible()
    check(page)
    page.fill("#id_email", "tracy@council.example")
    page.fill("#id_name", "Tracy Lancashire")
    page.fill("#id_job_title", "Team Leader")
    page.check("label:has-text('Customer Services')")
    page.click("button:has-text('Choose their indicators')")
    check(page)  # the services' indicators (none yet), to tick
    page.click("button:has-text('Send the invitation')")
    page.wait_for_url("**/manage/people/*/")
    assert "is invited as data owner" in page.content()
    check(page)  # the person's page: account invited, send again, deactivate

    link = re.search(r"https?://\S+/accounts/welcome/\S+", mail.outbox[-1].body).group(0)
    page.goto(base + "/manage/people/")
    page.click("text=Add a person without an account")
    page.fill("#id_name", "Sam Leaver")
    page.fill("#id_email", "sam@council.example")
    page.click("button:has-text('Save')")
    page.click("a:has-text('Sam Leaver')")
    page.click("a:has-text('Deactivate Sam Leaver')")
    check(page)
    page.click("button:has-text('Deactivate Sam Leaver')")
    assert "Sam Leaver is deactivated" in page.content()
    page.goto(base + "/manage/people/?state=deactivated")
    assert "Sam Leaver" in page.content()
    check(page)

    # The invited person opens the link in their own browser session.
    page.context.clear_cookies()
    page.goto(link)
    check(page)
    page.fill("#id_new_password1", "tracy-chose-this-long-password")
    page.fill("#id_new_password2", "tracy-chose-this-long-password")
    page.click("button:has-text('Save my password')")
    page.wait_for_url("**/accounts/welcome/done/")
    check(page)
    sign_in(page, base, "tracy@council.example", "tracy-chose-this-long-password")
    page.goto(base + "/my-work/")
    assert page.url.endswith("/my-work/")
    page.goto(link)
    assert "This link no longer works" in page.content()
    check(page)
