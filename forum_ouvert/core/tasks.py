"""Ground-floor tasks."""

from celery import shared_task
from django.db import connection


@shared_task(name="core.ping")
def ping(value: str) -> dict:
    """Round trip through the broker: echoes ``value`` and says whether the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        db_ok = cursor.fetchone()[0] == 1
    return {"echo": value, "database": "ok" if db_ok else "error"}


@shared_task(name="core.flush_outbox")
def flush_outbox() -> int:
    """Every minute (beat): publish the tasks whose publication failed (broker down)."""
    from .outbox import flush_pending

    return flush_pending()
