"""Forms for the performance officers' catalogue pages.

They check what was typed (types, choices, lengths); the actions in
`catalogue.actions` check the rules and save. Each form carries the `version` it
showed, so a save over someone else's change is refused.
"""

from __future__ import annotations

import json
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
    Priority,
    Theme,
)
from scrutineer.catalogue.people import choosable_people
from scrutineer.catalogue.status_rules import scope_choices
from scrutineer.changes import as_version, version_not_said
from scrutineer.engine import (
    Aggregation,
    FigureError,
    Frequency,
    Period,
    PeriodKeyError,
    StatusRule,
    StatusRuleError,
    Within,
    aggregation_problem,
)
from scrutineer.engine.errors import FigureTextError
from scrutineer.engine.figures import echo, plain, read_figure
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


# How the figures add up, asked in words that hold for a monthly indicator (months make a
# quarter and a year) and a quarterly one (quarters make a year); the model's choices say months.
AGGREGATION_WORDS = {
    "": "Not needed for an annual indicator",
    Aggregation.SUM.value: "Sum: the figures added together",
    Aggregation.MEAN.value: "Mean: the average of the figures",
    Aggregation.LAST.value: "Last: the latest figure",
    Aggregation.RATIO.value: "Summed numerators ÷ summed denominators (a rate)",
    Aggregation.CUMULATIVE.value: "Year to date: each figure is the financial year so far",
}
AGGREGATION_HELP = (
    "How a monthly indicator's months make a quarter and a year, or a quarterly indicator's "
    "quarters make a year. It decides the quarter's figure, how a year's target is shared out "
    "(only a sum is divided) and the year-end forecast. An annual indicator needs none."
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
            "may_exceed_100",
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
            "aggregation": "How the figures add up",
            "tolerance_kind": "Amber band",
            "tolerance_amount": "Size of the amber band",
            "active": "Reported (untick to retire it)",
            "retired_on": "Retired on",
            "may_exceed_100": "Percentages over 100% are allowed",
        }
        help_texts = {
            "definition": "What is counted and how, as the data owner and councillors should read it.",
            "tolerance_kind": "How far short of target a figure may be and still be amber rather than red.",
            "retired_on": "Reports for periods ending before this date still include it.",
            "aggregation": AGGREGATION_HELP,
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
            # Deactivated people are not offered, unless named here already (`people.choosable_people`).
            current = getattr(self.instance, f"{name}_id", None)
            self.fields[name].queryset = choosable_people(keep=[current], councillors=False)  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.select_related("priority")  # type: ignore[attr-defined]
        self._ask_how_figures_add_up()

    def _ask_how_figures_add_up(self) -> None:
        """In words for any frequency; not needed, so optional, for an annual indicator."""
        field = self.fields["aggregation"]
        field.choices = [  # type: ignore[attr-defined]
            (value, AGGREGATION_WORDS.get(value, label))
            for value, label in field.choices  # type: ignore[attr-defined]
        ]
        frequency = self.data.get(self.add_prefix("frequency")) if self.is_bound else self.instance.frequency
        field.required = frequency != Frequency.ANNUAL.value

    def clean_aggregation(self) -> str:
        """An annual indicator's figures make no quarter or year, so it keeps what it has, if
        its kind of measure allows it, else "last": never a question it must answer."""
        chosen: str = self.cleaned_data.get("aggregation") or ""
        if chosen or self.cleaned_data.get("frequency") != Frequency.ANNUAL.value:
            return chosen
        kept = self.instance.aggregation
        kind = self.cleaned_data.get("measure_kind") or self.instance.measure_kind
        if kept and kind and not aggregation_problem(kind, kept):
            return str(kept)
        return Aggregation.LAST.value

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


LAYOUT_FIELDS = (
    "table_caption",
    "period_labels",
    "grouping",
    "show_previous",
    "show_last_year",
    "show_trend",
    "show_comments",
    "comment_label",
    "summary_style",
    "table_as_appendix",
    "achievements_as_sections",
    "omit_empty_sections",
    "footer_text",
    "licence",
)
"""The committee's report layout, as its page shows it under "Report layout"
(docs/report-layouts.md)."""
LAYOUT_CHOICES = ("period_labels", "grouping", "summary_style")
LAYOUT_REQUIRED_MESSAGES = {
    "period_labels": "Select how to label the periods",
    "grouping": "Select how to group the indicators",
    "summary_style": "Select how to sum up the period",
    "comment_label": "Enter the label to print before each comment",
}
"""What to do about a layout field left empty, where the words built from its label would
not read well ("Select group the indicators by")."""


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
            *COVER_SHEET_FIELDS,
            *LAYOUT_FIELDS,
        ]
        field_classes = {
            name: TickedRows for name in ("services", "indicators", "members", "corporate_objectives")
        }
        widgets = {
            "services": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "members": forms.CheckboxSelectMultiple,
            "corporate_objectives": forms.CheckboxSelectMultiple,
            "period_labels": forms.RadioSelect,
            "grouping": forms.RadioSelect,
            "summary_style": forms.RadioSelect,
        }
        labels = {
            "members": "Members (councillors)",
            "portfolio": "Portfolio (its holder is the contact)",
            "table_caption": "Table caption",
            "period_labels": "Period labels",
            "grouping": "Group the indicators by",
            "show_previous": "Show the previous period",
            "show_last_year": "Show the same period last year",
            "show_trend": "Show the trend",
            "show_comments": "Show the comments",
            "comment_label": "Label before each comment",
            "summary_style": "Summary of the period",
            "table_as_appendix": "Put the performance table in an appendix",
            "achievements_as_sections": "Give each service's achievements a section of its own",
            "omit_empty_sections": "Leave out empty sections",
            "footer_text": "Footer text",
            "licence": "Licence",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Retired indicators stay listed while the committee has them, so a save never drops one.
        current = Q(committees=self.instance) if self.instance.pk is not None else Q(pk__in=[])
        self.fields["indicators"].queryset = (  # type: ignore[attr-defined]
            Indicator.objects.filter(Q(active=True) | current).distinct().order_by("code")
        )
        members = self.instance.members.values_list("pk", flat=True) if self.instance.pk is not None else []
        self.fields["members"].queryset = choosable_people(keep=members, councillors=True)  # type: ignore[attr-defined]

        # A post without a layout choice (a script written before there were any) keeps the
        # committee's: the page always sends one, as one of each set is always ticked.
        for name in LAYOUT_CHOICES:
            self.fields[name].required = False
        for name, message in LAYOUT_REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        for name in LAYOUT_CHOICES:
            if not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        return cleaned

    def details(self) -> list[Any]:
        """The committee's own fields and cover-sheet texts, before its report layout."""
        return [field for field in self.visible_fields() if field.name not in LAYOUT_FIELDS]

    def layout(self) -> list[Any]:
        """The fields of its report layout."""
        return [field for field in self.visible_fields() if field.name in LAYOUT_FIELDS]

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self._meta.fields  # type: ignore[union-attr]
            if name in self.cleaned_data and name not in self.many
        }

    def many_changes(self) -> dict[str, Any]:
        return {name: list(self.cleaned_data[name]) for name in self.many}


# Status rules

BAND_UNITS = [
    ("percent", "Percent of the target (5 means 5% of the target)"),
    ("units", "In the indicator's own unit (percentage points for a rate)"),
    ("tolerance", "Times the indicator's tolerance (1 means the tolerance)"),
]
OTHERWISE = [
    ("red", "Red"),
    ("last-year", "Amber if not worse than the same period last year, else red"),
    ("previous", "Amber if not worse than the previous period, else red"),
]
SIMILAR_UNITS = [("units", "In the indicator's own unit"), ("percent", "Percent of the earlier figure")]
_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_BUILDER_KEYS = {
    "name",
    "green",
    "amber-green",
    "amber",
    "amber-red",
    "otherwise",
    "labels",
    "similar",
    "trend_labels",
}
# The five judged levels, kindest first, and the bands the fields can write (all but red).
_STATUS_WORDS = ("green", "amber-green", "amber", "amber-red", "red")
_BANDS = _STATUS_WORDS[:-1]
_TREND_WORDS = ("better", "similar", "worse")


class AmountField(forms.CharField):
    """How far a band reaches: a number in digits ("5", "2.5"), never negative."""

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).strip()
        if text and _AMOUNT.fullmatch(text) is None:
            raise forms.ValidationError(
                f'Enter a number in digits, e.g. 5 or 2.5: "{echo(text)}" is not one.', code="invalid"
            )
        return text


def _field(word: str) -> str:
    """A level's name as a field's: "amber-green" → "amber_green"."""
    return word.replace("-", "_")


class StatusRuleForm(GovukForm, Versioned, forms.Form):
    """A status rule, written field by field (a green band, up to three more bands for the
    five levels, what lies beyond, the council's words) or pasted as JSON. The form builds the rule's
    interchange JSON (`rule_text`); `catalogue.actions.save_status_rule` checks it."""

    widths = {
        "green_within": "govuk-input--width-5",
        "amber_green_within": "govuk-input--width-5",
        "amber_within": "govuk-input--width-5",
        "amber_red_within": "govuk-input--width-5",
        "similar_within": "govuk-input--width-5",
        "label_green": "govuk-input--width-20",
        "label_amber_green": "govuk-input--width-20",
        "label_amber": "govuk-input--width-20",
        "label_amber_red": "govuk-input--width-20",
        "label_red": "govuk-input--width-20",
        "trend_better": "govuk-input--width-20",
        "trend_similar": "govuk-input--width-20",
        "trend_worse": "govuk-input--width-20",
    }

    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text='Shown with the key, e.g. "Within 5% is green".',
    )
    band_unit = forms.ChoiceField(
        label="Bands are measured", choices=BAND_UNITS, initial="percent", widget=forms.RadioSelect
    )
    green_within = AmountField(
        label="Green within",
        required=False,
        initial="0",
        help_text="How far short of the target a figure may be and still be green. 0: on target or better only.",
    )
    amber_green_within = AmountField(
        label="Amber-green within (optional)",
        required=False,
        help_text="For five levels: how far short it may be and still be amber-green; reaches further "
        "than green. Empty: no amber-green band.",
    )
    amber_within = AmountField(
        label="Amber within (optional)",
        required=False,
        help_text="How far short it may be and still be amber; reaches further than the bands above. "
        "Empty: no amber band.",
    )
    amber_red_within = AmountField(
        label="Amber-red within (optional)",
        required=False,
        help_text="For five levels: how far short it may be and still be amber-red; reaches further "
        "than the bands above. Empty: no amber-red band.",
    )
    otherwise = forms.ChoiceField(
        label="Beyond the last band", choices=OTHERWISE, initial="red", widget=forms.RadioSelect
    )
    label_green = forms.CharField(
        label="Word for green", required=False, max_length=60, help_text="Empty: Green."
    )
    label_amber_green = forms.CharField(
        label="Word for amber-green", required=False, max_length=60, help_text="Empty: Amber/Green."
    )
    label_amber = forms.CharField(
        label="Word for amber", required=False, max_length=60, help_text="Empty: Amber."
    )
    label_amber_red = forms.CharField(
        label="Word for amber-red", required=False, max_length=60, help_text="Empty: Amber/Red."
    )
    label_red = forms.CharField(label="Word for red", required=False, max_length=60, help_text="Empty: Red.")
    similar_within = AmountField(
        label="Similar within (optional)",
        required=False,
        help_text="A figure this close to an earlier one is similar, either way. Empty: only equal figures.",
    )
    similar_unit = forms.ChoiceField(
        label="The similar band is measured", choices=SIMILAR_UNITS, initial="units", widget=forms.RadioSelect
    )
    trend_better = forms.CharField(
        label="Word for better", required=False, max_length=60, help_text="Empty: Improving."
    )
    trend_similar = forms.CharField(
        label="Word for similar", required=False, max_length=60, help_text="Empty: Unchanged."
    )
    trend_worse = forms.CharField(
        label="Word for worse", required=False, max_length=60, help_text="Empty: Worsening."
    )
    definition = forms.CharField(
        label="Advanced: the rule as JSON (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Paste a rule in the interchange format (see the guide to status rules) for ordered clauses, "
        "a forecast or closest-to-target bands. When given, it is used instead of the fields above.",
    )

    builder = (
        (
            "The rule",
            (
                "name",
                "band_unit",
                "green_within",
                "amber_green_within",
                "amber_within",
                "amber_red_within",
                "otherwise",
            ),
        ),
        (
            "The council's words for the statuses",
            ("label_green", "label_amber_green", "label_amber", "label_amber_red", "label_red"),
        ),
        ("Trends", ("similar_within", "similar_unit", "trend_better", "trend_similar", "trend_worse")),
    )

    def __init__(self, *args: Any, changing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = ReasonField(required=changing)
        self.fields[
            "reason"
        ].help_text = "Kept with your name and the time in the catalogue's change history."

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.builder]

    @property
    def pasted(self) -> bool:
        return bool(self.cleaned_data.get("definition", "").strip())

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if not data.get("definition", "").strip() and not data.get("name", "").strip():
            self.add_error("name", 'Give the rule a name, e.g. "Within 5% is green".')
        return data

    def rule_text(self) -> str:
        """The rule's interchange JSON: what was pasted, else built from the fields."""
        data = self.cleaned_data
        if self.pasted:
            return str(data["definition"])
        unit = data.get("band_unit") or "percent"
        rule: dict[str, Any] = {"name": data.get("name", "")}
        green = data.get("green_within", "")
        if green and Decimal(green):
            rule["green"] = {"within": _band(green, unit)}
        for word in _BANDS[1:]:
            if data.get(f"{_field(word)}_within"):
                rule[word] = {"within": _band(data[f"{_field(word)}_within"], unit)}
        if data.get("otherwise", "red") != "red":
            rule["otherwise"] = {"amber_if_not_worse_than": data["otherwise"]}
        labels = {
            word: data[f"label_{_field(word)}"] for word in _STATUS_WORDS if data.get(f"label_{_field(word)}")
        }
        if labels:
            rule["labels"] = labels
        if data.get("similar_within"):
            amount = data["similar_within"]
            rule["similar"] = {"within": f"{amount}%" if data.get("similar_unit") == "percent" else amount}
        trends = {word: data[f"trend_{word}"] for word in _TREND_WORDS if data.get(f"trend_{word}")}
        if trends:
            rule["trend_labels"] = trends
        return json.dumps(rule, ensure_ascii=False, indent=2)

    def field_for(self, message: str) -> str | None:
        """The field an engine refusal is about ("labels.amber: …" → label_amber), when the
        rule was built from the fields; None (the JSON box) when it was pasted."""
        if self.pasted:
            return "definition"
        head = re.split(r"[:\s]", message.lower(), maxsplit=1)[0]
        both = re.search(r"for both ([\w-]+) and ([\w-]+)", message)
        if head in ("labels", "trend_labels") and both:
            word = both.group(2)
            return f"label_{_field(word)}" if head == "labels" else f"trend_{word}"
        key, _, sub = head.partition(".")
        if key == "labels" and sub in _STATUS_WORDS:
            return f"label_{_field(sub)}"
        if key == "trend_labels" and sub in _TREND_WORDS:
            return f"trend_{sub}"
        return {
            "name": "name",
            "green": "green_within",
            "amber-green": "amber_green_within",
            "amber": "amber_within",
            "amber-red": "amber_red_within",
            "otherwise": "otherwise",
            "similar": "similar_within",
        }.get(key)


def _band(amount: str, unit: str) -> str:
    if unit == "percent":
        return f"{amount}%"
    if unit == "tolerance":
        return "tolerance" if Decimal(amount) == 1 else f"{amount} × tolerance"
    return amount


def status_rule_initial(rule: StatusRule) -> dict[str, Any]:
    """The form's fields for a stored rule: field by field when the fields can say it
    exactly, else the JSON box holds it."""
    data = rule.as_mapping()
    pasted = {"name": rule.name, "definition": rule.to_json()}
    if set(data) - _BUILDER_KEYS:
        return pasted
    initial: dict[str, Any] = {
        "name": rule.name,
        "green_within": "0",
        "otherwise": "red",
        "similar_unit": "units",
    }
    units = set()
    for key in _BANDS:
        band = data.get(key)
        if isinstance(band, dict):
            within = Within.parse(band["within"], key)
            units.add(within.unit)
            initial[f"{_field(key)}_within"] = plain(within.amount)
    if len(units) > 1:
        return pasted
    initial["band_unit"] = next(iter(units)).value if units else "percent"
    otherwise = data.get("otherwise")
    if isinstance(otherwise, dict):
        initial["otherwise"] = otherwise["amber_if_not_worse_than"]
    labels = data.get("labels", {})
    trends = data.get("trend_labels", {})
    if not isinstance(labels, dict) or not isinstance(trends, dict):
        return pasted
    if set(labels) - set(_STATUS_WORDS) or set(trends) - set(_TREND_WORDS):
        return pasted
    initial.update({f"label_{_field(word)}": text for word, text in labels.items()})
    initial.update({f"trend_{word}": text for word, text in trends.items()})
    similar = data.get("similar")
    if isinstance(similar, dict):
        within = Within.parse(similar["within"], "similar")
        initial["similar_within"] = plain(within.amount)
        initial["similar_unit"] = within.unit.value
    form = StatusRuleForm(data={**initial, "definition": ""})
    try:
        if not form.is_valid() or StatusRule.from_json(form.rule_text()) != rule:
            return pasted
    except StatusRuleError:
        return pasted
    return initial


class ScopeForm(GovukForm, forms.Form):
    """Where a rule would apply: chosen, then previewed (sent with GET)."""

    to = forms.ChoiceField(label="Apply it to", choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = scope_choices()  # type: ignore[attr-defined]


class ApplyStatusRuleForm(GovukForm, Versioned, forms.Form):
    """Where to apply a rule (site, theme or indicator, by `RuleScope` key) and why."""

    to = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Kept with your name and the time in the change history.",
    )
