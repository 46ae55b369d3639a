import pytest
from django.core.management import call_command

from scrutineer.catalogue.models import Committee, Indicator, Person, Target
from scrutineer.collection.models import Achievement, Value
from scrutineer.demo.load import load_seed_council
from scrutineer.engine import Period
from scrutineer.reports.models import Report

pytestmark = pytest.mark.django_db

MODELS = [Person, Committee, Indicator, Target, Value, Achievement, Report]


def snapshot():
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in MODELS}


def test_loading_twice_changes_nothing():
    first = load_seed_council()
    before = snapshot()
    second = load_seed_council()
    assert sum(first.values()) > 0
    assert sum(second.values()) == 0
    assert snapshot() == before


def test_a_corrected_figure_is_never_overwritten_by_the_seed():
    load_seed_council()
    value = Value.objects.get(indicator__code="CSU10", period=Period.parse("2019-20-Q4"))
    value.value = 326
    value.save()
    load_seed_council()
    value.refresh_from_db()
    assert value.value == 326


def test_the_seed_council_as_the_reports_state_it():
    load_seed_council()
    committee = Committee.objects.get(slug="housing-community")
    assert committee.name == "Housing and Community Overview & Scrutiny"
    assert sorted(committee.indicators.values_list("code", flat=True)) == [
        "CSU06",
        "CSU10",
        "CSU11",
        "CSU12",
        "YP01a",
    ]
    assert [s.name for s in committee.services.order_by("position")] == [
        "Children Services and Community Safety Partnership",
        "The Old Town Hall",
        "Customer Services",
        "Community Partnerships",
        "Communications",
    ]
    assert committee.portfolio.contact_line == (
        "Cllr Julie Banks, Portfolio Holder for Community and Regulatory Services"
    )
    assert Value.objects.count() == 15
    assert Target.objects.count() == 12
    csu12 = Value.objects.get(indicator__code="CSU12", period=Period.parse("2020-21-Q1"))
    assert csu12.not_measured and csu12.value == 0


def test_both_seed_reports_with_their_cover_sheets_and_achievements():
    load_seed_council()
    q1 = Report.objects.get(period=Period.parse("2020-21-Q1"))
    q2 = Report.objects.get(period=Period.parse("2018-19-Q2"))
    assert q1.meeting_date.isoformat() == "2020-09-09"
    assert q2.meeting_date.isoformat() == "2018-11-07"
    assert q2.part == "I" and q1.part == ""
    assert q2.table_as_appendix and not q1.table_as_appendix
    assert q1.contact.startswith("Cllr Julie Banks")
    assert q2.contact.startswith("Cllr Neil Harden")
    assert "Kelvin Soley (Communications Team Leader)" in q1.authors
    assert q2.cover_value("background_papers") == "Nil"
    assert q1.cover_value("background_papers") == ""
    assert q1.cover_value("consultees") == "Service Team Leaders"
    assert Achievement.objects.filter(period=Period.parse("2020-21-Q1")).count() == 6 + 2 + 6 + 5 + 3
    assert Achievement.objects.filter(period=Period.parse("2018-19-Q2")).count() == 2 + 3 + 1 + 6
    old_town_hall = Achievement.objects.get(
        period=Period.parse("2020-21-Q1"), service__slug="old-town-hall", position=2
    )
    assert old_town_hall.body.count("\n- ") == 10


def test_demo_command_without_serving_is_idempotent(capsys, tmp_path, settings):
    settings.OUT_DIR = tmp_path
    settings.VAR_DIR = tmp_path
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "Loaded the seed council" in out
    assert "as version 1" in out
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "already loaded; nothing changed" in out
    assert "Published" not in out
    assert Report.objects.get(period=Period.parse("2020-21-Q1")).versions.count() == 1
    assert not Report.objects.get(period=Period.parse("2018-19-Q2")).versions.exists()


def test_demo_writes_both_seed_reports_in_every_format(tmp_path, settings, capsys):
    settings.OUT_DIR = tmp_path / "out"
    settings.VAR_DIR = tmp_path / "var"
    call_command("demo", "--no-serve")
    assert "Demo accounts" in capsys.readouterr().out
    tmp_path = tmp_path / "out"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        f"housing-community-{key}.{ext}"
        for key in ("2018-19-Q2", "2020-21-Q1")
        for ext in ("csv", "docx", "html", "pdf")
    ]
    assert all(p.stat().st_size > 0 for p in tmp_path.iterdir())
