"""The introduction promises the achievements only when the report prints them: a quarter
with no approved achievements, whose section is left out (omit_empty_sections), is
introduced without "and also highlight key achievements" (found after empty sections could
be left out: the paper promised a section it did not print)."""

import pytest
from django.utils.html import strip_tags

from scrutineer.collection.models import Achievement
from scrutineer.engine import Period
from scrutineer.reports.builder import build_document
from scrutineer.reports.models import Report
from scrutineer.reports.renderers.html import render_html

pytestmark = pytest.mark.django_db

Q1 = Period.parse("2020-21-Q1")
SEED = (
    "This paper will provide an update on service performance over Q1 2020/2021 and also "
    "highlight key achievements over this same period."
)
PLAIN = "This paper will provide an update on service performance over Q1 2020/2021."


def introduction(**committee) -> str:
    report = Report.objects.select_related("committee").get(period=Q1)
    for name, value in committee.items():
        setattr(report.committee, name, value)
    (paragraph,) = build_document(report).sections[0].blocks
    return paragraph.text


def test_the_seed_is_introduced_in_its_own_words(seed_council):
    assert introduction() == SEED
    doc = build_document(Report.objects.get(period=Q1))
    assert f"1.1 {SEED}" in " ".join(strip_tags(render_html(doc)).split())


def test_no_achievements_and_no_section_means_no_promise_of_them(seed_council):
    Achievement.objects.filter(period=Q1).delete()
    assert introduction() == PLAIN
    doc = build_document(Report.objects.get(period=Q1))
    assert [s.anchor for s in doc.sections] == ["introduction", "performance"]
    assert "achievements" not in " ".join(strip_tags(render_html(doc)).split()).lower()


def test_an_empty_section_kept_by_the_committee_keeps_the_promise(seed_council):
    Achievement.objects.filter(period=Q1).delete()
    assert introduction(omit_empty_sections=False) == SEED


def test_achievements_not_yet_approved_are_not_promised(seed_council):
    Achievement.objects.filter(period=Q1).update(state="draft")
    assert introduction() == PLAIN


def test_an_introduction_typed_for_the_report_is_printed_as_typed(seed_council):
    Achievement.objects.filter(period=Q1).delete()
    Report.objects.filter(period=Q1).update(introduction="Our own words about achievements.")
    assert introduction() == "Our own words about achievements."
