# Measures councils actually have (docs/measures.md, decision 0020): a percentage entered
# as a figure (measure kind "percentage", and whether it may exceed 100), figures that are
# the year to date (aggregation "cumulative"), and the periods in which one of a
# committee's indicators is reported to it (CommitteeIndicatorPeriods, beside the
# committee's indicators rather than a through model on them: see the decision).

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import scrutineer.catalogue.fields


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0011_report_layout_choices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CommitteeIndicatorPeriods",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reported_from",
                    scrutineer.catalogue.fields.PeriodField(
                        blank=True, help_text="e.g. 2023-24-Q2. Empty: from the start.", null=True
                    ),
                ),
                (
                    "reported_until",
                    scrutineer.catalogue.fields.PeriodField(
                        blank=True, help_text="e.g. 2024-25-Q4. Empty: still reported.", null=True
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1, help_text="Raised on every save: refuses stale edits."
                    ),
                ),
            ],
            options={
                "verbose_name": "committee indicator's periods",
                "verbose_name_plural": "committee indicators' periods",
                "ordering": ["committee", "indicator"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCommitteeIndicatorPeriods",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "reported_from",
                    scrutineer.catalogue.fields.PeriodField(
                        blank=True, help_text="e.g. 2023-24-Q2. Empty: from the start.", null=True
                    ),
                ),
                (
                    "reported_until",
                    scrutineer.catalogue.fields.PeriodField(
                        blank=True, help_text="e.g. 2024-25-Q4. Empty: still reported.", null=True
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1, help_text="Raised on every save: refuses stale edits."
                    ),
                ),
                ("history_change_reason", models.TextField(null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical committee indicator's periods",
                "verbose_name_plural": "historical committee indicators' periods",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="may_exceed_100",
            field=models.BooleanField(
                default=False,
                help_text="Percentages entered as a figure only: allow figures over 100% (spending against budget, say).",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="may_exceed_100",
            field=models.BooleanField(
                default=False,
                help_text="Percentages entered as a figure only: allow figures over 100% (spending against budget, say).",
            ),
        ),
        migrations.AlterField(
            model_name="historicalindicator",
            name="aggregation",
            field=models.CharField(
                choices=[
                    ("sum", "Sum of the months"),
                    ("mean", "Mean of the months"),
                    ("last", "Last month's figure"),
                    ("ratio", "Summed numerators ÷ summed denominators"),
                    ("cumulative", "Year to date (each figure is the year so far)"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicalindicator",
            name="measure_kind",
            field=models.CharField(
                choices=[
                    ("number", "Number"),
                    ("rate", "Rate (numerator ÷ denominator)"),
                    ("duration", "Duration"),
                    ("count", "Count"),
                    ("currency", "Currency (£)"),
                    ("percentage", "Percentage (entered as a figure)"),
                ],
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="aggregation",
            field=models.CharField(
                choices=[
                    ("sum", "Sum of the months"),
                    ("mean", "Mean of the months"),
                    ("last", "Last month's figure"),
                    ("ratio", "Summed numerators ÷ summed denominators"),
                    ("cumulative", "Year to date (each figure is the year so far)"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="measure_kind",
            field=models.CharField(
                choices=[
                    ("number", "Number"),
                    ("rate", "Rate (numerator ÷ denominator)"),
                    ("duration", "Duration"),
                    ("count", "Count"),
                    ("currency", "Currency (£)"),
                    ("percentage", "Percentage (entered as a figure)"),
                ],
                max_length=12,
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("aggregation", "sum"), ("measure_kind", "percentage"), _negated=True),
                name="indicator_percentage_not_summed",
                violation_error_message="A percentage entered as a figure cannot be summed: use mean, last or year to date.",
            ),
        ),
        migrations.AddField(
            model_name="committeeindicatorperiods",
            name="committee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="indicator_periods",
                to="catalogue.committee",
            ),
        ),
        migrations.AddField(
            model_name="committeeindicatorperiods",
            name="indicator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="committee_periods",
                to="catalogue.indicator",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitteeindicatorperiods",
            name="committee",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="catalogue.committee",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitteeindicatorperiods",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitteeindicatorperiods",
            name="indicator",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="catalogue.indicator",
            ),
        ),
        migrations.AddConstraint(
            model_name="committeeindicatorperiods",
            constraint=models.UniqueConstraint(
                fields=("committee", "indicator"), name="committee_indicator_periods_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="committeeindicatorperiods",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("reported_from__isnull", False), ("reported_until__isnull", False), _connector="OR"
                ),
                name="committee_indicator_periods_bounded",
                violation_error_message="Give the period it is reported from, until, or both.",
            ),
        ),
    ]
