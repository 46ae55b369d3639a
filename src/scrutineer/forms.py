"""GOV.UK Frontend markup for Django forms, shared by every form the app renders.

`GovukForm` gives each widget its GOV.UK class (and its error class when the field
has an error). Django points a field's `aria-describedby` at `<id>_helptext` and
`<id>_error`, so the templates `web/_field.html` and `web/_form_field.html` give the
hint and the error those ids, and a screen reader reads them with the field.
"""

from __future__ import annotations

from typing import Any

from django import forms

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
        """Errors keyed by the id of the field they belong to, for `web/_errors.html`."""
        summary: dict[str, list[str]] = {}
        for name, messages in self.errors.items():
            key = "__all__" if name == "__all__" else self[name].auto_id
            if name != "__all__" and isinstance(
                self.fields[name].widget, forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                key = f"{key}_0"
            summary[key] = list(messages)
        return summary
