"""A bad file of each kind is refused, naming the sheet, row and column, and the
database is unchanged (counts and content); an import killed half way writes nothing."""

import csv
import io

import pytest
from openpyxl import Workbook

from scrutineer.catalogue.models import Indicator, Person, Target
from scrutineer.collection.models import Value
from scrutineer.exchange import importing
from scrutineer.exchange.export import Selection, export_tables
from scrutineer.exchange.files import csv_files
from scrutineer.exchange.importing import check, start, write
from scrutineer.exchange.models import ImportRun, ImportState

pytestmark = pytest.mark.django_db

VALUES = "indicator,period,value,numerator,denominator,no_data_reason,not_measured,note,comment,state\r\n"


def state_of(user):
    """Counts and every exported byte: what the database holds."""
    counts = tuple(m.objects.count() for m in (Indicator, Target, Value, Person))
    history = tuple(m.history.count() for m in (Indicator, Target, Value))
    return counts, history, csv_files(export_tables(Selection(), user=user))


def problems_of(name, data, user, approved=False):
    run = start(name, data, user=user, approved=approved, source="test")
    plan = check(run)
    assert not plan.ok
    return [(p.sheet, p.row, p.column, p.message) for p in plan.problems]


def one(problems, sheet, row, column):
    found = [p for p in problems if p[:3] == (sheet, row, column)]
    assert found, problems
    return found[0][3]


@pytest.fixture
def before(seed_council, officer):
    return state_of(officer)


CASES = {
    "unknown code": ("NOPE01,2020-21-Q1,5,,,,,,,", 2, "indicator", "no indicator"),
    "bad period": ("CSU10,2020-13,5,,,,,,,", 2, "period", "not a period"),
    "not a number": ("CSU10,2021-22-Q1,lots,,,,,,,", 2, "value", "is not a number"),
    "numerator above denominator": ("CSU11,2021-22-Q1,,700,600,,,,,", 2, "numerator", "exceeds"),
    "zero denominator": ("CSU11,2021-22-Q1,,0,0,,,,,", 2, "denominator", "denominator is 0"),
    "wrong kind of period": ("CSU10,2021-06,5,,,,,,,", 2, "period", "collected quarterly"),
    "overwrites approved": ("CSU10,2020-21-Q1,99,,,,,,,", 2, None, "approved"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_values_row_is_refused_with_sheet_row_and_column(before, officer, case):
    line, row, column, words = CASES[case]
    problems = problems_of("values.csv", (VALUES + line + "\r\n").encode(), officer)
    assert words in one(problems, "values", row, column)
    assert state_of(officer) == before


def test_a_duplicate_row_is_refused(before, officer):
    data = (VALUES + "CSU10,2021-22-Q1,5,,,,,,,\r\nCSU10,Q1 2021/22,6,,,,,,,\r\n").encode()
    assert "row 2" in one(problems_of("values.csv", data, officer), "values", 3, "period")
    assert state_of(officer) == before


def test_an_owner_who_does_not_exist_is_refused(before, officer):
    tables = {t.sheet: t for t in export_tables(Selection(), user=officer)}
    files = csv_files([tables["indicators"]])
    text = files["indicators.csv"].decode().replace("Tracy Lancashire", "Tracey Lancaster", 1)
    message = one(problems_of("indicators.csv", text.encode(), officer), "indicators", 2, "owner")
    assert "Tracey Lancaster" in message and "people sheet" in message
    assert state_of(officer) == before


def test_a_formula_in_a_csv_is_refused(before, officer):
    data = (VALUES + "CSU10,2021-22-Q1,=1+2,,,,,,,\r\n").encode()
    assert "formula" in one(problems_of("values.csv", data, officer), "values", 2, "value")
    assert state_of(officer) == before


def xlsx(build):
    book = Workbook()
    sheet = book.active
    sheet.title = "values"
    sheet.append(VALUES.strip().split(","))
    build(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_formula_cell_is_refused_and_never_run(before, officer):
    data = xlsx(lambda s: s.append(["CSU10", "2021-22-Q1", '=WEBSERVICE("http://x")']))
    message = one(problems_of("book.xlsx", data, officer), "values", 2, "value (C)")
    assert "formula" in message and "WEBSERVICE" in message
    assert state_of(officer) == before


def test_a_hidden_row_is_refused(before, officer):
    def build(sheet):
        sheet.append(["CSU10", "2021-22-Q1", 5])
        sheet.append(["CSU12", "2021-22-Q1", 7])
        sheet.row_dimensions[3].hidden = True

    assert "hidden" in one(problems_of("book.xlsx", xlsx(build), officer), "values", 3, None)
    assert state_of(officer) == before


def test_merged_cells_are_refused(before, officer):
    def build(sheet):
        sheet.append(["CSU10", "2021-22-Q1", 5])
        sheet.append([None, "2021-22-Q2", 6])
        sheet.merge_cells("A2:A3")

    assert "merged" in one(problems_of("book.xlsx", xlsx(build), officer), "values", 2, "A2:A3")
    assert state_of(officer) == before


def test_an_xml_bomb_is_refused_unread(before, officer):
    import zipfile

    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    good = xlsx(lambda s: None)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = bomb.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            dst.writestr(item, content)
    problems = problems_of("bomb.xlsx", out.getvalue(), officer)
    assert "DTD" in problems[0][3]
    assert state_of(officer) == before


def test_a_file_over_the_size_limit_is_refused(before, officer, settings):
    settings.SCRUTINEER_IMPORT_MAX_BYTES = 100
    problems = problems_of("values.csv", (VALUES + "CSU10,2021-22-Q1,5,,,,,,,\r\n" * 5).encode(), officer)
    assert "MB" in problems[0][3]
    assert state_of(officer) == before


def test_an_import_killed_half_way_leaves_the_database_unchanged(before, officer, monkeypatch):
    tables = export_tables(Selection(), user=officer)
    files = csv_files(tables)
    indicators = (
        files["indicators.csv"]
        .decode()
        .replace("CSU10,", "NEW10,", 1)
        .replace("Call Handling", "Call Handling (new)", 1)
    )
    values = VALUES + "NEW10,2020-21-Q1,5,,,,,,,\r\nCSU10,2021-22-Q1,80,,,,,,,\r\n"
    from scrutineer.exchange.files import zip_of

    data = zip_of({"indicators.csv": indicators.encode(), "values.csv": values.encode()})
    run = start("half.zip", data, user=officer, source="test")
    plan = check(run)
    assert plan.ok, plan.problems

    def killed(*args, **kwargs):
        raise RuntimeError("the process was killed")

    monkeypatch.setattr(importing, "import_figures", killed)
    with pytest.raises(RuntimeError):
        write(run, plan)
    assert state_of(officer) == before
    run = importing.run_import(ImportRun.objects.get(pk=run.pk))
    assert run.state == ImportState.FAILED and "nothing was written" in run.message
    assert state_of(officer) == before


def test_a_refusal_is_named_in_every_row_that_has_it(before, officer):
    """Checks answered once per distinct figure (or per set of values a constraint reads)
    still name every row that fails them."""
    data = (
        VALUES + "CSU10,2021-22-Q1,-5,,,,,,,\r\nCSU10,2021-22-Q2,-5,,,,,,,\r\nCSU10,2021-22-Q3,-5,,,,,,,\r\n"
    ).encode()
    problems = problems_of("values.csv", data, officer)
    assert [p[1] for p in problems if p[2] == "value"] == [2, 3, 4]
    assert all("negative" in p[3] for p in problems)
    tables = {t.sheet: t for t in export_tables(Selection(), user=officer)}
    rows = list(csv.reader(io.StringIO(csv_files([tables["indicators"]])["indicators.csv"].decode())))
    # Two indicators with a tolerance kind and no amount: the constraint refuses both rows.
    kind, amount = rows[0].index("tolerance_kind"), rows[0].index("tolerance_amount")
    for row in rows[1:3]:
        row[kind], row[amount] = "absolute", ""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    problems = problems_of("indicators.csv", out.getvalue().encode(), officer)
    assert [p[1] for p in problems] == [2, 3], problems
    assert all("tolerance needs both its kind and a non-negative amount" in p[3] for p in problems)
    assert state_of(officer) == before
