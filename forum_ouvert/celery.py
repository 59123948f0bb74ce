"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum_ouvert.settings.development")

app = Celery("forum_ouvert")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
