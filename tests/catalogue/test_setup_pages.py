"""The first-run page (/setup/), the logo's address, the identity page (/manage/identity/)
and the council's name and logo in the site's header."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from PIL import Image

from scrutineer.catalogue.access import is_performance_officer
from scrutineer.catalogue.models import SiteDefaults, site_identity
from scrutineer.catalogue.setup import read_logo, set_up_council
from tests.factories import PerformanceOfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
COUNCIL = "Borsetshire District Council"


def png(size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 94, 165)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(data, name="logo.png"):
    file = io.BytesIO(data)
    file.name = name
    return file


def form(**overrides):
    return {
        "council_name": COUNCIL,
        "short_name": "Borsetshire",
        "licence": "",
        "name": "Jo Smith",
        "email": "jo.smith@example.gov.uk",
        "username": "jsmith",
        "password": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def error_summary(page):
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.DOTALL)
    assert summary, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


# A new site


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_a_new_site_sends_its_first_visitor_to_the_setup_page(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == "/setup/"


def test_the_setup_page_asks_for_the_council_and_its_first_officer(client):
    page = client.get("/setup/").content.decode()
    assert '<h1 class="govuk-heading-xl">Set up Scrutineer for your council</h1>' in page
    for field in (
        "council_name",
        "short_name",
        "logo",
        "licence",
        "name",
        "email",
        "username",
        "password",
        "password2",
    ):
        assert f'id="id_{field}"' in page, field
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page


def test_setting_up_on_the_page_signs_the_officer_in_and_the_page_is_gone(client):
    response = client.post("/setup/", {**form(), "logo": upload(png())})
    assert response.status_code == 302 and response["Location"] == "/manage/"
    officer = User.objects.get(username="jsmith")
    assert is_performance_officer(officer) and officer.check_password(PASSWORD)
    identity = site_identity()
    assert (identity.name, identity.short_name, identity.has_logo) == (COUNCIL, "Borsetshire", True)
    assert SiteDefaults.objects.get().history.latest().history_change_reason == "Set up on the first-run page"

    manage = client.get("/manage/")
    assert manage.status_code == 200
    assert f"{COUNCIL} is set up, and you are signed in as jsmith." in manage.content.decode()
    for who in (client, Client()):
        assert who.get("/setup/").status_code == 404
        assert who.post("/setup/", form(username="intruder")).status_code == 404
    assert Client().get("/").status_code == 200  # the home page is the home page again
    assert not User.objects.filter(username="intruder").exists()


def test_bad_input_shows_an_error_summary_naming_each_field_and_changes_nothing(client):
    response = client.post(
        "/setup/",
        form(council_name="", name="", email="nope", username="", password=PASSWORD, password2="other"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Set up Scrutineer" in page
    assert error_summary(page) == [
        ("id_council_name", "Enter the council&#x27;s name, e.g. Borsetshire District Council."),
        ("id_username", "Enter a username for the first performance officer."),
        ("id_name", "Enter the performance officer&#x27;s full name."),
        ("id_password2", "Type the same password again: the two were not the same."),
    ]
    assert 'id="id_council_name_error"' in page and 'value="nope"' in page
    assert not User.objects.exists() and site_identity().name == ""


def test_the_actions_refusals_are_shown_beside_their_fields(client):
    response = client.post("/setup/", form(email="not-an-email", password="password", password2="password"))
    assert response.status_code == 400
    found = dict(error_summary(response.content.decode()))
    assert found["id_email"] == "not-an-email is not an email address: enter one like name@example.gov.uk."
    assert "too common" in found["id_password"]
    assert not User.objects.exists()


def test_an_svg_logo_is_refused_on_the_page(client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post("/setup/", {**form(), "logo": upload(svg, "logo.svg")})
    assert response.status_code == 400
    found = dict(error_summary(response.content.decode()))
    assert found["id_logo"].startswith("SVG logos are not accepted")
    assert not User.objects.exists()


def test_the_setup_page_needs_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/setup/", form()).status_code == 403
    assert not User.objects.exists()


def test_the_setup_page_is_not_there_once_any_account_exists(client):
    UserFactory()
    assert client.get("/setup/").status_code == 404
    assert client.get("/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200


def test_a_site_set_up_from_the_command_line_has_no_setup_page(client):
    set_up_council(
        council_name=COUNCIL, username="jsmith", name="Jo", email="jo@example.gov.uk", password=PASSWORD
    )
    assert client.get("/setup/").status_code == 404


# The logo


def test_the_logo_is_served_with_its_type_for_a_year_and_only_at_its_own_address(client):
    officer = PerformanceOfficerFactory()
    logo = read_logo(png())
    SiteDefaults.objects.create(pk=1, council_name=COUNCIL)
    from scrutineer.catalogue.setup import change_identity

    change_identity(
        user=officer,
        council_name=COUNCIL,
        short_name="",
        licence="",
        logo=logo,
        reason="Our logo",
        expected_version=1,
    )
    response = client.get(f"/site/logo/{logo.digest}/")
    assert response.status_code == 200 and response.content == logo.content
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/site/logo/{'0' * 64}/").status_code == 404
    assert client.get("/site/logo//").status_code == 404


# The header


def test_the_header_shows_the_councils_short_name_and_logo(client):
    officer = set_up_council(
        council_name=COUNCIL,
        short_name="Borsetshire",
        logo=read_logo(png()),
        username="jsmith",
        name="Jo Smith",
        email="jo@example.gov.uk",
        password=PASSWORD,
    )
    client.force_login(officer)
    page = client.get("/").content.decode()
    header = page[page.index('<header class="govuk-header"') : page.index("</header>")]
    assert "Borsetshire · Scrutineer" in header
    assert f'src="{site_identity().logo_url}" alt=""' in header


def test_the_header_of_a_council_without_a_name_says_scrutineer_alone(client):
    UserFactory()
    page = client.get("/").content.decode()
    header = page[page.index('<header class="govuk-header"') : page.index("</header>")]
    assert '<span class="govuk-header__logotype-text">Scrutineer</span>' in header and "<img" not in header


# The identity page


@pytest.fixture
def officer(client):
    officer = set_up_council(
        council_name=COUNCIL,
        short_name="Borsetshire",
        username="jsmith",
        name="Jo",
        email="jo@example.gov.uk",
        password=PASSWORD,
    )
    client.force_login(officer)
    return officer


def test_an_officer_changes_the_councils_details_with_a_reason(client, officer):
    page = client.get("/manage/identity/").content.decode()
    assert f'value="{COUNCIL}"' in page and "No logo is set." in page
    version = SiteDefaults.objects.get().version
    response = client.post(
        "/manage/identity/",
        {
            "council_name": "Borsetshire Council",
            "short_name": "Borset",
            "licence": "Open Government Licence v3.0",
            "logo": upload(png()),
            "reason": "Renamed from 1 April",
            "version": version,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/manage/identity/"
    identity = site_identity()
    assert (identity.name, identity.short_name, identity.licence) == (
        "Borsetshire Council",
        "Borset",
        "Open Government Licence v3.0",
    )
    assert identity.has_logo
    row = SiteDefaults.objects.get().history.latest()
    assert row.history_user == officer and row.history_change_reason == "Renamed from 1 April"
    page = client.get("/manage/identity/").content.decode()
    assert "The council&#x27;s details are saved." in page and 'alt="The council\'s logo"' in page
    history = client.get("/manage/history/").content.decode()
    assert "Renamed from 1 April" in history and "Borsetshire Council" in history


def test_the_identity_page_refuses_a_blank_name_and_a_missing_reason(client, officer):
    version = SiteDefaults.objects.get().version
    response = client.post("/manage/identity/", {"council_name": "", "reason": "", "version": version})
    assert response.status_code == 400
    found = dict(error_summary(response.content.decode()))
    assert set(found) == {"id_council_name", "id_reason"}
    assert site_identity().name == COUNCIL


def test_the_identity_page_refuses_a_stale_edit(client, officer):
    version = SiteDefaults.objects.get().version
    stale = {"council_name": "Renamed", "reason": "x", "version": version - 1}
    response = client.post("/manage/identity/", stale)
    assert response.status_code == 400 and "Someone else saved" in response.content.decode()
    assert site_identity().name == COUNCIL


def test_the_identity_page_is_for_performance_officers_only(client, officer):
    client.force_login(UserFactory())
    assert client.get("/manage/identity/").status_code == 403
    assert (
        client.post("/manage/identity/", {"council_name": "X", "reason": "x", "version": 1}).status_code
        == 403
    )
    client.logout()
    assert client.get("/manage/identity/")["Location"].startswith("/accounts/login/")
    assert site_identity().name == COUNCIL
