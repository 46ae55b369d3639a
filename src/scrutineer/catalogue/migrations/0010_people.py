# Placeholder in the migration chain, filled in by the work it is named for.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0009_roles_and_site_identity"),
    ]

    operations = []
