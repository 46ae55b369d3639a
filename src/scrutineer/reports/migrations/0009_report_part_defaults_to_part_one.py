"""A new report is Part I (public) until Part II (exempt) is chosen with its reason;
reports already stored keep their part, an empty one included (docs/reports.md)."""

from django.db import migrations, models

PART = dict(
    blank=True,
    choices=[("I", "Part I (public)"), ("II", "Part II (exempt)")],
    default="I",
    help_text=(
        "Part I (public) unless Part II (exempt) is chosen with its reason. Empty only for a "
        'report stored without one (as the source left it): printed "Not stated", public.'
    ),
    max_length=2,
)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_report_version_part"),
    ]

    operations = [
        migrations.AlterField(model_name="historicalreport", name="part", field=models.CharField(**PART)),
        migrations.AlterField(model_name="report", name="part", field=models.CharField(**PART)),
    ]
