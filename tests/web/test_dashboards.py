"""Committee dashboards and indicator pages: who may see what, and constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.catalogue.models import Committee, Indicator
from scrutineer.demo.generate import generate_council
from scrutineer.engine import Period
from tests.people import login_as

pytestmark = pytest.mark.django_db


URLS = ["/committees/housing-community/", "/indicators/CSU10/", "/indicators/YP01a/"]


@pytest.mark.parametrize(
    "who, expected",
    [
        ("anonymous", ["login", "login", "login"]),
        ("no role", [403, 403, 403]),
        ("owner of CSU10", [200, 200, 403]),  # Tracy Lancashire owns the CSU indicators, not YP01a
        ("approver", [200, 200, 200]),  # Matt Rawdon approves all five
        ("councillor", [200, 200, 200]),
        ("officer", [200, 200, 200]),
    ],
)
def test_every_role(client, seed_council, who, expected):
    committee = Committee.objects.get(slug="housing-community")
    if who == "no role":
        login_as(client)
    elif who == "owner of CSU10":
        login_as(client, "Tracy Lancashire")
    elif who == "approver":
        login_as(client, "Matt Rawdon")
    elif who == "councillor":
        login_as(client, councillor_of=committee)
    elif who == "officer":
        login_as(client, officer=True)
    for url, outcome in zip(URLS, expected, strict=True):
        response = client.get(url)
        if outcome == "login":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        else:
            assert response.status_code == outcome, (who, url)


def test_a_councillor_of_another_committee_sees_nothing_here(client, seed_council):
    other = Committee.objects.create(name="Finance Overview & Scrutiny", slug="finance")
    login_as(client, councillor_of=other)
    assert client.get("/committees/housing-community/").status_code == 403
    assert client.get("/indicators/CSU10/").status_code == 403


def test_unknown_committee_or_indicator_is_not_found(client, seed_council):
    login_as(client, officer=True)
    assert client.get("/committees/nope/").status_code == 404
    assert client.get("/indicators/NOPE/").status_code == 404


def test_dashboard_shows_the_seed_quarter_and_filters(client, seed_council):
    login_as(client, officer=True)
    page = client.get("/committees/housing-community/").content.decode()
    assert "3 of 3 measurable targets achieved" in page
    assert "79.33 Second(s)" in page and "640 / 19498" in page
    filtered = client.get(
        "/committees/housing-community/?period=2020-21-Q1&status=not-measured"
    ).content.decode()
    assert "CSU12" in filtered and "CSU10" not in filtered
    bad = client.get("/committees/housing-community/?period=2020-Q1").content.decode()
    assert "There is a problem" in bad and "YYYY-YY-QN" in bad


def test_indicator_page_history_and_chart(client, seed_council):
    login_as(client, officer=True)
    page = client.get("/indicators/CSU11/").content.decode()
    for text in [
        "3.28%",
        "640 / 19498",
        "10.94%",
        "12.52%",
        "Target: 20%",
        "KPI Achieved.",
        "<svg",
        'role="img"',
    ]:
        assert text in page, text


def test_owner_sees_links_only_to_indicators_they_may_open(client, seed_council):
    login_as(client, "Tracy Lancashire")
    page = client.get("/committees/housing-community/").content.decode()
    assert 'href="/indicators/CSU10/"' in page
    assert 'href="/indicators/YP01a/"' not in page


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_council(client):
    login_as(client, officer=True)
    counts = []
    for seed, size in ((11, 10), (12, 80)):
        generate_council(size, 2, Period.parse("2025-26"), seed)
        slug = Committee.objects.get(slug__startswith=f"syn{seed}-").slug
        code = Indicator.objects.filter(code__startswith=f"S{seed}-").order_by("code").first().code
        counts.append(
            (
                queries(client, f"/committees/{slug}/?period=2025-26-Q2"),
                queries(client, f"/indicators/{code}/"),
            )
        )
    assert counts[0] == counts[1]


def test_my_work_and_the_approval_queue_cost_the_same_queries_at_any_size(client):
    from django.utils import timezone

    from scrutineer.collection.models import Value, ValueState
    from scrutineer.collection.rounds import open_periods
    from scrutineer.engine import Frequency

    user = login_as(client, officer=True)
    counts = []
    for seed, size in ((21, 10), (22, 80)):
        generate_council(size, 1, Period.parse("2025-26"), seed, quarterly_share=1.0)
        indicators = Indicator.objects.filter(code__startswith=f"S{seed}-")
        period = open_periods(Frequency.QUARTERLY, timezone.localdate())[0]
        Value.objects.bulk_create(
            Value(indicator=i, period=period, value=1, state=ValueState.SUBMITTED) for i in indicators
        )
        counts.append((queries(client, "/my-work/"), queries(client, "/approvals/")))
        Value.objects.filter(period=period).delete()
    assert counts[0] == counts[1], counts
    assert user.is_authenticated
