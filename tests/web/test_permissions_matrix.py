"""Every URL of the app × every role: allowed, sent to sign in, or refused (403).

The first test fails when a URL is added without a row here, so nobody forgets to
decide who may use it. Object-level rules (another owner's indicator) are in the rows.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.catalogue.models import (
    SITE_DEFAULTS_PK,
    Committee,
    CorporateObjective,
    Person,
    SiteDefaults,
    StatusRuleDefinition,
)
from scrutineer.collection.actions import open_round, set_corrective_action
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency, Period
from scrutineer.exchange.models import ImportRun
from scrutineer.reports.models import Report, ReportBuild
from tests.publishing import publish

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "no role", "owner", "approver", "councillor", "officer")
L = "login"
OFFICERS_ONLY = (L, 403, 403, 403, 403, 200)

# name: (method, path template, expected per role in ROLES order)
MATRIX = {
    "web:home": ("get", "/", (200, 200, 200, 200, 200, 200)),
    "collection:my-work": ("get", "/my-work/", (L, 200, 200, 200, 200, 200)),
    "collection:approvals": ("get", "/approvals/", (L, 403, 403, 200, 403, 200)),
    "collection:approve-many": ("post", "/approvals/approve/", (L, 403, 403, 302, 403, 302)),
    "collection:review": ("get", "/approvals/{value}/", (L, 403, 403, 200, 403, 200)),
    # The collection cycle: officers run rounds; approvers follow them and the late returns.
    "collection:rounds": ("get", "/rounds/", (L, 403, 403, 200, 403, 200)),
    "collection:round": ("get", "/rounds/{open}/", (L, 403, 403, 200, 403, 200)),
    "collection:round-close": ("post", "/rounds/{open}/close/", (L, 403, 403, 403, 403, 302)),
    "collection:schedule": ("get", "/rounds/schedule/", OFFICERS_ONLY),
    "collection:overdue": ("get", "/overdue/", (L, 403, 403, 200, 403, 200)),
    "collection:overdue-csv": ("get", "/overdue.csv", (L, 403, 403, 200, 403, 200)),
    # Q1 2020/21 is locked by the published report: its data owner or an officer corrects it.
    "collection:correct": ("get", "/indicators/CSU10/2020-21-Q1/correct/", (L, 403, 200, 403, 403, 200)),
    "collection:corrective-action-add": (
        "get",
        "/indicators/CSU10/2020-21-Q1/corrective-actions/new/",
        (L, 403, 200, 200, 403, 200),
    ),
    "collection:corrective-action": ("get", "/corrective-actions/{action}/", (L, 403, 200, 200, 403, 200)),
    "collection:comment-rule": ("get", "/indicators/CSU10/comments-required/", OFFICERS_ONLY),
    "web:committee": ("get", "/committees/housing-community/", (L, 403, 200, 200, 200, 200)),
    "web:indicator": ("get", "/indicators/YP01a/", (L, 403, 403, 200, 200, 200)),
    "web:indicator-history": ("get", "/indicators/YP01a/history.csv", (L, 403, 403, 200, 200, 200)),
    "collection:enter": ("get", "/indicators/CSU10/{open}/", (L, 403, 200, 403, 403, 200)),
    # YP01a's service and theme: Tracy Lancashire owns none of their indicators.
    "web:service": ("get", "/services/children-community-safety/", (L, 403, 403, 200, 200, 200)),
    "web:theme": ("get", "/themes/{theme}/", (L, 403, 403, 200, 200, 200)),
    # Tracy Lancashire leads Customer Services: its achievements are hers, not Children Services'.
    "collection:achievements": (
        "get",
        "/services/customer-services/achievements/{open}/",
        (L, 403, 200, 200, 403, 200),
    ),
    "collection:achievement-add": (
        "get",
        "/services/children-community-safety/achievements/{open}/new/",
        (L, 403, 403, 403, 403, 200),
    ),
    # Matt Rawdon heads the group: he approves; Tracy Lancashire leads the service: she cannot.
    "collection:achievements-approve": (
        "post",
        "/services/customer-services/achievements/{open}/approve/",
        (L, 403, 403, 302, 403, 302),
    ),
    "collection:achievement-edit": (
        "post",
        "/services/customer-services/achievements/2020-21-Q1/1/",
        (L, 403, 400, 403, 403, 400),  # approved seed items cannot be edited: a clear error
    ),
    "reports:list": ("get", "/reports/", (200, 200, 200, 200, 200, 200)),
    # Only a redirect to the quarter's page, which decides who may read it.
    "reports:open": ("get", "/reports/housing-community/?period=2020-21-Q1", (302, 302, 302, 302, 302, 302)),
    "reports:detail": ("get", "/reports/housing-community/2020-21-Q1/", (200, 200, 200, 200, 200, 200)),
    "reports:version-file": (
        "get",
        "/reports/housing-community/2020-21-Q1/v1/html",
        (200, 200, 200, 200, 200, 200),
    ),
    "reports:draft": ("get", "/reports/housing-community/2020-21-Q1/draft/", (L, 403, 403, 403, 403, 200)),
    "reports:edit": ("get", "/reports/housing-community/2020-21-Q1/edit/", (L, 403, 403, 403, 403, 200)),
    "reports:publish": (
        "post",
        "/reports/housing-community/2020-21-Q1/publish/",
        (L, 403, 403, 403, 403, 302),
    ),
    "reports:build-create": (
        "post",
        "/reports/housing-community/2020-21-Q1/build/",
        (L, 403, 403, 403, 403, 302),
    ),
    "reports:build": ("get", "/reports/builds/{build}/", (L, 403, 403, 403, 403, 200)),
    "reports:build-file": ("get", "/reports/builds/{build}/csv", (L, 403, 403, 403, 403, 404)),
    # An empty form is refused with the committee's page and its errors: nothing is previewed.
    "reports:layout-preview": (
        "post",
        "/reports/preview/layout/?committee=housing-community",
        (L, 403, 403, 403, 403, 400),
    ),
    # The catalogue: performance officers only, whoever else owns, approves or reads it.
    "manage:index": ("get", "/manage/", OFFICERS_ONLY),
    "manage:indicators": ("get", "/manage/indicators/", OFFICERS_ONLY),
    "manage:indicator-add": ("post", "/manage/indicators/new/", (L, 403, 403, 403, 403, 400)),  # empty form
    "manage:indicator-edit": ("get", "/manage/indicators/CSU10/", OFFICERS_ONLY),
    "manage:targets": ("get", "/manage/indicators/CSU10/targets/", OFFICERS_ONLY),
    "manage:target-edit": ("get", "/manage/indicators/CSU10/targets/2020-21-Q1/", OFFICERS_ONLY),
    "manage:targets-roll-forward": (
        "get",
        "/manage/targets/roll-forward/?from=2020-21&to=2021-22",
        OFFICERS_ONLY,
    ),
    "manage:themes": ("get", "/manage/themes/", OFFICERS_ONLY),
    "manage:theme-add": ("get", "/manage/themes/new/", OFFICERS_ONLY),
    "manage:theme-edit": ("get", "/manage/themes/{theme}/", OFFICERS_ONLY),
    "manage:priority-add": ("get", "/manage/priorities/new/", OFFICERS_ONLY),
    "manage:priority-edit": ("get", "/manage/priorities/{priority}/", OFFICERS_ONLY),
    "manage:committees": ("get", "/manage/committees/", OFFICERS_ONLY),
    "manage:committee-add": ("get", "/manage/committees/new/", OFFICERS_ONLY),
    "manage:committee-edit": ("get", "/manage/committees/housing-community/", OFFICERS_ONLY),
    "manage:committee-history": ("get", "/manage/committees/housing-community/history.csv", OFFICERS_ONLY),
    "manage:committee-periods": ("get", "/manage/committees/housing-community/periods/", OFFICERS_ONLY),
    "manage:status-rules": ("get", "/manage/status-rules/", OFFICERS_ONLY),
    "manage:status-rule-add": ("get", "/manage/status-rules/new/", OFFICERS_ONLY),
    "manage:status-rule-edit": ("get", "/manage/status-rules/{rule}/", OFFICERS_ONLY),
    "manage:status-rule-apply": ("get", "/manage/status-rules/{rule}/apply/?to=site", OFFICERS_ONLY),
    "manage:status-rule-clear": ("get", "/manage/status-rules/clear/?to=theme-{theme}", OFFICERS_ONLY),
    "manage:identity": ("get", "/manage/identity/", OFFICERS_ONLY),
    "manage:history": ("get", "/manage/history/", OFFICERS_ONLY),
    "manage:history-csv": ("get", "/manage/history.csv", OFFICERS_ONLY),
    # The organisation and its people: performance officers only.
    "manage:organisation": ("get", "/manage/organisation/", OFFICERS_ONLY),
    "manage:directorate-add": ("get", "/manage/directorates/new/", OFFICERS_ONLY),
    "manage:directorate-edit": ("get", "/manage/directorates/people-performance-innovation/", OFFICERS_ONLY),
    "manage:group-add": ("get", "/manage/groups/new/", OFFICERS_ONLY),
    "manage:group-edit": ("get", "/manage/groups/people-communities/", OFFICERS_ONLY),
    "manage:service-add": ("get", "/manage/services/new/", OFFICERS_ONLY),
    "manage:service": ("get", "/manage/services/customer-services/", OFFICERS_ONLY),
    "manage:service-edit": ("get", "/manage/services/customer-services/change/", OFFICERS_ONLY),
    "manage:people": ("get", "/manage/people/", OFFICERS_ONLY),
    "manage:person-add": ("get", "/manage/people/new/", OFFICERS_ONLY),
    "manage:person-invite": ("post", "/manage/people/invite/", (L, 403, 403, 403, 403, 400)),  # empty form
    "manage:person-edit": ("get", "/manage/people/{person}/", OFFICERS_ONLY),
    # Tracy Lancashire has chosen a password: a new invitation is refused, with a message.
    "manage:person-resend": ("post", "/manage/people/{person}/resend/", (L, 403, 403, 403, 403, 302)),
    "manage:person-deactivate": ("get", "/manage/people/{person}/deactivate/", OFFICERS_ONLY),
    "manage:person-reactivate": ("get", "/manage/people/{person}/reactivate/", OFFICERS_ONLY),
    "manage:portfolios": ("get", "/manage/portfolios/", OFFICERS_ONLY),
    "manage:portfolio-add": ("get", "/manage/portfolios/new/", OFFICERS_ONLY),
    "manage:portfolio-edit": ("get", "/manage/portfolios/{portfolio}/", OFFICERS_ONLY),
    "manage:objective-add": ("get", "/manage/objectives/new/", OFFICERS_ONLY),
    "manage:objective-edit": ("get", "/manage/objectives/{objective}/", OFFICERS_ONLY),
    # Import and export: performance officers only.
    "exchange:index": ("get", "/data/", OFFICERS_ONLY),
    "exchange:upload": ("post", "/data/import/", (L, 403, 403, 403, 403, 400)),  # no file
    "exchange:run": ("get", "/data/imports/{import}/", OFFICERS_ONLY),
    "exchange:confirm": ("post", "/data/imports/{import}/confirm/", (L, 403, 403, 403, 403, 302)),
    "exchange:template": ("get", "/data/template.xlsx", OFFICERS_ONLY),
    "exchange:export": ("get", "/data/export/?committee=housing-community&format=csv", OFFICERS_ONLY),
    "exchange:benchmarks": ("get", "/data/benchmarks/", OFFICERS_ONLY),
    # First run: the seed council is set up, so its setup page is gone for everyone; its logo is public.
    "setup:first-run": ("get", "/setup/", (404, 404, 404, 404, 404, 404)),
    "setup:logo": ("get", "/site/logo/{logo}/", (200, 200, 200, 200, 200, 200)),
    # Open data: published figures, for anyone without signing in.
    "exchange:open-data": ("get", "/open-data/", (200, 200, 200, 200, 200, 200)),
    "exchange:open-data-file": (
        "get",
        "/open-data/housing-community/2020-21-Q1.csv",
        (200, 200, 200, 200, 200, 200),
    ),
    "exchange:open-data-metadata": (
        "get",
        "/open-data/housing-community/2020-21-Q1/metadata.json",
        (200, 200, 200, 200, 200, 200),
    ),
}
# Django's own: the admin (staff only, its own sign-in) and the sign-in pages.
NOT_OURS = ("admin", "login", "logout", "password_")


def named_routes(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            namespace = f"{p.namespace}:" if p.namespace else prefix
            yield from named_routes(p.url_patterns, namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def test_every_url_has_a_row():
    ours = {name for name in named_routes() if not name.startswith(NOT_OURS) and ":" in name}
    assert ours == set(MATRIX), f"URLs without a permission row: {ours - set(MATRIX)}"


@pytest.fixture
def world(seed_council, settings):
    settings.SCRUTINEER_REPORT_BUILDS = "worker"
    users = {"no role": User.objects.create_user("nobody", password="x-long-password")}
    for role, name in (("owner", "Tracy Lancashire"), ("approver", "Matt Rawdon")):
        users[role] = User.objects.create_user(role, password="x-long-password")
        Person.objects.filter(name=name).update(user=users[role])
    users["councillor"] = User.objects.create_user("councillor", password="x-long-password")
    member = Person.objects.create(name="Casey Councillor", is_councillor=True, user=users["councillor"])
    Committee.objects.get(slug="housing-community").members.add(member)
    users["officer"] = User.objects.create_user("officer", password="x-long-password")
    users["officer"].groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    report = Report.objects.get(period=Period.parse("2020-21-Q1"))
    publish(report, by=users["officer"])
    open_period = open_periods(Frequency.QUARTERLY, timezone.localdate())[0]
    value = Value.objects.create(
        indicator=report.committee.indicators.get(code="CSU10"),
        period=open_period,
        value=80,
        state=ValueState.SUBMITTED,
        entered_by=users["owner"],
    )
    build = ReportBuild.objects.create(committee=report.committee, period=report.period, formats=["csv"])
    today = timezone.localdate()
    open_round(open_period, user=users["officer"], due_on=today, approvals_due_on=today)
    action = set_corrective_action(
        value.indicator,
        open_period,
        user=users["officer"],
        description="Recruit two call handlers",
        owner=value.indicator.owner,
        due_on=today,
    )
    theme = report.committee.indicators.get(code="YP01a").theme
    run = ImportRun.objects.create(
        file_name="values.csv", sha256="0" * 64, size=0, requested_by=users["officer"]
    )
    logo = "0" * 64  # any digest: the address is the one the stored logo says
    SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).update(
        logo=b"\x89PNG", logo_content_type="image/png", logo_digest=logo
    )
    rule = StatusRuleDefinition.objects.create(
        name="Within 5% is green", definition='{"name": "Within 5% is green", "green": {"within": "5%"}}'
    )
    return users, {
        "action": action.pk,
        "rule": rule.pk,
        "import": run.pk,
        "value": value.pk,
        "build": build.pk,
        "logo": logo,
        "open": open_period.key,
        "theme": theme.pk,
        "priority": theme.priority_id,
        "person": Person.objects.get(name="Tracy Lancashire").pk,
        "portfolio": report.committee.portfolio_id,
        "objective": CorporateObjective.objects.get_or_create(name="Affordable housing")[0].pk,
    }


@pytest.mark.parametrize("name", list(MATRIX))
def test_url_for_every_role(client, world, name):
    users, ids = world
    method, template, expected = MATRIX[name]
    for role, want in zip(ROLES, expected, strict=True):
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        response = getattr(client, method)(template.format(**ids))
        if want == L:
            assert response.status_code == 302, (name, role, response.status_code)
            assert response["Location"].startswith("/accounts/login/"), (name, role)
        else:
            assert response.status_code == want, (name, role, response.status_code)
