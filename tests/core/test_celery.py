"""A real Celery round trip: a worker process, Redis as broker and result backend."""

import pytest

from forum_ouvert.core.tasks import ping


@pytest.mark.celery_worker
def test_task_round_trip_through_a_real_worker(celery_worker_process, settings):
    """A task sent to Redis is run by a separate worker process, which answers."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from forum_ouvert.celery import app

    app.conf.task_always_eager = False
    try:
        result = ping.apply_async(args=["bonjour"], queue=celery_worker_process)
        assert result.get(timeout=30) == {"echo": "bonjour", "database": "ok"}
    finally:
        app.conf.task_always_eager = True


def test_a_worker_process_loads_the_pdf_engine_when_it_starts(monkeypatch):
    """Each worker process loads WeasyPrint at its start, so that no report pays for it."""
    from celery.signals import worker_process_init

    from forum_ouvert.core import pdf

    calls = []
    monkeypatch.setattr(pdf, "preload", lambda: calls.append("chargé"))
    worker_process_init.send(sender=None)
    assert calls == ["chargé"]
