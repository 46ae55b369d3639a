"""The status rule pages on /manage/: write a rule field by field, preview what it would make
of last quarter's figures, save it, apply it to a theme with a reason; and the refusals,
beside the field they concern."""

import html
import json
import re
from decimal import Decimal

import pytest

from scrutineer.catalogue.models import Indicator, StatusRuleDefinition, Theme
from scrutineer.engine import JUDGED_STATUSES, Period
from tests.factories import (
    IndicatorFactory,
    PerformanceOfficerFactory,
    StatusRuleFactory,
    TargetFactory,
    ThemeFactory,
    ValueFactory,
)
from tests.status_rules import FIVE_LEVELS

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
FIELDS = {
    "name": "Within 5% is green",
    "band_unit": "percent",
    "green_within": "5",
    "amber_within": "10",
    "otherwise": "red",
    "label_green": "On target",
    "label_amber": "Close",
    "label_red": "Off target",
    "similar_unit": "units",
}


@pytest.fixture
def theme(client):
    """A theme of two indicators (lower is better, target 100): 104 is amber by the default
    rule and green within 5%; 50 is green either way."""
    client.force_login(PerformanceOfficerFactory())
    theme = ThemeFactory(name="Performance excellence")
    for code, figure in (("CSU10", "104"), ("CSU11", "50")):
        indicator = IndicatorFactory(code=code, theme=theme)
        TargetFactory(indicator=indicator, period=Q1, value=Decimal(100))
        ValueFactory(indicator=indicator, period=Q1, value=Decimal(figure))
    return theme


def text(response):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_preview_says_which_statuses_would_change_in_words_and_saves_nothing(client, theme):
    response = client.post("/manage/status-rules/new/", {**FIELDS, "action": "preview"})
    assert response.status_code == 200
    page = text(response)
    assert "With this rule, last quarter's figures (Q1 2020/21) would be:" in page
    assert "1 of 2 statuses would change." in page
    # Changed rows come first, each saying so in words beside both statuses.
    assert "CSU10 Indicator" in page
    changed = page[page.index("CSU10 Indicator") :]
    assert changed.startswith("CSU10 Indicator") and "! Amber ✓ On target Would change" in changed
    assert "✓ Green ✓ On target Same status, new word" in page
    assert "Status rule: Within 5% is green" in page  # the rule's key, in its words
    assert "✓ On target the target was met or missed by no more than 5% of it." in page
    assert not StatusRuleDefinition.objects.exists()


def test_a_band_that_can_never_match_is_refused_beside_its_field(client, theme):
    response = client.post("/manage/status-rules/new/", {**FIELDS, "amber_within": "5", "action": "save"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_amber_within_error"' in body
    assert "Amber can never match: green (within 5%) already makes every figure within 5%" in text(response)
    assert 'value="Close"' in body  # what was typed is kept
    preview = client.post(
        "/manage/status-rules/new/", {**FIELDS, "label_amber": "Off target", "action": "preview"}
    )
    assert preview.status_code == 400
    assert 'id="id_label_red_error"' in preview.content.decode()


def test_a_pasted_rule_that_is_refused_is_refused_beside_the_box(client, theme):
    pasted = '{"name": "Bad", "clauses": [{"status": "green", "within": "5%"}, {"status": "amber", "within": "9%"}]}'
    response = client.post("/manage/status-rules/new/", {**FIELDS, "definition": pasted, "action": "save"})
    assert response.status_code == 400
    assert 'id="id_definition_error"' in response.content.decode()
    assert "Clause 2 leaves a gap" in text(response)


def test_write_save_preview_and_apply_to_a_theme_with_a_reason(client, theme):
    saved = client.post("/manage/status-rules/new/", {**FIELDS, "action": "save"})
    rule = StatusRuleDefinition.objects.get()
    assert saved["Location"] == f"/manage/status-rules/{rule.pk}/apply/"

    chooser = client.get(saved["Location"])
    assert chooser.status_code == 200
    assert f'<option value="theme-{theme.pk}">' in chooser.content.decode()

    preview = client.get(f"{saved['Location']}?to=theme-{theme.pk}")
    page = text(preview)
    assert "Its rule now None of its own: Amber within the tolerance" in page
    assert "1 of 2 statuses would change." in page

    no_reason = client.post(
        saved["Location"], {"to": f"theme-{theme.pk}", "version": theme.version, "reason": ""}
    )
    assert no_reason.status_code == 400
    assert "Say why you are changing the status rule of the theme" in text(no_reason)
    assert Theme.objects.get(pk=theme.pk).status_rule is None

    applied = client.post(
        saved["Location"],
        {"to": f"theme-{theme.pk}", "version": theme.version, "reason": "Committee's wording"},
    )
    assert applied.status_code == 302
    assert Theme.objects.get(pk=theme.pk).status_rule == rule
    listing = text(client.get("/manage/status-rules/"))
    assert f"Within 5% is green {theme}" in listing
    assert "Committee's wording" in text(client.get("/manage/history/"))

    dashboard = text(client.get(f"/themes/{theme.pk}/?period=2020-21-Q1"))
    assert "✓ On target" in dashboard and "! Amber" not in dashboard
    assert "Status rule: Within 5% is green" in dashboard

    back = client.post(
        "/manage/status-rules/clear/",
        {"to": f"theme-{theme.pk}", "version": 2, "reason": "Back to the site's"},
    )
    assert back.status_code == 302
    assert Theme.objects.get(pk=theme.pk).status_rule is None


def test_a_stale_apply_is_refused(client, theme):
    rule = StatusRuleFactory()
    Theme.objects.filter(pk=theme.pk).update(version=5)
    response = client.post(
        f"/manage/status-rules/{rule.pk}/apply/", {"to": f"theme-{theme.pk}", "version": 4, "reason": "Why"}
    )
    assert response.status_code == 400
    assert "Someone else saved" in text(response)


def test_an_unknown_scope_is_not_found(client, theme):
    rule = StatusRuleFactory()
    assert client.get(f"/manage/status-rules/{rule.pk}/apply/?to=theme-99999").status_code == 404
    assert client.get("/manage/status-rules/clear/?to=indicator-NOPE").status_code == 404


def test_changing_a_rule_that_judges_indicators_warns_previews_them_and_needs_a_reason(client, theme):
    rule = StatusRuleFactory(rule={"name": "Within 5% is green", "green": {"within": "5%"}})
    Indicator.objects.filter(code="CSU10").update(status_rule=rule)
    page = client.get(f"/manage/status-rules/{rule.pk}/")
    assert "This rule judges indicators now" in text(page)
    assert 'name="green_within" value="5"' in page.content.decode()

    fields = {**FIELDS, "amber_within": "", "label_amber": "", "green_within": "3", "version": rule.version}
    preview = client.post(f"/manage/status-rules/{rule.pk}/", {**fields, "action": "preview"})
    assert "For the indicators it judges now." in text(preview)
    assert "1 of 1 statuses would change." in text(preview)  # 104 against 100: green within 5%, not 3%

    refused = client.post(f"/manage/status-rules/{rule.pk}/", {**fields, "action": "save"})
    assert refused.status_code == 400
    assert 'id="id_reason_error"' in refused.content.decode()
    saved = client.post(
        f"/manage/status-rules/{rule.pk}/", {**fields, "action": "save", "reason": "Stricter"}
    )
    assert saved.status_code == 302
    assert StatusRuleDefinition.objects.get().rule.clauses[0].within.amount == 3


def test_a_rule_in_use_cannot_be_removed_from_its_page(client, theme):
    rule = StatusRuleFactory()
    Indicator.objects.filter(code="CSU10").update(status_rule=rule)
    response = client.post(f"/manage/status-rules/{rule.pk}/", {"action": "remove", "version": rule.version})
    assert response.status_code == 302
    assert "judges CSU10" in text(client.get(response["Location"]))
    Indicator.objects.filter(code="CSU10").update(status_rule=None)
    client.post(f"/manage/status-rules/{rule.pk}/", {"action": "remove", "version": rule.version})
    assert not StatusRuleDefinition.objects.exists()


def test_a_five_level_rule_previews_applies_and_shows_every_level_with_its_own_tag(client, theme):
    # 104 is amber by the default rule and nearly on target (within 5%); 115 is red by the
    # default rule (10% tolerance) and off target (within 20%); 50 is green either way.
    extra = IndicatorFactory(code="CSU12", theme=theme)
    TargetFactory(indicator=extra, period=Q1, value=Decimal(100))
    ValueFactory(indicator=extra, period=Q1, value=Decimal(115))
    definition = json.dumps(FIVE_LEVELS)
    preview = client.post(
        "/manage/status-rules/new/", {**FIELDS, "definition": definition, "action": "preview"}
    )
    assert preview.status_code == 200
    page = text(preview)
    assert "2 of 3 statuses would change." in page
    assert "! Amber ≈ Nearly on target Would change" in page
    assert "✗ Red ‼ Off target Would change" in page
    assert "≈ Nearly on target the target was missed, but by no more than 5% of it." in page
    assert "‼ Off target the target was missed by more than 10% of it, but by no more than 20% of it." in page

    saved = client.post("/manage/status-rules/new/", {**FIELDS, "definition": definition, "action": "save"})
    rule = StatusRuleDefinition.objects.get()
    assert rule.rule.statuses == tuple(JUDGED_STATUSES)
    client.post(
        saved["Location"], {"to": f"theme-{theme.pk}", "version": theme.version, "reason": "Five levels"}
    )
    assert Theme.objects.get(pk=theme.pk).status_rule == rule

    response = client.get(f"/themes/{theme.pk}/?period=2020-21-Q1")
    body = response.content.decode()
    # Each level its own colour, beside its own symbol and word: never colour alone.
    assert re.search(r'govuk-tag scrutineer-tag--amber-green"><span[^>]*>≈</span> Nearly on target', body)
    assert re.search(r'govuk-tag govuk-tag--orange"><span[^>]*>‼</span> Off target', body)
    dashboard = text(response)
    assert "Status rule: Five levels" in dashboard
    assert "Well off target the target was missed by more than 20% of it." in dashboard
    # The filter offers the rule's five levels in its words, and filters by the new ones.
    options = re.findall(r'<option value="([a-z-]+)"[^>]*>([^<]+)</option>', body.split('id="status"')[1])
    assert [value for value, _ in options][:5] == [s.value for s in JUDGED_STATUSES]
    assert options[1] == ("amber-green", "Nearly on target")
    only = text(client.get(f"/themes/{theme.pk}/?period=2020-21-Q1&status=amber-red"))
    assert "CSU12" in only and "CSU10 " not in only


def test_a_dashboard_of_three_level_rules_offers_three_levels(client, theme):
    body = client.get(f"/themes/{theme.pk}/?period=2020-21-Q1").content.decode()
    options = re.findall(r'<option value="([a-z-]+)"', body.split('id="status"')[1].split("</select>")[0])
    assert options == ["green", "amber", "red", "info-only", "no-data", "not-measured"]


FIVE_LEVEL_FIELDS = {
    **FIELDS,
    "name": "Five levels",
    "green_within": "0",
    "amber_green_within": "5",
    "amber_within": "10",
    "amber_red_within": "20",
    "label_green": "On target",
    "label_amber_green": "Nearly on target",
    "label_amber": "Close to target",
    "label_amber_red": "Off target",
    "label_red": "Well off target",
}


def test_a_five_level_rule_is_written_field_by_field_without_json(client, theme):
    page = client.get("/manage/status-rules/new/").content.decode()
    for name in ("amber_green_within", "amber_red_within", "label_amber_green", "label_amber_red"):
        assert f'name="{name}"' in page
    assert "Amber-green within (optional)" in page and "Word for amber-red (optional)" in page

    saved = client.post("/manage/status-rules/new/", {**FIVE_LEVEL_FIELDS, "action": "save"})
    assert saved.status_code == 302, text(saved)[:2000]
    rule = StatusRuleDefinition.objects.get()
    stored = rule.rule
    assert stored.statuses == tuple(JUDGED_STATUSES)
    assert stored == type(stored).from_json(json.dumps(FIVE_LEVELS))  # as the guide's JSON says it

    # Opened again, the rule is back in its fields, not in the JSON box.
    again = client.get(f"/manage/status-rules/{rule.pk}/").content.decode()
    assert re.search(r'name="amber_green_within"[^>]*value="5"', again)
    assert re.search(r'name="label_amber_red"[^>]*value="Off target"', again)
    assert "&quot;amber-red&quot;" not in again.split('name="definition"')[1].split("</textarea>")[0]


def test_three_levels_written_in_the_fields_are_as_before(client, theme):
    client.post("/manage/status-rules/new/", {**FIELDS, "action": "save"})
    data = StatusRuleDefinition.objects.get().rule.as_mapping()
    assert "amber-green" not in data and "amber-red" not in data


def test_a_middle_band_out_of_order_is_refused_beside_its_field(client, theme):
    response = client.post(
        "/manage/status-rules/new/", {**FIVE_LEVEL_FIELDS, "amber_red_within": "8", "action": "save"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_amber_red_within_error"' in body
    assert 'value="Nearly on target"' in body  # what was typed is kept
    same_word = client.post(
        "/manage/status-rules/new/",
        {**FIVE_LEVEL_FIELDS, "label_amber_green": "On target", "action": "preview"},
    )
    assert same_word.status_code == 400
    assert 'id="id_label_amber_green_error"' in same_word.content.decode()
    assert not StatusRuleDefinition.objects.exists()
