"""Imports as the audit trail records them, and LG Inform benchmarks.

Every import, from the command line or the web, is an `ImportRun`: the file's name,
size and SHA-256, who ran it, whether its figures came in as approved history, what it
found (problems, and new, changed and unchanged rows by sheet) and what it wrote. The
history rows of everything it wrote carry the same name and checksum as their reason.
A web import keeps the file until it is imported, so the confirmed import is exactly
the file that was previewed, checked again as it is written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scrutineer.catalogue.fields import PeriodField
from scrutineer.catalogue.models import Indicator


class ImportState(models.TextChoices):
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked: ready to import"
    REFUSED = "refused", "Refused: the file has problems"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


UNFINISHED = (ImportState.CHECKING, ImportState.IMPORTING)


class ImportRun(models.Model):
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField(blank=True, help_text="The file, kept until it is imported.")
    approved = models.BooleanField(
        default=False, help_text="Its figures come in as approved history, as the importer said."
    )
    dry_run = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, default="web", help_text="web or command line")
    state = models.CharField(max_length=10, choices=ImportState.choices, default=ImportState.CHECKING)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, help_text="Problems, counts and changes found; what was written.")
    runner = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk}: {self.file_name}"


class Benchmark(models.Model):
    """One area's figure for one period, from an LG Inform comparison, mapped to one of
    our indicators (`exchange.benchmarks`). `is_council` marks the council's own row; a row
    with no figure says why in `note` (the file's marker: "..", "-", "n/a")."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    period = PeriodField()
    area = models.CharField(
        max_length=100,
        help_text="The area's ONS code, e.g. E07000096, or LG Inform's name for a group (its average).",
    )
    area_label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    note = models.CharField(
        max_length=100, blank=True, help_text="Why there is no figure, as the file marked it."
    )
    is_council = models.BooleanField(default=False)
    source = models.CharField(
        max_length=300, blank=True, help_text="The LG Inform metric, as its file names it."
    )
    run = models.ForeignKey(
        ImportRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="benchmarks",
        help_text="The import that brought it: the file's name and SHA-256, who and when.",
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period", "area"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period", "area"], name="benchmark_one_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area} {self.period}"
