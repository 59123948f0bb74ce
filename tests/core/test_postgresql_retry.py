"""A PostgreSQL restart: opening a connection waits for the server instead of failing."""

import socket
import threading
import time

import pytest
from django.db import connection

from forum_ouvert.core.postgresql.base import DatabaseWrapper

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pipe(source, target):
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        target.close()


def _forward_later(port: int, delay: float) -> threading.Thread:
    """After ``delay`` seconds, forward ``port`` to the real PostgreSQL (a server that
    comes back)."""
    upstream = (
        connection.settings_dict["HOST"] or "127.0.0.1",
        int(connection.settings_dict["PORT"] or 5432),
    )

    def serve():
        time.sleep(delay)
        listener = socket.create_server(("127.0.0.1", port))
        client, _ = listener.accept()
        listener.close()
        server = socket.create_connection(upstream)
        threading.Thread(target=_pipe, args=(client, server), daemon=True).start()
        _pipe(server, client)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


def _wrapper(port: int, retry: float, **changes) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": port,
        "CONN_MAX_AGE": 0,
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "connect_retry_seconds": retry},
        **changes,
    }
    return DatabaseWrapper(settings, alias=connection.alias)  # a second, separate connection


def test_connecting_waits_for_a_restarting_server():
    """Refused for a second, then the server is back: the connection opens, no error."""
    port = _free_port()
    _forward_later(port, delay=1.0)
    wrapper = _wrapper(port, retry=5)
    started = time.monotonic()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        wrapper.close()
    assert time.monotonic() - started >= 1.0


def test_a_server_that_stays_down_fails_after_the_wait():
    """Nobody comes back: the error is raised once the wait is over."""
    wrapper = _wrapper(_free_port(), retry=1)
    started = time.monotonic()
    with pytest.raises(Exception, match="(?i)refused|failed"):
        wrapper.connect()
    assert 0.5 <= time.monotonic() - started < 5  # attempts every 0.25 s for about 1 s


def test_a_missing_database_fails_at_once():
    """Waiting cannot create a database: that error is not retried."""
    port = int(connection.settings_dict["PORT"] or 5432)
    wrapper = _wrapper(port, retry=5, NAME="fo_database_that_does_not_exist")
    started = time.monotonic()
    with pytest.raises(Exception, match="does not exist"):
        wrapper.connect()
    assert time.monotonic() - started < 2
