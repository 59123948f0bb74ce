"""The site's text search configuration, ``fr_unaccent`` (see ``core/search.py``).

Words go through the French stop words (before accents are removed, as the list is
accented: « été », « à »), then ``unaccent``, then the French stemmer: « Égalités »,
« egalite » and « EGALITE » all become ``egalit``. ``to_tsvector('fr_unaccent', …)`` is
immutable, so it may serve generated columns and expression indexes.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent;",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'fr_stopwords') THEN
            CREATE TEXT SEARCH DICTIONARY fr_stopwords (
                TEMPLATE = pg_catalog.simple, STOPWORDS = french, ACCEPT = false
            );
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = pg_catalog.french);
        END IF;
    END
    $$;
    """,
    """
    ALTER TEXT SEARCH CONFIGURATION fr_unaccent
        ALTER MAPPING FOR hword, hword_part, word WITH fr_stopwords, unaccent, french_stem;
    """,
]

BACKWARD = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent;",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS fr_stopwords;",
]


class Migration(migrations.Migration):
    dependencies = [("core", "0008_audit_target_names")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
