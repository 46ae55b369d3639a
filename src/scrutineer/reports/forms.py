"""The report editor's form: cover sheet, introduction and performance summary."""

from __future__ import annotations

from typing import Any

from django import forms

from scrutineer.catalogue.models import COVER_SHEET_FIELDS
from scrutineer.forms import GovukForm
from scrutineer.reports.models import EDITABLE_FIELDS, PARTS, Report

TEXT_OVERRIDES = ("contact", "corporate_objectives", *COVER_SHEET_FIELDS)


class ReportForm(GovukForm, forms.ModelForm):  # type: ignore[misc,type-arg]
    """Empty cover-sheet boxes take the committee's default, shown as the hint."""

    class Meta:
        model = Report
        fields = list(EDITABLE_FIELDS)
        widgets = {
            # A date box takes ISO dates whatever the locale: "09/09/2020" would show it empty.
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "table_as_appendix": forms.NullBooleanSelect(),
            "achievements_as_sections": forms.NullBooleanSelect(),
        }

    def __init__(self, *args: Any, defaults: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].required = True
        part = self.fields["part"]
        if self.instance.pk is not None and not self.instance.part:
            # Stored without a part (as its source left it): kept so until one is chosen.
            part.choices = [("", "Not stated"), *PARTS]
        else:
            # Part I unless Part II is chosen, with its reason: a report is never left unstated.
            part.choices = PARTS
            part.required = True
            part.error_messages["required"] = "Select Part I (public) or Part II (exempt)."
        for name in TEXT_OVERRIDES:
            field = self.fields[name]
            field.required = False
            default = (defaults or {}).get(name, "")
            field.help_text = (
                f"Empty: the committee's default ({default})." if default else "Empty: left blank."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in TEXT_OVERRIDES:
            if data.get(name) == "":
                data[name] = None  # take the committee's default
        if data.get("part") == "II" and not data.get("part_two_reason"):
            self.add_error("part_two_reason", "Give the reason a Part II report is exempt from publication.")
        if data.get("part") != "II" and data.get("part_two_reason"):
            self.add_error(
                "part_two_reason", "Only a Part II report gives a reason; clear this or choose Part II."
            )
        return data
