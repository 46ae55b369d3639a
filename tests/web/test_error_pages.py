"""Refusals and missing pages explain themselves in the site's own accessible layout."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_refusal_says_why_and_what_to_do(client, seed_council):
    client.force_login(User.objects.create_user("nobody", password="x-long-password"))
    response = client.get("/manage/")
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="en-GB"' in page
    assert "You cannot open this page" in page
    assert "Only performance officers can do this." in page


def test_a_missing_page_suggests_where_to_go(client, seed_council):
    response = client.get("/reports/housing-community/2019-20-Q3/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "2020-21-Q1 for a quarter" in page and 'href="/reports/"' in page


def test_a_form_sent_without_its_security_token_changes_nothing_and_says_so(seed_council):
    user = User.objects.create_user("nobody", password="x-long-password")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post("/approvals/approve/", {"value": ["1"]})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
