"""What the collection pages post, read into plain values for the actions.

These forms only read the request: every rule about figures (numbers, rates, reasons,
periods, who may) is the actions' own (`collection.actions`, `collection.validation`),
so an import or an API call meets the same checks as the page.
"""

from __future__ import annotations

from typing import Any

from django import forms

from scrutineer.changes import as_version
from scrutineer.collection.models import CommentFrom
from scrutineer.forms import GovukForm


class EntryForm(forms.Form):
    """The figure entry page: a value, or a numerator and denominator, or a reason for no data."""

    value = forms.CharField(required=False, strip=True)
    numerator = forms.CharField(required=False, strip=True)
    denominator = forms.CharField(required=False, strip=True)
    no_data_reason = forms.CharField(required=False, strip=False)
    not_measured = forms.CharField(required=False)
    note = forms.CharField(required=False, strip=False)
    commentary = forms.CharField(required=False, strip=False)
    version = forms.CharField(required=False)
    action = forms.CharField(required=False)

    def data_for_action(self) -> dict[str, Any]:
        """What was typed, as the page shows it again and `save_value` takes it."""
        self.is_valid()  # every field is optional text: this only fills cleaned_data

        def typed(name: str) -> str:
            # Django refuses text with a NUL character; pass it on as typed, and the
            # action says what is wrong with it beside the field.
            if name in self.cleaned_data:
                return str(self.cleaned_data[name])
            return str(self.data.get(name, ""))

        return {
            "value": typed("value"),
            "numerator": typed("numerator"),
            "denominator": typed("denominator"),
            "no_data_reason": typed("no_data_reason"),
            "not_measured": typed("not_measured") == "yes",
            "note": typed("note"),
            "commentary": typed("commentary"),
        }

    @property
    def expected_version(self) -> int | None:
        return as_version(self.data.get("version") or None)

    @property
    def submits(self) -> bool:
        return self.data.get("action") == "submit"


def posted_versions(posted: list[str]) -> dict[int, int | None]:
    """The figures an approve-many form sent back, id → the version shown ("id:version"),
    None where the version is missing or garbage; tokens without an id are dropped."""
    versions: dict[int, int | None] = {}
    for token in posted:
        pk, _, version = token.partition(":")
        if _ascii_digits(pk):
            versions[int(pk)] = as_version(version)
    return versions


def shown_drafts(posted: list[str]) -> list[tuple[int, int]] | None:
    """The (id, version) pairs an approve form sent back ("id:version"); None if it sent
    none or garbage."""
    shown = []
    for token in posted:
        pk, _, version = token.partition(":")
        if not (_ascii_digits(pk) and _ascii_digits(version)):
            return None
        shown.append((int(pk), int(version)))
    return shown or None


def _ascii_digits(text: str) -> bool:
    """True for "12", not for "", digits `int` cannot read ("²") or would read oddly ("٣"),
    or a number too large for any id or version column (the database would refuse it)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


# The collection cycle's forms: they read what was typed; the actions check it.


class _DateInput(forms.TextInput):
    input_type = "date"


class OpenRoundForm(GovukForm, forms.Form):
    widths = {
        "period": "govuk-input--width-10",
        "remind_days_before": "govuk-input--width-3",
        "escalate_days_after": "govuk-input--width-3",
    }

    period = forms.CharField(
        label="Period", help_text="A quarter such as 2020-21-Q2, or a month such as 2020-09.", max_length=20
    )
    opens_on = forms.CharField(
        label="Opens on (optional)",
        required=False,
        widget=_DateInput,
        help_text="Leave empty to open it today.",
    )
    due_on = forms.CharField(label="Figures due from data owners on", required=False, widget=_DateInput)
    approvals_due_on = forms.CharField(label="Approvals due on", required=False, widget=_DateInput)
    remind_days_before = forms.CharField(
        label="Remind data owners this many days before", initial="3", required=False, max_length=5
    )
    escalate_days_after = forms.CharField(
        label="Tell performance officers this many days after the due date",
        initial="5",
        required=False,
        max_length=5,
    )


class ScheduleForm(GovukForm, forms.Form):
    widths = {
        name: "govuk-input--width-3"
        for name in ("open_day", "due_day", "approvals_day", "remind_days_before", "escalate_days_after")
    }

    version = forms.CharField(required=False, widget=forms.HiddenInput)
    open_day = forms.CharField(
        label="Open each round on day", help_text="Of the month after the period ends, 1 to 28.", max_length=5
    )
    due_day = forms.CharField(label="Figures due on day", max_length=5)
    approvals_day = forms.CharField(label="Approvals due on day", max_length=5)
    remind_days_before = forms.CharField(label="Remind data owners this many days before", max_length=5)
    escalate_days_after = forms.CharField(
        label="Tell performance officers this many days after the due date", max_length=5
    )
    active = forms.BooleanField(label="Open rounds by this schedule", required=False)


class CorrectionForm(GovukForm, forms.Form):
    widths = {
        "value": "govuk-input--width-10",
        "numerator": "govuk-input--width-10",
        "denominator": "govuk-input--width-10",
    }

    version = forms.CharField(required=False, widget=forms.HiddenInput)
    value = forms.CharField(label="Corrected figure", required=False, max_length=60)
    numerator = forms.CharField(label="Corrected numerator", required=False, max_length=60)
    denominator = forms.CharField(label="Corrected denominator", required=False, max_length=60)
    no_data_reason = forms.CharField(
        label="If there is no figure, why", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    not_measured = forms.BooleanField(label="This figure is not a real measurement", required=False)
    commentary = forms.CharField(
        label="Comment for the report",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the corrected figure would be reported red.",
    )
    reason = forms.CharField(
        label="Why the figure is corrected",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the restatement on the indicator page and in the committee's next report.",
    )


class CorrectiveActionForm(GovukForm, forms.Form):
    description = forms.CharField(
        label="What will be done", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ChoiceField(label="By whom", required=False)
    due_on = forms.CharField(label="By when", required=False, widget=_DateInput)

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", "Choose a person"),
            *((str(p.pk), p.name_and_title) for p in people),
        ]


class ProgressForm(GovukForm, forms.Form):
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    progress = forms.CharField(
        label="Progress",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How it is going now.",
    )
    due_on = forms.CharField(label="New date (optional)", required=False, widget=_DateInput)
    done = forms.BooleanField(label="It is done", required=False)


class CommentRuleForm(GovukForm, forms.Form):
    required_from = forms.ChoiceField(
        label="Which figures need a comment for the report before they are submitted",
        widget=forms.RadioSelect,
        choices=CommentFrom.choices,
    )
