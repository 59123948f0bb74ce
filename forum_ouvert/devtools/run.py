"""``make run``: prepare the demo database, then serve the site with a Celery worker and beat.

    python -m forum_ouvert.devtools.run [--port 8000] [--host 127.0.0.1]

One command, one terminal: the web server (``runserver``), a worker and beat run side by
side, their output prefixed with their name; Ctrl-C (or SIGTERM) stops the three together
and so does the end of any one of them. Before serving, and every time (nothing is
duplicated): the database is created if it does not exist (``forum_ouvert_demo`` unless
``DATABASE_URL`` says otherwise, never the tests'), migrated, checked for ``unaccent`` and
the French text search configuration, the plan 2024-2026 is imported and the demo data
loaded. Settings: ``forum_ouvert.settings.demo`` (``DEBUG`` off, French error pages);
``SITE_URL`` follows ``--port`` unless set, so that the links of e-mails, calendars,
feeds, exports and PDFs point at the address served.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS = "forum_ouvert.settings.demo"
PLAN_FILE = "engagements/data/plan-2024-2026.json"
STOP_GRACE = 15  # seconds a process has to stop before it is killed
READY_TIMEOUT = 180
CELERY = [sys.executable, "-m", "celery", "-A", "forum_ouvert"]


def _die_with_parent() -> None:
    """In the child, before exec: receive SIGTERM if the supervisor itself dies."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _environment(host: str, port: int, settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings
    env["PORT"] = str(port)
    env.setdefault("SITE_URL", f"http://{host}:{port}")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _manage(*args: str, env: dict[str, str]) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 (arguments built here)


def _database(env: dict[str, str]) -> dict:
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "PORT", "SITE_URL")})
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] not in ("django.db.backends.postgresql", "forum_ouvert.core.postgresql"):
        raise SystemExit(f"make run attend PostgreSQL, pas {db['ENGINE']}.")
    return db


def _connect(db: dict, name: str):
    import psycopg

    return psycopg.connect(
        dbname=name,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
        connect_timeout=10,
    )


def ensure_database(db: dict) -> bool:
    """Create the configured database when it does not exist; True if it was created."""
    from psycopg import sql

    with _connect(db, "postgres") as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            return False
        print(f"Création de la base {db['NAME']}…", flush=True)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        return True


def check_search(db: dict) -> None:
    """Search behaves as in production: « participer region » finds « La participation des
    régions » through the site's ``fr_unaccent`` configuration (``core/search.py``)."""
    with _connect(db, db["NAME"]) as conn:
        (found,) = conn.execute(
            "SELECT to_tsvector('fr_unaccent', %s) @@ websearch_to_tsquery('fr_unaccent', %s)",
            ["La participation des régions", "participer region"],
        ).fetchone()
    if not found:
        raise SystemExit(f"La recherche en français ne fonctionne pas dans {db['NAME']}.")


def prepare(env: dict[str, str]) -> None:
    """Database, migrations, plan and demo data: safe to run every time."""
    db = _database(env)
    ensure_database(db)
    _manage("migrate", "--noinput", env=env)
    check_search(db)
    _manage("import_plan", PLAN_FILE, env=env)
    # The DITP's real Baromètre (shipped in participation/workshops/data/barometre/):
    # idempotent, a rerun reads nothing when the files have not changed.
    _manage("import_barometre", env=env)
    _manage("seed_demo", env=env)


class Supervisor:
    """The web server, the worker and beat; each in its own process group."""

    def __init__(self, commands: dict[str, list[str]], env: dict[str, str]):
        self.commands, self.env = commands, env
        self.procs: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self) -> None:
        for name, command in self.commands.items():
            self.procs[name] = subprocess.Popen(  # noqa: S603 (arguments built here)
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us; we stop the groups in order
                preexec_fn=_die_with_parent,  # before any relay thread exists
            )
        width = max(len(name) for name in self.commands)
        for name, proc in self.procs.items():
            threading.Thread(
                target=self._relay, args=(f"{name:<{width}} | ", proc), daemon=True
            ).start()

    @staticmethod
    def _relay(prefix: str, proc: subprocess.Popen) -> None:
        for line in iter(proc.stdout.readline, b""):
            sys.stdout.write(prefix + line.decode(errors="replace"))
            sys.stdout.flush()

    def exited(self) -> str | None:
        """The name of a process that has ended, if any."""
        return next((n for n, p in self.procs.items() if p.poll() is not None), None)

    def stop(self) -> None:
        """SIGTERM to every group, then SIGKILL to what is still there after the grace."""
        self.stopping = True
        for proc in reversed(self.procs.values()):
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        for proc in self.procs.values():
            _signal_group(proc, signal.SIGKILL)
            proc.wait()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)  # the group also holds runserver's reloaded child


def wait_until_served(url: str, supervisor: Supervisor) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if supervisor.exited():
            return False
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own URL)  # nosec B310
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def commands(host: str, port: int, var_dir: Path, *, reload: bool) -> dict[str, list[str]]:
    web = [sys.executable, "manage.py", "runserver", f"{host}:{port}"]
    return {
        "web": web if reload else [*web, "--noreload"],
        "worker": [
            *CELERY,
            "worker",
            "--loglevel=INFO",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
        ],
        "beat": [
            *CELERY,
            "beat",
            "--loglevel=INFO",
            f"--schedule={var_dir / 'celerybeat-schedule'}",
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument("--settings", default=SETTINGS)
    parser.add_argument("--no-prepare", action="store_true", help="serve without preparing")
    parser.add_argument("--noreload", action="store_true", help="runserver sans rechargement")
    args = parser.parse_args(argv)
    started = time.monotonic()

    env = _environment(args.host, args.port, args.settings)
    if not args.no_prepare:
        prepare(env)
    var_dir = Path(env.get("FORUM_OUVERT_VAR_DIR") or ROOT / "var")
    var_dir.mkdir(parents=True, exist_ok=True)
    supervisor = Supervisor(commands(args.host, args.port, var_dir, reload=not args.noreload), env)

    def _on_signal(signum, frame):
        raise KeyboardInterrupt

    # Explicitly: a shell's background job starts with SIGINT ignored.
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    try:
        supervisor.start()
        if not wait_until_served(f"http://{args.host}:{args.port}/healthz", supervisor):
            print(f"Le site ne répond pas ({supervisor.exited() or 'délai dépassé'}).", flush=True)
            return 1
        # Today's progress snapshot now, not at 02:30: the charts end where the pages say.
        subprocess.run(  # noqa: S603 (arguments built here)
            [*CELERY, "call", "reports.snapshot"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        print(
            f"\nForum ouvert — DÉMONSTRATION (données fictives) : {env['SITE_URL']}/ "
            f"(prêt en {time.monotonic() - started:.0f} s)\n"
            "Serveur web, worker Celery et beat lancés ; e-mails affichés ici. "
            "Ctrl-C arrête les trois.\n",
            flush=True,
        )
        while (name := supervisor.exited()) is None:
            time.sleep(0.5)
        print(f"\n{name} s'est arrêté : arrêt des autres processus.", flush=True)
        return 1
    except KeyboardInterrupt:
        print("\nArrêt du serveur web, du worker et de beat…", flush=True)
        return 0
    finally:
        supervisor.stop()


if __name__ == "__main__":
    sys.exit(main())
