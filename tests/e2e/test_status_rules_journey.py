"""An officer writes a council's status rule, previews it, applies it to a theme with a
reason; the dashboard, the indicator page and a new draft report then speak its words and
print its key. Clicked through in Chromium, with axe-core on every new page as shown."""

import re

import pytest
from django.contrib.auth.models import Group, User

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

THEME = "Dacorum Delivers - Performance excellence"  # CSU10, CSU11 and CSU12


@pytest.fixture
def officer(seed_council):
    """Set up before the browser starts: no database call runs beside Playwright's loop."""
    user = User.objects.create_user("officer", password="officer-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    from scrutineer.catalogue.models import Theme

    return next(t for t in Theme.objects.select_related("priority") if str(t) == THEME)


def test_officer_writes_previews_and_applies_a_rule_and_every_page_speaks_its_words(
    live_server,
    officer,
    browser_page,  # noqa: F811
):
    page, base, theme = browser_page, live_server.url, officer
    sign_in(page, base, "officer", "officer-long-password")

    page.goto(base + "/manage/")
    page.click("text=Status rules")
    check(page)
    page.click("text=Write a status rule")
    check(page)

    page.fill("#id_name", "Within 5% is green")
    page.check("#id_band_unit_0")  # percent of the target
    page.fill("#id_green_within", "5")
    page.fill("#id_amber_within", "5")  # a slip: amber must reach further than green
    page.fill("#id_label_green", "On target")
    page.fill("#id_label_amber", "Close")
    page.fill("#id_label_red", "Off target")
    page.click("button[value=preview]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Amber can never match" in page.locator("#id_amber_within_error").inner_text()
    check(page)  # the refusal, beside its field

    page.fill("#id_amber_within", "10")
    page.click("button[value=preview]")
    preview = page.locator("#preview")
    assert "With this rule, last quarter's figures" in preview.inner_text()
    assert re.search(r"✓\s*On target", preview.inner_text())
    assert "Same status, new word" in preview.inner_text()
    check(page)  # the preview and the rule's key

    page.click("button[value=save]")
    assert "Now choose where it applies" in page.locator(".govuk-notification-banner").inner_text()
    check(page)
    page.select_option("#choose-to", f"theme-{theme.pk}")
    page.click("main form[method=get] button")
    assert THEME in page.locator("h2").first.inner_text()
    assert "None of its own: Amber within the tolerance" in page.inner_text("main")
    assert "With this rule, last quarter's figures" in page.locator("#preview").inner_text()
    check(page)  # the apply page with its preview

    page.click("main form[method=post] button[type=submit]")  # no reason: refused
    assert "Say why" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.fill("#id_reason", "The committee asked for its own wording")
    page.click("main form[method=post] button[type=submit]")
    assert "is now judged by Within 5% is green" in page.locator(".govuk-notification-banner").inner_text()
    assert THEME in page.inner_text("main")
    check(page)

    page.goto(base + "/committees/housing-community/?period=2020-21-Q1")
    row = page.locator("tr", has=page.locator("a[href='/indicators/CSU10/']")).inner_text()
    assert re.search(r"✓\s*On target", row)
    key = page.locator(".scrutineer-key").inner_text()
    assert "Status rule: Within 5% is green (for CSU10, CSU11, CSU12)" in key
    assert "the target was met or missed by no more than 5% of it." in key
    assert "Status rule: Amber within the tolerance (for YP01a, CSU06)" in key
    check(page)

    page.goto(base + "/indicators/CSU10/")
    main = page.inner_text("main")
    assert "Within 5% is green (set for its theme)" in main
    assert re.search(r"!\s*Close", main)  # Mar-2020's 325 against 300: within 10%
    assert "The committee asked for its own wording" in main  # in its audit trail
    check(page)

    page.goto(base + "/reports/housing-community/2020-21-Q1/draft/")
    report = page.inner_text("body")
    assert re.search(r"✓\s*On target", report)
    assert "Status rule: Within 5% is green (CSU10, CSU11, CSU12)" in report
    assert "Status rule: Amber within the tolerance (YP01a, CSU06)" in report
    check(page)
