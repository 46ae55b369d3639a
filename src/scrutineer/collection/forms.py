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
    version = forms.CharField(required=False)
    action = forms.CharField(required=False)

    def data_for_action(self) -> dict[str, Any]:
        """What was typed, as the page shows it again and `save_value` takes it."""
        self.is_valid()  # every field is optional text: this only fills cleaned_data
        data = self.cleaned_data
        return {
            "value": data["value"],
            "numerator": data["numerator"],
            "denominator": data["denominator"],
            "no_data_reason": data["no_data_reason"],
            "not_measured": data["not_measured"] == "yes",
            "note": data["note"],
        }

    @property
    def expected_version(self) -> int | None:
        return as_version(self.data.get("version") or None)

    @property
    def submits(self) -> bool:
        return self.data.get("action") == "submit"


def shown_drafts(posted: list[str]) -> list[tuple[int, int]] | None:
    """The (id, version) pairs an approve form sent back ("id:version"); None if it sent
    none or garbage."""
    shown = []
    for token in posted:
        pk, _, version = token.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return None
        shown.append((int(pk), int(version)))
    return shown or None
