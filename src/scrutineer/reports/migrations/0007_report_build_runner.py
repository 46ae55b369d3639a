from django.db import migrations, models


class Migration(migrations.Migration):
    """Which process is building a draft, so a build it left behind can be marked failed."""

    dependencies = [
        ("reports", "0006_report_version_and_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportbuild",
            name="runner",
            field=models.CharField(
                blank=True,
                help_text="The process building it (host:process id); empty while it waits for a worker.",
                max_length=300,
            ),
        ),
    ]
