"""Forms for the performance officers' catalogue pages.

They check what was typed (types, choices, lengths); the actions in
`catalogue.actions` check the rules and save. Each form carries the `version` it
showed, so a save over someone else's change is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q

from scrutineer.catalogue.actions import RATE_SCALE_MESSAGE
from scrutineer.catalogue.models import (
    COVER_SHEET_FIELDS,
    Committee,
    Indicator,
    Person,
    Priority,
    Theme,
)
from scrutineer.changes import as_version, version_not_said
from scrutineer.engine import FigureError, Period, PeriodKeyError
from scrutineer.engine.errors import FigureTextError
from scrutineer.engine.figures import echo, read_figure
from scrutineer.forms import GovukForm


class Versioned(forms.Form):
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def expected_version(self) -> int | None:
        return as_version(self.data.get(self.add_prefix("version")))


class FigureFormField(forms.DecimalField):
    """A figure typed into a catalogue form (a target, a tolerance, a rate scale), read as
    the collection actions read one (decision 0011): ASCII digits, a sign, one decimal
    point and thousands commas, within what every database keeps exactly."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        text = str(value)
        try:
            return read_figure(text)
        except FigureTextError:
            raise forms.ValidationError(
                f'Enter a number in digits, e.g. 640, 19,498 or 79.33: "{echo(text.strip())}" is not one.',
                code="invalid",
            ) from None
        except FigureError as error:
            raise forms.ValidationError(_sentence(str(error)), code="invalid") from None


class WholeNumberField(forms.IntegerField):
    """A whole number typed in ASCII digits ("3"): not "٣", "３" or "1_0", which `int` takes."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if _WHOLE_NUMBER.fullmatch(text) is None:
            raise forms.ValidationError(
                f'"{echo(text)}" is not a whole number; enter digits, e.g. 3.', code="invalid"
            )
        if len(text.lstrip("+-").lstrip("0")) > 18:
            raise forms.ValidationError(
                f"{echo(text)} is too large: enter a smaller whole number.", code="invalid"
            )
        return int(text)


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


class TickedRows(forms.ModelMultipleChoiceField):
    """Rows ticked by id. An id that is not ASCII digits short enough for an id column is
    refused before the database is asked: SQLite cannot even compare a column with one."""

    def clean(self, value: Any) -> Any:
        for pk in value or ():
            text = str(pk)
            if not (text.isascii() and text.isdigit() and len(text) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": echo(text)},
                )
        return super().clean(value)


def _sentence(message: str) -> str:
    """An engine message ("… is not a number; …") as a sentence beside a field."""
    return f"{message[:1].upper()}{message[1:]}."


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
        field_classes = {
            "decimal_places": WholeNumberField,
            "rate_scale": FigureFormField,
            "tolerance_amount": FigureFormField,
        }
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

    def clean_rate_scale(self) -> Decimal | None:
        scale: Decimal | None = self.cleaned_data.get("rate_scale")
        if scale is not None and scale <= 0:
            raise forms.ValidationError(RATE_SCALE_MESSAGE)
        return scale

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
    value = FigureFormField(label="Target")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, changing: bool = False, unit: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = ReasonField(required=changing)
        if unit:
            self.fields["value"].label = f"Target ({unit})"
        self.changing = changing
        if changing:
            del self.fields["period"]

    def clean(self) -> dict[str, Any] | None:
        # The action reads no version as adding a target, and would say one is already set.
        if self.changing and self.expected_version() is None:
            raise forms.ValidationError(version_not_said("target", None, {}).message)
        return super().clean()


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
        field_classes = {"position": WholeNumberField}
        labels = {"objective": "Corporate objective", "position": "Order in reports"}


class ThemeForm(GovukForm, Versioned, forms.ModelForm):  # type: ignore[misc,type-arg]
    widths = {"position": "govuk-input--width-3"}

    class Meta:
        model = Theme
        fields = ["priority", "name", "position"]
        field_classes = {"position": WholeNumberField}
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
        field_classes = {
            name: TickedRows for name in ("services", "indicators", "members", "corporate_objectives")
        }
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
