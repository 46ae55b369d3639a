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
