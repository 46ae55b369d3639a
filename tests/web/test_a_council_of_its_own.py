"""A council set up from scratch sees no other council's name anywhere.

The council is set up through the first-run page, then given a committee, a service, an
indicator with a target and an approved figure, and a report published in every format.
Each role (as in the URL × role matrix) then crawls every page it can reach from the home
page, following links, and every report format, open-data file, export and the command
line's table are read as text: "Dacorum", the seed council's name, is in none of them, nor
in the reminder and invitation emails the council sends, nor in any source file outside
demo/.
"""

import io
import json
import re
import zipfile
from collections import deque
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from scrutineer.catalogue.models import Person, site_identity
from scrutineer.collection.actions import open_round
from scrutineer.collection.models import ValueState
from scrutineer.engine import Period
from scrutineer.reports.models import Report
from tests.factories import (
    CommitteeFactory,
    CouncillorFactory,
    IndicatorFactory,
    PersonFactory,
    ServiceTeamFactory,
    TargetFactory,
    ThemeFactory,
    UserFactory,
    ValueFactory,
)
from tests.publishing import publish

pytestmark = pytest.mark.django_db

SEED_NAME = "dacorum"
Q3 = Period.parse("2023-24-Q3")
REPORT = f"/reports/planning/{Q3.key}/"
PAGES_PER_ROLE = 250
NEVER_FOLLOWED = ("/admin/", "/accounts/logout/", "/static/", "/oidc/")


def readable(body: bytes, content_type: str) -> str:
    """A response as the words a person would read in it: a PDF's text and metadata, each
    part of a Word document, workbook or zip of CSV files, or the text itself."""
    if content_type.startswith("application/pdf"):
        reader = PdfReader(io.BytesIO(body))
        pages = "\n".join(page.extract_text() or "" for page in reader.pages)
        return pages + "\n" + json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()})
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as parts:
            return "\n".join(parts.read(name).decode("utf-8", "replace") for name in parts.namelist())
    return body.decode("utf-8", "replace")


def fetch(client: Client, url: str) -> tuple[int, str, str]:
    response = client.get(url)
    if response.status_code in (301, 302):
        return response.status_code, response["Location"], ""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    return response.status_code, content_type, readable(body, content_type)


def links(page: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)', page):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(NEVER_FOLLOWED):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: Client, starts: list[str]) -> dict[str, str]:
    """Every address reachable from `starts` by links and redirects (GET only), with the
    text of each that answered 200."""
    read: dict[str, str] = {}
    seen: set[str] = set()
    queue = deque(starts)
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        status, content_type, text = fetch(client, url)
        if status in (301, 302):
            queue.append(content_type)  # the Location
            continue
        if status != 200:
            continue
        read[url] = text
        if content_type.startswith("text/html"):
            queue.extend(link for link in links(text, url) if link not in seen)
    return read


@pytest.fixture
def council(client):
    """A council set up from scratch on the first-run page, with one published report."""
    answer = client.post(
        "/setup/",
        {
            "council_name": "Borsetshire District Council",
            "short_name": "Borsetshire",
            "licence": "",
            "name": "Pat Officer",
            "email": "pat.officer@example.gov.uk",
            "username": "officer",
            "password": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    officer = User.objects.get(username="officer")
    assert site_identity().name == "Borsetshire District Council"

    service = ServiceTeamFactory(name="Development Management", slug="development-management")
    theme = ThemeFactory(name="Planning for growth")
    owner = PersonFactory(name="Olu Owner", user=UserFactory(username="owner"))
    approver = PersonFactory(
        name="Ana Approver", job_title="Group Manager", user=UserFactory(username="approver")
    )
    councillor = CouncillorFactory(name="Cara Councillor", user=UserFactory(username="councillor"))
    committee = CommitteeFactory(name="Planning Overview & Scrutiny", slug="planning")
    committee.members.add(councillor)
    indicator = IndicatorFactory(
        code="PL01",
        name="Major applications decided in time",
        unit="%",
        measure_kind="number",
        polarity="higher-is-better",
        aggregation="mean",
        service=service,
        theme=theme,
        owner=owner,
        approver=approver,
    )
    committee.indicators.add(indicator)
    TargetFactory(indicator=indicator, period=Q3, value=Decimal("60"))
    ValueFactory(
        indicator=indicator,
        period=Q3,
        value=Decimal("72.5"),
        state=ValueState.APPROVED,
        entered_by=owner.user,
        approved_by=approver.user,
    )
    report = Report.objects.create(committee=committee, period=Q3, meeting_date=date(2024, 2, 7))
    publish(report, by=officer, formats=("html", "pdf", "docx", "csv"))
    return {
        "anonymous": None,
        "no role": UserFactory(username="nobody"),
        "owner": owner.user,
        "approver": approver.user,
        "councillor": councillor.user,
        "officer": officer,
    }


def test_no_page_or_file_of_a_new_council_names_the_seed_council(council, capsys):
    files = [
        *(f"{REPORT}v1/{fmt}" for fmt in ("html", "pdf", "docx", "csv")),
        f"/open-data/planning/{Q3.key}.csv",
        f"/open-data/planning/{Q3.key}.json",
        f"/open-data/planning/{Q3.key}/metadata.json",
    ]
    officer_files = [
        f"{REPORT}draft/",
        *(f"/data/export/?committee=planning&format={fmt}" for fmt in ("xlsx", "csv", "json")),
        *(f"/data/template.{fmt}" for fmt in ("xlsx", "csv", "json")),
    ]
    starts = ["/", "/reports/", "/open-data/", "/my-work/", "/manage/", "/data/", REPORT, "/accounts/login/"]
    found: dict[str, list[str]] = {}
    reached: dict[str, int] = {}
    for role, user in council.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        read = crawl(client, starts)
        for url in files + (officer_files if role == "officer" else []):
            status, _type, text = fetch(client, url)
            assert status == 200, (role, url, status)
            read[url] = text
        reached[role] = len(read)
        found.update({f"{role} {url}": [] for url, text in read.items() if SEED_NAME in text.lower()})

    call_command("table", "--committee", "planning", "--period", Q3.key)
    call_command("table", "--committee", "planning", "--period", Q3.key, "--format", "json")
    table = capsys.readouterr().out
    assert "PL01" in table and SEED_NAME not in table.lower()

    assert not found, f"The seed council is named on: {sorted(found)}"
    # Enough was read that the test means something: every role reached the report, and
    # officers reached the pages they manage the council on.
    assert reached["anonymous"] >= len(files) + 3 and reached["officer"] >= 40, reached
    assert "Borsetshire" in readable_pdf_text(council)


def readable_pdf_text(council) -> str:
    status, content_type, text = fetch(Client(), f"{REPORT}v1/pdf")
    assert status == 200 and content_type == "application/pdf"
    return text


def test_the_reminder_and_invitation_emails_of_a_new_council_never_name_the_seed_council(
    council, client, capsys
):
    officer = council["officer"]
    Person.objects.filter(user__username="owner").update(email="olu.owner@example.gov.uk")
    Person.objects.filter(user__username="approver").update(email="ana.approver@example.gov.uk")
    q4 = Period.parse("2023-24-Q4")
    with time_machine.travel(datetime(2024, 5, 1, 8, tzinfo=UTC), tick=False):
        open_round(
            q4,
            user=officer,
            opens_on=date(2024, 4, 1),
            due_on=date(2024, 4, 14),
            approvals_due_on=date(2024, 4, 21),
        )
        mail.outbox.clear()
        call_command("remind")
    printed = capsys.readouterr()
    reminders = list(mail.outbox)
    assert {m.to[0] for m in reminders} == {
        "olu.owner@example.gov.uk",
        "ana.approver@example.gov.uk",
        "pat.officer@example.gov.uk",
    }, printed
    client.force_login(officer)
    invited = client.post(
        "/manage/people/invite/",
        {"email": "new.officer@example.gov.uk", "name": "Nia New", "role": "performance-officer"},
    )
    assert invited.status_code == 302
    invitation = mail.outbox[-1]
    assert invitation.to == ["new.officer@example.gov.uk"]
    for message in [*reminders, invitation]:
        text = f"{message.from_email}\n{message.subject}\n{message.body}"
        assert SEED_NAME not in text.lower(), text
        assert "Borsetshire District Council" in text, text
    assert SEED_NAME not in (printed.out + printed.err).lower()


SOURCES = Path(__file__).resolve().parents[2] / "src" / "scrutineer"


def test_no_source_file_outside_demo_names_the_seed_council():
    """The seed council lives in demo/ alone: code, templates, styles and comments elsewhere
    speak of "the seed council" or of no council at all."""
    named = [
        str(path.relative_to(SOURCES))
        for path in SOURCES.rglob("*")
        if path.suffix in {".py", ".html", ".txt", ".css", ".js"}
        and "demo" not in path.relative_to(SOURCES).parts[:1]
        and SEED_NAME in path.read_text(encoding="utf-8", errors="replace").lower()
    ]
    assert not named, named
