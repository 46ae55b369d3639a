"""Report layouts a committee chooses (docs/report-layouts.md, decision 19): period labels,
grouping, the comparison columns, the comment label, the summary style, empty sections,
the footer and the licence. The defaults print the seed council's reports as they were.

A new committee's cover-sheet texts start blank: the seed council's wording ("Within existing
budgets", "None at this stage.") is the demo's, which sets it when it loads the seed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0010_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="committee",
            name="comment_label",
            field=models.CharField(
                blank=True,
                default="Approver Comments:",
                help_text="Printed before each comment. Empty: the comment alone.",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="committee",
            name="footer_text",
            field=models.CharField(
                blank=True, help_text="Printed at the foot of every page, before the licence.", max_length=300
            ),
        ),
        migrations.AddField(
            model_name="committee",
            name="grouping",
            field=models.CharField(
                choices=[
                    ("priority-theme", 'Priority and theme: "Priority - Theme"'),
                    ("theme", "Theme only"),
                    ("service", "Service"),
                ],
                default="priority-theme",
                help_text="The rows of the table are grouped under these headings.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="committee",
            name="licence",
            field=models.CharField(
                blank=True,
                help_text="The licence the reports are published under. Empty: the site's licence line.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="committee",
            name="omit_empty_sections",
            field=models.BooleanField(
                default=True,
                help_text="Leave out a section with nothing in it (no achievements this period: no achievements section).",
            ),
        ),
        migrations.AddField(
            model_name="committee",
            name="period_labels",
            field=models.CharField(
                choices=[
                    ("month", 'By the last month: "Jun-2020"'),
                    ("quarter", 'By the quarter: "Q1 2020/21"'),
                ],
                default="month",
                help_text="How the table names its periods.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="committee",
            name="show_comments",
            field=models.BooleanField(default=True, help_text="A column for the comments on each figure."),
        ),
        migrations.AddField(
            model_name="committee",
            name="show_last_year",
            field=models.BooleanField(default=True, help_text="A column for the same period last year."),
        ),
        migrations.AddField(
            model_name="committee",
            name="show_previous",
            field=models.BooleanField(default=True, help_text="A column for the previous period."),
        ),
        migrations.AddField(
            model_name="committee",
            name="show_trend",
            field=models.BooleanField(default=True, help_text="A column for the trend against both."),
        ),
        migrations.AddField(
            model_name="committee",
            name="summary_style",
            field=models.CharField(
                choices=[
                    ("achieved", 'Measurable targets achieved: "3 of 4 measurable targets achieved"'),
                    ("percentage", 'Percentage achieved: "75% of measurable targets achieved"'),
                    ("status-counts", 'Counts by status: "Green 3, Amber 1"'),
                    ("directions", 'Direction of travel: "2 improving, 1 unchanged, 1 worsening"'),
                ],
                default="achieved",
                help_text="How the report sums up the period's statuses.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="comment_label",
            field=models.CharField(
                blank=True,
                default="Approver Comments:",
                help_text="Printed before each comment. Empty: the comment alone.",
                max_length=100,
            ),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="footer_text",
            field=models.CharField(
                blank=True, help_text="Printed at the foot of every page, before the licence.", max_length=300
            ),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="grouping",
            field=models.CharField(
                choices=[
                    ("priority-theme", 'Priority and theme: "Priority - Theme"'),
                    ("theme", "Theme only"),
                    ("service", "Service"),
                ],
                default="priority-theme",
                help_text="The rows of the table are grouped under these headings.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="licence",
            field=models.CharField(
                blank=True,
                help_text="The licence the reports are published under. Empty: the site's licence line.",
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="omit_empty_sections",
            field=models.BooleanField(
                default=True,
                help_text="Leave out a section with nothing in it (no achievements this period: no achievements section).",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="period_labels",
            field=models.CharField(
                choices=[
                    ("month", 'By the last month: "Jun-2020"'),
                    ("quarter", 'By the quarter: "Q1 2020/21"'),
                ],
                default="month",
                help_text="How the table names its periods.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="show_comments",
            field=models.BooleanField(default=True, help_text="A column for the comments on each figure."),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="show_last_year",
            field=models.BooleanField(default=True, help_text="A column for the same period last year."),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="show_previous",
            field=models.BooleanField(default=True, help_text="A column for the previous period."),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="show_trend",
            field=models.BooleanField(default=True, help_text="A column for the trend against both."),
        ),
        migrations.AddField(
            model_name="historicalcommittee",
            name="summary_style",
            field=models.CharField(
                choices=[
                    ("achieved", 'Measurable targets achieved: "3 of 4 measurable targets achieved"'),
                    ("percentage", 'Percentage achieved: "75% of measurable targets achieved"'),
                    ("status-counts", 'Counts by status: "Green 3, Amber 1"'),
                    ("directions", 'Direction of travel: "2 improving, 1 unchanged, 1 worsening"'),
                ],
                default="achieved",
                help_text="How the report sums up the period's statuses.",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="committee",
            name="background_papers",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="committee",
            name="equalities_implications",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="committee",
            name="financial_implications",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="committee",
            name="health_and_safety_implications",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="committee",
            name="purpose",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="committee",
            name="recommendations",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="committee",
            name="risk_implications",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalcommittee",
            name="background_papers",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalcommittee",
            name="equalities_implications",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalcommittee",
            name="financial_implications",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalcommittee",
            name="health_and_safety_implications",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalcommittee",
            name="purpose",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalcommittee",
            name="recommendations",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="historicalcommittee",
            name="risk_implications",
            field=models.TextField(blank=True),
        ),
    ]
