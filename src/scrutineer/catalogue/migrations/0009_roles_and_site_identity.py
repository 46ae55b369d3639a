"""Roles exist on every database, and the site keeps the council's identity.

- The "Performance officers" auth group (`catalogue.access.PERFORMANCE_OFFICERS`) is
  created here, so a fresh database has it before anyone is put in it. It is the only
  group the access rules read: data owners, approvers and councillors come from the
  organisation itself.
- `SiteDefaults` gains the council's short name, the licence its reports are published
  under, and its logo (bytes, content type and digest; the bytes stay out of the history).
"""

from django.db import migrations, models

# The name as `catalogue.access.PERFORMANCE_OFFICERS` spells it, written out so this
# migration means the same whatever later code calls it.
PERFORMANCE_OFFICERS = "Performance officers"


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).get_or_create(name=PERFORMANCE_OFFICERS)


def keep_roles(apps, schema_editor):
    """Going back leaves the group: people may be in it, and it was there before for some."""


LICENCE_HELP = (
    "The licence reports are published under, e.g. Open Government Licence v3.0 (blank: none is printed)."
)
SHORT_NAME_HELP = "What the site's header calls the council, e.g. Borsetshire (blank: its name)."
DIGEST_HELP = "SHA-256 of the logo: its address changes with it."


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("catalogue", "0008_site_council_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, keep_roles),
        *(
            migrations.AddField(
                model_name=model,
                name="short_name",
                field=models.CharField(blank=True, help_text=SHORT_NAME_HELP, max_length=60),
            )
            for model in ("sitedefaults", "historicalsitedefaults")
        ),
        *(
            migrations.AddField(
                model_name=model,
                name="licence",
                field=models.CharField(blank=True, help_text=LICENCE_HELP, max_length=200),
            )
            for model in ("sitedefaults", "historicalsitedefaults")
        ),
        *(
            migrations.AddField(
                model_name=model,
                name="logo_content_type",
                field=models.CharField(blank=True, editable=False, max_length=20),
            )
            for model in ("sitedefaults", "historicalsitedefaults")
        ),
        *(
            migrations.AddField(
                model_name=model,
                name="logo_digest",
                field=models.CharField(blank=True, editable=False, help_text=DIGEST_HELP, max_length=64),
            )
            for model in ("sitedefaults", "historicalsitedefaults")
        ),
        migrations.AddField(
            model_name="sitedefaults",
            name="logo",
            field=models.BinaryField(blank=True, default=b"", editable=False),
        ),
    ]
