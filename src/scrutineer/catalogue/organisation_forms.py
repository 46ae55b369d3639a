"""Forms for the organisation and people pages: what was typed (types, choices, lengths);
`catalogue.organisation` checks the rules and saves. Lists of people offer only active
people, and whoever is already chosen there (`people.choosable_people`)."""

from __future__ import annotations

from typing import Any

from django import forms

from scrutineer.catalogue.access import Role
from scrutineer.catalogue.forms import TickedRows, Versioned, WholeNumberField
from scrutineer.catalogue.models import (
    Committee,
    CorporateObjective,
    Directorate,
    Group,
    Indicator,
    Person,
    Portfolio,
    ServiceTeam,
)
from scrutineer.catalogue.organisation import INVITED_ROLES
from scrutineer.catalogue.people import choosable_people
from scrutineer.forms import GovukForm

SLUG_HELP = "Used in addresses, e.g. customer-services: lower-case letters, digits and hyphens."


class OrganisationForm(GovukForm, Versioned, forms.ModelForm):  # type: ignore[misc,type-arg]
    """A row of the organisation; `people` maps each person field to the people it offers
    (True: councillors, False: officers)."""

    people: dict[str, bool | None] = {}
    widths = {
        "slug": "govuk-input--width-20",
        "position": "govuk-input--width-3",
        "honorific": "govuk-input--width-5",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, councillors in self.people.items():
            current = getattr(self.instance, f"{name}_id", None)
            self.fields[name].queryset = choosable_people(keep=[current], councillors=councillors)  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}  # type: ignore[union-attr]


class DirectorateForm(OrganisationForm):
    people = {"head": False}

    class Meta:
        model = Directorate
        fields = ["name", "slug", "head"]
        help_texts = {"slug": SLUG_HELP, "head": "The director, as reports name them."}


class GroupForm(OrganisationForm):
    people = {"head": False}

    class Meta:
        model = Group
        fields = ["name", "slug", "directorate", "head"]
        help_texts = {
            "slug": SLUG_HELP,
            "head": "The group manager or assistant director: approves its services' achievements.",
        }


class ServiceForm(OrganisationForm):
    people = {"team_leader": False}

    class Meta:
        model = ServiceTeam
        fields = ["name", "slug", "group", "team_leader", "position"]
        field_classes = {"position": WholeNumberField}
        labels = {"group": "Group", "position": "Order in reports"}
        help_texts = {"slug": SLUG_HELP, "team_leader": "Writes the service's achievements each quarter."}


class PersonForm(OrganisationForm):
    class Meta:
        model = Person
        fields = ["honorific", "name", "job_title", "email", "service", "is_councillor"]
        labels = {"honorific": "Honorific (optional)", "is_councillor": "A councillor"}
        help_texts = {
            "honorific": "e.g. Cllr",
            "email": "Where invitations and reminders go; signing in with the council's accounts matches it.",
        }


class PortfolioForm(OrganisationForm):
    people = {"holder": True}

    class Meta:
        model = Portfolio
        fields = ["name", "holder"]
        labels = {"holder": "Portfolio holder"}
        help_texts = {"holder": "A councillor: the contact on the reports of committees with this portfolio."}


class ObjectiveForm(OrganisationForm):
    class Meta:
        model = CorporateObjective
        fields = ["name", "position"]
        field_classes = {"position": WholeNumberField}
        labels = {"position": "Order in reports"}


class InviteForm(GovukForm, forms.Form):
    widths = {"honorific": "govuk-input--width-5"}

    email = forms.EmailField(
        label="Email address", help_text="The invitation goes here; it is also their username."
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="Not needed for someone already listed with this email address.",
    )
    honorific = forms.CharField(
        label="Honorific (optional)", max_length=20, required=False, help_text="e.g. Cllr"
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    role = forms.ChoiceField(
        label="Their role",
        widget=forms.RadioSelect,
        choices=[(role.value, words.capitalize()) for role, words in INVITED_ROLES.items()],
    )
    services = TickedRows(
        queryset=ServiceTeam.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services (data owners and approvers)",
        help_text="They own or approve the indicators of these services that have no one, unless you choose which.",
    )
    committees = TickedRows(
        queryset=Committee.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Committees (councillors)",
    )

    def __init__(self, *args: Any, choosing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choosing = choosing
        if choosing:
            services = [s for s in self.data.getlist("services") if str(s).isdigit()] if self.is_bound else []
            self.fields["indicators"] = TickedRows(
                queryset=Indicator.objects.filter(service__in=services, active=True)
                .select_related("service", "owner", "approver")
                .order_by("service__position", "service__name", "code"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label="Indicators they will own or approve",
                help_text="Those ticked change to them, replacing whoever is named now.",
            )
            self.fields["indicators"].label_from_instance = _indicator_label  # type: ignore[attr-defined]
            self.fields["indicators"].widget.attrs["class"] = "govuk-checkboxes__input"

    @property
    def chosen_role(self) -> Role | None:
        try:
            return Role(self.cleaned_data.get("role", ""))
        except ValueError:
            return None


def _indicator_label(indicator: Indicator) -> str:
    owner = indicator.owner.name if indicator.owner else "no data owner"
    approver = indicator.approver.name if indicator.approver else "no approver"
    return f"{indicator.code} – {indicator.name} ({indicator.service.name}; now: {owner}, {approver})"


class ActiveForm(GovukForm, Versioned, forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with your name and the time in the change history.",
    )
