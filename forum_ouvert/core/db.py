"""Database helpers: the append-only trigger as a reversible migration operation."""

from __future__ import annotations

from django.db.migrations.operations.base import Operation


class AppendOnly(Operation):
    """Make a table append-only: UPDATE and DELETE raise in the database itself.

    History that the public relies on (journals, audit rows) cannot be rewritten, even by
    code that bypasses the ORM: a shared trigger function raises. TRUNCATE is left to
    privileges: the application's database role is not granted it in production.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str):
        self.table = table

    def state_forwards(self, app_label, state):
        pass

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"table": self.table})

    def describe(self):
        return f"Make {self.table} append-only"

    @property
    def migration_name_fragment(self):
        return f"append_only_{self.table}"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = schema_editor.quote_name(self.table)
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION forum_ouvert_forbid_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'La table % est en ajout seul : % interdit.',
                    TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql;
            """,
            None,  # no parameters: the % signs belong to PL/pgSQL
        )
        schema_editor.execute(
            f"CREATE TRIGGER {self.table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION forum_ouvert_forbid_change();"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = schema_editor.quote_name(self.table)
        # Identifiers from the migration's own code, quoted by the schema editor.
        # nosemgrep: fo-raw-sql-formatting
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.table}_append_only ON {table};")


def append_only_tables(connection=None) -> list[str]:
    """The tables guarded by the append-only trigger, read from the database itself
    (``connection``: the default database unless given)."""
    if connection is None:
        from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT c.relname FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE p.proname = 'forum_ouvert_forbid_change' AND NOT t.tgisinternal
            ORDER BY c.relname
            """
        )
        return [row[0] for row in cursor.fetchall()]
