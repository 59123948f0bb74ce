"""Give the application's database role exactly what it needs — and no power over history.

Migrations run as the owner of the tables; the web and worker processes connect as a
separate role that may read and write ordinary tables, but may only read and append to
the journal tables (no UPDATE, DELETE or TRUNCATE) and owns nothing. Run after every
``migrate`` (new tables need their grants): ``manage.py grant_app_role forum_ouvert_app``.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from psycopg import sql

from forum_ouvert.core.db import append_only_tables

STATEMENTS = [
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "REVOKE TRUNCATE ON ALL TABLES IN SCHEMA public FROM {role}",
]


class Command(BaseCommand):
    help = "Crée ou met à jour le rôle PostgreSQL de l'application (sans droit sur l'historique)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="Nom du rôle de connexion de l'application")
        parser.add_argument("--password", help="Mot de passe (sinon : rôle sans mot de passe)")

    def handle(self, *args, role, password=None, **options):
        ident = sql.Identifier(role)
        journals = append_only_tables()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                        ident
                    )
                )
            if password:
                cursor.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password))
                )
            for statement in STATEMENTS:
                cursor.execute(sql.SQL(statement).format(role=ident))
            for table in journals:
                cursor.execute(
                    sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                        sql.Identifier(table), ident
                    )
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Rôle {role} : lecture et écriture ; historique en ajout seul "
                f"({', '.join(journals)})."
            )
        )
