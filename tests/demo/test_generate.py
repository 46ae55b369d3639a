import json

import pytest
from django.core.management import CommandError, call_command

from scrutineer.catalogue.models import Committee, Indicator, Target
from scrutineer.collection.models import Value

pytestmark = pytest.mark.django_db


def test_generates_a_council_of_every_measure_kind_and_prints_its_committees(capsys):
    call_command("generate", "--indicators", "60", "--years", "2", "--until", "2025-26", "--seed", "7")
    out = capsys.readouterr().out
    committees = Committee.objects.filter(slug__startswith="syn7-")
    assert committees.exists()
    for committee in committees:
        assert committee.slug in out
    indicators = Indicator.objects.filter(code__startswith="S7-")
    assert indicators.count() == 60
    assert set(indicators.values_list("measure_kind", flat=True)) == {
        "rate",
        "duration",
        "count",
        "number",
        "currency",
    }
    assert set(indicators.values_list("frequency", flat=True)) == {"monthly", "quarterly"}
    monthly = indicators.filter(frequency="monthly").count()
    quarterly = indicators.filter(frequency="quarterly").count()
    assert Value.objects.filter(indicator__in=indicators).count() == monthly * 24 + quarterly * 8
    assert Target.objects.filter(indicator__in=indicators).exists()


def test_the_generated_committees_have_tables(capsys):
    call_command("generate", "--indicators", "30", "--years", "2", "--seed", "3")
    capsys.readouterr()
    slug = Committee.objects.filter(slug__startswith="syn3-").first().slug
    call_command("table", "--committee", slug, "--period", "2025-26-Q3", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert rows
    statuses = {r["current"]["status"] for r in rows}
    assert statuses & {"green", "amber", "red"}


def test_same_seed_twice_is_refused_and_replace_rebuilds(capsys):
    call_command("generate", "--indicators", "10", "--years", "1", "--seed", "5")
    with pytest.raises(CommandError, match="already in this database"):
        call_command("generate", "--indicators", "10", "--years", "1", "--seed", "5")
    call_command("generate", "--indicators", "12", "--years", "1", "--seed", "5", "--replace")
    assert Indicator.objects.filter(code__startswith="S5-").count() == 12


@pytest.mark.parametrize(
    "args, message",
    [
        (["--indicators", "0"], "--indicators must be between"),
        (["--years", "0"], "--years must be between"),
        (["--until", "2025-26-Q1"], "financial year such as 2025-26"),
        (["--until", "2025"], "is not a period key"),
        (["--until", "1000-01"], "outside the periods Scrutineer handles"),
        (["--until", "1905-06", "--years", "10"], "starts before 1900/01, the first financial year"),
        (["--quarterly-share", "2"], "--quarterly-share must be between"),
    ],
)
def test_bad_options_are_explained(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate", *args)
    assert not Indicator.objects.exists()


# A council's own data is never mixed with synthetic indicators unless asked for.


def test_a_database_holding_a_council_is_refused_and_nothing_is_generated(seed_council):
    before = Indicator.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("generate", "--indicators", "10", "--years", "1", "--seed", "4")
    message = str(refused.value)
    assert "already holds a council's data (5 indicators and 1 committee)" in message
    assert "--database PATH" in message and "--into-this-database" in message
    assert Indicator.objects.count() == before
    assert not Committee.objects.filter(slug__startswith="syn4-").exists()


def test_into_this_database_adds_them_beside_the_council(seed_council, capsys):
    call_command("generate", "--indicators", "10", "--years", "1", "--seed", "4", "--into-this-database")
    assert Indicator.objects.filter(code__startswith="S4-").count() == 10
    assert Indicator.objects.filter(code="CSU10").exists()


def test_a_database_holding_only_synthetic_councils_takes_another(capsys):
    call_command("generate", "--indicators", "5", "--years", "1", "--seed", "8")
    call_command("generate", "--indicators", "5", "--years", "1", "--seed", "9")
    assert Indicator.objects.count() == 10


def test_at_a_terminal_it_asks_and_only_yes_goes_on(seed_council, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was generated"):
        call_command("generate", "--indicators", "5", "--years", "1", "--seed", "6")
    assert not Indicator.objects.filter(code__startswith="S6-").exists()
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "yes")
    call_command("generate", "--indicators", "5", "--years", "1", "--seed", "6")
    assert "already holds a council's data" in asked[0]
    assert Indicator.objects.filter(code__startswith="S6-").count() == 5
    with pytest.raises(CommandError, match="--into-this-database"):  # --no-input never asks
        call_command("generate", "--indicators", "5", "--years", "1", "--seed", "7", "--no-input")


def test_database_writes_a_separate_sqlite_file_and_leaves_this_one_alone(seed_council, tmp_path, capsys):
    import sqlite3

    path = tmp_path / "scratch" / "synthetic.sqlite3"
    call_command("generate", "--indicators", "6", "--years", "1", "--seed", "2", "--database", str(path))
    out = capsys.readouterr().out
    assert "Generated 6 indicators" in out and f"DATABASE_URL=sqlite:///{path}" in out
    assert not Indicator.objects.filter(code__startswith="S2-").exists()  # this database: untouched
    with sqlite3.connect(path) as db:
        codes = [code for (code,) in db.execute("SELECT code FROM catalogue_indicator")]
    assert len(codes) == 6 and all(code.startswith("S2-") for code in codes)


def test_database_must_be_a_file(tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        call_command("generate", "--database", str(tmp_path))
