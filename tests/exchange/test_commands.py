"""`scrutineer export` and `scrutineer import`, as a performance officer runs them."""

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from scrutineer.catalogue.models import Indicator, Target
from scrutineer.collection.models import Value, ValueState
from scrutineer.exchange.layout import SHEETS
from scrutineer.exchange.models import ImportRun, ImportState

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_template_has_every_sheet_and_column(tmp_path, db):
    run("export", "--template", "--format", "csv", "--output", str(tmp_path / "t"))
    for sheet in SHEETS:
        assert (tmp_path / "t" / f"{sheet.name}.csv").read_text().strip() == ",".join(sheet.column_names)
    run("export", "--template", "--format", "xlsx", "--output", str(tmp_path / "t.xlsx"))
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"


def test_export_in_each_format_filtered_by_committee_and_periods(seed_council, officer, tmp_path):
    run(
        "export",
        "--format",
        "json",
        "--output",
        str(tmp_path / "h.json"),
        "--committee",
        "housing-community",
        "--from",
        "Q1 2020/21",
        "--to",
        "2020-21-Q1",
    )
    document = json.loads((tmp_path / "h.json").read_text())
    assert {row["period"] for row in document["sheets"]["values"]} == {"2020-21-Q1"}
    assert {row["committees"] for row in document["sheets"]["indicators"]} == {"housing-community"}
    run("export", "--format", "csv", "--output", str(tmp_path / "csv"))
    assert (tmp_path / "csv" / "values.csv").read_text().startswith("indicator,period,value")
    with pytest.raises(CommandError, match="no committee"):
        run("export", "--output", str(tmp_path / "x.xlsx"), "--committee", "nope")


def test_dry_run_shows_new_changed_and_unchanged_and_writes_nothing(seed_council, officer, tmp_path):
    values = tmp_path / "values.csv"
    values.write_text(
        "indicator,period,value,numerator,denominator,no_data_reason,not_measured,note,comment,state\n"
        "CSU10,Q1 2020/21,79.33,,,,,,KPI Achieved.,approved\n"  # as stored: unchanged
        "CSU10,Jun-2021,,,,,,,,\n"  # a month for a quarterly indicator: refused
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        run("import", str(values), "--dry-run")
    values.write_text(
        "indicator,period,value,comment,state\n"
        "CSU10,Q1 2020/21,79.33,KPI Achieved.,approved\n"
        "CSU10,Q1 2021/22,81,,submitted\n"
    )
    out = run("import", str(values), "--dry-run")
    assert "values: 1 new, 0 changed, 1 unchanged" in out
    assert "new values CSU10 Q1 2021/22" in out and "Dry run" in out
    assert not Value.objects.filter(period="2021-22-Q1").exists()
    assert ImportRun.objects.first().state == ImportState.CHECKED


def test_import_records_the_file_and_its_checksum_in_the_audit_trail(seed_council, officer, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text("indicator,period,target\nCSU10,2021/22,280\nCSU10,2020-21-Q1,290\n")
    out = run("import", str(targets))
    digest = hashlib.sha256(targets.read_bytes()).hexdigest()
    assert digest in out
    new = Target.objects.get(indicator__code="CSU10", period="2021-22")
    assert new.value == 280
    record = Target.history.filter(id=new.pk).get()
    assert record.history_user == officer
    assert f"targets.csv (SHA-256 {digest})" in record.history_change_reason
    changed = Target.objects.get(indicator__code="CSU10", period="2020-21-Q1")
    assert changed.value == 290 and changed.version == 2
    run_record = ImportRun.objects.get(state=ImportState.DONE)
    assert run_record.sha256 == digest and run_record.requested_by == officer


def test_figures_arrive_submitted_unless_imported_as_approved_history(seed_council, officer, tmp_path):
    values = tmp_path / "values.csv"
    values.write_text("indicator,period,value,state\nCSU10,Q1 2021/22,81,approved\n")
    run("import", str(values))
    figure = Value.objects.get(indicator__code="CSU10", period="2021-22-Q1")
    assert figure.state == ValueState.SUBMITTED and figure.entered_by == officer
    values.write_text("indicator,period,value,state\nCSU10,Q2 2021/22,82,approved\n")
    run("import", str(values), "--approved")
    figure = Value.objects.get(indicator__code="CSU10", period="2021-22-Q2")
    assert figure.state == ValueState.APPROVED and figure.approved_by == officer
    assert "imported as approved history" in figure.history.get().history_change_reason


def test_a_file_approving_a_figure_awaiting_approval_is_refused_not_called_unchanged(
    seed_council, officer, tmp_path
):
    """Tried as a new council: figures imported as submitted, then the same file marked
    approved and imported with --approved, read "3 unchanged" and stayed unapproved."""
    values = tmp_path / "values.csv"
    values.write_text("indicator,period,value,state\nCSU10,Q1 2021/22,81,\n")
    run("import", str(values))
    values.write_text("indicator,period,value,state\nCSU10,Q1 2021/22,81,approved\n")
    with pytest.raises(CommandError):
        run("import", str(values), "--approved")
    figure = Value.objects.get(indicator__code="CSU10", period="2021-22-Q1")
    assert figure.state == ValueState.SUBMITTED


def test_a_new_council_from_the_template_filled_in(officer, tmp_path):
    folder = tmp_path / "council"
    run("export", "--template", "--format", "csv", "--output", str(folder))
    (folder / "people.csv").write_text("name,email,role\nAnn Owner,ann@example.org,officer\n")
    (folder / "directorates.csv").write_text("slug,name\nplace,Place\n")
    (folder / "groups.csv").write_text("slug,name,directorate\nenv,Environment,place\n")
    (folder / "services.csv").write_text("slug,name,group,team_leader\nwaste,Waste,env,ann@example.org\n")
    (folder / "priorities.csv").write_text("name\nClean and green\n")
    (folder / "themes.csv").write_text("priority,name\nClean and green,Cleaner streets\n")
    (folder / "committees.csv").write_text("slug,name\nplace-osc,Place Overview & Scrutiny\n")
    (folder / "indicators.csv").write_text(
        "code,name,measure_kind,polarity,frequency,aggregation,unit,service,priority,theme,owner,committees\n"
        "W01,Household waste recycled,rate,higher,monthly,ratio,%,waste,Clean and green,Cleaner streets,"
        "Ann Owner,place-osc\n"
    )
    (folder / "targets.csv").write_text("indicator,period,target\nW01,2020/21,50\n")
    (folder / "values.csv").write_text(
        "indicator,period,numerator,denominator,state\nW01,Apr-2020,450,1000,approved\nW01,May-20,520,1000,approved\n"
    )
    run("import", str(folder), "--approved")
    indicator = Indicator.objects.get(code="W01")
    assert indicator.rate_scale == 100 and indicator.owner.email == "ann@example.org"
    assert list(indicator.committees.values_list("slug", flat=True)) == ["place-osc"]
    assert Value.objects.filter(indicator=indicator, state=ValueState.APPROVED).count() == 2


def test_with_no_performance_officer_the_import_says_how_to_make_one(tmp_path, db):
    (tmp_path / "values.csv").write_text("indicator,period,value\n")
    with pytest.raises(CommandError) as refused:
        run("import", str(tmp_path / "values.csv"))
    message = str(refused.value)
    assert "scrutineer setup" in message and "/manage/people/invite/" in message and "--as" in message
    assert "createsuperuser" not in message and "group" not in message
