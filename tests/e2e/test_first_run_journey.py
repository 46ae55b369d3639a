"""A new site in a real browser: the first visitor is sent to the first-run page, makes a
mistake, sets the council up with its logo, lands signed in on Manage, and changes the
council's details on the identity page. axe-core finds no WCAG 2.2 AA violation on any of
these pages, with or without their error summary."""

import io

import pytest
from PIL import Image

from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def test_first_run_and_the_identity_page(live_server, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    logo = tmp_path / "logo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (0, 94, 165)).save(buffer, "PNG")
    logo.write_bytes(buffer.getvalue())

    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/setup/"
    check(page)

    page.click("main button[type=submit]")  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter the council's name" in summary.inner_text()
    check(page)

    page.fill("#id_council_name", "Borsetshire District Council")
    page.fill("#id_short_name", "Borsetshire")
    page.set_input_files("#id_logo", str(logo))
    page.fill("#id_name", "Jo Smith")
    page.fill("#id_email", "jo.smith@example.gov.uk")
    page.fill("#id_username", "jsmith")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/manage/")
    header = page.locator("header.govuk-header")
    assert "Borsetshire · Scrutineer" in header.inner_text()
    assert header.locator("img.scrutineer-header__logo").evaluate("img => img.naturalWidth") == 120
    check(page)

    page.goto(live_server.url + "/manage/identity/")
    check(page)
    page.fill("#id_short_name", "Borset")
    page.click("main button[type=submit]")  # without a reason
    assert "Give a reason for the change" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.fill("#id_short_name", "Borset")
    page.fill("#id_reason", "The name on our signs")
    page.click("main button[type=submit]")
    assert "The council's details are saved." in page.locator(".govuk-notification-banner").inner_text()
    assert "Borset · Scrutineer" in page.locator("header.govuk-header").inner_text()
    check(page)

    response = page.goto(live_server.url + "/setup/")
    assert response.status == 404
