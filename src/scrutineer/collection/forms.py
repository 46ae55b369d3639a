"""What the collection pages post, read into plain values for the actions.

These forms only read the request: every rule about figures (numbers, rates, reasons,
periods, who may) is the actions' own (`collection.actions`, `collection.validation`),
so an import or an API call meets the same checks as the page.
"""

from __future__ import annotations

from typing import Any

from django import forms

from scrutineer.changes import as_version


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
