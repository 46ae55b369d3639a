"""A council's five-level rule (green, amber-green, amber, amber-red, red), pasted as JSON
on /manage/, previewed and applied to a theme: the dashboard's key, the indicator page and
a new draft report show every level with its own symbol, word and colour, and axe-core
finds no violations (colour contrast included) on any of them. Clicked through in Chromium."""

import json
import re

import pytest
from django.contrib.auth.models import Group, User

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from tests.browser import browser_page  # noqa: F401
from tests.web.test_pages_accessibility import check, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

THEME = "Dacorum Delivers - Performance excellence"  # CSU10, CSU11 and CSU12
# CSU10 (lower is better, target 300): Mar-2020's 325 is 8.3% over, so amber-red;
# Jun-2019's 314.33 is 4.8% over, so amber-green.
FIVE_LEVELS = {
    "name": "Five levels",
    "green": {"within": "0"},
    "amber-green": {"within": "5%"},
    "amber": {"within": "8%"},
    "amber-red": {"within": "10%"},
    "otherwise": "red",
    "labels": {
        "green": "On target",
        "amber-green": "Nearly on target",
        "amber": "Close to target",
        "amber-red": "Off target",
        "red": "Well off target",
    },
}
KEY = [
    ("✓", "On target", "the target was met."),
    ("≈", "Nearly on target", "the target was missed, but by no more than 5% of it."),
    ("!", "Close to target", "the target was missed by more than 5% of it, but by no more than 8% of it."),
    ("‼", "Off target", "the target was missed by more than 8% of it, but by no more than 10% of it."),
    ("✗", "Well off target", "the target was missed by more than 10% of it."),
]


@pytest.fixture
def officer(seed_council):
    """Set up before the browser starts: no database call runs beside Playwright's loop."""
    user = User.objects.create_user("officer", password="officer-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    from scrutineer.catalogue.models import Theme

    return next(t for t in Theme.objects.select_related("priority") if str(t) == THEME)


def says(text: str, symbol: str, label: str) -> bool:
    return re.search(rf"{re.escape(symbol)}\s*{re.escape(label)}", text) is not None


def test_a_five_level_rule_shows_every_level_on_the_dashboard_and_passes_axe(
    live_server,
    officer,
    browser_page,  # noqa: F811
):
    page, base, theme = browser_page, live_server.url, officer
    sign_in(page, base, "officer", "officer-long-password")

    page.goto(base + "/manage/status-rules/new/")
    page.fill("#id_definition", json.dumps(FIVE_LEVELS, indent=2))
    page.click("button[value=preview]")
    assert "With this rule, last quarter's figures" in page.locator("#preview").inner_text()
    main = page.inner_text("main")
    for symbol, label, text in KEY:  # the rule's key, beside the preview
        assert says(main, symbol, label) and text in main
    check(page)  # the preview, with the five levels' key

    page.click("button[value=save]")
    page.select_option("#choose-to", f"theme-{theme.pk}")
    page.click("main form[method=get] button")
    page.fill("#id_reason", "The committee reports on five levels")
    page.click("main form[method=post] button[type=submit]")
    assert "is now judged by Five levels" in page.locator(".govuk-notification-banner").inner_text()

    page.goto(base + f"/themes/{theme.pk}/?period=2020-21-Q1")
    key = page.locator(".scrutineer-key").inner_text()
    assert "Status rule: Five levels" in key
    for symbol, label, text in KEY:
        assert says(key, symbol, label) and text in key
    # Each level's tag has its own colour: amber-green Scrutineer's lime, amber-red GOV.UK's orange.
    colours = {
        label: page.locator(".scrutineer-key .govuk-tag", has_text=label).first.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        for _, label, _ in KEY
    }
    assert colours["Nearly on target"] == "rgb(232, 242, 196)"
    assert colours["Off target"] == "rgb(252, 214, 195)"
    assert len(set(colours.values())) == 5
    options = page.locator("#status option").all_inner_texts()
    assert options[:6] == ["Any status", *(label for _, label, _ in KEY)]
    check(page)  # the dashboard and its five-level key

    page.goto(base + "/indicators/CSU10/")
    main = page.inner_text("main")
    assert says(main, "‼", "Off target")  # Mar-2020's 325 against 300
    assert says(main, "≈", "Nearly on target")  # Jun-2019's 314.33
    check(page)

    page.goto(base + "/reports/housing-community/2020-21-Q1/draft/")
    report = page.inner_text("body")
    assert "Status rule: Five levels (CSU10, CSU11, CSU12)" in report
    for symbol, label, _ in KEY:
        assert says(report, symbol, label)
    check(page)
