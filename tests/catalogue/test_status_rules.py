"""Status rules in the catalogue: where they live (indicator → theme → site → default),
the actions that write and apply them (checked by the engine, a reason for every change,
the audit trail), and the form that builds a rule's JSON."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.catalogue import actions
from scrutineer.catalogue.audit import organisation_trail
from scrutineer.catalogue.forms import StatusRuleForm, status_rule_initial
from scrutineer.catalogue.models import (
    Indicator,
    RuleSource,
    SiteDefaults,
    StatusRuleDefinition,
    rules_in_force,
)
from scrutineer.catalogue.status_rules import RuleScope, indicators_judged_by
from scrutineer.changes import Rejected, StaleEdit
from scrutineer.collection.audit import audit_trail
from scrutineer.engine import DEFAULT_RULE, StatusRule
from tests.factories import (
    IndicatorFactory,
    PerformanceOfficerFactory,
    StatusRuleFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FIVE = {
    "name": "Within 5% is green",
    "green": {"within": "5%"},
    "amber": {"within": "10%"},
    "labels": {"green": "On target", "amber": "Close", "red": "Off target"},
}


@pytest.fixture
def officer():
    return PerformanceOfficerFactory()


def apply(definition, scope, officer, reason="Agreed by the committee"):
    return actions.apply_status_rule(
        definition, scope, user=officer, reason=reason, expected_version=scope.version
    )


# Where rules live


def test_an_indicator_is_judged_by_its_own_rule_else_its_themes_else_the_sites_else_the_default(officer):
    own, theme_rule, site = StatusRuleFactory(), StatusRuleFactory(), StatusRuleFactory()
    theme = ThemeFactory()
    first, second, third = IndicatorFactory.create_batch(3, theme=theme)
    other = IndicatorFactory()
    assert rules_in_force([first])[first.pk].source is RuleSource.DEFAULT
    assert first.rule().status_rule is None  # the engine's DEFAULT_RULE, with the tolerance as today
    assert first.rule().judged_by is DEFAULT_RULE

    apply(site, RuleScope.site(), officer)
    apply(theme_rule, RuleScope.parse(f"theme-{theme.pk}"), officer)
    apply(own, RuleScope.parse(f"indicator-{first.code}"), officer)

    found = rules_in_force(Indicator.objects.filter(pk__in=[first.pk, second.pk, third.pk, other.pk]))
    assert (found[first.pk].definition, found[first.pk].source) == (own, RuleSource.INDICATOR)
    assert (found[second.pk].definition, found[second.pk].source) == (theme_rule, RuleSource.THEME)
    assert (found[other.pk].definition, found[other.pk].source) == (site, RuleSource.SITE)
    assert Indicator.objects.get(pk=second.pk).rule().status_rule == theme_rule.rule
    assert found[other.pk].where == "the site's rule"


def test_rules_for_a_whole_table_take_the_same_queries_however_many_indicators(officer):
    def queries(count):
        theme = ThemeFactory(status_rule=StatusRuleFactory())
        indicators = IndicatorFactory.create_batch(count, theme=theme)
        for indicator in indicators[::2]:
            Indicator.objects.filter(pk=indicator.pk).update(status_rule=StatusRuleFactory())
        fresh = list(Indicator.objects.filter(pk__in=[i.pk for i in indicators]))
        loaded = list(Indicator.objects.filter(pk__in=[i.pk for i in indicators]).select_related("theme"))
        with CaptureQueriesContext(connection) as unloaded_themes:
            rules_in_force(fresh)
        with CaptureQueriesContext(connection) as loaded_themes:
            rules_in_force(loaded)
        return len(unloaded_themes), len(loaded_themes)

    assert queries(3) == queries(40) == (2, 1)


def test_the_site_row_is_made_when_first_changed_and_reverting_it_leaves_the_default(officer):
    assert not SiteDefaults.objects.exists()
    rule = StatusRuleFactory()
    apply(rule, RuleScope.site(), officer)
    assert SiteDefaults.objects.get().status_rule == rule
    apply(None, RuleScope.site(), officer, reason="Back to the default")
    assert rules_in_force([IndicatorFactory()]).popitem()[1].judged_by is DEFAULT_RULE


def test_the_indicators_a_scope_decides_are_those_without_a_closer_rule(officer):
    theme = ThemeFactory()
    plain, own = IndicatorFactory.create_batch(2, theme=theme)
    elsewhere = IndicatorFactory()
    rule = StatusRuleFactory()
    Indicator.objects.filter(pk=own.pk).update(status_rule=rule)
    scope = RuleScope.parse(f"theme-{theme.pk}")
    assert list(scope.indicators()) == [plain]
    assert set(RuleScope.site().indicators()) == {plain, elsewhere}
    assert scope.inherited() is DEFAULT_RULE
    assert list(indicators_judged_by(rule)) == [own]
    assert RuleScope.parse("theme-999999") is None
    assert RuleScope.parse("indicator-NOPE") is None
    assert RuleScope.parse("committee-1") is None


# Writing a rule


def test_a_rule_is_checked_by_the_engine_and_stored_as_it_writes_it(officer):
    saved = actions.save_status_rule(None, json.dumps(FIVE), user=officer)
    assert saved.name == "Within 5% is green"
    assert saved.rule == StatusRule.from_mapping(FIVE)
    assert saved.definition == StatusRule.from_mapping(FIVE).to_json()
    assert StatusRuleDefinition.history.get().history_change_reason == "Created"


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"name": "X", "green": {"within": "10%"}, "amber": {"within": "5%"}}, "Amber can never match"),
        ({"name": "X", "colour": "red"}, "unknown key 'colour'"),
        ({"name": "X", "labels": {"amber": "Close"}}, "Labels.amber: the rule gives no figure amber"),
        ({"name": "X", "green": {"within": "5%"}, "amber": {"within": "2"}}, "bands in different units"),
        ({"name": "", "green": {"within": "5%"}}, "Name: a status rule needs a name"),
    ],
)
def test_a_rule_the_engine_refuses_is_refused_naming_the_key_or_clause(officer, rule, words):
    with pytest.raises(Rejected) as refused:
        actions.save_status_rule(None, json.dumps(rule), user=officer)
    assert refused.value.field == "definition"
    assert words in refused.value.message
    assert refused.value.input["definition"] == json.dumps(rule)  # what was typed is kept
    assert not StatusRuleDefinition.objects.exists()


def test_not_json_and_an_owners_forecast_are_refused_with_what_to_do(officer):
    with pytest.raises(Rejected, match=r"not valid JSON: .*line 1"):
        actions.save_status_rule(None, "{name: x}", user=officer)
    owner = {"name": "On course", "amber": {"within": "5%"}, "forecast": {"from": "owner"}}
    with pytest.raises(Rejected, match=r'does not collect owners\' forecasts yet.*"from": "data"'):
        actions.save_status_rule(None, json.dumps(owner), user=officer)
    data = {**owner, "forecast": {"from": "data"}}
    assert actions.save_status_rule(None, json.dumps(data), user=officer).rule.forecast_from.value == "data"


def test_words_with_control_characters_are_refused(officer):
    for word in ("On\u0000target", "On\ttarget"):
        text = json.dumps({**FIVE, "labels": {**FIVE["labels"], "green": word}})
        with pytest.raises(Rejected, match="cannot hold control characters"):
            actions.save_status_rule(None, text, user=officer)
    with pytest.raises(Rejected, match="cannot hold control characters"):
        actions.save_status_rule(None, json.dumps({**FIVE, "name": "Five\u0000"}), user=officer)


def test_only_a_performance_officer_writes_or_applies_a_rule():
    somebody = UserFactory()
    with pytest.raises(PermissionDenied, match="Only performance officers can write status rules"):
        actions.save_status_rule(None, json.dumps(FIVE), user=somebody)
    with pytest.raises(PermissionDenied, match="apply status rules"):
        actions.apply_status_rule(
            StatusRuleFactory(), RuleScope.site(), user=somebody, reason="x", expected_version=1
        )
    with pytest.raises(PermissionDenied, match="remove status rules"):
        actions.remove_status_rule(StatusRuleFactory(), user=somebody, expected_version=1)


def test_changing_a_rule_needs_a_reason_and_the_version_shown(officer):
    rule = actions.save_status_rule(None, json.dumps(FIVE), user=officer)
    changed = json.dumps({**FIVE, "green": {"within": "4%"}})
    with pytest.raises(Rejected, match="Say why you are changing the status rule Within 5% is green"):
        actions.save_status_rule(rule, changed, user=officer, expected_version=rule.version)
    saved = actions.save_status_rule(rule, changed, user=officer, reason="Tighter", expected_version=1)
    assert saved.rule.clauses[0].within.amount == Decimal(4)
    with pytest.raises(StaleEdit):
        actions.save_status_rule(rule, json.dumps(FIVE), user=officer, reason="Back", expected_version=1)
    with pytest.raises(actions.Unchanged):
        actions.save_status_rule(rule, changed, user=officer, reason="Again", expected_version=saved.version)


def test_two_rules_may_not_share_a_name(officer):
    actions.save_status_rule(None, json.dumps(FIVE), user=officer)
    with pytest.raises(Rejected, match="already called") as refused:
        actions.save_status_rule(None, json.dumps({**FIVE, "name": "within 5% IS green"}), user=officer)
    assert refused.value.field == "name"


# Applying a rule


def test_applying_a_rule_needs_a_reason_refuses_a_stale_page_and_says_when_nothing_changes(officer):
    theme = ThemeFactory()
    rule = StatusRuleFactory()
    scope = RuleScope.parse(f"theme-{theme.pk}")
    with pytest.raises(Rejected, match="Say why") as refused:
        actions.apply_status_rule(rule, scope, user=officer, reason=" ", expected_version=theme.version)
    assert refused.value.field == "reason"
    apply(rule, scope, officer)
    with pytest.raises(StaleEdit):
        actions.apply_status_rule(rule, scope, user=officer, reason="Again", expected_version=theme.version)
    fresh = RuleScope.parse(f"theme-{theme.pk}")
    with pytest.raises(actions.Unchanged):
        apply(rule, fresh, officer)


def test_where_a_rule_applies_is_in_the_history_page_and_the_indicators_audit_trail(officer):
    rule = actions.save_status_rule(None, json.dumps(FIVE), user=officer)
    indicator = IndicatorFactory()
    apply(rule, RuleScope.parse(f"theme-{indicator.theme_id}"), officer, reason="Council's new wording")
    apply(rule, RuleScope.site(), officer, reason="The whole council agreed")
    apply(None, RuleScope.parse(f"theme-{indicator.theme_id}"), officer, reason="The site's rule will do")
    own = IndicatorFactory()
    apply(rule, RuleScope.parse(f"indicator-{own.code}"), officer, reason="A statutory standard")

    trail = organisation_trail(roles=False)
    found = {(e.what, e.field, e.before, e.after, e.reason) for e in trail}
    theme = f"Theme {indicator.theme}"
    assert (theme, "Status rule", "", "Within 5% is green", "Council's new wording") in found
    assert (theme, "Status rule", "Within 5% is green", "", "The site's rule will do") in found
    assert (
        "The site's defaults",
        "Status rule",
        "",
        "Within 5% is green",
        "The whole council agreed",
    ) in found
    assert any(e.what == "Status rule Within 5% is green" and e.reason == "Created" for e in trail)

    mine = {(e.what, e.field, e.after, e.reason) for e in audit_trail(indicator)}
    assert (theme, "Status rule", "Within 5% is green", "Council's new wording") in mine
    assert ("The site's defaults", "Status rule", "Within 5% is green", "The whole council agreed") in mine
    theirs = {(e.what, e.field, e.after, e.reason) for e in audit_trail(own)}
    assert ("Indicator definition", "Status rule", "Within 5% is green", "A statutory standard") in theirs

    # A change to the rule that judges it is in its trail too.
    actions.save_status_rule(
        rule,
        json.dumps({**FIVE, "green": {"within": "4%"}}),
        user=officer,
        reason="Tighter",
        expected_version=1,
    )
    assert any(e.field == "Definition" and e.reason == "Tighter" for e in audit_trail(indicator))


def test_a_rule_in_use_is_not_removed_and_says_where_it_is_used(officer):
    rule = StatusRuleFactory(rule={"name": "Used", "green": {"within": "5%"}})
    indicator = IndicatorFactory()
    apply(rule, RuleScope.parse(f"indicator-{indicator.code}"), officer)
    with pytest.raises(Rejected, match=f"judges {indicator.code}: apply another rule there first"):
        actions.remove_status_rule(rule, user=officer, expected_version=rule.version)
    unused = StatusRuleFactory()
    actions.remove_status_rule(unused, user=officer, expected_version=unused.version)
    assert not StatusRuleDefinition.objects.filter(pk=unused.pk).exists()
    assert StatusRuleDefinition.objects.filter(pk=rule.pk).exists()


# The form that builds a rule


def builder(**fields):
    data = {
        "name": "Within 5% is green",
        "band_unit": "percent",
        "green_within": "5",
        "amber_within": "10",
        "otherwise": "red",
        "similar_unit": "units",
        **fields,
    }
    form = StatusRuleForm(data=data)
    assert form.is_valid(), form.errors
    return form


def test_the_form_builds_the_rules_json_from_its_fields():
    form = builder(label_green="On target", label_amber="Close", label_red="Off target")
    assert StatusRule.from_json(form.rule_text()) == StatusRule.from_mapping(FIVE)
    split = builder(
        green_within="10",
        amber_within="",
        otherwise="last-year",
        similar_within="0.5",
        trend_similar="Similar",
    )
    assert json.loads(split.rule_text()) == {
        "name": "Within 5% is green",
        "green": {"within": "10%"},
        "otherwise": {"amber_if_not_worse_than": "last-year"},
        "similar": {"within": "0.5"},
        "trend_labels": {"similar": "Similar"},
    }
    tolerance = builder(band_unit="tolerance", green_within="0", amber_within="1")
    assert StatusRule.from_json(tolerance.rule_text()).clauses == DEFAULT_RULE.clauses


def test_a_pasted_rule_is_used_instead_of_the_fields():
    form = builder(definition=json.dumps({"name": "Pasted", "green": {"within": "2"}}))
    assert StatusRule.from_json(form.rule_text()).name == "Pasted"
    assert form.field_for("green.within: '2%%' is not a band") == "definition"


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("Amber can never match: green (within 10%) already makes …", "amber_within"),
        ("Labels.amber: the rule gives no figure amber, …", "label_amber"),
        ("Labels: 'Off target' is the word for both amber and red; …", "label_red"),
        ("Trend_labels: 'Same' is the word for both similar and worse; …", "trend_worse"),
        ("Name: a status rule needs a name", "name"),
        ("Similar: the similar band is …", "similar_within"),
        ("Clause 2 leaves a gap", None),
    ],
)
def test_an_engine_refusal_goes_beside_the_field_it_names(message, field):
    assert builder().field_for(message) == field


def test_a_band_must_be_a_number_and_a_rule_a_name():
    form = StatusRuleForm(data={"name": "", "band_unit": "percent", "green_within": "5%", "otherwise": "red"})
    assert not form.is_valid()
    assert "is not one" in form.errors["green_within"][0]
    assert "Give the rule a name" in form.errors["name"][0]


@pytest.mark.parametrize(
    "rule",
    [
        FIVE,
        {"name": "Split", "green": {"within": "10%"}, "otherwise": {"amber_if_not_worse_than": "previous"}},
        {"name": "Points", "green": {"within": "2"}, "amber": {"within": "5"}, "similar": {"within": "1%"}},
        {"name": "Statutory", "labels": {"green": "Achieved", "red": "Not achieved"}},
    ],
)
def test_a_stored_rule_the_fields_can_say_is_shown_field_by_field(rule):
    initial = status_rule_initial(StatusRule.from_mapping(rule))
    assert "definition" not in initial
    form = StatusRuleForm(data={**initial, "definition": ""})
    assert form.is_valid(), form.errors
    assert StatusRule.from_json(form.rule_text()) == StatusRule.from_mapping(rule)


def test_a_rule_the_fields_cannot_say_is_shown_as_json():
    initial = status_rule_initial(DEFAULT_RULE)  # closest-to-target bands of its own
    assert StatusRule.from_json(initial["definition"]) == DEFAULT_RULE
