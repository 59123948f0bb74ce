"""Development settings (``manage.py`` by default): the local PostgreSQL and Redis.

With nothing set, the database is ``forum_ouvert_demo`` on 127.0.0.1:5432 (the demo's
own, never the tests'), the cache lives in Redis database 12 and Celery's broker and
results in database 13: ``make test`` uses databases 0 to 2 × TEST_WORKERS − 1 and
``make bench`` 10 and 11, so the tests never flush the demo's. Tasks go to a real worker
(``make run`` starts one, with beat); ``SITE_URL`` follows ``PORT``; e-mails are printed on
the console, or written as files into ``EMAIL_FILE_PATH`` when it is set.
"""

import os

_redis = os.environ.get("FO_DEMO_REDIS", "redis://127.0.0.1:6379")
os.environ.setdefault("REDIS_URL", f"{_redis}/12")
os.environ.setdefault("CELERY_BROKER_URL", f"{_redis}/13")
os.environ.setdefault("CELERY_RESULT_BACKEND", f"{_redis}/13")
# The demo's pages are cached under their own prefix, apart from any other site's.
os.environ.setdefault("CACHE_KEY_PREFIX", "fo-demo")

from .base import *  # noqa: E402, F403
from .base import VAR_DIR, env, env_bool  # noqa: E402

DEBUG = env_bool("DEBUG", True)
VAR_DIR.mkdir(parents=True, exist_ok=True)

SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}").rstrip("/")

if env("EMAIL_FILE_PATH"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env("EMAIL_FILE_PATH")},
        }
    }

LOGGING["loggers"].update({"kombu": {"level": "ERROR"}})  # noqa: F405

# The demo's staff accounts can use /pilotage/ without an authenticator app; production
# and the tests require two-factor authentication for DITP staff and admins.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", False)
