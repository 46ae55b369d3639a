"""GOV.UK forms: the error summary names each field, and optional fields say so."""

import re

import pytest
from django import forms
from django.contrib.auth.models import Group, User
from django.template.loader import render_to_string

from scrutineer.catalogue.access import PERFORMANCE_OFFICERS
from scrutineer.forms import GovukForm


class MeetingForm(GovukForm, forms.Form):
    name = forms.CharField()
    meeting_date = forms.DateField(label="Meeting date")
    aggregation = forms.ChoiceField(
        label="How the figures add up", choices=[("sum", "Sum"), ("mean", "Mean")]
    )
    themes = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)
    confirmed = forms.BooleanField(label="I have checked the figures")
    kpi_code = forms.CharField(label="KPI code")
    note = forms.CharField(required=False)
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=3)


def test_the_error_summary_names_every_field_left_empty():
    form = MeetingForm(data={})
    assert not form.is_valid()
    assert form.error_summary == {
        "id_name": ["Enter name"],
        "id_meeting_date": ["Enter meeting date"],
        "id_aggregation": ["Select how the figures add up"],
        "id_themes_0": ["Select themes"],
        "id_confirmed": ["Tick “I have checked the figures”"],
        "id_kpi_code": ["Enter KPI code"],
    }
    summary = render_to_string("web/_errors.html", {"errors": form.error_summary})
    assert "This field is required" not in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert ("id_meeting_date", "Enter meeting date") in links and len(links) == 6
    # beside the field, the same words
    assert form.errors["meeting_date"] == ["Enter meeting date"]


def test_a_message_that_does_not_name_its_field_is_named_in_the_summary():
    form = MeetingForm(data={"meeting_date": "9th of never", "reason": "too long"})
    assert not form.is_valid()
    assert form.error_summary["id_meeting_date"] == ["Meeting date: Enter a valid date."]
    assert form.error_summary["id_reason"] == [
        "Reason: Ensure this value has at most 3 characters (it has 8)."
    ]
    assert form.errors["meeting_date"] == ["Enter a valid date."]  # beside the field, it need not


def test_a_form_error_is_not_given_a_field_name():
    form = MeetingForm(data={})
    form.is_valid()
    form.add_error(None, "Someone else saved first.")
    assert form.error_summary["__all__"] == ["Someone else saved first."]


def label_of(form, name):
    html = render_to_string("web/_form_field.html", {"field": form[name]})
    return re.sub(
        r"\s+", " ", re.search(r"<(?:label|legend)[^>]*>(.*?)</(?:label|legend)>", html, re.S).group(1)
    )


def test_optional_fields_say_so_and_required_ones_do_not():
    form = MeetingForm()
    assert label_of(form, "name") == "Name"
    assert label_of(form, "meeting_date") == "Meeting date"
    assert label_of(form, "aggregation") == "How the figures add up"
    assert label_of(form, "themes") == "Themes"
    assert label_of(form, "note") == "Note (optional)"
    assert label_of(form, "reason") == "Reason (optional)"  # said once


@pytest.mark.django_db
def test_the_report_editor_shows_the_meeting_date_is_required_and_names_it_when_empty(client, seed_council):
    officer = User.objects.create_user("po", password="x-long-password")
    officer.groups.add(Group.objects.get_or_create(name=PERFORMANCE_OFFICERS)[0])
    client.force_login(officer)
    page = client.get("/reports/housing-community/2020-21-Q2/edit/").content.decode()
    assert re.search(r'for="id_meeting_date">Meeting date</label>', page)
    assert re.search(r'for="id_title">Title \(optional\)</label>', page)
    page = client.post(
        "/reports/housing-community/2020-21-Q2/edit/",
        {
            "version": "",
            "meeting_date": "",
            "table_as_appendix": "unknown",
            "achievements_as_sections": "unknown",
        },
    ).content.decode()
    summary = re.search(r'class="govuk-error-summary".*?</ul>', page, re.S).group(0)
    assert '<a href="#id_meeting_date">Enter meeting date</a>' in summary
    assert "This field is required" not in page
