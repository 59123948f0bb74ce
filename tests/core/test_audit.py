"""The audit log and the public journal are append-only in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from forum_ouvert.core.audit import AuditOutsideTransaction, audit_log
from forum_ouvert.core.models import AuditLog


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["core_auditlog", "engagements_journalentry"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
def test_raw_sql_cannot_rewrite_history(table, statement, make_user):
    """Even raw SQL, bypassing the application, cannot change or remove a history row."""
    user = make_user("ditp")
    with transaction.atomic():
        audit_log(actor=user, action="test.create", target=user, reason="pour le test")
    if table == "engagements_journalentry":
        from engagements.models import ActionPlan, Commitment, JournalEntry

        plan = ActionPlan.objects.create(slug="p", title="P")
        commitment = Commitment.objects.create(plan=plan, number=1, slug="c1", title="C")
        JournalEntry.objects.create(
            commitment=commitment,
            actor=user,
            field="status",
            field_label="État",
            old_value="a",
            new_value="b",
            justification="Parce que.",
        )
    with (
        pytest.raises(DatabaseError, match="ajout seul"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement.format(t=table))


@pytest.mark.django_db(transaction=True)
def test_audit_refuses_to_write_outside_a_transaction(make_user):
    """An audit row cannot be written apart from the act it records."""
    user = make_user()
    with pytest.raises(AuditOutsideTransaction):
        audit_log(actor=user, action="test.outside")
    assert AuditLog.objects.count() == 0
