"""« Dans le Rhône », « à Paris »: each département's place with its preposition, as data."""

from django.db import migrations, models


def load(apps, schema_editor):
    from forum_ouvert.core.territories import read_departements

    Departement = apps.get_model("core", "Departement")
    for row in read_departements():
        Departement.objects.filter(code=row["code"]).update(in_name=row["dans"])


class Migration(migrations.Migration):
    dependencies = [("core", "0005_one_line_titles")]

    operations = [
        migrations.AddField(
            model_name="departement",
            name="in_name",
            field=models.CharField(
                blank=True,
                help_text="Par exemple : dans le Rhône, à Paris, en Corrèze, dans les Landes.",
                max_length=100,
                verbose_name="« dans » + nom",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
