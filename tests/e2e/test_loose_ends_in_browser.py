"""In Chromium, with axe-core: a five-level status rule written in the form's fields (its
errors beside the new fields included), and, with passwords turned off, the pages that say
this site signs in with the council's accounts (a password page and an invitation's
welcome page)."""

import pytest
from django.contrib.auth.models import Group, User
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.security.tokens import invitation_token_generator
from tests.browser import browser_page  # noqa: F401
from tests.security.test_oidc_settings import BACKEND, closed_port_url
from tests.web.test_pages_accessibility import check, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FIVE = {
    "#id_name": "Five levels",
    "#id_green_within": "0",
    "#id_amber_green_within": "5",
    "#id_amber_within": "10",
    "#id_amber_red_within": "8",  # out of order first: refused beside its field
    "#id_label_amber_green": "Nearly on target",
    "#id_label_amber_red": "Off target",
}


@pytest.fixture
def officer(db):
    """Set up before the browser starts: no database call runs beside Playwright's loop."""
    user = User.objects.create_user("officer", password="officer-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


def test_a_five_level_rule_written_in_its_fields_passes_axe(live_server, officer, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    sign_in(page, base, "officer", "officer-long-password")
    page.goto(base + "/manage/status-rules/new/")
    check(page)
    for selector, value in FIVE.items():
        page.fill(selector, value)
    page.click("button[value=preview]")
    assert page.locator("#id_amber_red_within_error").is_visible()
    check(page)  # the error summary and the message beside the field
    page.fill("#id_amber_red_within", "20")
    page.click("button[value=preview]")
    main = page.inner_text("main")
    assert "Nearly on target" in main and "Off target" in main
    check(page)
    page.click("button[value=save]")
    assert "/apply/" in page.url


@pytest.fixture
def passwords_off(settings, db):
    settings.SCRUTINEER_OIDC_ISSUER = closed_port_url()
    settings.OIDC_RP_CLIENT_ID = "scrutineer"
    settings.OIDC_RP_CLIENT_SECRET = "a-secret"
    settings.SCRUTINEER_OIDC_PROVIDER_NAME = "Microsoft"
    settings.SCRUTINEER_PASSWORD_SIGN_IN = False
    settings.SCRUTINEER_PASSWORD_RESET = True
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", BACKEND]
    invited = User.objects.create_user("tracy", email="tracy@council.example")
    invited.set_unusable_password()
    invited.save()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    return f"/accounts/welcome/{uid}/{invitation_token_generator.make_token(invited)}/"


def test_with_passwords_off_the_council_account_pages_pass_axe(live_server, passwords_off, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    check(page, base + "/accounts/password_reset/")
    assert page.locator("h1").inner_text() == "Passwords are not used here"
    assert page.locator("a.govuk-button--start").inner_text() == "Sign in with Microsoft"
    check(page, base + passwords_off)
    assert page.locator("h1").inner_text() == "Welcome to Scrutineer"
    assert page.locator("input[type=password]").count() == 0
