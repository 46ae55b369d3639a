"""The council as Scrutineer sees it: organisation, people, priorities, committees,
indicators and their targets.

Enumerated fields store the engine's values (`lower-is-better`, `ratio`, …) so that a
row turns into an engine `IndicatorRule` without translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history import register
from simple_history.models import HistoricalRecords

from scrutineer.catalogue.fields import FigureField, PeriodField
from scrutineer.catalogue.history import History
from scrutineer.engine import (
    DEFAULT_RULE,
    Aggregation,
    Frequency,
    IndicatorRule,
    MeasureKind,
    Period,
    Polarity,
    StatusRule,
    Tolerance,
    ToleranceKind,
)

MEASURE_KIND_CHOICES = [
    (MeasureKind.NUMBER.value, "Number"),
    (MeasureKind.RATE.value, "Rate (numerator ÷ denominator)"),
    (MeasureKind.DURATION.value, "Duration"),
    (MeasureKind.COUNT.value, "Count"),
    (MeasureKind.CURRENCY.value, "Currency (£)"),
    (MeasureKind.PERCENTAGE.value, "Percentage (entered as a figure)"),
]
POLARITY_CHOICES = [
    (Polarity.HIGHER_IS_BETTER.value, "Higher is better"),
    (Polarity.LOWER_IS_BETTER.value, "Lower is better"),
    (Polarity.CLOSEST_TO_TARGET.value, "Closest to target is best"),
    (Polarity.INFO_ONLY.value, "Info only (no target, no status)"),
]
FREQUENCY_CHOICES = [
    (Frequency.MONTHLY.value, "Monthly"),
    (Frequency.QUARTERLY.value, "Quarterly"),
    (Frequency.ANNUAL.value, "Annual"),
]
AGGREGATION_CHOICES = [
    (Aggregation.SUM.value, "Sum of the months"),
    (Aggregation.MEAN.value, "Mean of the months"),
    (Aggregation.LAST.value, "Last month's figure"),
    (Aggregation.RATIO.value, "Summed numerators ÷ summed denominators"),
    (Aggregation.CUMULATIVE.value, "Year to date (each figure is the year so far)"),
]
TOLERANCE_KIND_CHOICES = [
    (ToleranceKind.ABSOLUTE.value, "Absolute (in the indicator's unit)"),
    (ToleranceKind.PERCENTAGE.value, "Percentage of target"),
]
DURATION_STYLE_CHOICES = [("seconds", "Seconds (79.33 Second(s))"), ("mmss", "Minutes and seconds (1:19)")]

slug_help = "Used in addresses and on the command line, e.g. housing-community."


def _history(**options: Any) -> History:
    """Who changed the row, when and why (`catalogue.history`, read by `catalogue.audit`)."""
    return History(history_change_reason_field=models.TextField(null=True), **options)


class Named(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, help_text=slug_help)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """An officer or a councillor, as named on a committee report."""

    honorific = models.CharField(max_length=20, blank=True, help_text="e.g. Cllr")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    is_councillor = models.BooleanField(default=False)
    service = models.ForeignKey(
        "ServiceTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="officers"
    )
    user = models.OneToOneField(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    active = models.BooleanField(
        default=True,
        help_text="Unticked when they leave (catalogue.organisation.deactivate_person): their account "
        "cannot sign in and they are no longer offered as an owner, approver or member; what they "
        "did keeps their name.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["name", "job_title"], name="person_unique_name_title"),
        ]

    def __str__(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    @property
    def name_and_title(self) -> str:
        """As a cover sheet lists officers: "Linda Roberts (Assistant Director – …)"."""
        return f"{self} ({self.job_title})" if self.job_title else str(self)


class Directorate(Named):
    head = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()


class Group(Named):
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="groups")
    head = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()


class ServiceTeam(Named):
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="services")
    team_leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within reports.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    class Meta(Named.Meta):
        ordering = ["position", "name"]


class Portfolio(models.Model):
    """A cabinet portfolio; its holder is the contact on committee reports."""

    name = models.CharField(max_length=200, unique=True)
    holder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="portfolios"
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    def __str__(self) -> str:
        return self.name

    @property
    def contact_line(self) -> str:
        """ "Cllr Julie Banks, Portfolio Holder for Community and Regulatory Services"."""
        if self.holder is None:
            return f"Portfolio Holder for {self.name}"
        return f"{self.holder}, Portfolio Holder for {self.name}"


class CorporateObjective(models.Model):
    name = models.CharField(max_length=200, unique=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Priority(models.Model):
    """A corporate priority, e.g. "A clean, safe and enjoyable environment"."""

    name = models.CharField(max_length=200, unique=True)
    objective = models.ForeignKey(
        CorporateObjective, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities"
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A theme under a priority: reports group indicators as "Priority - Theme"."""

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    status_rule = models.ForeignKey(
        "StatusRuleDefinition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="themes",
        help_text="Judges its indicators that have no rule of their own. Empty: the site's rule.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    class Meta:
        ordering = ["priority__position", "priority__name", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "name"], name="theme_unique_within_priority"),
        ]

    def __str__(self) -> str:
        return f"{self.priority.name} - {self.name}"


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
"""The cover-sheet texts a committee keeps defaults for, and each report may override."""


class PeriodLabels(models.TextChoices):
    """How a report's table names its periods."""

    MONTH = "month", 'By the last month: "Jun-2020"'
    QUARTER = "quarter", 'By the quarter: "Q1 2020/21"'


class Grouping(models.TextChoices):
    """What a report's table groups its rows under."""

    PRIORITY_THEME = "priority-theme", 'Priority and theme: "Priority - Theme"'
    THEME = "theme", "Theme only"
    SERVICE = "service", "Service"


class SummaryStyle(models.TextChoices):
    """How a report sums up a period's statuses (`reports.narrative.headline`)."""

    ACHIEVED = "achieved", 'Measurable targets achieved: "3 of 4 measurable targets achieved"'
    PERCENTAGE = "percentage", 'Percentage achieved: "75% of measurable targets achieved"'
    STATUS_COUNTS = "status-counts", 'Counts by status: "Green 3, Amber 1"'
    DIRECTIONS = "directions", 'Direction of travel: "2 improving, 1 unchanged, 1 worsening"'


PERIOD_LABEL_CHOICES = PeriodLabels.choices
GROUPING_CHOICES = Grouping.choices
SUMMARY_STYLE_CHOICES = SummaryStyle.choices


class Committee(Named):
    """An Overview & Scrutiny committee, with the defaults for its reports' cover sheets."""

    services = models.ManyToManyField(ServiceTeam, blank=True, related_name="committees")
    indicators = models.ManyToManyField("Indicator", blank=True, related_name="committees")
    members = models.ManyToManyField(
        Person,
        blank=True,
        related_name="committee_memberships",
        limit_choices_to={"is_councillor": True},
        help_text="The councillors who sit on it: they read its dashboards and draft reports.",
    )
    portfolio = models.ForeignKey(
        Portfolio,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committees",
        help_text="Its holder is the report's contact.",
    )
    corporate_objectives = models.ManyToManyField(CorporateObjective, blank=True)
    # Blank for a new committee: the seed council's wording is set by the demo's loader (demo/).
    purpose = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True)
    value_for_money_implications = models.TextField(blank=True)
    risk_implications = models.TextField(blank=True)
    equalities_implications = models.TextField(blank=True)
    health_and_safety_implications = models.TextField(blank=True)
    consultees = models.TextField(blank=True)
    background_papers = models.TextField(blank=True)
    table_as_appendix = models.BooleanField(
        default=False, help_text="Put the performance table in an appendix instead of section 2."
    )
    achievements_as_sections = models.BooleanField(
        default=False,
        help_text="Give each service's achievements a numbered section of its own (4, 5, …) "
        "instead of a subsection of the achievements section (3.1, 3.2, …).",
    )
    table_caption = models.CharField(
        max_length=300,
        blank=True,
        help_text="The performance table's caption, before the period (e.g. 'OSC Report - Housing & "
        "Community'). Empty: the committee's name.",
    )
    # Report layout (docs/report-layouts.md): the defaults print the seed council's reports.
    period_labels = models.CharField(
        max_length=10,
        choices=PERIOD_LABEL_CHOICES,
        default=PeriodLabels.MONTH,
        help_text="How the table names its periods.",
    )
    grouping = models.CharField(
        max_length=20,
        choices=GROUPING_CHOICES,
        default=Grouping.PRIORITY_THEME,
        help_text="The rows of the table are grouped under these headings.",
    )
    show_previous = models.BooleanField(default=True, help_text="A column for the previous period.")
    show_last_year = models.BooleanField(default=True, help_text="A column for the same period last year.")
    show_trend = models.BooleanField(default=True, help_text="A column for the trend against both.")
    show_comments = models.BooleanField(default=True, help_text="A column for the comments on each figure.")
    comment_label = models.CharField(
        max_length=100,
        blank=True,
        default="Approver Comments:",
        help_text="Printed before each comment. Empty: the comment alone.",
    )
    summary_style = models.CharField(
        max_length=20,
        choices=SUMMARY_STYLE_CHOICES,
        default=SummaryStyle.ACHIEVED,
        help_text="How the report sums up the period's statuses.",
    )
    omit_empty_sections = models.BooleanField(
        default=True,
        help_text="Leave out a section with nothing in it (no achievements this period: no "
        "achievements section).",
    )
    footer_text = models.CharField(
        max_length=300, blank=True, help_text="Printed at the foot of every page, before the licence."
    )
    licence = models.CharField(
        max_length=300,
        blank=True,
        help_text="The licence the reports are published under. Empty: the site's licence line.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    # Members give councillors access to its dashboards and drafts, so who changed them
    # is kept with the rest.
    history = _history(m2m_fields=["services", "indicators", "members", "corporate_objectives"])


class Indicator(models.Model):
    """A performance indicator (KPI): what is measured, how it is judged and who owns it."""

    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                "Use letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. CSU10).",
            )
        ],
    )
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(
        max_length=40, blank=True, help_text='As printed after the figure: "%", "Second(s)".'
    )
    measure_kind = models.CharField(max_length=12, choices=MEASURE_KIND_CHOICES)
    polarity = models.CharField(max_length=20, choices=POLARITY_CHOICES)
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES, default=Frequency.MONTHLY.value)
    aggregation = models.CharField(max_length=10, choices=AGGREGATION_CHOICES)
    decimal_places = models.PositiveSmallIntegerField(
        default=2,
        validators=[MaxValueValidator(6)],
        help_text="Shown up to this many; trailing zeros dropped.",
    )
    rate_scale = models.DecimalField(
        max_digits=12,
        decimal_places=0,
        default=Decimal(100),
        help_text="Rates only: 100 for a percentage, 1000 for 'per 1,000'.",
    )
    may_exceed_100 = models.BooleanField(
        default=False,
        help_text="Percentages entered as a figure only: allow figures over 100% (spending against budget, say).",
    )
    duration_style = models.CharField(max_length=10, choices=DURATION_STYLE_CHOICES, default="seconds")
    tolerance_kind = models.CharField(max_length=12, choices=TOLERANCE_KIND_CHOICES, blank=True)
    tolerance_amount = FigureField(
        max_digits=20,
        decimal_places=6,
        unreadable_as_none=True,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="The amber band. Leave empty to use the site default.",
    )
    service = models.ForeignKey(ServiceTeam, on_delete=models.PROTECT, related_name="indicators")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="indicators")
    owner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_indicators",
        help_text="The data owner who enters the figures.",
    )
    approver = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="approved_indicators"
    )
    status_rule = models.ForeignKey(
        "StatusRuleDefinition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text="Its own status rule. Empty: its theme's rule, else the site's.",
    )
    active = models.BooleanField(default=True)
    retired_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aggregation="ratio", measure_kind="rate") | ~Q(aggregation="ratio"),
                name="indicator_ratio_needs_rate",
                violation_error_message="Only a rate can be aggregated as a ratio of sums.",
            ),
            models.CheckConstraint(
                condition=(Q(tolerance_kind="") & Q(tolerance_amount__isnull=True))
                | (~Q(tolerance_kind="") & Q(tolerance_amount__isnull=False, tolerance_amount__gte=0)),
                name="indicator_tolerance_kind_and_amount",
                violation_error_message="A tolerance needs both its kind and a non-negative amount.",
            ),
            models.CheckConstraint(
                condition=~Q(measure_kind="percentage", aggregation="sum"),
                name="indicator_percentage_not_summed",
                violation_error_message="A percentage entered as a figure cannot be summed: use mean, last or year to date.",
            ),
            models.CheckConstraint(condition=Q(decimal_places__lte=6), name="indicator_decimal_places_max_6"),
            models.CheckConstraint(condition=Q(rate_scale__gt=0), name="indicator_rate_scale_positive"),
            models.CheckConstraint(
                condition=Q(active=True) | Q(retired_on__isnull=False),
                name="indicator_retired_has_date",
                violation_error_message="A retired indicator needs the date it was retired.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} - {self.name}"

    @property
    def tolerance(self) -> Tolerance | None:
        if not self.tolerance_kind or self.tolerance_amount is None:
            return None
        return Tolerance(ToleranceKind(self.tolerance_kind), self.tolerance_amount)

    def rule(self, in_force: RuleInForce | None = None) -> IndicatorRule:
        """The engine's view of this indicator: everything needed to judge its figures.

        `in_force` is its status rule as `rules_in_force` found it; without it, this asks
        the database (two queries at most): for many indicators, ask `rules_in_force` once.
        """
        if in_force is None:
            in_force = rules_in_force([self])[self.pk]
        return IndicatorRule(
            code=self.code,
            kind=MeasureKind(self.measure_kind),
            polarity=Polarity(self.polarity),
            aggregation=Aggregation(self.aggregation),
            unit=self.unit,
            decimal_places=self.decimal_places,
            tolerance=self.tolerance,
            rate_scale=self.rate_scale,
            duration_style=self.duration_style,
            status_rule=in_force.rule,
        )


class Target(models.Model):
    """The target for one indicator in one period (a month, quarter or year)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = PeriodField()
    value = FigureField(max_digits=20, decimal_places=6, unreadable_as_none=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_one_per_indicator_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.label}: {self.value}"


class CommitteeIndicatorPeriods(models.Model):
    """The periods in which one of a committee's indicators is reported to it.

    An indicator is in a committee's set through `Committee.indicators`; a row here
    narrows that to some periods: from `reported_from` (none: from the start) until
    `reported_until` (none: from then on). A period overlapping the range is reported;
    outside it the indicator is left out of the committee's table for that period, and a
    comparison column outside it reads "Not reported this period" rather than No Data.
    Without a row, the indicator is reported in every period (docs/measures.md).
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="indicator_periods")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="committee_periods")
    reported_from = PeriodField(null=True, blank=True, help_text="e.g. 2023-24-Q2. Empty: from the start.")
    reported_until = PeriodField(null=True, blank=True, help_text="e.g. 2024-25-Q4. Empty: still reported.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    class Meta:
        ordering = ["committee", "indicator"]
        verbose_name = "committee indicator's periods"
        verbose_name_plural = "committee indicators' periods"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "indicator"], name="committee_indicator_periods_once"
            ),
            models.CheckConstraint(
                condition=Q(reported_from__isnull=False) | Q(reported_until__isnull=False),
                name="committee_indicator_periods_bounded",
                violation_error_message="Give the period it is reported from, until, or both.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.indicator.code}: {self.range_text}"

    @property
    def range_text(self) -> str:
        """ "From Q2 2023/24", "Until Mar-2025", "Q2 2023/24 to Q4 2024/25"."""
        return reported_range_text(self.reported_from, self.reported_until)

    def covers(self, period: Period) -> bool:
        """Whether `period` overlaps the range (by dates, so a month, a quarter or a year)."""
        return reported_in(period, self.reported_from, self.reported_until)


def reported_in(period: Period, reported_from: Period | None, reported_until: Period | None) -> bool:
    """Whether `period` overlaps the range from `reported_from` until `reported_until`
    (either None: open at that end). Periods compare by their dates, so the range may be
    set in quarters and a monthly or annual table still asks it."""
    if reported_from is not None and period.end < reported_from.start:
        return False
    return reported_until is None or period.start <= reported_until.end


def reported_range_text(reported_from: Period | None, reported_until: Period | None) -> str:
    """The range in words, as the committee page lists it."""
    if reported_from is not None and reported_until is not None:
        return f"{reported_from.label} to {reported_until.label}"
    if reported_from is not None:
        return f"From {reported_from.label}"
    if reported_until is not None:
        return f"Until {reported_until.label}"
    return "Every period"


# Status rules: where they live and which one judges an indicator (docs/status-rules.md)


@lru_cache(maxsize=256)
def parse_status_rule(text: str) -> StatusRule:
    """A stored rule's interchange JSON as the engine's rule (checked when it was saved)."""
    return StatusRule.from_json(text)


class StatusRuleDefinition(models.Model):
    """A council's status rule, named and kept in the interchange format
    (`engine.StatusRule.to_json`). It judges figures where it is applied: to the site
    (`SiteDefaults`), a theme or an indicator. Saved only through `catalogue.actions`,
    which check the rule with the engine first."""

    name = models.CharField(max_length=200, unique=True)
    definition = models.TextField(help_text="The rule in the interchange format (docs/status-rules.md).")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history()

    class Meta:
        ordering = ["name"]
        verbose_name = "status rule"

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> StatusRule:
        return parse_status_rule(self.definition)


SITE_DEFAULTS_PK = 1


class SiteDefaults(models.Model):
    """What holds for the whole site unless a theme or an indicator says otherwise: one
    row (pk 1), created when first changed. Without it, or without a rule in it, figures
    are judged by the engine's `DEFAULT_RULE` (amber within the tolerance)."""

    council_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The council's name, on reports and reminder emails (blank: SCRUTINEER_COUNCIL_NAME).",
    )
    short_name = models.CharField(
        max_length=60,
        blank=True,
        help_text="What the site's header calls the council, e.g. Borsetshire (blank: its name).",
    )
    licence = models.CharField(
        max_length=200,
        blank=True,
        help_text="The licence reports are published under, e.g. Open Government Licence v3.0 "
        "(blank: none is printed).",
    )
    # The logo is kept in the database, so a deployment needs no media files: a small PNG or
    # JPEG, checked by `catalogue.setup.read_logo` before it is stored. Its bytes stay out of
    # the change history (each row would copy them); its digest is there, so a change shows.
    logo = models.BinaryField(blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(max_length=20, blank=True, editable=False)
    logo_digest = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="SHA-256 of the logo: its address changes with it.",
    )
    status_rule = models.ForeignKey(
        StatusRuleDefinition,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Judges every indicator without a rule of its own or of its theme.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")

    history = _history(excluded_fields=["logo"])

    class Meta:
        verbose_name = verbose_name_plural = "site defaults"
        constraints = [models.CheckConstraint(condition=Q(pk=SITE_DEFAULTS_PK), name="site_defaults_one_row")]

    def __str__(self) -> str:
        return "The site"


def council_name() -> str:
    """The council's name as reports and emails print it: the site's own, else the
    SCRUTINEER_COUNCIL_NAME setting; "" when neither names one (nothing is printed then)."""
    stored = SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).values_list("council_name", flat=True).first()
    return stored or str(getattr(settings, "SCRUTINEER_COUNCIL_NAME", "") or "")


@dataclass(frozen=True)
class SiteIdentity:
    """Who the site belongs to, as the header, the reports and emails name it
    (`site_identity()`). Every field is "" for a council not yet set up."""

    name: str
    """The council's full name: "Borsetshire District Council"."""
    short_name: str
    """What the header calls it: the short name, else the full name."""
    licence: str
    """The licence reports are published under ("" prints none)."""
    logo_digest: str
    logo_content_type: str

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_digest)

    @property
    def logo_url(self) -> str:
        """Where the logo is served (cached for a year: the address changes with the logo); "" without one."""
        from django.urls import reverse

        return reverse("setup:logo", args=[self.logo_digest]) if self.logo_digest else ""

    def logo_bytes(self) -> bytes:
        """The logo's image (PNG or JPEG, as `logo_content_type` says), b"" without one: for a
        report that embeds it."""
        if not self.logo_digest:
            return b""
        stored = (
            SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK, logo_digest=self.logo_digest)
            .values_list("logo", flat=True)
            .first()
        )
        return bytes(stored or b"")


def site_identity() -> SiteIdentity:
    """The council's name, short name, licence and logo (without its bytes), in one query.

    The name falls back to the SCRUTINEER_COUNCIL_NAME setting as `council_name()` does."""
    stored = (
        SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK)
        .values("council_name", "short_name", "licence", "logo_digest", "logo_content_type")
        .first()
    ) or {}
    name = stored.get("council_name") or str(getattr(settings, "SCRUTINEER_COUNCIL_NAME", "") or "")
    return SiteIdentity(
        name=name,
        short_name=stored.get("short_name") or name,
        licence=stored.get("licence", ""),
        logo_digest=stored.get("logo_digest", ""),
        logo_content_type=stored.get("logo_content_type", ""),
    )


class RuleSource(StrEnum):
    """Where the status rule that judges an indicator is set."""

    INDICATOR = "indicator"
    THEME = "theme"
    SITE = "site"
    DEFAULT = "default"


_SOURCE_WORDS = {
    RuleSource.INDICATOR: "set for this indicator",
    RuleSource.THEME: "set for its theme",
    RuleSource.SITE: "the site's rule",
    RuleSource.DEFAULT: "Scrutineer's default",
}


@dataclass(frozen=True)
class RuleInForce:
    """The status rule that judges an indicator, and where it is set. `definition` None:
    the engine's `DEFAULT_RULE`, with the indicator's or the site's tolerance."""

    definition: StatusRuleDefinition | None
    source: RuleSource

    @property
    def rule(self) -> StatusRule | None:
        return None if self.definition is None else self.definition.rule

    @property
    def judged_by(self) -> StatusRule:
        return DEFAULT_RULE if self.definition is None else self.definition.rule

    @property
    def where(self) -> str:
        """ "set for its theme", "the site's rule"…"""
        return _SOURCE_WORDS[self.source]


def rules_in_force(indicators: Iterable[Indicator]) -> dict[int | None, RuleInForce]:
    """Each indicator's status rule (by pk): its own, else its theme's, else the site's,
    else the default. Two queries however many indicators: their themes' rules (none when
    the themes are loaded already) and the rules themselves, with the site's."""
    chosen = list(indicators)
    theme_field = Indicator._meta.get_field("theme")
    theme_rules: dict[int, int | None] = {}
    unloaded = set()
    for indicator in chosen:
        if theme_field.is_cached(indicator):  # type: ignore[attr-defined]
            theme_rules[indicator.theme_id] = indicator.theme.status_rule_id
        else:
            unloaded.add(indicator.theme_id)
    unloaded -= set(theme_rules)
    if unloaded:
        theme_rules.update(Theme.objects.filter(pk__in=unloaded).values_list("pk", "status_rule_id"))
    wanted = {i.status_rule_id for i in chosen} | set(theme_rules.values())
    wanted.discard(None)
    found: dict[int, StatusRuleDefinition] = {}
    site: StatusRuleDefinition | None = None
    site_ids = SiteDefaults.objects.filter(pk=SITE_DEFAULTS_PK).values("status_rule_id")
    for definition in StatusRuleDefinition.objects.filter(Q(pk__in=wanted) | Q(pk__in=site_ids)).annotate(
        is_site=models.Exists(site_ids.filter(status_rule_id=models.OuterRef("pk")))
    ):
        found[definition.pk] = definition
        if definition.is_site:  # type: ignore[attr-defined]
            site = definition
    out: dict[int | None, RuleInForce] = {}
    for indicator in chosen:
        if indicator.status_rule_id is not None:
            out[indicator.pk] = RuleInForce(found[indicator.status_rule_id], RuleSource.INDICATOR)
        elif (theme_rule := theme_rules.get(indicator.theme_id)) is not None:
            out[indicator.pk] = RuleInForce(found[theme_rule], RuleSource.THEME)
        elif site is not None:
            out[indicator.pk] = RuleInForce(site, RuleSource.SITE)
        else:
            out[indicator.pk] = RuleInForce(None, RuleSource.DEFAULT)
    return out


def site_rule() -> StatusRuleDefinition | None:
    """The rule set for the whole site, if any (None: Scrutineer's default)."""
    defaults = SiteDefaults.objects.select_related("status_rule").filter(pk=SITE_DEFAULTS_PK).first()
    return None if defaults is None else defaults.status_rule


def default_tolerance() -> Tolerance:
    """The site's amber band for indicators that do not set their own (settings)."""
    from django.conf import settings

    return Tolerance(
        ToleranceKind(settings.SCRUTINEER_DEFAULT_TOLERANCE_KIND),
        Decimal(settings.SCRUTINEER_DEFAULT_TOLERANCE_AMOUNT),
    )


def tolerance_text(kind: str, amount: Any, unit: str = "") -> str:
    """ "10% of target", or "5 Second(s)" for an absolute band."""
    shown = f"{amount.normalize():f}" if hasattr(amount, "normalize") else str(amount)
    if kind == ToleranceKind.PERCENTAGE.value:
        return f"{shown}% of target"
    return f"{shown} {unit}".strip()


def site_default_tolerance() -> str:
    """The site's tolerance in words: "10% of target", "5 in the indicator's unit"."""
    default = default_tolerance()
    return tolerance_text(default.kind.value, default.amount, "in the indicator's unit")


# Who may do what: the "Performance officers" group and the staff, superuser and active
# flags. Password hashes and sign-in times are left out of the history.
register(
    User,
    app="scrutineer.catalogue",
    records_class=History,
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups", "user_permissions"],
    history_change_reason_field=models.TextField(null=True),
)
