"""Figures as they are collected: one `Value` per indicator per period, and the
achievements each service reports for a quarter; the collection cycle around them:
rounds with deadlines and their schedule, the reminders sent (an outbox), restatements
of locked figures, corrective actions on red figures and who must comment on what.

The database refuses what must never be stored: a rate typed as a value, a zero
denominator, a gap with no reason. Changes go through `collection.actions`, which
check who may make them, keep `version` for optimistic locking and write the history
(django-simple-history) that the audit trail is read from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from scrutineer.catalogue.fields import FigureField, PeriodField
from scrutineer.catalogue.models import FREQUENCY_CHOICES, Indicator, Person, ServiceTeam
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
    commentary = models.TextField(
        blank=True,
        help_text="The data owner's comment for the report: why the figure is off target and what is "
        "being done. Required to submit a red figure (or amber, by the indicator's setting).",
    )
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
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the approved figure locked: its round closed, or a report using it was published. "
        "A locked figure changes only by a correction, recorded as a restatement.",
    )
    lock_reason = models.CharField(max_length=300, blank=True)
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
            models.CheckConstraint(
                condition=Q(locked_at__isnull=True) | Q(state="approved"),
                name="value_only_approved_figures_lock",
            ),
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="value_period_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period.label if self.period else '?'}"

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def report_comment(self) -> str:
        """What the report prints in its Comments column: the data owner's commentary and
        the approver's comment, each once ("KPI Achieved.")."""
        return " ".join(dict.fromkeys(t for t in (self.commentary, self.approver_comment) if t))

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


# The collection cycle


class RoundState(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class CollectionRound(models.Model):
    """A call for one period's figures: from `opens_on` data owners enter and submit them by
    `due_on`, and approvers sign them off by `approvals_due_on`. Every active indicator
    collected at the period's frequency is due in it. Once a council opens a round of a
    frequency, rounds alone decide which periods of that frequency are open for entry
    (`collection.rounds`; decision 15). Closing it locks its approved figures."""

    period = PeriodField(unique=True)
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES)
    opens_on = models.DateField()
    due_on = models.DateField(help_text="Data owners submit their figures by the end of this day.")
    approvals_due_on = models.DateField(help_text="Approvers sign the figures off by the end of this day.")
    remind_days_before = models.PositiveSmallIntegerField(
        default=3, help_text="Data owners are reminded this many days before the due date."
    )
    escalate_days_after = models.PositiveSmallIntegerField(
        default=5,
        help_text="What is still late this many days after the due date goes to performance officers.",
    )
    state = models.CharField(max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["-opens_on", "period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("due_on")) & Q(due_on__lte=F("approvals_due_on")),
                name="round_dates_in_order",
                violation_error_message="A round opens, then is due, then its approvals are due.",
            ),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True)
                | Q(state="closed", closed_at__isnull=False),
                name="round_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.label} round" if self.period else "Round"

    @property
    def is_open(self) -> bool:
        return self.state == RoundState.OPEN


class RoundSchedule(models.Model):
    """When each period's round opens by itself (`scrutineer remind` opens it): on
    `open_day` of the month after the period ends, due on `due_day` and approvals on
    `approvals_day` of that month. "Open each month's round on the 1st, due on the 10th,
    approvals on the 15th" is a monthly schedule of 1, 10 and 15."""

    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES, unique=True)
    open_day = models.PositiveSmallIntegerField(default=1)
    due_day = models.PositiveSmallIntegerField(default=10)
    approvals_day = models.PositiveSmallIntegerField(default=15)
    remind_days_before = models.PositiveSmallIntegerField(default=3)
    escalate_days_after = models.PositiveSmallIntegerField(default=5)
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["frequency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(open_day__gte=1)
                & Q(open_day__lte=F("due_day"))
                & Q(due_day__lte=F("approvals_day"))
                & Q(approvals_day__lte=28),
                name="round_schedule_days_in_order",
                violation_error_message="Days of the month from 1 to 28: opening, then due, then approvals.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} rounds"


class ReminderStep(models.TextChoices):
    """The escalation, in order. Each goes to each person once per round."""

    DUE_SOON = "due-soon", "Due soon"  # to data owners
    OVERDUE = "overdue", "Overdue"  # to data owners and their approvers
    APPROVALS_OVERDUE = "approvals-overdue", "Approvals overdue"  # to approvers
    ESCALATED = "escalated", "Escalated"  # to performance officers


class ReminderStatus(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Reminder(models.Model):
    """One reminder email: the outbox row that is claimed before the email is sent.

    The unique constraint on (round, step, address) is what makes each step go to each
    person once per round: a run claims a row by INSERT before sending, and a second run
    (or a second worker at the same moment) fails to insert the same row and sends
    nothing. A person is their address: two records sharing one mailbox get one email."""

    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=20, choices=ReminderStep.choices)
    address = models.EmailField(help_text="Lower case: one mailbox, one row.")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    items = models.PositiveIntegerField(help_text="How many figures the email lists.")
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.SENDING)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["round", "step", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "step", "address"], name="reminder_once_per_round_step_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.step} to {self.address}"


class RestatementState(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    RESTATED = "restated", "Restated"
    WITHDRAWN = "withdrawn", "Withdrawn: approved unchanged"


class Restatement(models.Model):
    """A correction to a locked figure: what it was, what it became and why. Started by
    `correct_value` (pending, the figure goes for approval again) and made when the
    corrected figure is approved; the indicator page and the next report show it."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="restatements")
    reason = models.TextField()
    lock_reason = models.CharField(max_length=300, blank=True, help_text="Why the figure was locked.")
    was_value = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    was_numerator = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    was_denominator = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    was_no_data_reason = models.TextField(blank=True)
    was_not_measured = models.BooleanField(default=False)
    now_value = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    now_numerator = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    now_denominator = FigureField(max_digits=20, decimal_places=6, null=True, blank=True)
    now_no_data_reason = models.TextField(blank=True)
    now_not_measured = models.BooleanField(default=False)
    state = models.CharField(
        max_length=10, choices=RestatementState.choices, default=RestatementState.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    restated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-restated_at", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["value"], condition=Q(state="pending"), name="restatement_one_pending_per_value"
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(restated_at__isnull=False), name="restatement_made_has_time"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="restatement_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Restatement of {self.value}"

    def was(self) -> Observation:
        return Observation(
            period=self.value.period,
            value=self.was_value,
            numerator=self.was_numerator,
            denominator=self.was_denominator,
            no_data_reason=self.was_no_data_reason,
            not_measured=self.was_not_measured,
        )

    def now(self) -> Observation:
        return Observation(
            period=self.value.period,
            value=self.now_value,
            numerator=self.now_numerator,
            denominator=self.now_denominator,
            no_data_reason=self.now_no_data_reason,
            not_measured=self.now_not_measured,
        )


class CommentFrom(models.TextChoices):
    RED = "red", "Red figures"
    AMBER = "amber", "Amber and red figures"


class CommentRequirement(models.Model):
    """Which figures of an indicator need the data owner's comment before submission.
    Without a row, red ones do (`CommentFrom.RED`)."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="comment_requirement"
    )
    required_from = models.CharField(max_length=10, choices=CommentFrom.choices, default=CommentFrom.RED)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    def __str__(self) -> str:
        return f"{self.indicator_id}: comment on {self.get_required_from_display().lower()}"


class ActionState(models.TextChoices):
    OPEN = "open", "In progress"
    DONE = "done", "Done"


class CorrectiveAction(models.Model):
    """What will be done about a red figure, by whom and by when, and how it is going.
    Reported beside the indicator's figure in every report until it is done; its history
    keeps the progress from quarter to quarter."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="corrective_actions")
    period = PeriodField(help_text="The period whose figure called for it.")
    description = models.TextField(help_text="What will be done.")
    owner = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="corrective_actions", help_text="By whom."
    )
    due_on = models.DateField(help_text="By when.")
    progress = models.TextField(blank=True, help_text="How it is going, as of the latest update.")
    state = models.CharField(max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["indicator", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="corrective_action_says_what"),
            models.CheckConstraint(
                condition=Q(state="open", completed_on__isnull=True)
                | Q(state="done", completed_on__isnull=False),
                name="corrective_action_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period.label if self.period else '?'}: {self.description[:40]}"

    @property
    def is_done(self) -> bool:
        return self.state == ActionState.DONE

    @property
    def report_text(self) -> str:
        """As a report prints it beside the figure: "Corrective action (Tracy Lancashire, by
        31 March 2021): Recruit two call handlers. Progress: one has started."."""
        who = f"{self.owner.name}, " if self.owner_id else ""
        words = f"Corrective action ({who}by {self.due_on.day} {self.due_on:%B %Y}): {_sentence(self.description)}"
        if self.progress:
            words += f" Progress: {_sentence(self.progress)}"
        return words


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
