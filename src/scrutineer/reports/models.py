"""Committee reports: the front matter and narrative of one committee's report for one period.

Figures are never stored here: the performance table is built from collected values
when the report is rendered. Cover-sheet fields left empty (NULL) take the committee's
default; an empty string means "deliberately blank".
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from scrutineer.catalogue.fields import PeriodField
from scrutineer.catalogue.models import COVER_SHEET_FIELDS, Committee

EDITABLE_FIELDS = (
    "meeting_date",
    "part",
    "part_two_reason",
    "title",
    "contact",
    "authors",
    "corporate_objectives",
    *COVER_SHEET_FIELDS,
    "introduction",
    "performance_commentary",
    "table_as_appendix",
    "achievements_as_sections",
)
"""What performance officers type in the report editor (`reports.editing.save_report`)."""

PARTS = [("I", "Part I (public)"), ("II", "Part II (exempt)")]
"""A report's part: Part II holds exempt information (Local Government Act 1972, Schedule 12A)
and is never published to the public (`catalogue.access.may_read_version`)."""


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
        choices=PARTS,
        default="I",
        help_text=(
            "Part I (public) unless Part II (exempt) is chosen with its reason. Empty only for a "
            'report stored without one (as the source left it): printed "Not stated", public.'
        ),
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
    introduction = models.TextField(
        blank=True, help_text="Paragraphs (blank-line separated); empty: the standard wording for the period."
    )
    performance_commentary = models.TextField(
        blank=True,
        help_text="Paragraphs (blank-line separated) before the table; empty: drafted from the figures.",
    )
    table_as_appendix = models.BooleanField(null=True, blank=True, help_text="Empty: the committee's choice.")
    achievements_as_sections = models.BooleanField(
        null=True, blank=True, help_text="Empty: the committee's choice."
    )
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save and on publishing: refuses stale edits."
    )
    updated_at = models.DateTimeField(null=True, blank=True, help_text="When it was last saved or published.")
    updated_by = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last saved or published it.",
    )

    # Every saved edit, so text replaced by a later save can always be found again.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

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


class ReportVersion(models.Model):
    """A published version of a report: frozen. Its data snapshot and rendered files are
    stored as published, with a content hash; later corrections to figures never touch
    it. A re-issue is a new version that lists what changed (restatements).

    Each version keeps the part it was published as: a report published as Part I and
    re-issued as Part II (or the reverse) has one public and one exempt version, and
    changing the report's part later never opens or closes a version already published.
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, help_text="Why this version was issued.")
    snapshot = models.JSONField(help_text="The table rows and document text as published.")
    restatements = models.JSONField(default=list, help_text="What changed since the previous version.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 over the snapshot and every file.")
    part = models.CharField(
        max_length=2, blank=True, choices=PARTS, help_text="As published: Part II versions are exempt."
    )
    part_two_reason = models.TextField(blank=True, help_text="As published: why a Part II version is exempt.")

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="report_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PublishedReportError(f"{self} is published and frozen; issue a new version instead.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PublishedReportError(f"{self} is published and cannot be deleted.")

    @property
    def exempt(self) -> bool:
        """Published as Part II: for the committee's members and officers only."""
        return self.part == "II"


class ReportFile(models.Model):
    """One rendered file of a published version, stored in the database as published."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=8)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "format"]
        constraints = [
            models.UniqueConstraint(fields=["version", "format"], name="report_file_one_per_format"),
        ]

    def __str__(self) -> str:
        return self.filename

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PublishedReportError(f"{self.filename} is part of a published version and frozen.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PublishedReportError(f"{self.filename} is part of a published version and cannot be deleted.")


class PublishedReportError(Exception):
    """An attempt to change what was published."""


class BuildState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Building"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportBuild(models.Model):
    """A draft report being rendered in the background, with its progress.

    `runner` names the process building it, so that a build whose process has died is
    marked failed instead of showing "Building" for ever (`builds.fail_interrupted_builds`).
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    period = PeriodField()
    formats = models.JSONField()
    requested_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=BuildState.choices, default=BuildState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    message = models.TextField(blank=True)
    runner = models.CharField(
        max_length=300,
        blank=True,
        help_text="The process building it (host:process id); empty while it waits for a worker.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Build {self.pk}: {self.committee} {self.period.label if self.period else '?'}"


class BuiltFile(models.Model):
    build = models.ForeignKey(ReportBuild, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=8)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()

    class Meta:
        ordering = ["build", "format"]
        constraints = [models.UniqueConstraint(fields=["build", "format"], name="built_file_one_per_format")]

    def __str__(self) -> str:
        return self.filename
