"""The large benchmark dataset (``manage.py bench --populate-only``) in the verify cluster,
plus the accounts and sessions the load generators use.

Populating takes minutes: it is done once, and kept in var/verify/pg between runs.
"""

from __future__ import annotations

import json
import time

from . import infra

STAMP = "verify_populated"
#: Accounts for the contributors of the load check (each posts fewer than the hourly limit).
ACCOUNTS = 1200
ACCOUNT_PREFIX = "verify-contrib"


def ensure(out=print) -> None:
    """Migrate, import the plan, populate and collect static files, unless done already."""
    started = time.perf_counter()
    infra.manage("migrate", "--noinput", "-v", "0")
    populated = infra.Postgres().psql(
        f"SELECT 1 FROM pg_class WHERE relname = '{STAMP}'"  # noqa: S608 (a constant)  # nosec B608 (catalogue names or constants, quoted)
    )
    if populated != "1":
        out("Jeu de données : chargement (quelques minutes, une seule fois)…")
        infra.manage("import_plan", "engagements/data/plan-2024-2026.json")
        infra.manage("bench", "--populate-only")
        infra.Postgres().psql(
            f"CREATE TABLE {STAMP} (at timestamptz DEFAULT now()); "
            f"INSERT INTO {STAMP} DEFAULT VALUES; VACUUM ANALYZE;"
        )
    static = infra.VAR / "static" / "staticfiles.json"
    if not static.exists():
        out("Fichiers statiques : collectstatic (manifeste compressé, ~1 min)…")
        infra.manage("collectstatic", "--noinput", "-v", "0")
    out(f"Jeu de données prêt ({time.perf_counter() - started:.0f} s).")


SESSIONS = """
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import User
from forum_ouvert.core.terms import accepted_now

PREFIX, COUNT, ROLES = {prefix!r}, {count}, {roles!r}
# One production hash for all: the accounts never log in with a password here, and
# hashing 1,000 passwords with the production hasher would take minutes.
password = make_password("verify-" + "x" * 20)
wanted = [(f"{{PREFIX}}-{{i}}@verify.invalid", ROLES[i % len(ROLES)]) for i in range(COUNT)]
have = set(User.objects.filter(email__startswith=PREFIX + "-").values_list("email", flat=True))
User.objects.bulk_create(
    [User(email=e, role=r, display_name=e.split("@")[0], password=password, **accepted_now())
     for e, r in wanted if e not in have],
    batch_size=500,
)
users = {{u.email: u for u in User.objects.filter(email__startswith=PREFIX + "-")}}
backend = settings.AUTHENTICATION_BACKENDS[-1]
keys = []
for email, _role in wanted:
    user = users[email]
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append([email, user.pk, session.session_key])
print(json.dumps(keys))
"""


def sessions(prefix: str = ACCOUNT_PREFIX, count: int = ACCOUNTS, roles=("citoyen",)) -> list:
    """Accounts ``<prefix>-<i>@verify.invalid`` and a fresh logged-in session for each:
    ``[[email, pk, session_key], …]`` (a login costs a production password hash: the load
    check measures contributions, not the hasher)."""
    code = SESSIONS.format(prefix=prefix, count=count, roles=list(roles))
    return json.loads(infra.django_shell(code).strip().splitlines()[-1])
