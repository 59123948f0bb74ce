"""Load the official départements and regions; make the audit log append-only; enable unaccent."""

from django.db import migrations

from forum_ouvert.core.db import AppendOnly


def load(apps, schema_editor):
    from forum_ouvert.core.territories import load_territories

    load_territories(
        region_model=apps.get_model("core", "Region"),
        departement_model=apps.get_model("core", "Departement"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        AppendOnly(table="core_auditlog"),
        # French full-text search ignores accents ("région" finds "region").
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS unaccent;", migrations.RunSQL.noop),
    ]
