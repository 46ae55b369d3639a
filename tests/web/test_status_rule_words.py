"""Pages under a council's status rule: every status shown in the rule's words with its
symbol, the key written from the rule(s) in force, and constant queries with rules set."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.catalogue import actions
from scrutineer.catalogue.models import Committee, Indicator, Theme
from scrutineer.catalogue.status_rules import RuleScope
from scrutineer.demo.generate import generate_council
from scrutineer.engine import Period
from tests.factories import PerformanceOfficerFactory, StatusRuleFactory
from tests.people import login_as

pytestmark = pytest.mark.django_db

FIVE = {
    "name": "Within 5% is green",
    "green": {"within": "5%"},
    "amber": {"within": "10%"},
    "labels": {"green": "On target", "amber": "Close", "red": "Off target"},
    "similar": {"within": "0.5"},
    "trend_labels": {"better": "Getting better", "similar": "Similar", "worse": "Getting worse"},
}


def plain(response):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def themed(seed_council):
    """The seed council with "Within 5% is green" applied to CSU10's theme, with a reason."""
    officer = PerformanceOfficerFactory()
    rule = actions.save_status_rule(None, json.dumps(FIVE), user=officer)
    theme = Indicator.objects.get(code="CSU10").theme
    actions.apply_status_rule(
        rule,
        RuleScope.parse(f"theme-{theme.pk}"),
        user=officer,
        reason="The committee's wording",
        expected_version=theme.version,
    )
    return theme


def test_the_dashboard_words_each_row_by_its_rule_and_prints_a_key_per_rule(client, themed):
    login_as(client, officer=True)
    response = client.get("/committees/housing-community/?period=2020-21-Q1")
    page = plain(response)
    body = response.content.decode()
    assert '<span aria-hidden="true">✓</span> On target</strong>' in body  # CSU10, CSU11
    assert '<span aria-hidden="true">✓</span> Green</strong>' in body  # CSU06, default rule
    assert "Getting better" in page  # CSU10's trend in the rule's words
    assert '<option value="green">Green / On target</option>' in body
    assert "Status rule: Amber within the tolerance (for YP01a, CSU06)" in page
    # Its similar band reads in each indicator's unit, so the rule has a key per unit.
    assert "Status rule: Within 5% is green (for CSU10, CSU12)" in page
    assert "Status rule: Within 5% is green (for CSU11)" in page
    assert "✓ On target the target was met or missed by no more than 5% of it." in page
    assert "Similar : within 0.5 Second(s) of the period compared with, either way." in page
    assert "Similar : within 0.5 percentage points of the period compared with, either way." in page


def test_the_indicator_page_says_which_rule_judges_it_and_where_it_is_set(client, themed):
    login_as(client, officer=True)
    page = plain(client.get("/indicators/CSU10/"))
    assert "Status rule Within 5% is green (set for its theme)" in page
    assert "Status rule: Within 5% is green" in page
    assert "! Amber" not in page and "! Close" in page  # 2019-20 Q4's 325 against 300: within 10%
    assert "its status rule does not use it" in page  # the tolerance, which this rule ignores
    assert "The committee's wording" in page  # the theme's change, in its audit trail
    other = plain(client.get("/indicators/CSU06/"))
    assert "Status rule Amber within the tolerance (Scrutineer's default)" in other


def test_the_entry_page_words_the_status_by_the_indicators_rule(client, themed):
    login_as(client, officer=True)
    page = plain(client.get("/indicators/CSU10/2020-21-Q1/"))
    assert "✓ On target 79.33 Second(s)" in page


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_cost_the_same_queries_at_any_size_with_rules_set(client):
    login_as(client, officer=True)
    counts = []
    for seed, size in ((41, 10), (42, 80)):
        generate_council(size, 2, Period.parse("2025-26"), seed)
        committee = Committee.objects.get(slug__startswith=f"syn{seed}-")
        own = committee.indicators.order_by("code")
        Theme.objects.filter(pk__in=own.values("theme_id")).update(
            status_rule=StatusRuleFactory(rule={**FIVE, "name": f"Five {seed}"})
        )
        for index, indicator in enumerate(own[:4]):
            Indicator.objects.filter(pk=indicator.pk).update(
                status_rule=StatusRuleFactory(rule={**FIVE, "name": f"Own {seed} {index}"})
            )
        code = own.first().code
        counts.append(
            (
                queries(client, f"/committees/{committee.slug}/?period=2025-26-Q2"),
                queries(client, f"/indicators/{code}/"),
                queries(client, "/manage/status-rules/"),
            )
        )
    assert counts[0] == counts[1]
