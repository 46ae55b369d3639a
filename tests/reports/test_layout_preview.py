"""The committee's page: its "Report layout" section, and the preview of the report as
the choices on the page would print it, before they are saved (nothing is written)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.forms import CommitteeForm
from scrutineer.catalogue.models import Committee, Indicator, ServiceTeam
from scrutineer.engine import Period
from scrutineer.reports.models import Report
from scrutineer.reports.preview import preview_period
from tests.browser import browser_page  # noqa: F401
from tests.people import login_as
from tests.reports.test_accessibility import WCAG_TAGS, readable

pytestmark = pytest.mark.django_db

PREVIEW = "/reports/preview/layout/"
SEED_WORDING = ("Within existing budgets", "None at this stage.", "Monitoring and information", ">Nil<")


def form_data(committee: Committee | None = None, **changes) -> dict[str, object]:
    """What the committee's page posts as shown, with `changes` typed over it."""
    form = CommitteeForm(instance=committee, initial={"version": committee.version} if committee else {})
    data: dict[str, object] = {}
    for field in form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.name] = "on"
        elif isinstance(value, list | tuple):
            data[field.name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        elif value is not None:
            data[field.name] = str(value)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def seed():
    return Committee.objects.get(slug="housing-community")


def stored(committee: Committee) -> dict[str, object]:
    row = Committee.objects.filter(pk=committee.pk).values().get()
    return {**row, "history": committee.history.count(), "reports": Report.objects.count()}


def test_the_committees_page_has_its_report_layout_and_a_preview_button(seed_council, client):
    login_as(client, officer=True)
    page = client.get("/manage/committees/housing-community/").content.decode()
    assert '<h2 class="govuk-heading-l" id="report-layout">Report layout</h2>' in page
    for name in ("period_labels", "grouping", "show_previous", "comment_label", "summary_style", "licence"):
        assert f'name="{name}"' in page
    assert 'value="Approver Comments:"' in page
    assert f'formaction="{PREVIEW}?committee=housing-community"' in page
    assert "Preview the report (opens in a new tab)" in page


def test_a_new_committee_starts_blank_not_with_the_seed_councils_words(seed_council, client):
    login_as(client, officer=True)
    page = client.get("/manage/committees/new/").content.decode()
    for text in SEED_WORDING:
        assert text not in page, text
    assert f'formaction="{PREVIEW}"' in page


def test_the_preview_prints_the_unsaved_choices_and_writes_nothing(seed_council, client):
    login_as(client, officer=True)
    committee = seed()
    before = stored(committee)
    data = form_data(
        committee,
        period_labels="quarter",
        grouping="theme",
        summary_style="percentage",
        show_last_year=False,
        comment_label="Officer's note:",
        footer_text="Housing and Community, September 2020",
    )
    response = client.post(f"{PREVIEW}?committee=housing-community", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert "Preview, not saved" in html
    assert "Preview of the report layout for Quarter 1 2020/21" in html
    assert "Results Q1 2020/21" in html and "Previous Q4 2019/20" in html
    assert "Last year" not in html
    assert ">Performance excellence<" in html
    assert "Officer&#x27;s note:" in html
    assert "100% of measurable targets achieved." in html
    assert "Housing and Community, September 2020" in html
    # The report's own stylesheet is allowed by its hash, as for every report page.
    assert "'sha256-" in response["Content-Security-Policy"]
    assert stored(committee) == before


def test_the_preview_of_a_committee_being_added(seed_council, client):
    login_as(client, officer=True)
    before = (Committee.objects.count(), Report.objects.count())
    data = form_data(
        None,
        name="Planning Committee",
        slug="planning",
        indicators=[
            str(pk)
            for pk in Indicator.objects.filter(code__in=["CSU10", "CSU11"]).values_list("pk", flat=True)
        ],
        services=[str(ServiceTeam.objects.get(slug="customer-services").pk)],
        period_labels="quarter",
        summary_style="status-counts",
    )
    response = client.post(PREVIEW, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert "CSU10 - Call Handling" in html and "CSU11 - " in html and "CSU12 - " not in html
    assert "Green 2." in html
    assert (Committee.objects.count(), Report.objects.count()) == before


def test_a_form_with_errors_comes_back_with_them_and_previews_nothing(seed_council, client):
    login_as(client, officer=True)
    data = form_data(seed(), name="", period_labels="fortnightly")
    response = client.post(f"{PREVIEW}?committee=housing-community", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Preview, not saved" not in page


def test_only_performance_officers_preview(seed_council, client):
    data = form_data(seed())
    response = client.post(f"{PREVIEW}?committee=housing-community", data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    login_as(client, councillor_of=seed())
    assert client.post(f"{PREVIEW}?committee=housing-community", data).status_code == 403
    assert client.get(f"{PREVIEW}?committee=housing-community").status_code in (403, 405)


def test_the_preview_period_is_the_latest_quarter_with_approved_figures(seed_council):
    assert preview_period(seed().indicators.all()) == Period.parse("2020-21-Q1")
    latest_ended = preview_period([])
    assert latest_ended.frequency.value == "quarterly"


@pytest.fixture
def officer_account(seed_council):
    """Made before the browser starts: the database is not to be used from its event loop."""
    user = User.objects.create_user("officer", password="a-long-officer-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


@pytest.mark.django_db(transaction=True)
def test_axe_finds_nothing_on_the_layout_section_nor_the_preview(officer_account, live_server, browser_page):  # noqa: F811
    page = browser_page
    page.goto(live_server.url + "/accounts/login/?next=/manage/committees/housing-community/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "a-long-officer-password")
    page.click("button[type=submit]")
    page.wait_for_url("**/manage/committees/housing-community/")
    check(page)
    page.check("input[name=period_labels][value=quarter]")
    page.check("input[name=summary_style][value=percentage]")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview the report (opens in a new tab)").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert "Results Q1 2020/21" in preview.content()
    check(preview)
    # The committee's page is as it was: still month labels, the preview saved nothing.
    page.goto(live_server.url + "/manage/committees/housing-community/")
    assert page.locator("input[name=period_labels][value=month]").is_checked()


def check(page):
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    assert violations == [], f"{page.url}: {len(violations)} axe violations:\n{readable(violations)}"


def test_saving_the_page_keeps_the_layout_in_the_committees_history(seed_council, client):
    login_as(client, officer=True)
    committee = seed()
    data = form_data(committee, period_labels="quarter", summary_style="directions", show_trend=False)
    response = client.post("/manage/committees/housing-community/", data)
    assert response.status_code == 302
    committee.refresh_from_db()
    assert (committee.period_labels, committee.summary_style, committee.show_trend) == (
        "quarter",
        "directions",
        False,
    )
    assert committee.history.latest().period_labels == "quarter"
    html = client.get("/reports/housing-community/2020-21-Q1/draft/").content.decode()
    assert "Results Q1 2020/21" in html
    assert '<th scope="col" class="govuk-table__header">Trend</th>' not in html
    assert "Against the previous period:" in html  # the key still explains the trends it counts
