"""Bad input to every form, as every role: refused (4xx) or taken (2xx/3xx), never a 500,
and the pages that show the data still open afterwards.

A property-based test (hypothesis) posts generated text to each field of each form: huge
and tiny numbers, NaN and infinity, exponents, Arabic-Indic and full-width digits,
markup, control characters and NUL bytes (PostgreSQL refuses those outright), very long
strings. It is bounded to stay fast (`MAX_EXAMPLES` per form) and runs on SQLite and,
with DATABASE_URL, on PostgreSQL. Below it, one test per finding of the input review
(finding 2): what messages quote, a form posted without its version, NUL bytes.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrutineer.catalogue.forms import CommitteeForm, IndicatorForm, PriorityForm, ThemeForm
from scrutineer.catalogue.models import (
    Committee,
    Indicator,
    Priority,
    StatusRuleDefinition,
    Target,
    Theme,
)
from scrutineer.collection.models import Achievement, Value, ValueState
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency, Period, StatusRule
from scrutineer.reports.forms import ReportForm
from scrutineer.reports.models import Report
from tests.factories import PerformanceOfficerFactory, UserFactory
from tests.people import user_for

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 25

NASTY = [
    "",
    " ",
    "0",
    "-0",
    "NaN",
    "-Infinity",
    "inf",
    "1e5",
    "1E999999999",
    "9" * 30,
    "1" + "0" * 20_000,
    "0." + "0" * 60 + "1",
    "99999999999999.995",
    "12345678901234.123456",
    "٣",
    "３",
    "١٢٣",
    "12_000",
    "1,23",
    "19,498",
    "²",
    "½",
    "−5",
    "+-1",
    "\x00",
    "1\x00",
    "text with a \x00 NUL",
    "\x07\x1b[31m",
    "\u202eevil",
    "<script>alert(1)</script>",
    "<b>bold</b>",
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "=HYPERLINK(1)",
    "\r\n\r\n",
    "x" * 20_000,
    "2020-13",
    "1:²",
    "²:1",
]

# The sweep below posts these to every text and number field of every form (not choices:
# the fuzzing covers those); the fuzzing draws from all of NASTY and more.
SWEEP = ["NaN", "1E999999999", "1" + "0" * 20_000, "٣", "1\x00", "x" * 20_000]

TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.text(st.characters(codec="ascii"), max_size=20),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.floats().map(repr),
    st.builds(
        lambda s, n: s * n, st.sampled_from(["9", "a", "\x00", "<", "٣", "é"]), st.integers(50, 50_000)
    ),
)

FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the working tree: a failure prints its blob to replay
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# The council, its people and what they post


def quarter() -> Period:
    return open_periods(Frequency.QUARTERLY, timezone.localdate())[0]


@pytest.fixture
def council(seed_council):
    """The seed council with one of each role, a figure awaiting approval, an achievement
    and a target to change, as the forms below need them."""
    period = quarter()
    councillor = user_for("Casey Councillor", is_councillor=True)
    committee = Committee.objects.get(slug="housing-community")
    committee.members.add(councillor.person)
    people = {
        "anonymous": None,
        "nobody": UserFactory(),
        "councillor": councillor,
        "owner": user_for("Tracy Lancashire"),  # owns CSU10-12, leads customer services
        "approver": user_for("Matt Rawdon"),  # approves them, heads the group
        "officer": PerformanceOfficerFactory(),
    }
    submitted = Value.objects.create(
        indicator=Indicator.objects.get(code="CSU11"),
        period=period,
        numerator=700,
        denominator=20000,
        state=ValueState.SUBMITTED,
        entered_by=people["owner"],
    )
    Achievement.objects.create(service=submitted.indicator.service, period=period, position=1, body="Opened.")
    Target.objects.get_or_create(
        indicator=Indicator.objects.get(code="CSU10"), period=Period.parse("2030-31"), defaults={"value": 300}
    )
    return {"people": people, "period": period, "submitted": submitted, "committee": committee.pk}


def posted(form: Any) -> dict[str, Any]:
    """What an unchanged form posts back: each field's shown value, as a browser sends it."""
    data: dict[str, Any] = {}
    for field in form:
        value = field.value()
        widget = field.field.widget
        if widget.__class__.__name__ == "NullBooleanSelect":
            data[field.html_name] = {True: "true", False: "false"}.get(value, "unknown")
        elif widget.__class__.__name__ == "CheckboxInput":
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        elif value is None:
            data[field.html_name] = ""
        elif isinstance(value, datetime.date):
            data[field.html_name] = value.isoformat()
        elif isinstance(value, Period):
            data[field.html_name] = value.key
        else:
            data[field.html_name] = str(value)
    return data


def sign_in(client, people, who):
    client.logout()
    if people[who] is not None:
        client.force_login(people[who])


def answer(client, url, data):
    response = client.post(url, data)
    assert response.status_code < 500, (url, {k: str(v)[:60] for k, v in data.items()})
    return response


def pages_open(client, people, urls):
    """The pages that show the data open for the performance officer (who sees them all)."""
    client.force_login(people["officer"])
    for url in urls:
        assert client.get(url).status_code == 200, url


# One description per form: where it posts, what it posts unchanged, the fields to fuzz,
# who may use it, and the pages that show what it saves.


def entry_form(council):
    period = council["period"]
    value = Value.objects.filter(indicator__code="CSU10", period=period).first()
    base = {
        "value": "80",
        "numerator": "",
        "denominator": "",
        "no_data_reason": "",
        "not_measured": "",
        "note": "",
        "action": "save",
        "version": value.version if value else "",
    }
    return (
        f"/indicators/CSU10/{period.key}/",
        base,
        ["owner", "officer"],
        [
            "/my-work/",
            "/indicators/CSU10/",
            "/indicators/CSU10/history.csv",
            f"/indicators/CSU10/{period.key}/",
        ],
    )


def rate_entry_form(council):
    period = council["period"]
    stored = Value.objects.get(pk=council["submitted"].pk)
    Value.objects.filter(pk=stored.pk).update(state=ValueState.DRAFT)
    base = {
        "numerator": "640",
        "denominator": "19498",
        "note": "",
        "action": "save",
        "version": stored.version,
    }
    return (
        f"/indicators/CSU11/{period.key}/",
        base,
        ["owner", "officer"],
        ["/my-work/", "/indicators/CSU11/", f"/indicators/CSU11/{period.key}/"],
    )


def review_form(council):
    stored = Value.objects.get(pk=council["submitted"].pk)
    Value.objects.filter(pk=stored.pk).update(state=ValueState.SUBMITTED)
    base = {"comment": "Check the denominator.", "action": "return", "version": stored.version}
    return (f"/approvals/{stored.pk}/", base, ["approver", "officer"], ["/approvals/", "/indicators/CSU11/"])


def approve_many_form(council):
    stored = Value.objects.get(pk=council["submitted"].pk)
    Value.objects.filter(pk=stored.pk).update(state=ValueState.SUBMITTED)
    return ("/approvals/approve/", {"value": f"{stored.pk}:{stored.version}"}, ["approver"], ["/approvals/"])


def achievement_form(council):
    period = council["period"]
    stored = Achievement.objects.get(service__slug="customer-services", period=period, position=1)
    Achievement.objects.filter(pk=stored.pk).update(state=ValueState.DRAFT)
    base = {"body": "Opened the new contact centre.", "action": "save", "version": stored.version}
    return (
        f"/services/customer-services/achievements/{period.key}/1/",
        base,
        ["owner", "officer"],
        [f"/services/customer-services/achievements/{period.key}/"],
    )


def new_achievement_form(council):
    period = council["period"]
    base = {"body": "A new achievement.", "action": "preview", "version": ""}
    return (
        f"/services/customer-services/achievements/{period.key}/new/",
        base,
        ["owner", "officer"],
        [f"/services/customer-services/achievements/{period.key}/"],
    )


def approve_achievements_form(council):
    period = council["period"]
    stored = Achievement.objects.get(service__slug="customer-services", period=period, position=1)
    Achievement.objects.filter(pk=stored.pk).update(state=ValueState.DRAFT)
    return (
        f"/services/customer-services/achievements/{period.key}/approve/",
        {"draft": f"{stored.pk}:{stored.version}", "next": "/approvals/"},
        ["approver"],
        [f"/services/customer-services/achievements/{period.key}/"],
    )


def report_form(council):
    committee = Committee.objects.get(slug="housing-community")
    period = council["period"]
    stored = Report.objects.filter(committee=committee, period=period).first()
    form = ReportForm(instance=stored or Report(committee=committee, period=period))
    base = {**posted(form), "meeting_date": "2026-09-09", "version": stored.version if stored else ""}
    return (
        f"/reports/housing-community/{period.key}/edit/",
        base,
        ["officer"],
        [f"/reports/housing-community/{period.key}/edit/", f"/reports/housing-community/{period.key}/draft/"],
    )


def indicator_form(council):
    csu10 = Indicator.objects.get(code="CSU10")
    base = {**posted(IndicatorForm(instance=csu10)), "version": csu10.version, "reason": "Fuzzing"}
    return (
        "/manage/indicators/CSU10/",
        base,
        ["officer"],
        [
            "/manage/indicators/",
            "/manage/indicators/CSU10/",
            "/indicators/CSU10/",
            "/committees/housing-community/",
        ],
    )


def new_indicator_form(council):
    csu10 = Indicator.objects.get(code="CSU10")
    base = {**posted(IndicatorForm(instance=csu10)), "code": "NEW1", "version": "", "reason": ""}
    return ("/manage/indicators/new/", base, ["officer"], ["/manage/indicators/"])


def target_form(council):
    base = {"period": "2031-32", "value": "250", "note": "", "reason": "", "version": ""}
    Target.objects.filter(period=Period.parse("2031-32")).delete()
    return (
        "/manage/indicators/CSU10/targets/",
        base,
        ["officer"],
        ["/manage/indicators/CSU10/targets/", "/indicators/CSU10/", "/committees/housing-community/"],
    )


def target_change_form(council):
    target = Target.objects.get(indicator__code="CSU10", period=Period.parse("2030-31"))
    base = {
        "action": "change",
        "value": "260",
        "note": "",
        "reason": "Budget agreed",
        "version": target.version,
    }
    return (
        "/manage/indicators/CSU10/targets/2030-31/",
        base,
        ["officer"],
        ["/manage/indicators/CSU10/targets/", "/indicators/CSU10/"],
    )


def theme_form(council):
    theme = Theme.objects.order_by("pk").first()
    base = {**posted(ThemeForm(instance=theme)), "version": theme.version}
    return (
        f"/manage/themes/{theme.pk}/",
        base,
        ["officer"],
        ["/manage/themes/", "/committees/housing-community/"],
    )


def priority_form(council):
    priority = Priority.objects.order_by("pk").first()
    base = {**posted(PriorityForm(instance=priority)), "version": priority.version}
    return (f"/manage/priorities/{priority.pk}/", base, ["officer"], ["/manage/themes/"])


def committee_form(council):
    committee = Committee.objects.get(pk=council["committee"])  # its slug may be changed
    base = {**posted(CommitteeForm(instance=committee)), "version": committee.version}
    return (
        f"/manage/committees/{committee.slug}/",
        base,
        ["officer"],
        ["/manage/committees/", f"/manage/committees/{committee.slug}/", f"/committees/{committee.slug}/"],
    )


def status_rule_form(council):
    base = {
        "name": "Within 5% is green",
        "band_unit": "percent",
        "green_within": "5",
        "amber_within": "10",
        "otherwise": "red",
        "label_green": "On target",
        "label_amber": "Close",
        "label_red": "Off target",
        "similar_within": "",
        "similar_unit": "units",
        "trend_better": "",
        "trend_similar": "",
        "trend_worse": "",
        "definition": "",
        "reason": "",
        "version": "",
        "action": "save",
    }
    return ("/manage/status-rules/new/", base, ["officer"], ["/manage/status-rules/", "/manage/history/"])


def status_rule_preview_form(council):
    url, base, roles, pages = status_rule_form(council)
    return url, {**base, "action": "preview"}, roles, pages


def apply_status_rule_form(council):
    rule, _ = StatusRuleDefinition.objects.get_or_create(
        name="Fuzzed", defaults={"definition": StatusRule.from_mapping({"name": "Fuzzed"}).to_json()}
    )
    theme = Theme.objects.order_by("pk").first()
    base = {"to": f"theme-{theme.pk}", "version": theme.version, "reason": "Fuzzing"}
    return (
        f"/manage/status-rules/{rule.pk}/apply/",
        base,
        ["officer"],
        ["/manage/status-rules/", "/committees/housing-community/", "/indicators/CSU10/"],
    )


FORMS = {
    "figure entry": entry_form,
    "rate entry": rate_entry_form,
    "review comment": review_form,
    "approve many": approve_many_form,
    "achievement": achievement_form,
    "new achievement": new_achievement_form,
    "approve achievements": approve_achievements_form,
    "report editor": report_form,
    "indicator": indicator_form,
    "new indicator": new_indicator_form,
    "target": target_form,
    "target change": target_change_form,
    "theme": theme_form,
    "priority": priority_form,
    "committee": committee_form,
    "status rule": status_rule_form,
    "status rule preview": status_rule_preview_form,
    "apply status rule": apply_status_rule_form,
}
ROLES = ["anonymous", "nobody", "councillor", "owner", "approver", "officer"]
CHOICES = {
    "measure_kind",
    "polarity",
    "frequency",
    "aggregation",
    "duration_style",
    "tolerance_kind",
    "service",
    "theme",
    "owner",
    "approver",
    "active",
    "portfolio",
    "services",
    "indicators",
    "members",
    "corporate_objectives",
    "table_as_appendix",
    "achievements_as_sections",
    "part",
    "priority",
    "objective",
    "band_unit",
    "otherwise",
    "similar_unit",
}


@pytest.mark.parametrize("name", FORMS)
def test_bad_input_to_any_form_as_any_role_is_refused_or_taken_never_a_500(client, council, name):
    describe = FORMS[name]
    people = council["people"]
    _, base, roles, _ = describe(council)

    # First the nastiest text in every text and number field, one at a time, as someone who
    # may use the form (so it reaches the checks and the database)…
    for field in sorted(set(base) - CHOICES):
        for text in SWEEP:
            url, fresh, _, _ = describe(council)
            sign_in(client, people, roles[-1])
            answer(client, url, {**fresh, field: text})

    # …then generated text in any field, as anyone (half the time someone who may use it).
    @FUZZ
    @given(
        field=st.sampled_from(sorted(base)),
        text=TEXT,
        who=st.one_of(st.sampled_from(roles), st.sampled_from(ROLES)),
    )
    def post(field, text, who):
        url, fresh, _, _ = describe(council)  # afresh: the last example may have saved
        sign_in(client, people, who)
        response = answer(client, url, {**fresh, field: text})
        if response.status_code < 400 and who != "anonymous":
            pages_open(client, people, describe(council)[3])

    post()
    pages_open(client, people, describe(council)[3])


# Finding 2: what messages quote, forms without their version, NUL bytes


HUGE = "9" * 200_000

# Each of these tests goes through its cases in one database (loading the council is most
# of a case's cost); a failure names the case.

QUOTED = [
    ("figure entry", "value"),
    ("rate entry", "numerator"),
    ("target", "value"),
    ("target", "period"),
    ("target change", "value"),
    ("indicator", "tolerance_amount"),
    ("indicator", "rate_scale"),
    ("indicator", "decimal_places"),
    ("indicator", "polarity"),
    ("indicator", "theme"),
    ("committee", "indicators"),
    ("theme", "position"),
    ("report editor", "part"),
]


def test_error_pages_quote_at_most_40_characters_of_what_was_typed(client, council):
    for name, field in QUOTED:
        url, base, roles, _ = FORMS[name](council)
        sign_in(client, council["people"], roles[-1])
        for typed in (HUGE, "x" + HUGE):
            response = answer(client, url, {**base, field: typed})
            page = response.content.decode()
            assert response.status_code == 400, (name, field)
            # The form keeps what was typed in its box; messages quote 40 characters and "…".
            assert page.count(typed) <= 1, f"{name} {field}: a message quotes all that was typed"
            assert typed[:41] not in page.replace(typed, ""), f"{name} {field}: a message quotes more than 40"
    url, base, _, _ = FORMS["figure entry"](council)
    sign_in(client, council["people"], "owner")
    page = answer(client, url, {**base, "value": HUGE}).content.decode()
    assert f"value {'9' * 40}… is too large" in page


VERSIONED = [
    "figure entry",
    "review comment",
    "achievement",
    "indicator",
    "target change",
    "theme",
    "priority",
    "committee",
    "report editor",
]


def test_a_form_posted_without_its_version_says_the_page_did_not_say_which_version(client, council):
    Value.objects.create(indicator=Indicator.objects.get(code="CSU10"), period=council["period"], value=80)
    for name in VERSIONED:
        url, base, roles, _ = FORMS[name](council)
        sign_in(client, council["people"], roles[-1])
        for data in ({k: v for k, v in base.items() if k != "version"}, {**base, "version": "three"}):
            page = answer(client, url, data).content.decode()
            assert "did not say which version" in page, name
            assert "Someone else saved" not in page, name
    page = answer(
        client,
        "/manage/indicators/CSU10/targets/2030-31/",
        {"action": "remove", "remove-reason": "Withdrawn"},
    ).content.decode()
    assert "did not say which version" in page and "Someone else saved" not in page
    assert Target.objects.filter(indicator__code="CSU10", period=Period.parse("2030-31")).exists()


NUL_REFUSED = [
    ("figure entry", "note", "control character (U+0000)"),
    ("figure entry", "no_data_reason", "control character (U+0000)"),
    ("figure entry", "value", "is not a number"),
    ("review comment", "comment", "control character (U+0000)"),
    ("achievement", "body", "control character (U+0000)"),
    ("new achievement", "body", "control character (U+0000)"),
    ("indicator", "name", "Null characters are not allowed"),
    ("indicator", "reason", "Null characters are not allowed"),
    ("target", "note", "Null characters are not allowed"),
    ("committee", "purpose", "Null characters are not allowed"),
    ("report editor", "introduction", "Null characters are not allowed"),
]


def test_a_nul_byte_in_text_is_refused_with_a_message_not_a_500(client, council):
    for name, field, words in NUL_REFUSED:
        url, base, roles, pages = FORMS[name](council)
        if name == "new achievement":
            base = {**base, "action": "save"}
        sign_in(client, council["people"], roles[-1])
        response = answer(client, url, {**base, field: "Closed\x00 for repairs"})
        assert response.status_code == 400, (name, field)
        assert words in response.content.decode(), (name, field)
        pages_open(client, council["people"], pages)


def test_a_version_in_digits_python_cannot_read_is_refused_not_a_500(client, council):
    for name, token in (("approve many", "value"), ("approve achievements", "draft")):
        url, base, roles, _ = FORMS[name](council)
        sign_in(client, council["people"], roles[-1])
        pk = base[token].split(":")[0]
        for posted_token in (f"{pk}:²", f"²:{pk}", f"{pk}:٣", f"{'9' * 30}:1", "0"):
            response = client.post(url, {**base, token: posted_token, "next": posted_token}, follow=True)
            assert response.status_code == 200, (name, posted_token)
    assert Value.objects.get(pk=council["submitted"].pk).state == ValueState.SUBMITTED
    assert (
        Achievement.objects.get(service__slug="customer-services", period=council["period"]).state == "draft"
    )
