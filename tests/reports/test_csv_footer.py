"""The CSV carries the committee's licence as its `# Licence:` line and never its footer
text: after the header every line is a data row with the header's fields, so nothing
trails the rows for a program reading them (docs/report-layouts.md, "In each format")."""

import csv
import io

import pytest

from scrutineer.catalogue.models import Committee
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.csvfile import render_csv

pytestmark = pytest.mark.django_db

FOOTER = "Planning Committee, 14 March 2024"


def q1_csv(**layout) -> str:
    Committee.objects.filter(slug="housing-community").update(**layout)
    return render_csv(build_document(Report.objects.get(period=Period.parse("2020-21-Q1"))))


def test_the_licence_is_a_metadata_line_and_the_footer_text_is_not_in_the_file(seed_council):
    text = q1_csv(footer_text=FOOTER, licence="Creative Commons Attribution 4.0 International")
    lines = text.split("\r\n")
    meta = [line for line in lines if line.startswith("# ")]
    assert "# Licence: Creative Commons Attribution 4.0 International" in meta
    assert "Published under" not in text
    assert FOOTER not in text and "Planning Committee" not in text
    rows = list(csv.reader(io.StringIO("\r\n".join(lines[len(meta) :]))))
    header, *data = rows
    assert data and all(len(row) == len(header) for row in data)
    assert data[-1][0] == "CSU06"  # the last indicator's rows end the file


def test_the_seeds_licence_line_is_unchanged(seed_council):
    meta = [line for line in q1_csv().split("\r\n") if line.startswith("# Licence")]
    assert meta == [
        "# Licence: Open Government Licence v3.0 "
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    ]
