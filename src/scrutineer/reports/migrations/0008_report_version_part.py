from django.db import migrations, models

PARTS = [("I", "Part I (public)"), ("II", "Part II (exempt)")]


def cover_line(snapshot: dict, label: str) -> str:
    """The first line of a cover-sheet field as a version's snapshot stored it ("" if none)."""
    for row in snapshot.get("cover", []):
        if row and row[0] == label:
            lines = row[2] if len(row) > 2 else []
            return str(lines[0]) if lines else ""
    return ""


def parts_as_published(apps, schema_editor):
    """A version published before this migration keeps the part its cover sheet stated."""
    ReportVersion = apps.get_model("reports", "ReportVersion")
    for version in ReportVersion.objects.all().only("pk", "snapshot"):
        part = cover_line(version.snapshot or {}, "PART:")
        if part not in ("I", "II"):
            continue
        reason = cover_line(version.snapshot or {}, "If Part II, reason:") if part == "II" else ""
        # An UPDATE, not save(): published versions refuse to be saved again.
        ReportVersion.objects.filter(pk=version.pk).update(part=part, part_two_reason=reason)


class Migration(migrations.Migration):
    """Each published version keeps its own part, so a Part II version is never public."""

    dependencies = [
        ("reports", "0007_report_build_runner"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="part",
            field=models.CharField(
                blank=True,
                choices=PARTS,
                help_text="As published: Part II versions are exempt.",
                max_length=2,
            ),
        ),
        migrations.AddField(
            model_name="reportversion",
            name="part_two_reason",
            field=models.TextField(blank=True, help_text="As published: why a Part II version is exempt."),
        ),
        migrations.RunPython(parts_as_published, migrations.RunPython.noop),
    ]
