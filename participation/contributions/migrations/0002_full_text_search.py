"""French full-text search: a trigger keeps ``search_vector`` up to date and a GIN index
serves the queries.

The vector is ``to_tsvector('french', unaccent(...))`` (title weighted A, text B); queries
go through ``unaccent`` and the same configuration, so « région » finds « region » and
« participer » finds « participation ». ``unaccent`` is created by core's migration 0002.
"""

from django.db import migrations

FORWARD = [
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
    """
    CREATE TRIGGER contributions_contribution_search_vector
    BEFORE INSERT OR UPDATE OF title, body ON contributions_contribution
    FOR EACH ROW EXECUTE FUNCTION contributions_search_vector();
    """,
    """
    CREATE INDEX contributions_contribution_fts
    ON contributions_contribution USING gin (search_vector);
    """,
    "UPDATE contributions_contribution SET title = title;",
]

BACKWARD = [
    "DROP INDEX IF EXISTS contributions_contribution_fts;",
    "DROP TRIGGER IF EXISTS contributions_contribution_search_vector ON contributions_contribution;",
    "DROP FUNCTION IF EXISTS contributions_search_vector();",
]


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0001_initial"),
        ("core", "0002_territories_and_audit"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
