"""The stored search vector in the site's configuration, ``fr_unaccent`` (core 0009).

Before, the trigger wrote ``to_tsvector('french', unaccent(…))``; now the configuration
does the unaccenting itself, as every other search of the site (``core/search.py``), so
that one query serves the contributions' list and the header's search alike. The vectors
are rewritten once (the trigger runs on ``SET title = title``).
"""

from django.db import migrations


def _function(config_sql: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION contributions_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector({config_sql}, coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector({config_sql}, coalesce(NEW.body, '')), 'B');
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """


FORWARD = [
    _function("'public.fr_unaccent'::regconfig"),
    "UPDATE contributions_contribution SET title = title;",
]

BACKWARD = [
    """
    CREATE OR REPLACE FUNCTION contributions_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('pg_catalog.french', unaccent(coalesce(NEW.title, ''))), 'A')
            || setweight(to_tsvector('pg_catalog.french', unaccent(coalesce(NEW.body, ''))), 'B');
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "UPDATE contributions_contribution SET title = title;",
]


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0006_responses_to_proposals"),
        ("core", "0009_search_configuration"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
