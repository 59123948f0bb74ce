"""Development settings: no environment variable needed.

With nothing set, the database is a SQLite file under ``var/``, the cache is in memory,
Celery runs tasks eagerly and e-mails are printed on the console.
"""

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Eager Celery logs every task at INFO: keep the runserver console readable.
LOGGING["loggers"].update(  # noqa: F405
    {"celery": {"level": "WARNING"}, "kombu": {"level": "ERROR"}}
)

# The demo's staff accounts can use /pilotage/ without an authenticator app; production
# and the tests require two-factor authentication for DITP staff and admins.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", False)
