"""The drafted summary's first paragraph reads as one sentence in every summary style,
even when nothing was measurable: "Of 2 indicators reported, no measurable targets."
(found by the council-of-its-own journey, whose layout preview came before any figure)."""

import pytest

from scrutineer.catalogue.models import SummaryStyle
from scrutineer.engine import Period, Status, Summary
from scrutineer.reports.narrative import draft_summary

Q3 = Period.parse("2023-24-Q3")


def nothing_measurable() -> Summary:
    counts = {status: 0 for status in Status} | {Status.NO_DATA: 2}
    return Summary(counts=counts, measurable=0, achieved=0, missing=("HO01", "HO02"), not_measured=())


@pytest.mark.parametrize("style", [SummaryStyle.ACHIEVED, SummaryStyle.PERCENTAGE])
def test_no_measurable_targets_is_not_capitalised_inside_the_sentence(style):
    first = draft_summary(Q3, nothing_measurable(), {}, style=style)[0]
    assert "Of 2 indicators reported, no measurable targets." in first, first


def test_a_figure_still_starts_the_clause():
    counts = {status: 0 for status in Status} | {Status.GREEN: 1, Status.AMBER: 1}
    summary = Summary(counts=counts, measurable=2, achieved=1, missing=(), not_measured=())
    first = draft_summary(Q3, summary, {}, style=SummaryStyle.PERCENTAGE)[0]
    assert "Of 2 indicators reported, 50% of measurable targets achieved." in first, first
