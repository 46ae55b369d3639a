"""An officer onboards figures from a workbook, in Chromium: template, an upload with one
error, the error list, the corrected upload, the preview, confirm, the dashboard."""

import io

import pytest
from django.contrib.auth.models import Group, User
from openpyxl import load_workbook

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.collection.models import Value
from tests.browser import browser_page  # noqa: F401
from tests.e2e.test_journey import sign_in
from tests.web.test_pages_accessibility import check

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer_account(seed_council):
    user = User.objects.create_user("officer", password="officer-long-password")
    user.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    return user


def filled(template: bytes, value: str) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book["values"]
    sheet.append(["CSU10", "Q1 2021/22", value, None, None, None, None, None, "Imported.", "approved"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_officer_imports_a_workbook_fixing_an_error_first(
    live_server,
    officer_account,
    browser_page,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    # Playwright's sync API runs an event loop: let the test read the database beside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page, base = browser_page, live_server.url
    sign_in(page, base, "officer")
    page.click("text=Import and export")
    check(page)
    with page.expect_download() as download:
        page.click("text=Template workbook (XLSX)")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)

    bad = tmp_path / "values-bad.xlsx"
    bad.write_bytes(filled(template.read_bytes(), "eighty"))
    page.set_input_files("#id_file", str(bad))
    page.click("text=Check the file")
    assert "The file has problems" in page.inner_text("h1")
    assert "is not a number" in page.inner_text("main")
    check(page)

    page.click("text=Back to import and export")
    good = tmp_path / "values.xlsx"
    good.write_bytes(filled(template.read_bytes(), "81.5"))
    page.set_input_files("#id_file", str(good))
    page.check("#id_approved")
    page.click("text=Check the file")
    assert "Check what will change" in page.inner_text("h1")
    assert "CSU10 Q1 2021/22" in page.inner_text("main")
    check(page)
    assert not Value.objects.filter(period="2021-22-Q1").exists()
    page.click("button:has-text('Import')")
    assert "Imported" in page.inner_text("h1")
    assert Value.objects.get(indicator__code="CSU10", period="2021-22-Q1").value == 81.5

    page.goto(base + "/committees/housing-community/?period=2021-22-Q1")
    assert "81.5" in page.inner_text("main")
