"""The committee form's layout fields say what to do in words that read well when one is
left empty: "Select how to group the indicators", never the words built from the label
"Group the indicators by" ("Select group the indicators by", as found)."""

import pytest

from scrutineer.catalogue.forms import LAYOUT_CHOICES, CommitteeForm
from scrutineer.reports.layout import LAYOUT_FIELDS

pytestmark = pytest.mark.django_db

EXPECTED = {
    "period_labels": "Select how to label the periods",
    "grouping": "Select how to group the indicators",
    "summary_style": "Select how to sum up the period",
    "show_previous": "Tick “Show the previous period”",
    "show_last_year": "Tick “Show the same period last year”",
    "show_trend": "Tick “Show the trend”",
    "show_comments": "Tick “Show the comments”",
    "comment_label": "Enter the label to print before each comment",
    "omit_empty_sections": "Tick “Leave out empty sections”",
    "footer_text": "Enter footer text",
    "licence": "Enter licence",
}


def test_every_layout_field_says_what_to_do_in_words_that_read_well():
    form = CommitteeForm(data={})
    form.is_valid()
    assert set(EXPECTED) == set(LAYOUT_FIELDS)
    assert {name: form.fields[name].error_messages["required"] for name in LAYOUT_FIELDS} == EXPECTED


def test_a_layout_choice_left_empty_where_it_is_required_says_so_in_the_summary():
    form = CommitteeForm(data={"period_labels": "", "grouping": "", "summary_style": ""})
    for name in LAYOUT_CHOICES:
        form.fields[name].required = True
    assert not form.is_valid()
    assert form.errors["grouping"] == ["Select how to group the indicators"]  # beside the field
    assert form.errors["period_labels"] == ["Select how to label the periods"]
    assert form.errors["summary_style"] == ["Select how to sum up the period"]
    # The summary names each field by its label, as it does every message not naming it.
    summary = form.error_summary
    assert summary["id_grouping_0"] == ["Group the indicators by: Select how to group the indicators"]
    assert not any("select group the indicators by" in m.lower() for ms in summary.values() for m in ms)
