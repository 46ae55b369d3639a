"""Figures as they are collected: one `Value` per indicator per period, and the
achievements each service reports for a quarter.

The database refuses what must never be stored: a rate typed as a value, a zero
denominator, a gap with no reason. Changes go through `collection.actions`, which
check who may make them, keep `version` for optimistic locking and write the history
(django-simple-history) that the audit trail is read from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from scrutineer.catalogue.fields import FigureField, PeriodField
from scrutineer.catalogue.models import Indicator, ServiceTeam
from scrutineer.engine import FigureError, MeasureKind, Observation, figure
from scrutineer.engine.figures import in_kept_range, quoted_figure


class ValueState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned to the data owner"


class Value(models.Model):
    """One indicator's figure for one period, with its approval state and comments."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    period = PeriodField()
    value = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    numerator = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    denominator = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    no_data_reason = models.TextField(blank=True, help_text="Why there is no figure. Required when empty.")
    not_measured = models.BooleanField(
        default=False,
        help_text="The figure is not a real measurement (e.g. the service was suspended): never green.",
    )
    note = models.TextField(blank=True, help_text="The data owner's note.")
    approver_comment = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=ValueState.choices, default=ValueState.DRAFT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="value_one_per_indicator_period"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(numerator__isnull=True),
                name="value_figure_or_fraction",
                violation_error_message="A rate's figure is derived from numerator and denominator, never typed.",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(numerator__isnull=False, denominator__isnull=False),
                name="value_fraction_complete",
                violation_error_message="Give both numerator and denominator, or neither.",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="value_denominator_positive",
                violation_error_message="The denominator must be greater than zero.",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="value_numerator_not_negative",
                violation_error_message="The numerator cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False)
                | Q(numerator__isnull=False)
                | Q(not_measured=True)
                | ~Q(no_data_reason=""),
                name="value_gap_has_reason",
                violation_error_message="A period with no figure needs a reason (e.g. 'Service closed').",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(approved_at__isnull=False),
                name="value_approved_has_time",
            ),
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="value_period_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period.label if self.period else '?'}"

    def observation(self) -> Observation:
        """The engine's input for this figure. Stored figures the engine cannot judge (a
        number Scrutineer would never have kept, or a percentage over 100%: written before
        decision 0011's limits, or by hand) read as no data saying they cannot be shown,
        so every page still opens, the entry page included, where they can be corrected."""
        problem = self._unreadable()
        if problem:
            return Observation(
                period=self.period,
                no_data_reason=f"The stored figure cannot be shown ({problem}). Correct it on its entry page.",
                not_measured=self.not_measured,
            )
        return Observation(
            period=self.period,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            no_data_reason=self.no_data_reason,
            not_measured=self.not_measured,
        )

    def _unreadable(self) -> str:
        """Why the stored figures cannot be judged, or "" (the usual case, checked cheaply)."""
        figures = (("value", self.value), ("numerator", self.numerator), ("denominator", self.denominator))
        odd = [f"{name} {quoted_figure(n)}" for name, n in figures if n is not None and not in_kept_range(n)]
        if odd:
            return f"{', '.join(odd)}: not a number Scrutineer keeps"
        numerator, denominator = self.numerator, self.denominator
        if numerator is not None and denominator is not None and numerator > denominator:
            # Only a percentage refuses this, and only its indicator says which it is: loaded
            # here, for the rare row that needs it, rather than for every row.
            try:
                figure(
                    Observation(period=self.period, numerator=numerator, denominator=denominator),
                    MeasureKind(self.indicator.measure_kind),
                    self.indicator.rate_scale,
                )
            except FigureError as error:
                return str(error)
        return ""


class Achievement(models.Model):
    """One numbered achievement a service reports for a quarter.

    `body` is plain text: paragraphs separated by blank lines, and lines starting
    "- " as bullet lists. Numbers (3.1.1 …) are never typed; reports derive them
    from the order.
    """

    service = models.ForeignKey(ServiceTeam, on_delete=models.PROTECT, related_name="achievements")
    period = PeriodField()
    position = models.PositiveIntegerField()
    body = models.TextField()
    state = models.CharField(max_length=10, choices=ValueState.choices, default=ValueState.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["service", "period", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "period", "position"], name="achievement_unique_position"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="achievement_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.period.label if self.period else '?'} #{self.position}"
