"""WSGI entry point (gunicorn forum_ouvert.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum_ouvert.settings.production")

application = get_wsgi_application()
