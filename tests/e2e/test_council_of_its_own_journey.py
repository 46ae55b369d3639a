"""A council of its own, from an empty database to a published report, through the pages
alone (never /admin/, no factories, no ORM writes): first-run setup; the performance
officer builds the organisation, invites a data owner and an approver (who choose their
passwords from the emailed links), defines two indicators with targets and a committee
whose reports label periods "Q3 2023/24" and sum up as a percentage achieved, checking the
preview; the owner enters the quarter's figures, the approver approves them from the
queue, and the officer publishes. The published report speaks the council's name and the
layout it chose, and never the seed council's. axe-core finds no WCAG 2.2 AA violation on
any new page on the way.

The clock is set to January 2024, when Q3 2023/24 (October to December) has ended and is
open for entry by the date rule (collection/rounds.py)."""

import io
import re
import zipfile
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)

COUNCIL = "Northfield District Council"
LICENCE = "Creative Commons Attribution 4.0 International"
QUARTER = "2023-24-Q3"
COMMITTEE = "communities-scrutiny"
JANUARY_2024 = datetime(2024, 1, 22, 9, 30, tzinfo=UTC)


def sign_in(page, base, username, password):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.inner_text("main")


def banner(page):
    return page.locator(".govuk-notification-banner").inner_text()


def no_errors(page):
    """The page saved what was typed: no error summary, and it says which field if not."""
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 0, f"{page.url}: {summary.inner_text()}"


def save(page, button="Save"):
    page.click(f"main button:has-text('{button}')")
    page.wait_for_load_state()
    no_errors(page)


def invitation_link(email):
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    assert COUNCIL in message.body and "Dacorum" not in message.body
    return re.search(r"https?://\S+/accounts/welcome/\S+", message.body).group(0)


def test_a_new_council_sets_itself_up_and_publishes_its_own_report(
    live_server,
    browser_page,  # noqa: F811
    settings,
):
    settings.SCRUTINEER_SITE_URL = live_server.url
    page, base = browser_page, live_server.url
    requested = []
    page.context.on("request", lambda request: requested.append(request.url))
    with time_machine.travel(JANUARY_2024, tick=True):
        first_run(page, base)
        build_the_organisation(page, base)
        invite_an_owner_and_an_approver(page, base)
        define_indicators_and_the_committee_layout(page, base)
        enter_and_approve_the_quarter(page, base)
        publish_and_read_the_report(page, base)
    assert requested and not [url for url in requested if "/admin/" in url]


def first_run(page, base):
    page.goto(base + "/")
    assert page.url == base + "/setup/"
    check(page)
    page.fill("#id_council_name", COUNCIL)
    page.fill("#id_short_name", "Northfield")
    page.fill("#id_licence", LICENCE)
    page.fill("#id_name", "Priya Patel")
    page.fill("#id_email", "priya.patel@northfield.example")
    page.fill("#id_username", "ppatel")
    page.fill("#id_password", "officer-chose-a-long-password")
    page.fill("#id_password2", "officer-chose-a-long-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/manage/")
    assert "Northfield · Scrutineer" in page.locator("header.govuk-header").inner_text()
    check(page)


def build_the_organisation(page, base):
    page.goto(base + "/manage/organisation/")
    check(page)
    page.click("text=Add a directorate")
    check(page)
    page.fill("#id_name", "Place and Communities")
    page.fill("#id_slug", "place-communities")
    save(page)
    page.click("text=Add a group")
    page.fill("#id_name", "Housing and Neighbourhoods")
    page.fill("#id_slug", "housing-neighbourhoods")
    page.select_option("#id_directorate", label="Place and Communities")
    save(page)
    page.click("text=Add a service")
    check(page)
    page.fill("#id_name", "Housing Options")
    page.fill("#id_slug", "housing-options")
    page.select_option("#id_group", label="Housing and Neighbourhoods")
    page.fill("#id_position", "1")
    save(page)
    assert "Housing Options" in page.inner_text("main")
    check(page)  # the tree

    page.goto(base + "/manage/themes/")
    check(page)
    page.click("text=Add a priority")
    check(page)
    page.fill("#id_name", "A fair place to live")
    page.fill("#id_position", "1")
    save(page)
    page.goto(base + "/manage/themes/")
    page.click("text=Add a theme")
    check(page)
    page.select_option("#id_priority", label="A fair place to live")
    page.fill("#id_name", "Homes for everyone")
    page.fill("#id_position", "1")
    save(page)
    assert "Homes for everyone" in page.inner_text("main")

    page.goto(base + "/manage/committees/")
    page.click("text=Add a committee")
    check(page)  # with its report layout, at the defaults
    page.fill("#id_name", "Communities Scrutiny Committee")
    page.fill("#id_slug", COMMITTEE)
    page.check("label:has-text('Housing Options')")
    save(page, "Add committee")
    assert "Communities Scrutiny Committee" in page.inner_text("main")


def invite_an_owner_and_an_approver(page, base):
    for email, name, title, role in (
        ("sam.okafor@northfield.example", "Sam Okafor", "Housing Options Team Leader", "Data owner"),
        ("rita.hughes@northfield.example", "Rita Hughes", "Group Manager, Housing", "Approver"),
    ):
        page.goto(base + "/manage/people/")
        page.click("text=Invite someone")
        page.fill("#id_email", email)
        page.fill("#id_name", name)
        page.fill("#id_job_title", title)
        page.get_by_label(role, exact=True).check()
        page.check("fieldset:has-text('Services') label:has-text('Housing Options')")
        if role == "Data owner":
            check(page)  # the invitation form, filled in
        page.click("button:has-text('Send the invitation')")
        page.wait_for_url("**/manage/people/*/")
        assert f"{name} is invited as {role.lower()}" in banner(page)
    check(page)  # a person's page, invited
    page.goto(base + "/manage/people/")
    check(page)

    for email, password in (
        ("sam.okafor@northfield.example", "sam-chose-this-long-password"),
        ("rita.hughes@northfield.example", "rita-chose-this-long-password"),
    ):
        link = invitation_link(email)
        page.context.clear_cookies()  # in their own browser
        page.goto(link)
        if email.startswith("sam"):
            check(page)  # choosing a password
        page.fill("#id_new_password1", password)
        page.fill("#id_new_password2", password)
        page.click("button:has-text('Save my password')")
        page.wait_for_url("**/accounts/welcome/done/")
        if email.startswith("sam"):
            check(page)
        sign_in(page, base, email, password)
        page.goto(base + "/my-work/")
        assert page.url.endswith("/my-work/")

    # Who does what in the service, now that it has people.
    sign_in(page, base, "ppatel", "officer-chose-a-long-password")
    page.goto(base + "/manage/services/housing-options/")
    main = page.inner_text("main")
    assert "Sam Okafor" in main and "Rita Hughes" in main, main
    check(page)


def define_indicators_and_the_committee_layout(page, base):
    indicators = (
        # code, name, unit, kind, how the figures add up, target for the quarter
        ("HO01", "Households prevented from becoming homeless", "Households", "Count", "Sum", "120"),
        ("HO02", "Housing register applications assessed within 28 days", "", "Percentage", "Mean", "95"),
    )
    for code, name, unit, kind, adding, target in indicators:
        page.goto(base + "/manage/indicators/new/")
        if code == "HO01":
            check(page)
        page.fill("#id_code", code)
        page.fill("#id_name", name)
        page.fill("#id_unit", unit)
        page.select_option(
            "#id_measure_kind",
            label=next(
                label
                for label in page.locator("#id_measure_kind option").all_inner_texts()
                if label.startswith(kind)
            ),
        )
        page.select_option("#id_polarity", label="Higher is better")
        page.select_option("#id_frequency", label="Quarterly")
        page.select_option(
            "#id_aggregation",
            label=next(
                label
                for label in page.locator("#id_aggregation option").all_inner_texts()
                if label.startswith(adding)
            ),
        )
        page.fill("#id_decimal_places", "0" if kind == "Count" else "1")
        page.select_option("#id_service", label="Housing Options")
        page.select_option("#id_theme", label="A fair place to live - Homes for everyone")
        page.select_option("#id_owner", label="Sam Okafor")
        page.select_option("#id_approver", label="Rita Hughes")
        save(page, "Add indicator")
        page.goto(f"{base}/manage/indicators/{code}/targets/")
        if code == "HO01":
            check(page)
        page.fill("#id_period", QUARTER)
        page.fill("#id_value", target)
        save(page, "Add target")
        assert "Q3 2023/24" in page.inner_text("main")

    page.goto(f"{base}/manage/committees/{COMMITTEE}/")
    page.check("label:has-text('HO01')")
    page.check("label:has-text('HO02')")
    page.get_by_label("By the quarter").check()
    page.get_by_label("Percentage achieved").check()
    check(page)  # the committee's page with its report layout

    with page.context.expect_page() as opened:
        page.click("button:has-text('Preview the report')")
    preview = opened.value
    preview.wait_for_load_state()
    shown = preview.inner_text("body")
    assert "Preview of the report layout for" in shown, shown
    assert "Q3 2023/24" in shown and "Dec-2023" not in shown
    assert "Dacorum" not in shown
    check(preview)
    preview.close()

    save(page, "Save changes")
    page.goto(f"{base}/manage/committees/{COMMITTEE}/")
    assert page.get_by_label("By the quarter").is_checked()
    assert page.get_by_label("Percentage achieved").is_checked()


def enter_and_approve_the_quarter(page, base):
    sign_in(page, base, "sam.okafor@northfield.example", "sam-chose-this-long-password")
    page.goto(base + "/my-work/")
    page.click(f"a[href='/indicators/HO01/{QUARTER}/']")
    page.fill("#value", "131")
    page.click("button[value=submit]")
    assert "submitted for approval" in banner(page)
    page.goto(base + "/my-work/")
    page.click(f"a[href='/indicators/HO02/{QUARTER}/']")
    check(page)  # the entry page for a percentage entered as a figure
    page.fill("#value", "88.4")
    page.fill("#commentary", "Two assessors on long-term leave; agency cover from February.")
    page.click("button[value=submit]")
    assert "submitted for approval" in banner(page)

    sign_in(page, base, "rita.hughes@northfield.example", "rita-chose-this-long-password")
    page.goto(base + "/approvals/")
    queue = page.inner_text("main")
    assert "88.4%" in queue and "Sam Okafor" in queue, queue
    check(page)  # the approval queue
    page.click("text=Select all 2 figures")
    page.click("button:has-text('Approve selected')")
    page.wait_for_load_state()
    assert "No figures await your approval." in page.inner_text("main"), page.inner_text("main")


def publish_and_read_the_report(page, base):
    sign_in(page, base, "ppatel", "officer-chose-a-long-password")
    page.goto(base + "/reports/")
    page.select_option(f"#period-{COMMITTEE}", QUARTER)
    page.click("button:has-text('Start or open the report')")
    page.click("text=Start this report")
    page.fill("#id_meeting_date", "2024-02-13")
    save(page, "Save the draft")
    assert "report is saved as a draft" in banner(page)
    page.check("#reviewed")
    page.click("button:has-text('Publish')")
    assert "Published version 1." in banner(page)

    page.click("a:has-text('.html')")
    page.wait_for_load_state()
    report = page.inner_text("body")
    assert COUNCIL in report
    columns = page.locator("table.report-table thead th").all_inner_texts()
    assert [c.split()[-2:] for c in columns[1:4]] == [
        ["Q3", "2023/24"],
        ["Q2", "2023/24"],
        ["Q3", "2022/23"],
    ], columns
    assert "Dec-2023" not in report
    summary = page.locator(".report-key__summary").first.inner_text()
    assert "50% of measurable targets achieved" in summary, summary
    row = page.locator("#indicator-HO02").inner_text()
    assert "88.4%" in row and "95%" in row and "agency cover from February" in row, row
    assert LICENCE in report
    assert "Dacorum" not in report
    check(page)

    # The open data and the Word file speak for the same council.
    page.goto(f"{base}/reports/{COMMITTEE}/{QUARTER}/")
    for fmt in ("csv", "docx"):
        href = page.locator(f"a:has-text('.{fmt}')").get_attribute("href")
        body = page.request.get(base + href).body()
        if fmt == "docx":
            with zipfile.ZipFile(io.BytesIO(body)) as docx:
                body = b"".join(docx.read(name) for name in docx.namelist() if name.endswith(".xml"))
        assert b"Dacorum" not in body, fmt
        assert b"Northfield" in body, fmt
