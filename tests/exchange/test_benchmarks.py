"""LG Inform benchmarks: the file read whole, refusals by row and column, the import as an
action, and where the council sits on the indicator page, for those who may read it."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrutineer.engine import Period, Polarity
from scrutineer.engine.benchmarks import position
from scrutineer.exchange.benchmarks import (
    compared,
    plan_benchmarks,
    positions,
    read_comparison,
    run_benchmark_import,
)
from scrutineer.exchange.files import FileRefused
from scrutineer.exchange.models import Benchmark, ImportRun, ImportState
from tests.factories import PersonFactory, RateIndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "fixtures" / "lg-inform-comparison.csv"
DACORUM = "E07000096"
Y2019 = Period.parse("2019-20")
HEADER = "area,area label,area long label,"


@pytest.fixture
def recycling():
    return RateIndicatorFactory(
        code="WR01", name="Household waste recycled", frequency="annual", polarity="higher-is-better"
    )


def problems_in(text, name="comparison.csv"):
    return [(p.row, p.column, p.message) for p in read_comparison(name, text.encode()).problems]


# Where the council sits


def test_rank_quartile_and_median_by_the_indicators_polarity():
    others = [Decimal(v) for v in ("57.9", "44.6", "62.4", "41.2", "52.1", "37.4", "58.8")] + [None, None]
    higher = position(Y2019, Decimal("53.5"), others, Polarity.HIGHER_IS_BETTER)
    assert (higher.rank, higher.areas, higher.quartile, higher.missing) == (4, 8, 2, 2)
    assert higher.median == Decimal("52.8") and higher.quartile_words == "Second quartile"
    lower = position(Y2019, Decimal("53.5"), others, Polarity.LOWER_IS_BETTER)
    assert (lower.rank, lower.quartile) == (5, 3)
    best = position(Y2019, Decimal("70"), others, Polarity.HIGHER_IS_BETTER)
    assert (best.rank, best.quartile_words) == (1, "Top quartile (best 25%)")
    worst = position(Y2019, Decimal("1"), others, Polarity.HIGHER_IS_BETTER)
    assert (worst.rank, worst.quartile_words) == (8, "Bottom quartile (worst 25%)")


def test_areas_with_the_same_figure_share_a_rank():
    tied = position(
        Y2019, Decimal("5"), [Decimal("5"), Decimal("7"), Decimal("3")], Polarity.HIGHER_IS_BETTER
    )
    assert tied.rank == 2
    other = position(
        Y2019, Decimal("5"), [Decimal("7"), Decimal("3"), Decimal("5")], Polarity.HIGHER_IS_BETTER
    )
    assert other.rank == 2


def test_no_rank_without_the_councils_figure_or_a_better_direction():
    missing = position(Y2019, None, [Decimal("1"), Decimal("2")], Polarity.HIGHER_IS_BETTER)
    assert missing.rank is None and missing.why_unranked == "No figure for the council"
    assert missing.median == Decimal("1.5")
    info = position(Y2019, Decimal("3"), [Decimal("1")], Polarity.INFO_ONLY)
    assert info.rank is None and "neither a higher nor a lower" in info.why_unranked


def test_councils_are_compared_and_england_regions_and_averages_are_not():
    assert (
        compared("E07000240", DACORUM) and compared("E06000060", DACORUM) and compared("W06000015", DACORUM)
    )
    assert not compared("E92000001", DACORUM) and not compared("E12000006", DACORUM)
    assert not compared("Dacorum_CIPFA_Near_Neighbours", DACORUM)


# Reading LG Inform's file


def test_the_sample_is_read_whole_with_missing_figures_kept_as_missing():
    found = read_comparison(SAMPLE.name, SAMPLE.read_bytes())
    assert found.problems == []
    assert found.source == "Percentage of household waste sent for reuse, recycling and composting"
    assert [p.key for p in found.periods] == ["2017-18", "2018-19", "2019-20"]
    assert len(found.areas) == 12
    hertsmere = next(a for a in found.areas if a.code == "E07000098")
    assert hertsmere.figures[2] == (None, '"-" in LG Inform: none or not applicable')
    welwyn = next(a for a in found.areas if a.code == "E07000241")
    assert welwyn.figures[1] == (None, '".." in LG Inform: not available')
    assert welwyn.figures[0][0] == Decimal("42.1")


@pytest.mark.parametrize(
    ("headings", "keys"),
    [
        ("2019/20,2020/21", ["2019-20", "2020-21"]),
        ("Q1 2020/21,2020/21 Q2,Quarter 3 2020/21", ["2020-21-Q1", "2020-21-Q2", "2020-21-Q3"]),
        ("Jun 2020,July 2020,Aug-2020", ["2020-06", "2020-07", "2020-08"]),
        ("fin_2019_20,2020-21,fin_2021_22", ["2019-20", "2020-21", "2021-22"]),
        ("fin_2020_21_q1,fin_2020_21_q2", ["2020-21-Q1", "2020-21-Q2"]),
    ],
)
def test_periods_in_lg_informs_forms_are_normalised(headings, keys):
    count = len(keys)
    text = f"{HEADER}{headings}\r\n{DACORUM},Dacorum,Dacorum Borough Council,{','.join(['1'] * count)}\r\n"
    found = read_comparison("c.csv", text.encode())
    assert found.problems == [] and [p.key for p in found.periods] == keys


def test_a_second_header_row_of_identifiers_is_read_too():
    text = (
        "Metric title\r\n"
        f"{HEADER}Label one,Label two\r\n"
        "area,area label,area long label,fin_2019_20,fin_2020_21\r\n"
        f'{DACORUM},Dacorum,Dacorum,"1,234",5\r\n'
    )
    found = read_comparison("c.csv", text.encode())
    assert found.problems == []
    assert [p.key for p in found.periods] == ["2019-20", "2020-21"]
    assert found.areas[0].figures[0] == (Decimal("1234"), "")


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        (f"{HEADER}2019/20\r\n{DACORUM},Dacorum,D,lots\r\n", 2, "2019/20", '"lots" is not a number'),
        (f"{HEADER}2019/20\r\n{DACORUM},Dacorum,D,=1+2\r\n", 2, "2019/20", "formula"),
        (f"{HEADER}2019\r\n{DACORUM},Dacorum,D,5\r\n", 1, "2019", "calendar year"),
        (f"{HEADER}Spring\r\n{DACORUM},Dacorum,D,5\r\n", 1, "Spring", "not a period"),
        (f"{HEADER}2019/20,2019-20\r\n{DACORUM},Dacorum,D,5,6\r\n", 1, "2019-20", "also the column 2019/20"),
        (
            f"{HEADER}2019/20\r\n{DACORUM},Dacorum,D,5\r\n{DACORUM},Dacorum,D,6\r\n",
            3,
            "area",
            "also in row 2",
        ),
        (f"{HEADER}2019/20\r\n,Dacorum,D,5\r\n", 2, "area", "no area code"),
        (f"{HEADER}2019/20\r\n{DACORUM},Dacorum,D,5,7\r\n", 2, None, "beyond the last period"),
    ],
)
def test_a_bad_cell_is_refused_by_row_and_column(text, row, column, words):
    found = problems_in(text)
    assert any(r == row and c == column and words in m for r, c, m in found), found


def test_a_file_that_is_not_a_comparison_is_refused_unread():
    with pytest.raises(FileRefused, match="not a CSV"):
        read_comparison("comparison.xlsx", b"PK")
    with pytest.raises(FileRefused, match="area, area label, area long label"):
        read_comparison("values.csv", b"indicator,period,value\r\nCSU10,2020-21-Q1,5\r\n")


def test_the_councils_area_must_be_in_the_file(recycling, officer):
    found = read_comparison(SAMPLE.name, SAMPLE.read_bytes())
    plan = plan_benchmarks(found, indicator=recycling, area="E07000999", user=officer)
    assert not plan.ok and "no row for E07000999" in plan.problems[0].message
    plan = plan_benchmarks(found, indicator=recycling, area="", user=officer)
    assert not plan.ok and plan.problems[0].column == "area"


# Importing


def command(*args):
    out = StringIO()
    call_command("import-benchmark", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_checks_then_imports_and_records_the_file(recycling, officer):
    out = command(str(SAMPLE), "--indicator", "wr01", "--area", DACORUM, "--dry-run")
    assert "2019/20: ranked 4 of 8 (second quartile), median 52.8" in out
    assert "Kept for reference and not ranked: England; Mean for Dacorum CIPFA nearest neighbours." in out
    assert "Dry run" in out and not Benchmark.objects.exists()

    out = command(str(SAMPLE), "--indicator", "WR01", "--area", DACORUM)
    assert "benchmarks: 36 new, 0 changed, 0 unchanged" in out
    assert Benchmark.objects.filter(indicator=recycling).count() == 36
    council = Benchmark.objects.get(indicator=recycling, period=Y2019, is_council=True)
    assert (council.area, council.value) == (DACORUM, Decimal("53.5"))
    run = ImportRun.objects.get(state=ImportState.DONE)
    assert run.source == "benchmark" and run.requested_by == officer and council.run == run
    assert f"SHA-256 {run.sha256}" in out

    # The same file again changes nothing; the council's area is remembered.
    out = command(str(SAMPLE), "--indicator", "WR01")
    assert "0 new, 0 changed, 36 unchanged" in out


def test_a_file_replaces_the_comparison_for_its_periods_only(recycling, officer):
    data = SAMPLE.read_bytes()
    run_benchmark_import("all.csv", data, indicator=recycling, area=DACORUM, user=officer)
    text = f"{HEADER}2019/20\r\n{DACORUM},Dacorum,D,60\r\nE07000240,St Albans,S,50\r\n"
    run, plan = run_benchmark_import(
        "one.csv", text.encode(), indicator=recycling, area=DACORUM, user=officer
    )
    assert run.state == ImportState.DONE
    assert plan.counts["removed"] == 10 and any("will be removed" in n for n in plan.notes)
    assert Benchmark.objects.filter(indicator=recycling, period=Y2019).count() == 2
    assert Benchmark.objects.filter(indicator=recycling, period=Period.parse("2018-19")).count() == 12


def test_a_refused_file_writes_nothing(recycling, officer):
    with pytest.raises(CommandError, match="nothing was imported"):
        command(str(SAMPLE), "--indicator", "WR01", "--area", "E07000999")
    assert not Benchmark.objects.exists()
    assert ImportRun.objects.get().state == ImportState.REFUSED


def test_only_performance_officers_import_benchmarks(recycling):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run_benchmark_import(
            "c.csv", SAMPLE.read_bytes(), indicator=recycling, area=DACORUM, user=UserFactory()
        )
    assert not ImportRun.objects.exists()


# Reading them


def test_the_indicator_page_shows_where_the_council_sits(client, recycling, officer):
    run_benchmark_import(SAMPLE.name, SAMPLE.read_bytes(), indicator=recycling, area=DACORUM, user=officer)
    client.force_login(officer)
    page = client.get("/indicators/WR01/").content.decode()
    assert "Compared with other councils" in page
    assert "4 of 8" in page and "Second quartile" in page and "52.8%" in page and "53.5%" in page
    assert "2 with no figure" in page


def test_nobody_sees_benchmarks_of_an_indicator_they_may_not_read(client, recycling, officer):
    run_benchmark_import(SAMPLE.name, SAMPLE.read_bytes(), indicator=recycling, area=DACORUM, user=officer)
    assert len(positions(recycling, officer)) == 3
    assert positions(recycling, AnonymousUser()) == []
    owner = PersonFactory()  # owns another indicator, not this one
    RateIndicatorFactory(owner=owner)
    assert positions(recycling, owner.user) == []
    client.force_login(owner.user)
    response = client.get("/indicators/WR01/")
    assert response.status_code in (403, 404) and b"Compared with other councils" not in response.content
    client.logout()
    assert b"Compared with other councils" not in client.get("/indicators/WR01/").content


def test_reading_benchmarks_takes_the_same_queries_however_many_areas_and_periods(recycling, officer):

    def queries():
        reader = type(officer).objects.get(pk=officer.pk)
        with CaptureQueriesContext(connection) as context:
            found = positions(recycling, reader)
        return len(context), len(found)

    run_benchmark_import(SAMPLE.name, SAMPLE.read_bytes(), indicator=recycling, area=DACORUM, user=officer)
    few, periods = queries()
    rows = "".join(f"E0800{n:04d},Area {n},Area {n},{n},{n + 1},{n + 2}\r\n" for n in range(200))
    more = f"{HEADER}2020/21,2021/22,2022/23\r\n{DACORUM},Dacorum,D,5,6,7\r\n{rows}"
    run_benchmark_import("more.csv", more.encode(), indicator=recycling, area=DACORUM, user=officer)
    assert queries() == (few, periods + 3)
    assert few <= 2


def test_the_upload_page_checks_then_imports(client, recycling, officer):
    client.force_login(officer)
    assert client.get("/data/benchmarks/").status_code == 200

    def post(**extra):
        data = {"indicator": "WR01", "area": DACORUM, **extra}
        data["file"] = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/csv")
        return client.post("/data/benchmarks/", data)

    response = post(dry_run="on")
    assert response.status_code == 302 and not Benchmark.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "would sit" in page and "4 of 8" in page
    # A checked benchmark file is never imported through the workbook's confirm step.
    run = ImportRun.objects.get()
    assert client.post(f"/data/imports/{run.pk}/confirm/").status_code == 302
    assert ImportRun.objects.get().state == ImportState.CHECKED and not Benchmark.objects.exists()

    response = post()
    page = client.get(response["Location"]).content.decode()
    assert "Imported" in page and "See WR01" in page
    assert Benchmark.objects.count() == 36

    response = client.post("/data/benchmarks/", {"indicator": "WR01", "area": DACORUM})
    assert response.status_code == 400 and "Error:" in response.content.decode()
