"""Both seed reports regenerate with every achievement, word for word, under its number."""

import io
import re

import docx as python_docx
import pytest
from django.utils.html import strip_tags

from scrutineer.demo import dacorum
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.docx import render_docx
from scrutineer.reports.renderers.html import render_html

pytestmark = pytest.mark.django_db

# period → (numbers of the service headings, numbers of their items), as the seeds print them
NUMBERING = {
    "2020-21-Q1": {
        "3.1": ["3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.1.6"],
        "3.2": ["3.2.1", "3.2.2"],
        "3.3": ["3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6"],
        "3.4": ["3.4.1", "3.4.2", "3.4.3", "3.4.4", "3.4.5"],
        "3.5": ["3.5.1", "3.5.2", "3.5.3"],
    },
    "2018-19-Q2": {
        "4": ["4.1", "4.2"],
        "5": ["5.1", "5.2", "5.3"],
        "6": ["6.1"],
        "7": ["7.1", "7.2", "7.3", "7.4", "7.5", "7.6"],
    },
}


def words(text: str) -> str:
    return " ".join(text.replace("&#x27;", "'").replace("&amp;", "&").replace("&quot;", '"').split())


def pieces(body: str) -> list[str]:
    """Each paragraph and bullet of an achievement's plain text."""
    return [
        words(p.removeprefix("- ")) for chunk in body.split("\n\n") for p in chunk.split("\n- ") if p.strip()
    ]


@pytest.mark.parametrize("key", list(NUMBERING))
def test_every_achievement_is_in_the_html_and_the_word_file_under_its_number(seed_council, key):
    doc = build_document(Report.objects.get(period=Period.parse(key)))
    html = words(strip_tags(render_html(doc)))
    word = python_docx.Document(io.BytesIO(render_docx(doc)))
    word_text = words(" ".join(p.text for p in word.paragraphs))

    expected_numbers = [n for items in NUMBERING[key].values() for n in items]
    service_slugs = list(dacorum.ACHIEVEMENTS[key])
    items = [body for slug in service_slugs for body in dacorum.ACHIEVEMENTS[key][slug]]
    assert len(items) == len(expected_numbers)

    for number, body in zip(expected_numbers, items, strict=True):
        first, *rest = pieces(body)
        for text in (html, word_text):
            assert f"{number} {first}" in text, (number, first[:60])
            for piece in rest:
                assert piece in text, (number, piece[:60])

    # Service headings carry their numbers ("3.2 The Old Town Hall", "5. The Old Town Hall").
    names = {slug: name for slug, name, _ in dacorum.SERVICES}
    for heading, slug in zip(NUMBERING[key], service_slugs, strict=True):
        label = f"{heading}." if heading.isdigit() else heading
        assert f"{label} {names[slug]}" in html
        assert f"{label} {names[slug]}" in word_text


def test_no_heading_is_ever_typed_from_another_quarter(seed_council):
    doc = build_document(Report.objects.get(period=Period.parse("2018-19-Q2")))
    text = words(strip_tags(render_html(doc)))
    assert "Quarter 2 Achievements" in text
    assert not re.search(r"1st Quarter|Quarter 1 Achievements", text)
    assert "during the quarter 2 in 2018/2019" in text
