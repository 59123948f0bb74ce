"""The application's database role cannot rewrite history, and owns nothing."""

import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from forum_ouvert.core.db import append_only_tables

# Roles belong to the whole PostgreSQL cluster: one per xdist worker, so that they do not race.
ROLE = f"fo_test_app_{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}"
JOURNALS = [
    "core_auditlog",
    "engagements_journalentry",
    "cocreation_proposalversion",
    "contributions_responserevision",
]


@pytest.fixture
def app_role(db):
    call_command("grant_app_role", ROLE)
    return ROLE


def _privilege(table: str, privilege: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [ROLE, table, privilege])
        return cursor.fetchone()[0]


def test_journal_tables_are_known_from_their_triggers(db):
    assert set(JOURNALS) <= set(append_only_tables())


@pytest.mark.parametrize("table", JOURNALS)
def test_app_role_may_only_read_and_append_to_journals(app_role, table):
    """SELECT and INSERT yes; UPDATE, DELETE and TRUNCATE no."""
    assert _privilege(table, "SELECT") and _privilege(table, "INSERT")
    for privilege in ("UPDATE", "DELETE", "TRUNCATE"):
        assert not _privilege(table, privilege), privilege


def test_app_role_keeps_its_rights_on_ordinary_tables(app_role):
    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
        assert _privilege("engagements_commitment", privilege)
    assert not _privilege("engagements_commitment", "TRUNCATE")


def test_app_role_owns_no_table(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s", [ROLE])
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s", [ROLE]
        )
        assert cursor.fetchone() == (False, False, False)


def test_acting_as_the_app_role_the_database_refuses(app_role):
    """Connected as the application, rewriting or truncating history is refused."""
    from django.db import ProgrammingError

    for statement in (
        "UPDATE engagements_journalentry SET justification = 'réécrit'",
        "DELETE FROM core_auditlog",
        "TRUNCATE engagements_journalentry",
    ):
        with (
            pytest.raises(ProgrammingError, match="permission denied|droit refusé"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"SET LOCAL ROLE {ROLE}")
            cursor.execute(statement)


def test_running_twice_is_harmless(app_role):
    call_command("grant_app_role", ROLE)
    assert not _privilege("core_auditlog", "DELETE")
