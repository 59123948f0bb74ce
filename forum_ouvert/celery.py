"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

from forum_ouvert.core.logging import request_id

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum_ouvert.settings.development")

app = Celery("forum_ouvert")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_request_id_tokens: dict = {}


@task_prerun.connect
def _bind_task_id(task_id=None, **kwargs):
    """A task's log records carry its id as request id (see ``core.logging``)."""
    _request_id_tokens[task_id] = request_id.set(task_id or "")


@task_postrun.connect
def _unbind_task_id(task_id=None, **kwargs):
    token = _request_id_tokens.pop(task_id, None)
    if token is not None:
        request_id.reset(token)


@worker_process_init.connect
def _preload_pdf_engine(**kwargs):
    """Each worker process loads the PDF engine once, when it starts (``core.pdf.preload``)."""
    from forum_ouvert.core.pdf import preload

    preload()
