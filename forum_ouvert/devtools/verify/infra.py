"""The services ``make verify`` runs for itself: its own PostgreSQL cluster and Redis (so it
may restart them freely without disturbing the machine's shared ones), gunicorn app servers
with the production settings, and a Celery worker.

Everything lives under ``var/verify/``; the populated cluster is kept between runs.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VAR = Path(os.environ.get("VERIFY_DIR", ROOT / "var" / "verify"))
LOGS = VAR / "logs"
# Below Linux's range of ephemeral ports (32768-60999): under load, thousands of outgoing
# connections could otherwise hold the very port a server is about to listen on (seen:
# the second gunicorn of the scale check could not bind 58002 during a scan).
PG_PORT = int(os.environ.get("VERIFY_PG_PORT", "25432"))
REDIS_PORT = int(os.environ.get("VERIFY_REDIS_PORT", "26379"))
APP_PORTS = (28001, 28002)
#: nginx in front of the first app server, with the shipped limits (forum_ouvert/deploy).
PROXY_PORT = 28080
NGINX_CONF = ROOT / "forum_ouvert" / "deploy" / "nginx"
DB_NAME = "forum_ouvert_verify"
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} introuvable dans /usr/lib/postgresql/*/bin")
    return found[-1]


def as_owner(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the ``postgres`` system user."""
    if os.geteuid() == 0 and shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except Exception:
            result = None
        if result:
            return result
        time.sleep(interval)
    raise RuntimeError(f"délai dépassé : {what}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def env(**extra: str) -> dict[str, str]:
    """The environment of every process the harness starts (production settings)."""
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings.verify",
        "SECRET_KEY": "verify-only-" + "k" * 50,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "FORUM_OUVERT_VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    base.pop("CELERY_TASK_ALWAYS_EAGER", None)
    base.pop("FO_TEST_REDIS_DB", None)
    base.update(extra)
    return base


def manage(*args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [PY, "manage.py", *args], cwd=ROOT, env=env(**extra), check=check, text=True
    )


def django_shell(code: str) -> str:
    """Run ``code`` in ``manage.py shell`` with the verify settings; its stdout."""
    done = subprocess.run(  # noqa: S603
        [PY, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env(),
        check=True,
        text=True,
        capture_output=True,
    )
    return done.stdout


@dataclass
class Process:
    name: str
    argv: list[str]
    environ: dict[str, str] = field(default_factory=env)
    proc: subprocess.Popen | None = None

    def start(self) -> Process:
        LOGS.mkdir(parents=True, exist_ok=True)
        log = open(LOGS / f"{self.name}.log", "ab")  # noqa: SIM115 (owned by the child)
        self.proc = subprocess.Popen(  # noqa: S603
            self.argv,
            cwd=ROOT,
            env=self.environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if not self.alive():
            return
        os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Postgres:
    """A cluster of its own in var/verify/pg (trust auth, fsync on)."""

    def __init__(self):
        self.data = VAR / "pg"

    def _ctl(self, *args: str) -> None:
        subprocess.run(  # noqa: S603
            as_owner(
                [pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.data / "server.log")]
                # The port of this run (VERIFY_PG_PORT), whatever the cluster was created with.
                + ["-o", f"-p {PG_PORT}", *args]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        if not (self.data / "PG_VERSION").exists():
            self.data.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.data, "postgres", "postgres")
            subprocess.run(  # noqa: S603
                as_owner(
                    [
                        pg_bin("initdb"),
                        "-D",
                        str(self.data),
                        "-U",
                        "postgres",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            with open(self.data / "postgresql.conf", "a") as conf:  # root may append
                conf.write(
                    f"\nport = {PG_PORT}\nlisten_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.data}'\nfsync = on\n"
                    "max_connections = 200\nshared_buffers = 256MB\n"
                )
        if not self.running():
            if port_open(PG_PORT):
                raise SystemExit(
                    f"Le port {PG_PORT} est pris par un autre serveur : "
                    "choisissez-en un autre avec VERIFY_PG_PORT."
                )
            self._ctl("start", "-w", "-t", "60")
        self.psql(
            f"SELECT 'CREATE DATABASE {DB_NAME}' WHERE NOT EXISTS "  # noqa: S608 (constants)  # nosec B608 (catalogue names or constants, quoted)
            f"(SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}')\\gexec",
            db="postgres",
        )

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists() and port_open(PG_PORT)

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast", "-w", "-t", "60")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "fast", "-w", "-t", "60")

    def psql(self, sql: str, db: str = DB_NAME) -> str:
        done = subprocess.run(  # noqa: S603
            [
                pg_bin("psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(PG_PORT),
                "-U",
                "postgres",
                "-d",
                db,
                "-AtqX",
                "-v",
                "ON_ERROR_STOP=1",
            ],
            input=sql,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()


class Redis:
    """Append-only (``appendfsync everysec``), as production must be: queued tasks survive
    a restart."""

    def __init__(self):
        self.dir = VAR / "redis"
        self.proc: Process | None = None

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if port_open(REDIS_PORT):  # left over by an interrupted run: take it over
            self.shutdown()
        self.proc = Process(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--dir",
                str(self.dir),
                "--save",
                "",
            ],
        ).start()
        wait_for(lambda: self.cli("ping") == "PONG", 15, "Redis démarre")

    def cli(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            ["redis-cli", "-p", str(REDIS_PORT), *args],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
        )
        return done.stdout.strip()

    def shutdown(self) -> None:
        self.cli("shutdown")  # appendonly: the data is flushed before it exits
        if self.proc and self.proc.proc:
            self.proc.proc.wait(15)
        wait_for(lambda: not port_open(REDIS_PORT), 15, "Redis s'arrête")

    def restart(self) -> None:
        self.shutdown()
        self.start()

    def stop(self) -> None:
        if port_open(REDIS_PORT):
            self.shutdown()


def gunicorn(port: int, name: str | None = None) -> Process:
    """The production command line (Dockerfile): forum_ouvert/gunicorn.py, 2 workers."""
    return Process(
        name or f"gunicorn-{port}",
        [
            str(BIN / "gunicorn"),
            "forum_ouvert.wsgi",
            "-c",
            "python:forum_ouvert.gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            str(LOGS / f"access-{port}.log"),
        ],
    )


NGINX_TEMPLATE = """
{user}
worker_processes 1;
daemon off;
pid {var}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {logs}/nginx-access.log;
    client_body_temp_path {var}/client_body;
    proxy_temp_path {var}/proxy;
    fastcgi_temp_path {var}/fastcgi;
    uwsgi_temp_path {var}/uwsgi;
    scgi_temp_path {var}/scgi;
    include {conf}/limits.conf;
    upstream forum_ouvert_app {{
        server 127.0.0.1:{app_port};
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_tokens off;
        location / {{
            include {conf}/proxy.conf;
            # What the TLS terminator in front would set (the clients here speak HTTP).
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


def nginx_command(*, app_port: int, port: int, var: Path, logs: Path) -> list[str]:
    """Write an nginx.conf in ``var`` that includes the shipped limits and proxy settings
    (forum_ouvert/deploy/nginx) in front of ``app_port``; the command that runs it."""
    var.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    conf = var / "nginx.conf"
    conf.write_text(
        NGINX_TEMPLATE.format(
            user="user root;" if os.geteuid() == 0 else "",
            var=var,
            logs=logs,
            conf=NGINX_CONF,
            app_port=app_port,
            port=port,
        )
    )
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    return [binary, "-c", str(conf), "-e", str(logs / "nginx-error.log")]


def nginx(app_port: int, port: int = PROXY_PORT) -> Process:
    """nginx with the shipped limits in front of ``app_port``."""
    return Process(
        "nginx", nginx_command(app_port=app_port, port=port, var=VAR / "nginx", logs=LOGS)
    )


def wait_http(port: int, timeout: float = 60) -> None:
    def ok():
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/__verify__/hello",
            headers={"X-Forwarded-Proto": "https"},
        )
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310  # nosec B310 (a loopback http URL built here)
            return response.status == 200

    wait_for(ok, timeout, f"gunicorn répond sur le port {port}", interval=0.5)


def celery_worker(name: str = "celery") -> Process:
    return Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "forum_ouvert",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            "1",
            "-n",
            f"{name}@verify",
        ],
    )


class Stack:
    """PostgreSQL, Redis, app servers and workers, stopped together (also on Ctrl-C)."""

    def __init__(self):
        self.pg = Postgres()
        self.redis = Redis()
        self.processes: list[Process] = []

    def __enter__(self) -> Stack:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
        try:
            self.pg.start()
            self.redis.start()
        except BaseException:  # __exit__ will not run: leave no server behind
            self.redis.stop()
            self.pg.stop()
            raise
        return self

    def spawn(self, process: Process) -> Process:
        self.processes.append(process.start())
        return process

    def app(self, port: int) -> Process:
        process = self.spawn(gunicorn(port))
        wait_http(port)
        return process

    def proxy(self, app_port: int, port: int = PROXY_PORT) -> Process:
        process = self.spawn(nginx(app_port, port))
        wait_http(port)
        return process

    def stop(self, process: Process) -> None:
        process.stop()
        self.processes.remove(process)

    def stop_apps(self) -> None:
        for process in self.processes:
            process.stop()
        self.processes.clear()

    def __exit__(self, *exc) -> None:
        self.stop_apps()
        self.redis.stop()
        self.pg.stop()
