"""A stored, GIN-indexed text search vector in the site's configuration (core.search):
computed by PostgreSQL, so that /recherche/ ranks without recomputing every document."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_search_configuration"),
        ("engagements", "0008_institutions_once"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.SearchVector(
                    "title", config="fr_unaccent", weight="A"
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="engagements_evidence_fts"
            ),
        ),
    ]
