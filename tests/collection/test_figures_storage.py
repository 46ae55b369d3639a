"""Figures are kept exactly on every database, and no stored figure makes a page fail.

Finding 1 of the input review: the forms took 20 significant digits, SQLite keeps 15 (a
REAL), so `99999999999999.995` for CSU10 was stored as a draft and then every page that
read it failed; smaller ones were silently cut. Decision 0011 sets one limit for every
database; `FigureField` and `Value.observation` read whatever a row holds. These run on
SQLite and, with DATABASE_URL, on PostgreSQL.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from scrutineer.catalogue.models import Committee, Indicator, Target
from scrutineer.collection.actions import ValueRejected, save_value
from scrutineer.collection.models import Value, ValueState
from scrutineer.collection.rounds import open_periods
from scrutineer.engine import Frequency, MeasureKind, format_value
from scrutineer.engine.figures import plain
from tests.factories import PerformanceOfficerFactory
from tests.people import user_for

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"


def quarter():
    return open_periods(Frequency.QUARTERLY, timezone.localdate())[0]


@pytest.fixture
def people(seed_council):
    for code, target in (("CSU10", 300), ("CSU11", 20)):
        Target.objects.create(
            indicator=Indicator.objects.get(code=code),
            period=quarter().within(Frequency.ANNUAL),
            value=target,
        )
    councillor = user_for("Casey Councillor", is_councillor=True)
    Committee.objects.get(slug="housing-community").members.add(councillor.person)
    return {
        "owner": user_for("Tracy Lancashire"),
        "councillor": councillor,
        "officer": PerformanceOfficerFactory(),
    }


def entry(code):
    return f"/indicators/{code}/{quarter().key}/"


# What is typed: one limit for every database


def test_a_figure_longer_than_sqlite_keeps_is_refused_and_nothing_is_stored(client, people):
    client.force_login(people["owner"])
    response = client.post(entry("CSU10"), {"value": "99999999999999.995", "action": "save", "version": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        f"CSU10 {quarter().label}: value 99999999999999.995 has 17 significant digits; Scrutineer keeps 15"
        in page
    )
    assert not Value.objects.filter(indicator__code="CSU10").filter(period=quarter()).exists()
    for url in ("/my-work/", "/indicators/CSU10/", "/indicators/CSU10/history.csv", entry("CSU10")):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("field", "typed", "words"),
    [
        ("value", "12345678901234.123456", "has 20 significant digits; Scrutineer keeps 15"),
        ("value", Decimal("12345678901234.123456"), "has 20 significant digits"),
        ("value", "123456789012345", "is too large; Scrutineer keeps figures below 100,000,000,000,000"),
        ("value", "1.0000001", "has more than 6 decimal places (7)"),
        ("value", "1" * 200_000, "is too large"),
    ],
)
def test_a_figure_sqlite_would_cut_is_refused_by_the_action_not_only_the_form(people, field, typed, words):
    with pytest.raises(ValueRejected) as refused:
        save_value(Indicator.objects.get(code="CSU10"), quarter(), user=people["owner"], **{field: typed})
    message = refused.value.errors[field][0]
    assert message.startswith(f"CSU10 {quarter().label}: {field} ")
    assert words in message
    assert len(message) < 250  # a 200,000-digit figure is quoted by its first 40 characters
    assert not Value.objects.exists() or not Value.objects.filter(period=quarter()).exists()


@pytest.mark.parametrize(
    ("code", "figures"),
    [
        ("CSU10", {"value": "99999999999999"}),
        ("CSU10", {"value": "12345678901234.5"}),
        ("CSU10", {"value": "123456789.123456"}),
        ("CSU10", {"value": "0.000001"}),
        ("CSU10", {"value": "-98765432109876.5"}),
        ("CSU11", {"numerator": "12345678901234.5", "denominator": "99999999999999"}),
        ("CSU11", {"numerator": "0.000001", "denominator": "123456789.123457"}),
    ],
)
def test_figures_at_the_limits_are_kept_exactly_on_this_database(people, code, figures):
    indicator = Indicator.objects.get(code=code)
    if figures.get("value", "").startswith("-"):
        indicator.measure_kind = "number"  # a duration is never negative
        indicator.save()
    saved = save_value(indicator, quarter(), user=people["owner"], **figures)
    stored = Value.objects.get(pk=saved.pk)
    for name, typed in figures.items():
        assert getattr(stored, name) == Decimal(typed), name
        assert Value.objects.filter(pk=saved.pk, **{name: Decimal(typed)}).exists(), name


@pytest.mark.parametrize(
    "typed",
    [
        "٣",
        "３",
        "12_000",
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "1e5",
        "1E5",
        "1,23",
        "1,2345",
        "+-1",
        "1.2.3",
        "--1",
        "1 000",
        "0x10",
        "½",
        "²",
        "1\x00",
        "−5",
        "5-",
        "'5",
        "five",
    ],
)
def test_typed_numbers_are_ascii_digits_a_sign_a_point_and_thousands_commas_only(people, typed):
    with pytest.raises(ValueRejected) as refused:
        save_value(Indicator.objects.get(code="CSU10"), quarter(), user=people["owner"], value=typed)
    assert "is not a number; enter digits, e.g. 640, 19,498 or 79.33" in refused.value.errors["value"][0]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("19,498", "19498"),
        ("1,234,567.5", "1234567.5"),
        ("+3", "3"),
        (".75", "0.75"),
        (" 80 ", "80"),
        ("5.", "5"),
        ("007", "7"),
    ],
)
def test_typed_numbers_as_people_write_them_are_read(people, typed, read):
    saved = save_value(Indicator.objects.get(code="CSU10"), quarter(), user=people["owner"], value=typed)
    assert Value.objects.get(pk=saved.pk).value == Decimal(read)


# What is stored: no figure ever makes a page fail


# Written straight into the columns, as a figure stored before the limits was, or by hand.
# PostgreSQL refuses what its numeric(20, 6) cannot hold; SQLite takes anything.
ODD = [
    pytest.param("99999999999999.995", id="17-digits"),
    pytest.param("12345678901234.123456", id="20-digits"),
    pytest.param("'NaN'", id="nan"),
    pytest.param("1e20", id="1e20", marks=pytest.mark.skipif(not SQLITE, reason="numeric(20, 6) refuses it")),
    pytest.param("9e999", id="infinity", marks=pytest.mark.skipif(not SQLITE, reason="refused")),
    pytest.param("'abc'", id="text", marks=pytest.mark.skipif(not SQLITE, reason="refused")),
]


def write(table, column, literal, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {literal} WHERE id = %s", [pk])


def pages_answer(client, people, period):
    """Every page that shows the figures, as each role that sees them."""
    checks = [
        ("owner", "/my-work/"),
        ("owner", "/indicators/CSU10/"),
        ("owner", "/indicators/CSU11/"),
        ("owner", "/indicators/CSU10/history.csv"),
        ("owner", entry("CSU11")),
        ("officer", "/indicators/CSU10/"),
        ("officer", "/indicators/CSU10/history.csv"),
        ("officer", entry("CSU10")),
        ("officer", entry("CSU11")),
        ("officer", f"/committees/housing-community/?period={period.key}"),
        ("officer", f"/reports/housing-community/{period.key}/draft/"),
        ("councillor", f"/committees/housing-community/?period={period.key}"),
        ("councillor", "/indicators/CSU10/"),
    ]
    pages = {}
    for who, url in checks:
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, (who, url)
        pages[(who, url)] = response.content.decode()
    return pages


def table_runs(capsys, period):
    for form in ("text", "json"):
        call_command("table", "--committee", "housing-community", "--period", period.key, "--format", form)
    return capsys.readouterr().out


@pytest.mark.parametrize("literal", ODD)
def test_a_stored_figure_out_of_range_never_makes_a_page_fail(client, people, capsys, literal):
    period = quarter()
    approved = Value.objects.create(
        indicator=Indicator.objects.get(code="CSU10"),
        period=period,
        value=Decimal(80),
        state=ValueState.APPROVED,
        approved_at=timezone.now(),
    )
    draft = Value.objects.create(
        indicator=Indicator.objects.get(code="CSU11"), period=period, numerator=700, denominator=20000
    )
    write("collection_value", "value", literal, approved.pk)
    write("collection_value", "numerator", literal, draft.pk)

    pages = pages_answer(client, people, period)
    table_runs(capsys, period)
    shown = pages[("officer", entry("CSU10"))]
    readable = Value.objects.get(pk=approved.pk).value
    if readable.is_finite() and abs(readable) < Decimal(10) ** 14:  # shown as stored (SQLite: cut)
        csu10 = Indicator.objects.get(code="CSU10")
        display = format_value(
            readable, csu10.unit, csu10.decimal_places, kind=MeasureKind(csu10.measure_kind)
        )
        assert display in pages[("councillor", f"/committees/housing-community/?period={period.key}")]
        assert display in pages[("officer", "/indicators/CSU10/")]
    else:
        assert "The stored figure cannot be shown" in shown
        assert "The stored figure cannot be shown" in pages[("officer", "/indicators/CSU10/")]
        assert "The stored figure cannot be shown" in pages[("councillor", "/indicators/CSU10/")]
        # The entry form shows what is stored, to be corrected.
        numerator = plain(Value.objects.get(pk=draft.pk).numerator)
        assert f'value="{numerator}"' in pages[("officer", entry("CSU11"))]


@pytest.mark.parametrize("literal", ODD)
def test_a_stored_target_or_tolerance_out_of_range_never_makes_a_page_fail(client, people, capsys, literal):
    period = quarter()
    Value.objects.create(
        indicator=Indicator.objects.get(code="CSU10"),
        period=period,
        value=Decimal(80),
        state=ValueState.APPROVED,
        approved_at=timezone.now(),
    )
    target = Target.objects.get(indicator__code="CSU10", period=period.within(Frequency.ANNUAL))
    write("catalogue_target", "value", literal, target.pk)
    csu11 = Indicator.objects.get(code="CSU11")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE catalogue_indicator SET tolerance_kind = 'absolute', tolerance_amount = {literal} "
            "WHERE id = %s",
            [csu11.pk],
        )

    pages_answer(client, people, period)
    table_runs(capsys, period)


def test_a_single_figure_written_by_hand_on_a_rate_never_makes_a_page_fail(client, people, capsys):
    """A rate is read from its numerator and denominator; a row holding only a value
    (written by hand or by an old import) reads as no data saying why, on every page."""
    period = quarter()
    rate = Value.objects.create(
        indicator=Indicator.objects.get(code="CSU11"),
        period=period,
        value=Decimal(5),
        state=ValueState.APPROVED,
        approved_at=timezone.now(),
    )
    pages = pages_answer(client, people, period)
    table_runs(capsys, period)
    assert "The stored figure cannot be shown" in pages[("owner", "/indicators/CSU11/")]
    assert Value.objects.filter(pk=rate.pk).exists()
