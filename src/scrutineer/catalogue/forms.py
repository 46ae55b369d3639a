"""Forms for the performance officers' catalogue pages.

They check what was typed (types, choices, lengths); the actions in
`catalogue.actions` check the rules and save. Each form carries the `version` it
showed, so a save over someone else's change is refused.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from scrutineer.catalogue.models import (
    COVER_SHEET_FIELDS,
    Committee,
    Indicator,
    Person,
    Priority,
    Target,
    Theme,
)
from scrutineer.changes import as_version
from scrutineer.engine import Period, PeriodKeyError
from scrutineer.forms import GovukForm


class Versioned(forms.Form):
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def expected_version(self) -> int | None:
        return as_version(self.data.get(self.add_prefix("version")))


class ReasonField(forms.CharField):
    def __init__(self, *, required: bool, **kwargs: Any) -> None:
        super().__init__(
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            label="Reason for the change" if required else "Reason (optional)",
            help_text="Kept with your name and the time in the indicator's change history.",
            **kwargs,
        )


# The indicator form's fields, under the headings its page shows them in.
INDICATOR_SECTIONS = (
    ("What is measured", ("code", "name", "definition", "unit")),
    (
        "How it is judged",
        (
            "measure_kind",
            "polarity",
            "frequency",
            "aggregation",
            "decimal_places",
            "rate_scale",
            "duration_style",
        ),
    ),
    ("Tolerance", ("tolerance_kind", "tolerance_amount")),
    ("Who is responsible", ("service", "theme", "owner", "approver")),
    ("Reporting", ("active", "retired_on")),
)


class IndicatorForm(GovukForm, Versioned, forms.ModelForm):  # type: ignore[misc,type-arg]
    widths = {
        "code": "govuk-input--width-10",
        "unit": "govuk-input--width-10",
        "decimal_places": "govuk-input--width-3",
        "rate_scale": "govuk-input--width-5",
        "tolerance_amount": "govuk-input--width-5",
    }

    class Meta:
        model = Indicator
        fields = [name for _, names in INDICATOR_SECTIONS for name in names]
        widgets = {"retired_on": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "measure_kind": "Kind of measure",
            "polarity": "What good looks like",
            "aggregation": "How months make a quarter",
            "tolerance_kind": "Amber band",
            "tolerance_amount": "Size of the amber band",
            "active": "Reported (untick to retire it)",
            "retired_on": "Retired on",
        }
        help_texts = {
            "definition": "What is counted and how, as the data owner and councillors should read it.",
            "tolerance_kind": "How far short of target a figure may be and still be amber rather than red.",
            "retired_on": "Reports for periods ending before this date still include it.",
        }

    reason = ReasonField(required=True)

    sections = INDICATOR_SECTIONS

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields under the headings the page shows."""
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in self.sections
        ]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code.lower() == "new":
            raise forms.ValidationError(
                '"new" is kept for the address of the add-an-indicator page: choose another code.'
            )
        return code

    def __init__(self, *args: Any, site_default: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tolerance = self.fields["tolerance_kind"]
        tolerance.choices = [("", f"Site default ({site_default})"), *list(tolerance.choices)[1:]]  # type: ignore[attr-defined]
        if self.instance.pk is not None:
            del self.fields["code"]
        else:
            self.fields["reason"] = ReasonField(required=False)
        for name in ("owner", "approver"):
            self.fields[name].queryset = Person.objects.filter(is_councillor=False)  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.select_related("priority")  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}  # type: ignore[union-attr]


class PeriodKeyField(forms.CharField):
    def to_python(self, value: Any) -> Period | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return Period.parse(text)
        except PeriodKeyError as exc:
            raise forms.ValidationError(str(exc)) from None

    def prepare_value(self, value: Any) -> Any:
        return value.key if isinstance(value, Period) else value


class TargetForm(GovukForm, Versioned, forms.Form):
    widths = {"period": "govuk-input--width-10", "value": "govuk-input--width-10"}

    period = PeriodKeyField(
        label="Period",
        help_text="A financial year (2021-22), a quarter (2021-22-Q1) or a month (2021-06).",
    )
    value = forms.DecimalField(
        label="Target",
        max_digits=Target._meta.get_field("value").max_digits,  # type: ignore[attr-defined]
        decimal_places=Target._meta.get_field("value").decimal_places,  # type: ignore[attr-defined]
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, changing: bool = False, unit: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = ReasonField(required=changing)
        if unit:
            self.fields["value"].label = f"Target ({unit})"
        if changing:
            del self.fields["period"]


class RemoveTargetForm(GovukForm, Versioned, forms.Form):
    reason = forms.CharField(
        label="Reason for removing it",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Kept with your name and the time in the indicator's change history.",
    )


class PriorityForm(GovukForm, Versioned, forms.ModelForm):  # type: ignore[misc,type-arg]
    widths = {"position": "govuk-input--width-3"}

    class Meta:
        model = Priority
        fields = ["name", "objective", "position"]
        labels = {"objective": "Corporate objective", "position": "Order in reports"}


class ThemeForm(GovukForm, Versioned, forms.ModelForm):  # type: ignore[misc,type-arg]
    widths = {"position": "govuk-input--width-3"}

    class Meta:
        model = Theme
        fields = ["priority", "name", "position"]
        labels = {"position": "Order within its priority"}
        help_texts = {"name": 'Reports head its indicators "Priority - Theme".'}


class CommitteeForm(GovukForm, Versioned, forms.ModelForm):  # type: ignore[misc,type-arg]
    many = ("services", "indicators", "members", "corporate_objectives")

    class Meta:
        model = Committee
        fields = [
            "name",
            "slug",
            "portfolio",
            "services",
            "indicators",
            "members",
            "corporate_objectives",
            "table_caption",
            *COVER_SHEET_FIELDS,
            "table_as_appendix",
            "achievements_as_sections",
        ]
        widgets = {
            "services": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "members": forms.CheckboxSelectMultiple,
            "corporate_objectives": forms.CheckboxSelectMultiple,
        }
        labels = {"members": "Members (councillors)", "portfolio": "Portfolio (its holder is the contact)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Retired indicators stay listed while the committee has them, so a save never drops one.
        current = Q(committees=self.instance) if self.instance.pk is not None else Q(pk__in=[])
        self.fields["indicators"].queryset = (  # type: ignore[attr-defined]
            Indicator.objects.filter(Q(active=True) | current).distinct().order_by("code")
        )
        self.fields["members"].queryset = Person.objects.filter(is_councillor=True)  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields  # type: ignore[union-attr]
            if name in self.cleaned_data and name not in self.many
        }

    def many_changes(self) -> dict[str, Any]:
        return {name: list(self.cleaned_data[name]) for name in self.many}
