# People and the organisation on the performance officers' pages (decision 0018): a
# person can be deactivated, and every organisation row carries a version so a page
# opened before someone else's save is refused (`changes.claim`). Each model's history
# twin (django-simple-history) gets the same fields.

from django.db import migrations, models

VERSIONED = ("corporateobjective", "directorate", "group", "person", "portfolio", "serviceteam")
ACTIVE_HELP = (
    "Unticked when they leave (catalogue.organisation.deactivate_person): their account cannot sign in "
    "and they are no longer offered as an owner, approver or member; what they did keeps their name."
)


def _version() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(default=1, help_text="Raised on every save: refuses stale edits.")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0009_roles_and_site_identity"),
    ]

    operations = [
        *(
            migrations.AddField(model_name=f"{prefix}{model}", name="version", field=_version())
            for model in VERSIONED
            for prefix in ("", "historical")
        ),
        *(
            migrations.AddField(
                model_name=f"{prefix}person",
                name="active",
                field=models.BooleanField(default=True, help_text=ACTIVE_HELP),
            )
            for prefix in ("", "historical")
        ),
    ]
