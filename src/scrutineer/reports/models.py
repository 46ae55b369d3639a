"""Committee reports: the front matter and narrative of one committee's report for one period.

Figures are never stored here: the performance table is built from collected values
when the report is rendered. Cover-sheet fields left empty (NULL) take the committee's
default; an empty string means "deliberately blank".
"""

from __future__ import annotations

from django.db import models

from scrutineer.catalogue.fields import PeriodField
from scrutineer.catalogue.models import Committee

COVER_SHEET_FIELDS = (
    "purpose",
    "recommendations",
    "financial_implications",
    "value_for_money_implications",
    "risk_implications",
    "equalities_implications",
    "health_and_safety_implications",
    "consultees",
    "background_papers",
)


class ReportState(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEWED = "reviewed", "Reviewed"
    PUBLISHED = "published", "Published"


class Report(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reports")
    period = PeriodField()
    meeting_date = models.DateField()
    part = models.CharField(
        max_length=2,
        blank=True,
        choices=[("I", "Part I (public)"), ("II", "Part II (exempt)")],
        help_text="Left empty when the report does not state it.",
    )
    part_two_reason = models.TextField(blank=True)
    title = models.CharField(
        max_length=400, blank=True, help_text="Empty: derived from the period and services."
    )
    contact = models.TextField(null=True, blank=True, help_text="Empty: the committee portfolio holder.")
    authors = models.TextField(blank=True, help_text="Author/Responsible Officers, one per line.")
    corporate_objectives = models.TextField(
        null=True, blank=True, help_text="One per line. Empty: the committee's objectives."
    )
    purpose = models.TextField(null=True, blank=True)
    recommendations = models.TextField(null=True, blank=True)
    financial_implications = models.TextField(null=True, blank=True)
    value_for_money_implications = models.TextField(null=True, blank=True)
    risk_implications = models.TextField(null=True, blank=True)
    equalities_implications = models.TextField(null=True, blank=True)
    health_and_safety_implications = models.TextField(null=True, blank=True)
    consultees = models.TextField(null=True, blank=True)
    background_papers = models.TextField(null=True, blank=True)
    performance_commentary = models.TextField(
        blank=True,
        help_text="Paragraphs (blank-line separated) before the table; empty: drafted from the figures.",
    )
    table_as_appendix = models.BooleanField(null=True, blank=True, help_text="Empty: the committee's choice.")
    achievements_as_sections = models.BooleanField(
        null=True, blank=True, help_text="Empty: the committee's choice."
    )
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)

    class Meta:
        ordering = ["committee", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "period"], name="report_one_per_committee_period"),
            models.CheckConstraint(
                condition=models.Q(part="II") | models.Q(part_two_reason=""),
                name="report_reason_only_for_part_two",
                violation_error_message="Only a Part II report gives a reason for exemption.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.period.label if self.period else '?'}"

    @property
    def effective_table_as_appendix(self) -> bool:
        return self.committee.table_as_appendix if self.table_as_appendix is None else self.table_as_appendix

    @property
    def effective_achievements_as_sections(self) -> bool:
        if self.achievements_as_sections is None:
            return self.committee.achievements_as_sections
        return self.achievements_as_sections

    def cover_value(self, field: str) -> str:
        """The report's own text for a cover-sheet field, or the committee's default."""
        own = getattr(self, field)
        return getattr(self.committee, field) if own is None else own
