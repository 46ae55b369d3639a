"""GOV.UK Frontend markup for Django forms, shared by every form the app renders.

`GovukForm` gives each widget its GOV.UK class (and its error class when the field
has an error). Django points a field's `aria-describedby` at `<id>_helptext` and
`<id>_error`, so the templates `web/_field.html` and `web/_form_field.html` give the
hint and the error those ids, and a screen reader reads them with the field.

As GOV.UK does, those templates mark the fields a form does not require "(optional)"
and leave required ones unmarked; a field left empty that is required says what to do,
naming the field ("Enter meeting date", "Select how the figures add up"), and every
message in the error summary names its field ("Meeting date: Enter a valid date.").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import pretty_name

_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.NullBooleanSelect: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}


# Django's messages for these quote back what was posted, however long it is: these do not.
_NOT_ECHOED = {
    "invalid_choice": "Select a valid choice: the one sent is not among those offered.",
    "invalid_pk_value": "Select a valid choice: one of those sent is not among those offered.",
}


# Django's own message for an empty required field, which names no field.
_UNNAMED_REQUIRED = str(forms.Field.default_error_messages["required"])
_CHOSEN = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)


def _in_a_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Meeting date" → "meeting date", but "KPI code"
    and "URL" keep their capitals."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _label(field: forms.Field, name: str) -> str:
    """The field called `name` as the page labels it, without "(optional)": "Reason"."""
    label = str(pretty_name(name) if field.label is None else field.label).strip().rstrip(":?").strip()
    return label.removesuffix("(optional)").strip()


def required_message(field: forms.Field, name: str) -> str:
    """What to do about the field called `name` left empty when it is required, in GOV.UK's
    words: "Enter meeting date", "Select how the figures add up", "Tick “I confirm”"."""
    label = _label(field, name)
    if not label:
        return _UNNAMED_REQUIRED
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return f"Tick “{label}”"
    verb = "Select" if isinstance(widget, _CHOSEN) else "Enter"
    return f"{verb} {_in_a_sentence(label)}"


class GovukForm(forms.BaseForm):
    """Mix in before `forms.Form` or `forms.ModelForm`; `widths` sizes text inputs
    (`{"code": "govuk-input--width-10"}`). Its messages never quote back a whole choice
    that was posted (Django's would, however long)."""

    widths: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            for code, message in _NOT_ECHOED.items():
                if code in field.error_messages:
                    field.error_messages[code] = message
            widget = field.widget
            css = _CLASSES.get(type(widget), "govuk-input")
            if isinstance(widget, forms.Textarea) and str(widget.attrs.get("rows")) == "10":
                widget.attrs["rows"] = 4  # Django's default of 10 makes long forms longer than they need be
            widget.attrs["class"] = f"{css} {self.widths.get(name, '')}".strip()

    def full_clean(self) -> None:
        # Here rather than in __init__: subclasses set labels and `required` after it.
        for name, field in self.fields.items():
            if str(field.error_messages.get("required", "")) == _UNNAMED_REQUIRED:
                field.error_messages["required"] = required_message(field, name)
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            css = widget.attrs.get("class", "")
            extra = _ERROR_CLASSES.get(css.split(" ")[0])
            if extra and extra not in css:
                widget.attrs["class"] = f"{css} {extra}"

    @property
    def error_summary(self) -> dict[str, list[str]]:
        """Errors keyed by the id of the field they belong to, for `web/_errors.html`; each
        names its field ("Meeting date: Enter a valid date.") unless it does already."""
        summary: dict[str, list[str]] = {}
        for name, messages in self.errors.items():
            if name == "__all__" or name not in self.fields:
                summary["__all__"] = [*summary.get("__all__", []), *messages]
                continue
            field = self.fields[name]
            key = self[name].auto_id
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                key = f"{key}_0"
            summary[key] = [naming(field, name, str(message)) for message in messages]
        return summary


def naming(field: forms.Field, name: str, message: str) -> str:
    """`message` as the error summary lists it, naming the field called `name` by its label
    unless it does already."""
    label = _label(field, name)
    if not label or label.casefold() in message.casefold():
        return message
    return f"{label}: {message}"
