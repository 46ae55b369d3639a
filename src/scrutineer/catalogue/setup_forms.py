"""The forms of the first-run page and the identity page: what was typed, checked for shape;
`catalogue.setup` checks the rest and stores it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from scrutineer.catalogue.setup import LICENCE_MAX, LOGO_MAX_BYTES, NAME_MAX, SHORT_NAME_MAX
from scrutineer.forms import GovukForm

LOGO_HELP = "A PNG or JPEG of at most 512 KB, shown in the site's header. SVG is not accepted."
LICENCE_HELP = (
    "The licence your reports are published under, printed at their foot, e.g. Open "
    "Government Licence v3.0. Leave it blank to print none."
)


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def logo_bytes(upload: UploadedFile | None) -> bytes | None:
    """The uploaded logo's bytes (one more than the limit at most, for `read_logo` to refuse), or None."""
    if upload is None:
        return None
    return upload.read(LOGO_MAX_BYTES + 1)


class _Identity(GovukForm, forms.Form):
    widths = {"short_name": "govuk-input--width-20"}

    council_name = forms.CharField(
        label="Council's name",
        max_length=NAME_MAX,
        help_text="As reports and emails print it, e.g. Borsetshire District Council.",
        error_messages=_required("Enter the council's name, e.g. Borsetshire District Council."),
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=SHORT_NAME_MAX,
        required=False,
        help_text="What the site's header calls the council, e.g. Borsetshire. Blank: its full name.",
    )
    licence = forms.CharField(label="Licence", max_length=LICENCE_MAX, required=False, help_text=LICENCE_HELP)
    logo = forms.FileField(label="Logo", required=False, help_text=LOGO_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget = forms.FileInput(
            attrs={"class": "govuk-file-upload", "accept": "image/png,image/jpeg"}
        )
        self.fields["council_name"].widget.attrs["autocomplete"] = "organization"


class FirstRunForm(_Identity):
    """The council and its first performance officer; without `passwords` (a site that signs
    in with the council's accounts only) no password is asked for."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they sign in with: letters, digits and @ . + - _ only.",
        error_messages=_required("Enter a username for the first performance officer."),
    )
    name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="As reports will print it.",
        error_messages=_required("Enter the performance officer's full name."),
    )
    email = forms.CharField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput,
        error_messages=_required("Enter the performance officer's email address."),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password, not like the username or email.",
        error_messages=_required("Enter a password for the performance officer."),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required("Type the password again, to be sure of it."),
    )

    widths = {
        **_Identity.widths,
        "username": "govuk-input--width-20",
        "password": "govuk-input--width-20",
        "password2": "govuk-input--width-20",
    }

    def __init__(self, *args: Any, passwords: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not passwords:
            del self.fields["password"], self.fields["password2"]
            self.fields["email"].help_text = (
                "The email address of their council account: they sign in with it, and it "
                "makes them the performance officer here."
            )
        self.fields["username"].widget.attrs.update(autocomplete="username", spellcheck="false")
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "Type the same password again: the two were not the same.")
        return cleaned


class IdentityForm(_Identity):
    """The council's name, short name, licence and logo, changed with a reason."""

    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you are changing these: kept in the change history with your name.",
        error_messages=_required("Give a reason for the change: it is kept in the change history."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
