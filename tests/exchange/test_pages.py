"""The import pages (upload, preview, confirm) and open data, through the web app."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scrutineer.collection.models import Value, ValueState
from scrutineer.engine import Period
from scrutineer.exchange.models import ImportRun, ImportState
from scrutineer.reports.models import Report
from tests.publishing import publish

pytestmark = pytest.mark.django_db

HEADER = "indicator,period,value,comment,state\r\n"


def upload(client, text, approved=False):
    data = {"file": SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")}
    if approved:
        data["approved"] = "on"
    response = client.post("/data/import/", data)
    assert response.status_code == 302
    return ImportRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_upload_shows_problems_then_a_preview_then_imports_on_confirm(client, seed_council, officer):
    client.force_login(officer)
    run = upload(client, HEADER + "CSU10,Q1 2021/22,lots,,\r\n")
    assert run.state == ImportState.REFUSED
    page = client.get(f"/data/imports/{run.pk}/").content.decode()
    assert "The file has problems" in page and "is not a number" in page and "values" in page

    run = upload(
        client, HEADER + "CSU10,Q1 2021/22,81,,\r\nCSU10,Q1 2020/21,79.33,KPI Achieved.,approved\r\n"
    )
    assert run.state == ImportState.CHECKED
    page = client.get(f"/data/imports/{run.pk}/").content.decode()
    assert "Check what will change" in page and "CSU10 Q1 2021/22" in page
    assert not Value.objects.filter(period="2021-22-Q1").exists()

    response = client.post(f"/data/imports/{run.pk}/confirm/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == ImportState.DONE, run.message
    assert Value.objects.get(indicator__code="CSU10", period="2021-22-Q1").state == ValueState.SUBMITTED
    assert "Imported" in client.get(f"/data/imports/{run.pk}/").content.decode()


def test_template_and_export_downloads(client, seed_council, officer):
    client.force_login(officer)
    assert client.get("/data/template.xlsx")["Content-Type"].startswith("application/vnd.openxml")
    response = client.get(
        "/data/export/?committee=housing-community&format=json&from=2020-21-Q1&to=2020-21-Q1"
    )
    document = json.loads(response.content)
    assert {row["period"] for row in document["sheets"]["values"]} == {"2020-21-Q1"}


def test_open_data_holds_only_published_public_figures(client, seed_council, officer):
    assert client.get("/open-data/housing-community/2020-21-Q1.csv").status_code == 404
    report = Report.objects.get(period=Period.parse("2020-21-Q1"))
    publish(report, by=officer)
    # A figure approved after publishing is not open data until a new version is published.
    Value.objects.filter(indicator__code="CSU10", period="2020-21-Q1").update(value=1)
    csv = client.get("/open-data/housing-community/2020-21-Q1.csv").content.decode()
    assert csv.startswith("committee,period,period_label,code") and "79.33" in csv
    document = json.loads(client.get("/open-data/housing-community/2020-21-Q1.json").content)
    assert document["licence"] == "Open Government Licence v3.0"
    assert {row["code"] for row in document["rows"]} >= {"CSU10", "CSU11"}
    metadata = json.loads(client.get("/open-data/housing-community/2020-21-Q1/metadata.json").content)
    assert (
        metadata["published_at"] and metadata["status_rule"] and metadata["columns"][0]["name"] == "committee"
    )
    assert "Housing" in client.get("/open-data/").content.decode()
    # The status rule in words is the key the published report printed, not today's rule.
    published_csv = bytes(report.versions.get().files.get(format="csv").content).decode("utf-8-sig")
    printed = [line[2:] for line in published_csv.splitlines() if line.startswith("# Status")]
    assert metadata["status_rule"] == printed


def test_open_data_never_holds_an_exempt_report(client, seed_council, officer):
    report = Report.objects.get(period=Period.parse("2020-21-Q1"))
    Report.objects.filter(pk=report.pk).update(part="II", part_two_reason="Paragraph 3")
    publish(Report.objects.get(pk=report.pk), by=officer)
    assert client.get("/open-data/housing-community/2020-21-Q1.csv").status_code == 404
    assert client.get("/open-data/housing-community/2020-21-Q1/metadata.json").status_code == 404
    assert "Housing" not in client.get("/open-data/").content.decode()
