"""Test settings: real PostgreSQL and Redis, as in production.

``DATABASE_URL`` and ``REDIS_URL`` may be overridden (e.g. to run two suites side by side
on one machine); by default they point at the local services that ``make test`` starts.
"""

import os

# pytest-xdist workers (gw0, gw1…) each get their own pair of Redis databases, as they
# each get their own PostgreSQL test database.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
_redis_db = int(os.environ.get("FO_TEST_REDIS_DB", "0")) + 2 * int(_worker)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/forum_ouvert")
# The cache (flushed between tests) and the Celery broker live in separate Redis databases.
# Set, not defaulted: xdist workers inherit the controller's environment.
_redis = os.environ.get("FO_TEST_REDIS", "redis://127.0.0.1:6379")
os.environ["REDIS_URL"] = f"{_redis}/{_redis_db}"
os.environ["CELERY_BROKER_URL"] = f"{_redis}/{_redis_db + 1}"
os.environ["CELERY_RESULT_BACKEND"] = f"{_redis}/{_redis_db + 1}"
# Tasks run in-process unless a test starts a real worker (tests/conftest.py).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from .base import *  # noqa: E402, F403
from .base import VAR_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"
# Plain storage: the compressed manifest of django-dsfr's 17 MB takes ~40 s to build.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Test transactions never commit, so the page cache would never see their writes; the
# tests of the page cache switch it back on and run the commit hooks themselves.
PAGE_CACHE_ENABLED = False
# Undefined variables in our templates raise (style guide, rule 18); third-party templates
# render as in production (forum_ouvert/core/templates_strict.py).
from forum_ouvert.core.templates_strict import STRICT_STRING_IF_INVALID  # noqa: E402

TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = STRICT_STRING_IF_INVALID  # noqa: F405
