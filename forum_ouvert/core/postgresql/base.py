"""Django's PostgreSQL backend, waiting a few seconds for the server when connecting.

When PostgreSQL restarts (a fail-over, an upgrade, ``pg_ctl restart``), a request that
opens a connection in that second is refused ("connection refused", "the database system
is shutting down / starting up"). Rather than answering 500 at once, opening a connection
is retried for up to ``OPTIONS["connect_retry_seconds"]`` (5 by default, 0 to fail at
once); queries of an open connection are never retried, nor errors that waiting cannot
cure (a wrong password, a missing database). ``make verify`` restarts
PostgreSQL under load and counts the errors.
"""

from __future__ import annotations

import logging
import time

from django.db.backends.postgresql import base
from django.db.backends.postgresql.features import DatabaseFeatures as PostgreSQLFeatures

logger = logging.getLogger(__name__)

RETRY_PAUSE = 0.25  # seconds between attempts
#: What libpq says when the server is restarting (psycopg gives no SQLSTATE for a failed
#: connection, so the message decides). Anything else (a wrong password, a missing
#: database, a message in another language) fails at once, as before.
TRANSIENT = (
    "connection refused",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "server closed the connection unexpectedly",
    "terminating connection due to administrator command",
    "connection reset by peer",
)


class DatabaseFeatures(PostgreSQLFeatures):
    #: Every generated column of the project is stored (``db_persist=True``, the search
    #: vectors): said without asking the server, whose version Django reads to know whether
    #: it has virtual ones (PostgreSQL 18). GeneratedField's system check asks it, and
    #: ``manage.py check`` (``check --deploy`` before a deployment, a newcomer's first
    #: command) must work before the database exists.
    supports_virtual_generated_columns = False


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def get_connection_params(self):
        params = super().get_connection_params()
        self.connect_retry_seconds = float(params.pop("connect_retry_seconds", 5))
        return params

    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + getattr(self, "connect_retry_seconds", 5)
        while True:
            try:
                return super().get_new_connection(conn_params)
            except base.Database.OperationalError as exc:
                transient = any(marker in str(exc).lower() for marker in TRANSIENT)
                if not transient or time.monotonic() + RETRY_PAUSE > deadline:
                    raise
                logger.warning("PostgreSQL injoignable, nouvel essai : %s", exc)
                time.sleep(RETRY_PAUSE)
