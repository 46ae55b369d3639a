"""Performance officers manage indicators, tolerances, targets, themes and committees in the
browser: reasons asked and kept, stale edits refused, bad input refused with what was typed kept."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.catalogue import actions
from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import Committee, Indicator, Person, Priority, Target, Theme
from scrutineer.changes import Rejected, StaleEdit
from scrutineer.collection.audit import audit_csv, audit_trail
from scrutineer.demo.generate import generate_council
from scrutineer.engine import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(seed_council):
    user = User.objects.create_user(
        "officer", password="x-long-password", first_name="Pat", last_name="Officer"
    )
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def indicator_post(indicator, **changes):
    """What the indicator form posts for `indicator` as stored, with `changes`."""
    data = {
        "name": indicator.name,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "measure_kind": indicator.measure_kind,
        "polarity": indicator.polarity,
        "frequency": indicator.frequency,
        "aggregation": indicator.aggregation,
        "decimal_places": indicator.decimal_places,
        "rate_scale": indicator.rate_scale,
        "duration_style": indicator.duration_style,
        "tolerance_kind": indicator.tolerance_kind,
        "tolerance_amount": indicator.tolerance_amount or "",
        "service": indicator.service_id,
        "theme": indicator.theme_id,
        "owner": indicator.owner_id or "",
        "approver": indicator.approver_id or "",
        "active": "on" if indicator.active else "",
        "retired_on": indicator.retired_on or "",
        "version": indicator.version,
        "reason": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# Indicators and tolerances


def test_changing_a_definition_asks_for_a_reason_and_keeps_it_in_the_change_history(signed_in):
    csu10 = Indicator.objects.get(code="CSU10")
    url = "/manage/indicators/CSU10/"
    assert "Reason for the change" in signed_in.get(url).content.decode()

    refused = signed_in.post(url, indicator_post(csu10, definition="Mean wait, in seconds, all lines."))
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Say why you are changing CSU10&#x27;s definition" in page
    assert "Mean wait, in seconds, all lines." in page  # what was typed is still there
    assert Indicator.objects.get(code="CSU10").definition == csu10.definition

    saved = signed_in.post(
        url,
        indicator_post(
            csu10,
            definition="Mean wait, in seconds, all lines.",
            tolerance_kind="absolute",
            tolerance_amount="15",
            reason="Agreed at the July performance board",
        ),
    )
    assert saved.status_code == 302
    stored = Indicator.objects.get(code="CSU10")
    assert stored.definition == "Mean wait, in seconds, all lines."
    assert stored.tolerance_amount == Decimal(15) and stored.version == csu10.version + 1

    entries = [e for e in audit_trail(stored) if e.what == "Indicator definition" and e.field]
    changed = {e.field: e for e in entries[:3]}
    assert changed["Definition"].after == "Mean wait, in seconds, all lines."
    assert changed["Tolerance amount"].after == "15"
    assert {e.reason for e in changed.values()} == {"Agreed at the July performance board"}
    assert {e.who for e in changed.values()} == {"Pat Officer"}
    assert "Agreed at the July performance board" in audit_csv(entries)
    history = signed_in.get("/indicators/CSU10/").content.decode()
    assert "Agreed at the July performance board" in history


def test_a_stale_definition_edit_is_refused_and_loses_nothing(signed_in, officer):
    csu10 = Indicator.objects.get(code="CSU10")
    actions.save_indicator(
        csu10,
        {"name": "Call handling: mean wait"},
        user=officer,
        reason="Plain English",
        expected_version=csu10.version,
    )
    response = signed_in.post(
        "/manage/indicators/CSU10/",
        indicator_post(csu10, unit="Seconds", reason="Unit spelled out"),  # from the version shown before
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else saved this CSU10&#x27;s definition since you opened it" in page
    assert 'value="Seconds"' in page and "Unit spelled out" in page
    stored = Indicator.objects.get(code="CSU10")
    assert stored.unit == csu10.unit and stored.name == "Call handling: mean wait"


def test_a_save_without_a_change_writes_no_history(signed_in):
    csu10 = Indicator.objects.get(code="CSU10")
    before = csu10.history.count()
    response = signed_in.post("/manage/indicators/CSU10/", indicator_post(csu10, reason="Nothing really"))
    assert response.status_code == 302
    assert csu10.history.count() == before
    assert "Nothing was changed" in signed_in.get(response["Location"]).content.decode()
    assert Indicator.objects.get(code="CSU10").version == csu10.version


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"tolerance_kind": "percentage", "tolerance_amount": ""}, "tolerance_amount", "amber band"),
        (
            {"tolerance_amount": "-5", "tolerance_kind": "absolute"},
            "tolerance_amount",
            "greater than or equal",
        ),
        ({"active": "", "retired_on": ""}, None, "needs the date it was retired"),
        ({"decimal_places": "9"}, "decimal_places", "less than or equal to 6"),
        ({"aggregation": "ratio"}, None, "Only a rate can be aggregated"),
        ({"polarity": "sideways"}, "polarity", "Select a valid choice"),
        ({"theme": "99999"}, "theme", "Select a valid choice"),
    ],
)
def test_bad_definitions_are_refused_with_a_specific_message(signed_in, changes, field, message):
    csu10 = Indicator.objects.get(code="CSU10")
    response = signed_in.post("/manage/indicators/CSU10/", indicator_post(csu10, reason="Try", **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Indicator.objects.get(code="CSU10").version == csu10.version


def test_the_kind_of_measure_is_fixed_once_figures_are_entered(officer):
    csu11 = Indicator.objects.get(code="CSU11")
    with pytest.raises(Rejected) as refused:
        actions.save_indicator(
            csu11,
            {"measure_kind": "number", "aggregation": "mean"},
            user=officer,
            reason="Simpler",
            expected_version=csu11.version,
        )
    assert refused.value.field == "measure_kind"
    assert (
        "already has" in refused.value.message
        and "Retire it and create a new indicator" in refused.value.message
    )
    assert Indicator.objects.get(code="CSU11").measure_kind == "rate"


def test_adding_an_indicator(signed_in):
    csu10 = Indicator.objects.get(code="CSU10")
    data = indicator_post(csu10, code="CSU20", name="Complaints answered in 10 days", version="")
    data.update(measure_kind="rate", aggregation="ratio", polarity="higher-is-better", unit="%")
    response = signed_in.post("/manage/indicators/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Indicator.objects.get(code="CSU20")
    assert created.measure_kind == "rate" and created.history.get().history_change_reason == "Created"

    again = signed_in.post("/manage/indicators/new/", data)
    assert again.status_code == 400
    assert "Indicator with this Code already exists" in again.content.decode()

    reserved = signed_in.post("/manage/indicators/new/", {**data, "code": "new"})
    assert reserved.status_code == 400 and "choose another code" in reserved.content.decode()


def test_the_list_finds_and_pages_indicators(signed_in):
    page = signed_in.get("/manage/indicators/?q=csu1").content.decode()
    assert "CSU10" in page and "CSU11" in page and "YP01a" not in page
    assert "Site default (10% of target)" in page
    by_service = signed_in.get("/manage/indicators/?service=customer-services&state=all").content.decode()
    assert "CSU06" in by_service and "YP01a" not in by_service


# Targets


def test_setting_changing_and_removing_a_target(signed_in, officer):
    add = signed_in.post(
        "/manage/indicators/CSU10/targets/", {"period": "2021-22", "value": "280", "note": "", "reason": ""}
    )
    assert add.status_code == 302
    target = Target.objects.get(indicator__code="CSU10", period=Period.parse("2021-22"))
    assert target.value == Decimal(280)

    url = "/manage/indicators/CSU10/targets/2021-22/"
    no_reason = signed_in.post(
        url, {"action": "change", "value": "260", "version": target.version, "reason": ""}
    )
    assert no_reason.status_code == 400
    assert "Say why you are changing the target for CSU10 2021/22" in no_reason.content.decode()
    assert 'value="260"' in no_reason.content.decode()

    changed = signed_in.post(
        url, {"action": "change", "value": "260", "version": target.version, "reason": "Budget agreed"}
    )
    assert changed.status_code == 302
    target.refresh_from_db()
    assert target.value == Decimal(260)

    stale = signed_in.post(url, {"action": "change", "value": "250", "version": 1, "reason": "Older tab"})
    assert stale.status_code == 400 and "Someone else saved" in stale.content.decode()

    removed = signed_in.post(
        url, {"action": "remove", "remove-version": target.version, "remove-reason": "Target withdrawn"}
    )
    assert removed.status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()

    trail = [e for e in audit_trail(Indicator.objects.get(code="CSU10")) if e.what == "Target 2021/22"]
    assert [(e.field, e.after, e.reason) for e in trail if e.field in ("", "Value")][:3] == [
        ("", "Deleted", "Target withdrawn"),
        ("Value", "260", "Budget agreed"),
        ("Value", "280", "Created"),
    ]


@pytest.mark.parametrize(
    ("code", "post", "message"),
    [
        ("CSU10", {"period": "2021-13", "value": "5"}, "is not a period key"),
        ("CSU10", {"period": "2021-22", "value": "lots"}, "Enter a number"),
        ("CSU10", {"period": "2021-22", "value": "-5"}, "cannot be below 0"),
        ("CSU10", {"period": "2021-06", "value": "5"}, "not for Jun-2021"),
        ("YP01a", {"period": "2021-22", "value": "5"}, "for information only"),
        ("CSU10", {"period": "2020-21-Q1", "value": "5"}, "is already set (300)"),
    ],
)
def test_bad_targets_are_refused_and_change_nothing(signed_in, code, post, message):
    before = list(Target.objects.values_list("pk", "value", "version"))
    response = signed_in.post(f"/manage/indicators/{code}/targets/", {"note": "", "reason": "", **post})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page or message in page.replace("&#x27;", "'"), page[:3000]
    assert list(Target.objects.values_list("pk", "value", "version")) == before


# Priorities, themes and committees


def test_themes_and_priorities(signed_in):
    assert (
        signed_in.post(
            "/manage/priorities/new/", {"name": "Clean, safe and green", "position": "4"}
        ).status_code
        == 302
    )
    priority = Priority.objects.get(name="Clean, safe and green")
    response = signed_in.post(
        "/manage/themes/new/", {"priority": priority.pk, "name": "Waste and recycling", "position": "1"}
    )
    assert response.status_code == 302
    theme = Theme.objects.get(name="Waste and recycling")
    duplicate = signed_in.post(
        "/manage/themes/new/", {"priority": priority.pk, "name": "Waste and recycling"}
    )
    assert duplicate.status_code == 400
    renamed = signed_in.post(
        f"/manage/themes/{theme.pk}/",
        {"priority": priority.pk, "name": "Waste", "position": "1", "version": theme.version},
    )
    assert renamed.status_code == 302
    page = signed_in.get("/manage/themes/").content.decode()
    assert "Waste" in page and "Clean, safe and green" in page


def test_committee_members_must_be_councillors_and_indicators_are_kept(signed_in):
    committee = Committee.objects.get(slug="housing-community")
    indicators = list(committee.indicators.values_list("pk", flat=True))
    councillor = Person.objects.create(name="Cllr Example", is_councillor=True)
    officer_person = Person.objects.filter(is_councillor=False).first()
    form = signed_in.get("/manage/committees/housing-community/").content.decode()
    assert "Members (councillors)" in form
    data = {
        "name": committee.name,
        "slug": committee.slug,
        "portfolio": committee.portfolio_id or "",
        "services": list(committee.services.values_list("pk", flat=True)),
        "indicators": indicators,
        "members": [councillor.pk],
        "purpose": committee.purpose,
        "version": committee.version,
    }
    saved = signed_in.post("/manage/committees/housing-community/", data)
    assert saved.status_code == 302
    assert list(committee.members.all()) == [councillor]
    assert sorted(committee.indicators.values_list("pk", flat=True)) == sorted(indicators)
    committee.refresh_from_db()
    wrong = signed_in.post(
        "/manage/committees/housing-community/",
        {**data, "members": [officer_person.pk], "version": committee.version},
    )
    assert wrong.status_code == 400  # not offered: a councillor is chosen from councillors
    assert list(committee.members.all()) == [councillor]


# Roles


def test_only_performance_officers_change_the_catalogue(seed_council):
    owner = User.objects.create_user("owner", password="x-long-password")
    csu10 = Indicator.objects.get(code="CSU10")
    with pytest.raises(PermissionDenied):
        actions.save_indicator(csu10, {"name": "x"}, user=owner, reason="x", expected_version=csu10.version)
    with pytest.raises(PermissionDenied):
        actions.save_target(csu10, Period.parse("2021-22"), Decimal(1), user=owner)
    with pytest.raises(PermissionDenied):
        actions.save_committee(None, {"name": "x", "slug": "x"}, {}, user=owner)


def test_a_target_added_meanwhile_is_not_overwritten(officer):
    csu10 = Indicator.objects.get(code="CSU10")
    actions.save_target(csu10, Period.parse("2022-23"), Decimal(250), user=officer)
    with pytest.raises(StaleEdit):
        actions.save_target(csu10, Period.parse("2022-23"), Decimal(240), user=officer)
    assert Target.objects.get(indicator=csu10, period=Period.parse("2022-23")).value == Decimal(250)


# Query counts


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_catalogue_pages_cost_the_same_queries_at_any_size(client, db):
    user = User.objects.create_user("counting", password="x-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    client.force_login(user)
    counts = []
    for seed, size in ((31, 10), (32, 80)):
        generate_council(size, 1, Period.parse("2025-26"), seed)
        slug = Committee.objects.get(slug__startswith=f"syn{seed}-").slug
        code = Indicator.objects.filter(code__startswith=f"S{seed}-").order_by("code").first().code
        counts.append(
            [
                queries(client, url)
                for url in (
                    f"/manage/indicators/?q=S{seed}-",
                    f"/manage/indicators/{code}/",
                    f"/manage/indicators/{code}/targets/",
                    "/manage/themes/",
                    "/manage/committees/",
                    f"/manage/committees/{slug}/",
                )
            ]
        )
    assert counts[0] == counts[1], counts


def test_the_indicator_page_links_officers_and_only_officers_to_its_definition_and_targets(client, officer):
    client.force_login(officer)
    assert 'href="/manage/indicators/CSU10/targets/"' in client.get("/indicators/CSU10/").content.decode()
    owner = User.objects.create_user("tracy", password="x-long-password")
    Person.objects.filter(name="Tracy Lancashire").update(user=owner)
    client.force_login(owner)
    page = client.get("/indicators/CSU10/").content.decode()
    assert "CSU10" in page and "/manage/" not in page


def test_every_described_by_points_at_a_hint_or_error_on_the_page(signed_in):
    import re

    csu10 = Indicator.objects.get(code="CSU10")
    pages = [
        signed_in.get("/manage/indicators/CSU10/").content.decode(),
        signed_in.post(
            "/manage/indicators/CSU10/", indicator_post(csu10, decimal_places="9")
        ).content.decode(),
        signed_in.get("/manage/committees/housing-community/").content.decode(),
        signed_in.get("/reports/housing-community/2020-21-Q1/edit/").content.decode(),
    ]
    for page in pages:
        ids = set(re.findall(r'\bid="([^"]+)"', page))
        described = [i for attr in re.findall(r'aria-describedby="([^"]+)"', page) for i in attr.split()]
        assert described, "no field is described"
        assert set(described) <= ids, set(described) - ids
    assert 'aria-describedby="id_decimal_places_helptext id_decimal_places_error"' in pages[1]


def test_only_an_unused_theme_or_an_empty_priority_can_be_removed(signed_in):
    used = Indicator.objects.get(code="CSU10").theme
    refused = signed_in.post(
        f"/manage/themes/{used.pk}/", {"action": "remove", "version": used.version}, follow=True
    )
    assert "is used by CSU" in refused.content.decode()
    assert Theme.objects.filter(pk=used.pk).exists()
    priority = used.priority
    refused = signed_in.post(
        f"/manage/priorities/{priority.pk}/", {"action": "remove", "version": priority.version}, follow=True
    )
    assert "still has themes" in refused.content.decode()

    spare = Theme.objects.create(priority=priority, name="Typo theme")
    stale = signed_in.post(f"/manage/themes/{spare.pk}/", {"action": "remove", "version": 99}, follow=True)
    assert "Someone else saved" in stale.content.decode() and Theme.objects.filter(pk=spare.pk).exists()
    removed = signed_in.post(f"/manage/themes/{spare.pk}/", {"action": "remove", "version": spare.version})
    assert removed.status_code == 302 and not Theme.objects.filter(pk=spare.pk).exists()
