"""A stored, GIN-indexed text search vector in the site's configuration (core.search):
computed by PostgreSQL, so that /recherche/ ranks without recomputing every document."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_search_configuration"),
        ("cocreation", "0007_proposal_fate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.CombinedSearchVector(
                                django.contrib.postgres.search.CombinedSearchVector(
                                    django.contrib.postgres.search.CombinedSearchVector(
                                        django.contrib.postgres.search.SearchVector(
                                            "title", config="fr_unaccent", weight="A"
                                        ),
                                        "||",
                                        django.contrib.postgres.search.SearchVector(
                                            "problem", config="fr_unaccent", weight="B"
                                        ),
                                        django.contrib.postgres.search.SearchConfig("fr_unaccent"),
                                    ),
                                    "||",
                                    django.contrib.postgres.search.SearchVector(
                                        "description", config="fr_unaccent", weight="B"
                                    ),
                                    django.contrib.postgres.search.SearchConfig("fr_unaccent"),
                                ),
                                "||",
                                django.contrib.postgres.search.SearchVector(
                                    "how_it_helps", config="fr_unaccent", weight="C"
                                ),
                                django.contrib.postgres.search.SearchConfig("fr_unaccent"),
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "lead_institution", config="fr_unaccent", weight="C"
                            ),
                            django.contrib.postgres.search.SearchConfig("fr_unaccent"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "partners", config="fr_unaccent", weight="D"
                        ),
                        django.contrib.postgres.search.SearchConfig("fr_unaccent"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "organisation", config="fr_unaccent", weight="D"
                    ),
                    django.contrib.postgres.search.SearchConfig("fr_unaccent"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="cocreation_proposal_fts"
            ),
        ),
    ]
