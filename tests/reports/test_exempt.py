"""Exempt (Part II) reports: never public, marked on every page of every format.

Exempt information (Local Government Act 1972, Schedule 12A) is for the committee's
members and for performance officers and administrators. Each published version keeps
the part it was published as.
"""

import csv
import importlib
import io
import zipfile

import pypdf
import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.management import call_command
from django.test import Client

from scrutineer.catalogue.access import check_may_read_version, may_read_version, readable_versions
from scrutineer.catalogue.models import Committee, Person
from scrutineer.engine import Period
from scrutineer.reports.document import exempt_notice
from scrutineer.reports.editing import save_report
from scrutineer.reports.models import Report, ReportVersion
from tests.browser import browser_page  # noqa: F401 - the fixture
from tests.publishing import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_council")]

Q1 = Period.parse("2020-21-Q1")
BASE = "/reports/housing-community/2020-21-Q1/"
REASON = "Paragraph 3: information relating to the financial or business affairs of a contractor."
NOTICE = (
    "NOT FOR PUBLICATION — exempt information under paragraph 3 of Part 1 of Schedule 12A "
    "to the Local Government Act 1972"
)
FORMATS = ("html", "pdf", "docx", "csv")


def q1():
    return Report.objects.get(period=Q1)


def set_part(part, reason=""):
    report = q1()
    save_report(
        report.committee,
        Q1,
        {"part": part, "part_two_reason": reason},
        user=User.objects.get(username="po"),
        expected_version=report.version,
    )


def publish_q1(formats=("html", "csv")):
    return publish(q1(), by=User.objects.get(username="po"), formats=formats)


@pytest.fixture
def people():
    """An officer, a member of the committee, a councillor on another committee, a reader."""
    officer = User.objects.create_user("po", password="x-long-password", is_staff=True)
    member = User.objects.create_user("member", password="x-long-password")
    person = Person.objects.create(name="Casey Member", is_councillor=True, user=member)
    Committee.objects.get(slug="housing-community").members.add(person)
    other = User.objects.create_user("other", password="x-long-password")
    Person.objects.create(name="Oli Other", is_councillor=True, user=other)
    reader = User.objects.create_user("reader", password="x-long-password")
    admin = User.objects.create_superuser("admin", password="x-long-password")
    return {"officer": officer, "member": member, "other": other, "reader": reader, "admin": admin}


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def exempt(people):
    """Q1 published as Part II in every format."""
    set_part("II", REASON)
    return publish_q1(formats=FORMATS)


def test_anonymous_requests_for_an_exempt_versions_files_are_sent_to_sign_in(exempt):
    anonymous = Client()
    for fmt in FORMATS:
        response = anonymous.get(f"{BASE}v1/{fmt}")
        assert response.status_code == 302, fmt
        assert response["Location"].startswith("/accounts/login/?next=/reports/"), fmt


def test_signed_in_without_access_is_refused_with_a_page_that_says_why(exempt, people):
    for who in ("reader", "other"):
        for fmt in FORMATS:
            response = client_for(people[who]).get(f"{BASE}v1/{fmt}")
            assert response.status_code == 403, (who, fmt)
            page = response.content.decode()
            assert "This report is exempt (Part II)" in page
            assert "contractor" not in page and "PART:" not in page


def test_the_committees_members_officers_and_administrators_read_it(exempt, people):
    for who in ("member", "officer", "admin"):
        for fmt in FORMATS:
            response = client_for(people[who]).get(f"{BASE}v1/{fmt}")
            assert response.status_code == 200, (who, fmt)
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
            assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = client_for(people["member"]).get(BASE).content.decode()
    assert "Part II (exempt)" in page and REASON in page
    assert "Part II (exempt)" in client_for(people["member"]).get("/reports/").content.decode()


def test_never_listed_for_the_public_nor_for_those_without_access(exempt, people):
    for who in (None, "reader", "other"):
        client = client_for(people[who] if who else None)
        listing = client.get("/reports/").content.decode()
        assert BASE not in listing and "contractor" not in listing, who
        home = client.get("/").content.decode()
        assert BASE not in home and "contractor" not in home, who
    detail = Client().get(BASE)
    assert detail.status_code == 302 and detail["Location"].startswith("/accounts/login/")
    refused = client_for(people["reader"]).get(BASE)
    assert refused.status_code == 403 and "This report is exempt (Part II)" in refused.content.decode()
    assert "contractor" not in refused.content.decode()


def text_of_pdf_pages(content):
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def test_every_page_of_every_format_is_marked(exempt):
    files = {f.format: bytes(f.content) for f in exempt.files.all()}

    html = files["html"].decode()
    assert 'class="report-exempt"' in html and f"{NOTICE}." in html
    assert f"Reason for exemption: {REASON}" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Published under the" not in html  # exempt information carries no open licence

    pages = text_of_pdf_pages(files["pdf"])
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert "NOT FOR PUBLICATION (Part II)" in flat, number  # the header
        assert "paragraph 3 of Part 1 of Schedule 12A" in flat, number  # the footer

    with zipfile.ZipFile(io.BytesIO(files["docx"])) as word:
        headers = [n for n in word.namelist() if n.startswith("word/header")]
        body = word.read("word/document.xml").decode()
        assert headers and all(NOTICE in word.read(n).decode() for n in headers)
    # Every section (portrait and the table's landscape pages) shows that header.
    from docx import Document

    sections = Document(io.BytesIO(files["docx"])).sections
    assert len(sections) > 1 and all(NOTICE in s.header.paragraphs[0].text for s in sections)
    assert "Licence: Open Government Licence" not in body

    lines = files["csv"].decode("utf-8-sig").splitlines()
    assert lines[0] == f"# {NOTICE}"
    assert lines[1].startswith("# Reason for exemption: Paragraph 3: information relating to the financial")
    assert not any(line.startswith("# Licence") for line in lines)
    rows = list(csv.reader(line for line in lines if not line.startswith("#")))
    assert rows[0][0] == "code" and len(rows) > 1


def test_a_public_report_carries_no_marking(people):
    version = publish_q1(formats=("html", "csv"))
    files = {f.format: bytes(f.content).decode("utf-8-sig") for f in version.files.all()}
    assert "NOT FOR PUBLICATION" not in files["html"] and 'class="report-exempt"' not in files["html"]
    assert "NOT FOR PUBLICATION" not in files["csv"] and "# Licence: Open Government Licence" in files["csv"]
    assert Client().get(f"{BASE}v1/html").status_code == 200


def test_each_version_keeps_its_own_part_public_then_exempt(people):
    publish_q1()  # Part I (not stated): public
    set_part("II", REASON)
    publish_q1()
    v1, v2 = ReportVersion.objects.order_by("number")
    assert (v1.part, v2.part, v2.part_two_reason) == ("", "II", REASON)
    anonymous = Client()
    assert anonymous.get(f"{BASE}v1/html").status_code == 200
    assert anonymous.get(f"{BASE}v2/html").status_code == 302
    page = anonymous.get(BASE).content.decode()
    assert "Version 1" in page and "Version 2" not in page and "contractor" not in page
    listing = anonymous.get("/reports/").content.decode()
    assert BASE in listing and "2 versions" not in listing
    member = client_for(people["member"]).get(BASE).content.decode()
    assert "Version 1" in member and "Version 2" in member


def test_each_version_keeps_its_own_part_exempt_then_public(people):
    set_part("II", REASON)
    publish_q1()
    set_part("I")
    publish_q1()
    anonymous = Client()
    assert anonymous.get(f"{BASE}v1/csv").status_code == 302
    assert anonymous.get(f"{BASE}v2/csv").status_code == 200
    page = anonymous.get(BASE).content.decode()
    assert "Version 2" in page and "Version 1" not in page and "contractor" not in page


def test_the_part_is_frozen_on_the_version_when_published(exempt, people):
    set_part("I")  # the report changes; what was published as Part II stays exempt
    version = ReportVersion.objects.get()
    assert version.exempt and version.part_two_reason == REASON
    assert Client().get(f"{BASE}v1/html").status_code == 302


def test_the_access_rules_one_by_one(exempt, people):
    for who, allowed in (("member", True), ("officer", True), ("admin", True), ("other", False)):
        assert may_read_version(people[who], exempt) is allowed, who
    assert not may_read_version(AnonymousUser(), exempt)
    with pytest.raises(Exception, match="This report is exempt"):
        check_may_read_version(people["reader"], exempt)
    everything = ReportVersion.objects.all()
    assert list(readable_versions(AnonymousUser(), everything)) == []
    assert list(readable_versions(people["other"], everything)) == []
    assert list(readable_versions(people["member"], everything)) == [exempt]
    assert list(readable_versions(people["officer"], everything)) == [exempt]


def test_the_notice_names_the_paragraphs_the_reason_gives():
    assert exempt_notice(REASON) == NOTICE
    assert "under paragraphs 1 and 3 of Part 1" in exempt_notice("Paragraphs 1 and 3 of Schedule 12A")
    assert "under Part 1 of Schedule 12A" in exempt_notice("Commercially sensitive.")
    assert "under Part 1 of Schedule 12A" in exempt_notice("paragraph 12")  # there is no paragraph 12


def test_the_command_line_writes_an_exempt_version_with_a_warning(exempt, tmp_path, capsys):
    call_command(
        "report",
        "--committee",
        "housing-community",
        "--period",
        "2020-21-Q1",
        "--format",
        "csv",
        "--output",
        str(tmp_path / "v1.csv"),
        "--published",
        "1",
    )
    captured = capsys.readouterr()
    assert captured.err.startswith("Warning: version 1 is exempt (Part II). NOT FOR PUBLICATION")
    assert "do not publish or share them" in captured.err
    assert (tmp_path / "v1.csv").read_bytes() == bytes(exempt.files.get(format="csv").content)


def test_versions_published_before_the_part_was_kept_take_it_from_their_cover_sheet():
    migration = importlib.import_module("scrutineer.reports.migrations.0008_report_version_part")
    snapshot = {"cover": [["PART:", "", ["II"]], ["If Part II, reason:", "", [REASON]]]}
    assert migration.cover_line(snapshot, "PART:") == "II"
    assert migration.cover_line(snapshot, "If Part II, reason:") == REASON
    assert migration.cover_line({"cover": [["PART:", "", []]]}, "PART:") == ""


@pytest.fixture
def exempt_html(people, tmp_path):
    """A Part II report's HTML on disk, written before the browser starts."""
    from scrutineer.reports.builder import build_document
    from scrutineer.reports.renderers.html import render_html

    set_part("II", REASON)
    path = tmp_path / "exempt.html"
    path.write_text(render_html(build_document(q1())), encoding="utf-8")
    return path


def test_the_exempt_notice_passes_axe(exempt_html, browser_page):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    from tests.reports.test_accessibility import WCAG_TAGS, readable

    browser_page.goto(exempt_html.as_uri())
    tags = [*WCAG_TAGS, "best-practice"]
    results = Axe().run(
        browser_page, options={"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    )
    violations = results.response["violations"]
    assert violations == [], f"{len(violations)} axe violations:\n{readable(violations)}"
    assert browser_page.locator(".report-exempt").is_visible()
