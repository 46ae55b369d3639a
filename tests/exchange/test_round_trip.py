"""Export, import into an empty database, export again: the same files."""

import pytest
from django.db import connection

from scrutineer.catalogue.models import Indicator, Person, StatusRuleDefinition, Target
from scrutineer.collection.models import Value
from scrutineer.engine import StatusRule
from scrutineer.exchange.export import Selection, export_tables
from scrutineer.exchange.files import csv_files, json_bytes, read_file, xlsx_bytes, zip_of
from scrutineer.exchange.importing import check, start, write
from tests.factories import StatusRuleFactory

pytestmark = pytest.mark.django_db


def everything(user):
    return export_tables(Selection(), user=user)


def empty_database():
    """Delete every row of the council (keeping the users), as a new site has it."""
    from django.apps import apps

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        for app in ("reports", "collection", "exchange", "catalogue"):
            for model in apps.get_app_config(app).get_models(include_auto_created=True):
                if model.__name__ != "User" and not model._meta.proxy:
                    cursor.execute(f'DELETE FROM "{model._meta.db_table}"')
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")


def import_bytes(name, data, user, approved=True):
    run = start(name, data, user=user, approved=approved, source="test")
    plan = check(run)
    assert plan.ok, [str(p) for p in plan.problems]
    write(run, plan)
    return plan


def cells(data):
    """Every cell of an XLSX, sheet by sheet, as read."""
    book = read_file("x.xlsx", data)
    assert not book.problems, book.problems
    return {name: [(r.number, r.cells) for r in sheet.rows] for name, sheet in book.sheets.items()}


def test_seed_council_round_trips_in_every_format(seed_council, officer):
    tables = everything(officer)
    first = {"csv": csv_files(tables), "xlsx": xlsx_bytes(tables), "json": json_bytes(tables)}
    counts = (
        Indicator.objects.count(),
        Target.objects.count(),
        Value.objects.count(),
        Person.objects.count(),
    )
    for fmt in ("xlsx", "csv", "json"):
        empty_database()
        assert Indicator.objects.count() == 0
        data = zip_of(first["csv"]) if fmt == "csv" else first[fmt]
        import_bytes(f"seed.{'zip' if fmt == 'csv' else fmt}", data, officer)
        assert (
            Indicator.objects.count(),
            Target.objects.count(),
            Value.objects.count(),
            Person.objects.count(),
        ) == counts
        again = everything(officer)
        assert csv_files(again) == first["csv"], fmt
        assert json_bytes(again) == first["json"], fmt
        assert cells(xlsx_bytes(again)) == cells(first["xlsx"]), fmt


def test_generated_council_of_200_indicators_round_trips(officer):
    from scrutineer.demo.generate import generate_council
    from scrutineer.engine import Period

    generate_council(200, 2, Period.parse("2020-21"), seed=7)
    tables = everything(officer)
    first_csv, first_xlsx = csv_files(tables), xlsx_bytes(tables)
    values = Value.objects.count()
    empty_database()
    import_bytes("generated.xlsx", first_xlsx, officer)
    assert Value.objects.count() == values
    again = everything(officer)
    assert csv_files(again) == first_csv
    assert cells(xlsx_bytes(again)) == cells(first_xlsx)
    empty_database()
    import_bytes("generated.zip", zip_of(first_csv), officer)
    assert csv_files(everything(officer)) == first_csv


def test_status_rules_round_trip_found_by_name_or_added(seed_council, officer):
    strict, lenient = (
        StatusRuleFactory(),
        StatusRuleFactory(rule={"name": "Lenient", "green": {"within": "20%"}}),
    )
    Indicator.objects.filter(code__in=["CSU10", "CSU11"]).update(status_rule=strict)
    Indicator.objects.filter(code="CSU12").update(status_rule=lenient)
    first = csv_files(everything(officer))
    assert strict.definition in first["indicators.csv"].decode().replace('""', '"')

    empty_database()
    plan = import_bytes("rules.zip", zip_of(first), officer)
    assert ("status rules", 2, 0, 0) in plan.summary()
    assert csv_files(everything(officer)) == first
    assert Indicator.objects.get(code="CSU11").status_rule.name == strict.name
    added = StatusRuleDefinition.objects.get(name="Lenient")
    record = added.history.get()
    assert record.history_user == officer and "rules.zip" in record.history_change_reason

    # Imported again, each rule is found by its name: nothing new, nothing changed.
    plan = import_bytes("rules.zip", zip_of(first), officer)
    assert not any(
        sheet in ("status rules", "indicators") and (new or changed)
        for sheet, new, changed, _ in plan.summary()
    )

    # A rule of the same name with another definition is refused, not overwritten.
    other = StatusRule.from_mapping({"name": "Lenient", "green": {"within": "1%"}}).to_json()
    text = (
        first["indicators.csv"]
        .decode()
        .replace(added.definition.replace('"', '""'), other.replace('"', '""'))
    )
    assert "1%" in text
    run = start("indicators.csv", text.encode(), user=officer, approved=True, source="test")
    problems = check(run).problems
    assert [(p.sheet, p.column) for p in problems] == [("indicators", "status_rule")]
    assert 'different status rule called "Lenient"' in problems[0].message
