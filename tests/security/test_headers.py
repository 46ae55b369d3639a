"""Every page carries the security headers; under the production settings, HSTS and
secure-only cookies too."""

import base64
import hashlib
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

Q1 = "/reports/housing-community/2020-21-Q1/"
PAGES = {
    "home": ("/", 200),
    "sign-in": ("/accounts/login/", 200),
    "report page": (Q1, 200),
    "published report": (f"{Q1}v1/html", 200),
    "not found": ("/no-such-page/", 404),
    "refused": ("/manage/", 403),
}


def policy(response) -> dict[str, list[str]]:
    directives = (d.split() for d in response["Content-Security-Policy"].split(";") if d.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize("page", PAGES)
def test_every_kind_of_page_sends_the_security_headers(client, published, page):
    url, status = PAGES[page]
    if page == "refused":
        client.force_login(User.objects.create_user("reader", password="x-long-password"))
    response = client.get(url)
    assert response.status_code == status
    csp = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["style-src"][0] == "'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_a_served_report_allows_its_own_stylesheet_by_hash_and_nothing_else_inline(client, published):
    response = client.get(f"{Q1}v1/html")
    css = re.search(rb"<style>(.*?)</style>", response.content, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(css).digest()).decode()
    assert policy(response)["style-src"] == ["'self'", f"'sha256-{digest}'"]
    # The app's own pages allow no inline style at all.
    assert policy(client.get("/"))["style-src"] == ["'self'"]


def test_under_the_production_settings_hsts_and_secure_only_cookies(production_settings, seed_council):
    host = production_settings.ALLOWED_HOSTS[0]
    User.objects.create_user("casey", password="the-right-password")
    browser = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
    page = browser.get("/accounts/login/")
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert page.cookies["csrftoken"]["secure"]
    signed_in = browser.post("/accounts/login/", {"username": "casey", "password": "the-right-password"})
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    # Plain HTTP is sent to HTTPS.
    plain = Client(HTTP_HOST=host).get("/reports/")
    assert plain.status_code == 301 and plain["Location"] == f"https://{host}/reports/"
