"""With passwords turned off (SCRUTINEER_PASSWORD_SIGN_IN=false), nothing offers one: the
password reset and change pages say this site signs in with the council's accounts
(403), an invitation leads to the sign-in button rather than to choosing a password, and
the first-run page makes an officer who signs in with the council account whose email
they gave."""

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from scrutineer.catalogue import organisation
from scrutineer.catalogue.access import Role, is_performance_officer
from scrutineer.security.oidc import account_for
from tests.factories import PerformanceOfficerFactory, PersonFactory
from tests.security.test_oidc_settings import BACKEND, closed_port_url

pytestmark = pytest.mark.django_db

SAYS = "This site signs in with the council’s accounts"


@pytest.fixture
def passwords_off(settings):
    settings.SCRUTINEER_OIDC_ISSUER = closed_port_url()
    settings.OIDC_RP_CLIENT_ID = "scrutineer"
    settings.OIDC_RP_CLIENT_SECRET = "a-secret"
    settings.SCRUTINEER_OIDC_PROVIDER_NAME = "Microsoft"
    settings.SCRUTINEER_PASSWORD_SIGN_IN = False
    settings.SCRUTINEER_PASSWORD_RESET = True  # email is set up: reset would otherwise be offered
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", BACKEND]
    return settings


def told_to_use_the_council_account(response):
    page = response.content.decode()
    return (
        response.status_code == 403
        and SAYS in page
        and 'href="/accounts/oidc/sign-in/"' in page
        and "Sign in with Microsoft" in page
        and 'type="password"' not in page
    )


def test_password_reset_pages_say_to_use_the_council_account(client, passwords_off, mailoutbox):
    User.objects.create_user("casey", email="casey@example.gov.uk", password="the-old-password")
    assert told_to_use_the_council_account(client.get("/accounts/password_reset/"))
    assert told_to_use_the_council_account(
        client.post("/accounts/password_reset/", {"email": "casey@example.gov.uk"})
    )
    assert mailoutbox == []
    assert told_to_use_the_council_account(client.get("/accounts/password_reset/done/"))
    casey = User.objects.get(username="casey")
    uid = urlsafe_base64_encode(force_bytes(casey.pk))
    token = default_token_generator.make_token(casey)
    assert told_to_use_the_council_account(client.get(f"/accounts/reset/{uid}/{token}/", follow=True))
    assert told_to_use_the_council_account(
        client.post(
            f"/accounts/reset/{uid}/set-password/",
            {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"},
        )
    )
    assert User.objects.get(username="casey").check_password("the-old-password")
    assert told_to_use_the_council_account(client.get("/accounts/reset/done/"))


def test_password_change_pages_say_to_use_the_council_account(client, passwords_off):
    casey = User.objects.create_user("casey", password="the-old-password")
    client.force_login(casey, backend=BACKEND)
    assert told_to_use_the_council_account(client.get("/accounts/password_change/"))
    refused = client.post(
        "/accounts/password_change/",
        {
            "old_password": "the-old-password",
            "new_password1": "a-brand-new-password",
            "new_password2": "a-brand-new-password",
        },
    )
    assert told_to_use_the_council_account(refused)
    assert User.objects.get(username="casey").check_password("the-old-password")
    assert told_to_use_the_council_account(client.get("/accounts/password_change/done/"))


def test_with_passwords_on_the_pages_are_as_before(client, settings):
    settings.SCRUTINEER_PASSWORD_RESET = True
    assert 'name="email"' in client.get("/accounts/password_reset/").content.decode()
    client.force_login(User.objects.create_user("casey", password="the-old-password"))
    assert 'name="old_password"' in client.get("/accounts/password_change/").content.decode()


def test_an_invitation_leads_to_the_sign_in_button_not_to_a_password(client, passwords_off, mailoutbox):
    officer = PerformanceOfficerFactory()
    PersonFactory(user=officer, name="Olive Officer")
    client.force_login(officer, backend=BACKEND)
    form = client.get("/manage/people/invite/").content.decode()
    assert "link to choose a password" not in form and "sign in with their council account" in form
    client.logout()
    invitation = organisation.invite_person(
        "tracy@council.example", user=officer, role=Role.PERFORMANCE_OFFICER, name="Tracy"
    )
    body = mailoutbox[0].body
    assert "password" not in body.lower() and "/accounts/welcome/" not in body
    assert "/accounts/login/ with “Sign in with Microsoft”, using your council account" in body
    assert "tracy@council.example" in body
    # A link sent before passwords were turned off, opened now: the sign-in button, no form.
    link = re.search(r"(/accounts/welcome/\S+)", invitation.link).group(1)
    page = client.get(link, follow=True)
    text = page.content.decode()
    assert page.status_code == 200 and "Welcome to Scrutineer" in text
    assert 'href="/accounts/oidc/sign-in/"' in text and 'type="password"' not in text
    assert not invitation.account.has_usable_password()


def test_the_first_run_page_asks_no_password_and_says_how_to_sign_in(client, passwords_off):
    page = client.get("/setup/").content.decode()
    assert 'type="password"' not in page and "sign in with their council account" in page
    made = client.post(
        "/setup/",
        {
            "council_name": "Borsetshire District Council",
            "short_name": "",
            "licence": "",
            "name": "Jo Smith",
            "email": "jo.smith@example.gov.uk",
            "username": "jsmith",
        },
        follow=True,
    )
    text = made.content.decode()
    assert made.redirect_chain[-1][0] == "/accounts/login/" and "_auth_user_id" not in client.session
    assert (
        "Borsetshire District Council is set up. Sign in with “Sign in with Microsoft”, as "
        "jo.smith@example.gov.uk: that account is Jo Smith’s, the performance officer." in text
    )
    officer = User.objects.get(username="jsmith")
    assert is_performance_officer(officer) and not officer.has_usable_password()
    assert account_for({"email": "Jo.Smith@example.gov.uk", "email_verified": True})[0] == officer
