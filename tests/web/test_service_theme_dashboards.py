"""Service and theme dashboards: figures, counts and filters; who sees which rows; constant
query counts as the council grows."""

import re

import pytest
from django.contrib.auth.models import User

from scrutineer.catalogue.models import Committee, Indicator, Person, ServiceTeam, Theme
from scrutineer.demo.generate import generate_council
from scrutineer.engine import Period
from tests.people import login_as
from tests.web.test_dashboards import queries

pytestmark = pytest.mark.django_db

EXCELLENCE = "Dacorum Delivers - Performance excellence"
REPUTATION = "Dacorum Delivers - Reputation and profile delivery"


def theme_url(name):
    return f"/themes/{Theme.objects.get(name=name).pk}/"


def codes(page):
    """Indicator codes in the table's rows, in order."""
    return re.findall(r'<th scope="row" class="govuk-table__header">(?:<a [^>]*>)?([A-Z]+\d+a?)\b', page)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", ["login"] * 4),
        ("no role", [403, 403, 403, 403]),
        ("owner", [200, 403, 200, 403]),  # Tracy Lancashire owns the CSU indicators, not YP01a
        ("approver", [200, 200, 200, 200]),  # Matt Rawdon approves all five
        ("councillor", [200, 200, 200, 200]),
        ("officer", [200, 200, 200, 200]),
    ],
)
def test_every_role(client, seed_council, who, expected):
    urls = [
        "/services/customer-services/",
        "/services/children-community-safety/",
        theme_url("Performance excellence"),
        theme_url("Empower local community action and delivery"),
    ]
    if who == "no role":
        login_as(client)
    elif who == "owner":
        login_as(client, "Tracy Lancashire")
    elif who == "approver":
        login_as(client, "Matt Rawdon")
    elif who == "councillor":
        login_as(client, councillor_of=Committee.objects.get(slug="housing-community"))
    elif who == "officer":
        login_as(client, officer=True)
    for url, outcome in zip(urls, expected, strict=True):
        response = client.get(url)
        if outcome == "login":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        else:
            assert response.status_code == outcome, (who, url)


def test_a_councillor_of_another_committee_sees_neither(client, seed_council):
    login_as(client, councillor_of=Committee.objects.create(name="Finance", slug="finance"))
    assert client.get("/services/customer-services/").status_code == 403
    assert client.get(theme_url("Performance excellence")).status_code == 403


def test_unknown_service_or_theme_is_not_found(client, seed_council):
    login_as(client, officer=True)
    assert client.get("/services/nope/").status_code == 404
    assert client.get("/themes/999999/").status_code == 404
    client.logout()
    assert client.get("/services/nope/").status_code == 404


def test_a_service_without_indicators_is_refused_to_all_but_officers(client, seed_council):
    login_as(client, councillor_of=Committee.objects.get(slug="housing-community"))
    assert client.get("/services/old-town-hall/").status_code == 403
    login_as(client, officer=True)
    page = client.get("/services/old-town-hall/").content.decode()
    assert "No approved figures yet for this service." in page


def test_service_dashboard_figures_counts_and_filters(client, seed_council):
    login_as(client, officer=True)
    page = client.get("/services/customer-services/").content.decode()
    assert "Service dashboard" in page and "Customer Services" in page
    assert "Quarter 1 2020/21" in page  # the newest quarter with approved figures
    assert re.findall(r'<option value="(\d{4}-\d\d-Q\d)"', page) == ["2020-21-Q1", "2019-20-Q4", "2019-20-Q1"]
    assert "3 of 3 measurable targets achieved" in page
    assert '<span aria-hidden="true">✓</span> Green</strong> 3' in page
    assert '<span aria-hidden="true">○</span> Not measured</strong> 1' in page
    assert "79.33 Second(s)" in page and "640 / 19498" in page
    assert codes(page) == ["CSU10", "CSU11", "CSU12", "CSU06"]  # YP01a is another service's
    assert "Only the indicators you have access to" not in page

    by_theme = client.get(f"/services/customer-services/?period=2020-21-Q1&theme={REPUTATION}")
    assert codes(by_theme.content.decode()) == ["CSU06"]
    assert "(filtered: 1 shown)" in by_theme.content.decode()
    by_status = client.get("/services/customer-services/?period=2020-21-Q1&status=not-measured")
    assert codes(by_status.content.decode()) == ["CSU12"]

    earlier = client.get("/services/customer-services/?period=2019-20-Q4").content.decode()
    assert "Quarter 4 2019/20" in earlier and "325 Second(s)" in earlier


def test_theme_dashboard_figures_counts_and_filters(client, seed_council):
    login_as(client, officer=True)
    url = theme_url("Performance excellence")
    page = client.get(url).content.decode()
    assert "Theme dashboard: Dacorum Delivers" in page
    assert "2 of 2 measurable targets achieved" in page
    assert codes(page) == ["CSU10", "CSU11", "CSU12"]
    assert 'href="/services/customer-services/"' in page  # each row names its service
    filtered = client.get(f"{url}?service=Customer+Services&status=green").content.decode()
    assert codes(filtered) == ["CSU10", "CSU11"]
    none = client.get(f"{url}?service=Communications").content.decode()
    assert codes(none) == [] and "No indicators match these filters." in none


@pytest.mark.parametrize("url", ["/services/customer-services/", "theme"])
def test_a_wrong_period_key_says_what_is_wanted(client, seed_council, url):
    login_as(client, officer=True)
    url = theme_url("Performance excellence") if url == "theme" else url
    page = client.get(f"{url}?period=2020-Q1").content.decode()
    assert "There is a problem" in page and "YYYY-YY-QN" in page


def test_an_owner_sees_only_the_rows_of_their_own_indicators(client, seed_council):
    Indicator.objects.filter(code="CSU12").update(owner=Person.objects.get(name="Joe Guiton"))
    login_as(client, "Tracy Lancashire")
    service = client.get("/services/customer-services/").content.decode()
    assert codes(service) == ["CSU10", "CSU11", "CSU06"]
    assert "Only the indicators you have access to are shown." in service
    assert "3 of 3 measurable targets achieved" in service
    assert '<span aria-hidden="true">○</span> Not measured</strong>' not in service
    theme = client.get(theme_url("Performance excellence")).content.decode()
    assert codes(theme) == ["CSU10", "CSU11"]
    # The filter offers only what the owner may see, and asking for the rest shows nothing.
    assert codes(client.get("/services/customer-services/?status=not-measured").content.decode()) == []


def test_an_approver_and_a_councillor_see_every_row(client, seed_council):
    Indicator.objects.filter(code="CSU12").update(owner=Person.objects.get(name="Joe Guiton"))
    login_as(client, "Matt Rawdon")
    assert codes(client.get("/services/customer-services/").content.decode()) == [
        "CSU10",
        "CSU11",
        "CSU12",
        "CSU06",
    ]
    login_as(client, councillor_of=Committee.objects.get(slug="housing-community"))
    assert codes(client.get(theme_url("Performance excellence")).content.decode()) == [
        "CSU10",
        "CSU11",
        "CSU12",
    ]


def test_links_to_the_service_and_theme_dashboards(client, seed_council):
    excellence = theme_url("Performance excellence")
    empower = theme_url("Empower local community action and delivery")
    login_as(client, "Tracy Lancashire")
    indicator = client.get("/indicators/CSU10/").content.decode()
    assert 'href="/services/customer-services/"' in indicator and f'href="{excellence}"' in indicator
    committee = client.get("/committees/housing-community/").content.decode()
    assert f'href="{excellence}"' in committee
    assert f'href="{empower}"' not in committee  # YP01a's theme: Tracy may not open it
    home = client.get("/").content.decode()
    assert 'href="/services/customer-services/"' in home
    assert 'href="/services/children-community-safety/"' not in home
    assert f'href="{excellence}"' in home and f'href="{empower}"' not in home


def test_query_counts_do_not_grow_with_the_council(client):
    """For an officer and for a data owner (whose rows are narrowed by a subquery)."""
    officer = login_as(client, officer=True)
    counts = []
    for seed, size in ((31, 10), (32, 80)):
        generate_council(size, 2, Period.parse("2025-26"), seed)
        service = ServiceTeam.objects.filter(slug__startswith=f"syn{seed}-").order_by("position").first()
        theme = Indicator.objects.filter(code__startswith=f"S{seed}-").order_by("code").first().theme_id
        owner = User.objects.create_user(f"owner-{seed}", password="x-long-password")
        Person.objects.filter(pk=service.team_leader_id).update(user=owner)
        urls = [f"/services/{service.slug}/?period=2025-26-Q2", f"/themes/{theme}/?period=2025-26-Q2"]
        found = []
        for user in (officer, owner):
            client.force_login(user)
            found += [queries(client, url) for url in urls]
        counts.append(found)
    assert Indicator.objects.filter(service__slug="syn32-service-1").count() > 20
    assert counts[0] == counts[1], counts
