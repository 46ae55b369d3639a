"""Entering and approving figures through the pages, with every role and every error path."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from scrutineer.catalogue.models import Committee, Indicator, Person, Target
from scrutineer.collection.models import Value, ValueState
from scrutineer.engine import Frequency
from scrutineer.web.permissions import PERFORMANCE_OFFICERS
from scrutineer.web.work import open_periods

pytestmark = pytest.mark.django_db


def user_for(name, **person):
    user = User.objects.create_user(name.split()[0].lower(), password="x-long-password")
    found = Person.objects.filter(name=name).first()
    if found:
        Person.objects.filter(pk=found.pk).update(user=user)
    else:
        Person.objects.create(name=name, user=user, **person)
    return user


@pytest.fixture
def people(seed_council):
    # The performance officer has set this year's targets (the seed gives 2019/20 and 2020/21).
    for code, target in (("CSU10", 300), ("CSU11", 20), ("CSU12", 450)):
        Target.objects.create(
            indicator=Indicator.objects.get(code=code), period=period().within(Frequency.ANNUAL), value=target
        )
    councillor = user_for("Casey Councillor", is_councillor=True)
    Committee.objects.get(slug="housing-community").members.add(councillor.person)
    return {
        "owner": user_for("Tracy Lancashire"),
        "approver": user_for("Matt Rawdon"),
        "councillor": councillor,
        "other owner": user_for("Joe Guiton"),
    }


def period():
    return open_periods(Frequency.QUARTERLY, timezone.localdate())[0]


def url(code="CSU11"):
    return f"/indicators/{code}/{period().key}/"


def test_the_main_journey(client, people):
    client.force_login(people["owner"])
    my_work = client.get("/my-work/").content.decode()
    assert "CSU11" in my_work
    assert f"/services/customer-services/achievements/{period().key}/" in my_work  # she leads it
    response = client.post(
        url(), {"numerator": "700", "denominator": "20000", "action": "submit", "version": ""}
    )
    assert response.status_code == 302
    value = Value.objects.get(indicator__code="CSU11", period=period())
    assert value.state == ValueState.SUBMITTED

    client.force_login(people["approver"])
    assert f"/approvals/{value.pk}/" in client.get("/my-work/").content.decode()
    response = client.post(
        f"/approvals/{value.pk}/",
        {"action": "return", "comment": "Check the denominator.", "version": value.version},
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.state == ValueState.RETURNED

    client.force_login(people["owner"])
    page = client.get("/my-work/").content.decode()
    assert "Check the denominator." in page
    response = client.post(
        url(), {"numerator": "700", "denominator": "21000", "action": "submit", "version": value.version}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED

    client.force_login(people["approver"])
    response = client.post(
        f"/approvals/{value.pk}/", {"action": "approve", "comment": "KPI Achieved.", "version": value.version}
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.state == ValueState.APPROVED

    client.force_login(people["councillor"])
    page = client.get(f"/committees/housing-community/?period={period().key}").content.decode()
    row = row_of(page, "CSU11")
    assert "3.33%" in row and "700 / 21000" in row and "Target: 20%" in row
    assert re.search(r"govuk-tag--green.*Green", row)


def row_of(page: str, code: str) -> str:
    start = page.index(f'href="/indicators/{code}/"')
    return page[start : page.index("</tr>", start)]


def test_errors_are_shown_beside_the_fields_and_nothing_is_stored(client, people):
    client.force_login(people["owner"])
    response = client.post(url(), {"numerator": "640", "denominator": "600", "action": "save", "version": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "exceeds denominator 600" in page
    assert 'value="640"' in page  # what was typed is kept
    assert not Value.objects.filter(indicator__code="CSU11", period=period()).exists()


def test_a_second_save_on_a_stale_form_is_refused_and_loses_nothing(client, people):
    client.force_login(people["owner"])
    client.post(url("CSU10"), {"value": "80", "action": "save", "version": ""})
    stored = Value.objects.get(indicator__code="CSU10", period=period())
    client.post(url("CSU10"), {"value": "81", "action": "save", "version": stored.version})
    response = client.post(url("CSU10"), {"value": "99", "action": "save", "version": stored.version})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved this figure" in page
    assert 'value="99"' in page
    assert Value.objects.get(pk=stored.pk).value == 81


def test_an_owner_cannot_reach_another_owners_indicator_by_changing_the_address(client, people):
    client.force_login(people["other owner"])
    assert client.get(url("CSU10")).status_code == 403
    assert client.post(url("CSU10"), {"value": "1", "action": "save"}).status_code == 403
    assert not Value.objects.filter(indicator__code="CSU10", period=period()).exists()


def test_nobody_approves_their_own_entry(client, people):
    officer = User.objects.create_user("po", password="x-long-password")
    officer.groups.add(Group.objects.create(name=PERFORMANCE_OFFICERS))
    client.force_login(officer)
    client.post(url("CSU10"), {"value": "80", "action": "submit", "version": ""})
    value = Value.objects.get(indicator__code="CSU10", period=period())
    response = client.post(f"/approvals/{value.pk}/", {"action": "approve", "version": value.version})
    assert response.status_code == 400
    assert "someone else must approve" in response.content.decode()
    value.refresh_from_db()
    assert value.state == ValueState.SUBMITTED


def test_bulk_approve_from_the_queue(client, people):
    client.force_login(people["owner"])
    for code in ("CSU10", "CSU12"):
        client.post(url(code), {"value": "80", "action": "submit", "version": ""})
    client.force_login(people["approver"])
    ids = list(Value.objects.filter(state=ValueState.SUBMITTED).values_list("pk", flat=True))
    assert client.post("/approvals/approve/", {"value": ids}).status_code == 302
    assert Value.objects.filter(pk__in=ids, state=ValueState.APPROVED).count() == 2


@pytest.mark.parametrize(
    "role, expected",
    [("anonymous", "login"), ("councillor", 403), ("other owner", 403), ("owner", 200), ("approver", 403)],
)
def test_entry_page_for_every_role(client, people, role, expected):
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get(url("CSU10"))
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    "role, expected", [("anonymous", "login"), ("councillor", 403), ("owner", 403), ("approver", 200)]
)
def test_approval_queue_for_every_role(client, people, role, expected):
    if role != "anonymous":
        client.force_login(people[role])
    response = client.get("/approvals/")
    if expected == "login":
        assert response.status_code == 302
    else:
        assert response.status_code == expected


def test_the_review_page_shows_the_submitted_figure_as_the_engine_judges_it(client, people):
    client.force_login(people["owner"])
    client.post(url(), {"numerator": "700", "denominator": "20000", "action": "submit", "version": ""})
    value = Value.objects.get(indicator__code="CSU11", period=period())
    client.force_login(people["approver"])
    page = client.get(f"/approvals/{value.pk}/").content.decode()
    assert "3.5%" in page and "700 / 20000" in page and "Green" in page and "Target: 20%" in page


def test_the_change_history_is_on_the_indicator_page_and_downloads_as_csv(client, people):
    client.force_login(people["owner"])
    client.post(url("CSU10"), {"value": "80", "action": "save", "version": ""})
    stored = Value.objects.get(indicator__code="CSU10", period=period())
    client.post(url("CSU10"), {"value": "81", "action": "save", "version": stored.version})
    page = client.get("/indicators/CSU10/").content.decode()
    assert "Change history" in page and "tracy" in page
    response = client.get("/indicators/CSU10/history.csv")
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode("utf-8-sig")
    assert "80" in text and "81" in text
    client.force_login(people["other owner"])
    assert client.get("/indicators/CSU10/history.csv").status_code == 403
    client.logout()
    assert client.get("/indicators/CSU10/history.csv").status_code == 302
