"""The licence line reads correctly for any licence: "the" before a name that calls itself
a licence (the seed's "Published under the Open Government Licence v3.0"), none before any
other name, nor before one that brings its own article (found reading "Published under the
Creative Commons Attribution 4.0 International")."""

import io

import docx as python_docx
import pytest
from django.utils.html import strip_tags

from scrutineer.catalogue.models import Committee
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.document import licence_lead_for
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.docx import render_docx
from scrutineer.reports.renderers.html import render_html


@pytest.mark.parametrize(
    "licence, line",
    [
        ("Open Government Licence v3.0", "Published under the Open Government Licence v3.0"),
        ("MIT License", "Published under the MIT License"),
        (
            "Creative Commons Attribution 4.0 International",
            "Published under Creative Commons Attribution 4.0 International",
        ),
        ("CC BY 4.0", "Published under CC BY 4.0"),
        (
            "Creative Commons Attribution 4.0 International License",
            "Published under the Creative Commons Attribution 4.0 International License",
        ),
        (
            "a Creative Commons Attribution 4.0 International Licence",
            "Published under a Creative Commons Attribution 4.0 International Licence",
        ),
        ("The Open Government Licence v3.0", "Published under The Open Government Licence v3.0"),
        ("the council's own licence", "Published under the council's own licence"),
        ("Licensing terms on our website", "Published under Licensing terms on our website"),
        ("Anthem Licence", "Published under the Anthem Licence"),  # "An" begins a word here
    ],
)
def test_the_licence_line_reads_correctly(licence, line):
    assert f"{licence_lead_for(licence)} {licence}" == line


def text_of(doc) -> tuple[str, str]:
    html = " ".join(strip_tags(render_html(doc)).split())
    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    footer = " ".join(p.text for p in word.sections[0].footer.paragraphs)
    return html, footer


@pytest.mark.django_db
def test_every_format_prints_the_licence_so(seed_council):
    Committee.objects.filter(slug="housing-community").update(
        licence="Creative Commons Attribution 4.0 International"
    )
    doc = build_document(Report.objects.get(period=Period.parse("2020-21-Q1")))
    html, footer = text_of(doc)
    assert "Published under Creative Commons Attribution 4.0 International" in html
    assert "Published under the Creative" not in html
    assert "Published under Creative Commons Attribution 4.0 International" in footer


@pytest.mark.django_db
def test_the_seeds_footer_is_unchanged(seed_council):
    doc = build_document(Report.objects.get(period=Period.parse("2020-21-Q1")))
    html, footer = text_of(doc)
    assert doc.licence_line == "Published under the Open Government Licence v3.0"
    assert "Published under the Open Government Licence v3.0" in html  # the link's words
    assert "Published under the Open Government Licence v3.0" in footer
