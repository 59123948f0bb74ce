"""Load the official départements and regions; make the audit log append-only; enable unaccent."""

from django.db import migrations

from forum_ouvert.core.db import AppendOnly


def load(apps, schema_editor):
    from forum_ouvert.core.territories import load_territories

    load_territories(
        region_model=apps.get_model("core", "Region"),
        departement_model=apps.get_model("core", "Departement"),
    )


class UnaccentIfPostgres(migrations.RunSQL):
    """French full-text search ignores accents ("région" finds "region")."""

    def __init__(self):
        super().__init__("CREATE EXTENSION IF NOT EXISTS unaccent;", migrations.RunSQL.noop)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        AppendOnly(table="core_auditlog"),
        UnaccentIfPostgres(),
    ]
