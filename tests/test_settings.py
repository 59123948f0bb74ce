"""Settings: production passes check --deploy; development needs no environment variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _run(args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _clean_env(**extra):
    keep = {"PATH", "HOME", "LANG", "PYENV_ROOT", "PYENV_VERSION"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(extra)
    return env


def _production_env(**extra):
    """What an operator sets, as documented in the README."""
    return _clean_env(
        DJANGO_SETTINGS_MODULE="forum_ouvert.settings.production",
        SECRET_KEY="x" * 20 + "production-secret-for-the-check-only-0123456789",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/forum_ouvert",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="forum-ouvert.gouv.fr",
        EMAIL_HOST="smtp.example.org",
        **extra,
    )


def test_production_settings_pass_check_deploy():
    """An operator who sets the documented variables gets no deployment warning."""
    env = _production_env(
        SECURITY_CONTACT="securite@forum-ouvert.gouv.fr",
        ACCESSIBILITY_CONTACT="accessibilite@forum-ouvert.gouv.fr",
    )
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_while_the_security_contact_is_the_placeholder():
    """security.txt must not send vulnerability reports to a fictitious address."""
    env = _production_env()
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "forum_ouvert.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    """Production never falls back to a development key."""
    env = _clean_env(DJANGO_SETTINGS_MODULE="forum_ouvert.settings.production")
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_development_settings_need_no_environment(tmp_path):
    """A newcomer's `manage.py check` works with nothing set: the demo's own PostgreSQL
    database (never the tests'), Redis databases the tests do not flush, a real worker."""
    env = _clean_env(FORUM_OUVERT_VAR_DIR=str(tmp_path))
    result = _run(["check"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(["shell", "-c", SETTINGS_PROBE], env)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "forum_ouvert.core.postgresql",
        "forum_ouvert_demo",
        "redis://127.0.0.1:6379/12",
        "redis://127.0.0.1:6379/13",
        "False",
        "True",
        "http://127.0.0.1:8000",
    ], result.stderr


SETTINGS_PROBE = (
    "from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
    "s.CACHES['default']['LOCATION'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, "
    "s.DEBUG, s.SITE_URL)"
)


def test_make_run_settings_are_a_demo_served_like_production(tmp_path):
    """`make run`'s settings: DEBUG off (the French error pages), links on its port, static
    files through whitenoise, and not the production settings (the demo seed refuses those)."""
    env = _clean_env(
        FORUM_OUVERT_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="forum_ouvert.settings.demo",
        PORT="8831",
    )
    probe = "import sys; " + SETTINGS_PROBE.replace(
        "s.SITE_URL)",
        "s.SITE_URL, s.WHITENOISE_USE_FINDERS, 'forum_ouvert.settings.production' in sys.modules)",
    )
    result = _run(["shell", "-c", probe], env)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "forum_ouvert.core.postgresql",
        "forum_ouvert_demo",
        "redis://127.0.0.1:6379/12",
        "redis://127.0.0.1:6379/13",
        "False",
        "False",
        "http://127.0.0.1:8831",
        "True",
        "False",
    ], result.stderr


def test_celery_is_configured_for_reliability(settings):
    """Tasks are JSON, time-limited, acknowledged late and redelivered if a worker dies."""
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_TASK_TIME_LIMIT > settings.CELERY_TASK_SOFT_TIME_LIMIT
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert settings.CELERY_TASK_TIME_LIMIT < timeout <= settings.CELERY_TASK_TIME_LIMIT + 300


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings.production",
    "SECRET_KEY": "x" * 20 + "production-secret-for-the-check-only-0123456789",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/forum_ouvert",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "forum-ouvert.gouv.fr",
    "EMAIL_HOST": "smtp.example.org",
}
PROBE = (
    "import json, logging, sentry_sdk; "
    "logging.getLogger('forum_ouvert.probe').warning('bonjour'); "
    "client = sentry_sdk.get_client(); "
    "print(json.dumps({'sentry': client.is_active(), "
    "'pii': client.options.get('send_default_pii'), "
    "'traces': client.options.get('traces_sample_rate')}))"
)


@pytest.mark.parametrize("dsn", ["", "https://cle@o0.ingest.sentry.example.invalid/1"])
def test_production_logs_json_lines_and_reports_to_sentry_only_with_a_dsn(dsn):
    """Production writes one JSON object per log line on stdout; Sentry is on only when
    SENTRY_DSN is set, without personal data and without tracing by default."""
    import json

    result = _run(["shell", "-c", PROBE], _clean_env(**PRODUCTION_ENV, SENTRY_DSN=dsn))
    assert result.returncode == 0, result.stderr
    log, probe = (json.loads(line) for line in result.stdout.strip().splitlines()[-2:])
    assert {k: log[k] for k in ("level", "logger", "message", "request_id")} == {
        "level": "WARNING",
        "logger": "forum_ouvert.probe",
        "message": "bonjour",
        "request_id": None,
    }
    assert probe["sentry"] is bool(dsn)
    if dsn:
        assert (probe["pii"], probe["traces"]) == (False, 0.0)


def test_check_deploy_warns_while_the_accessibility_contact_is_the_placeholder():
    """The accessibility statement must not send people to a fictitious address."""
    env = _production_env(SECURITY_CONTACT="securite@forum-ouvert.gouv.fr")
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "forum_ouvert.W002" in result.stdout + result.stderr


@pytest.mark.django_db
def test_the_accessibility_statement_is_dated_and_gives_the_contact_and_recourse(client, settings):
    """RGAA: no audit means « non conforme »; a date; the contact from the settings; the
    three ways to reach the Défenseur des droits."""
    settings.ACCESSIBILITY_CONTACT = "accessibilite@forum-ouvert.gouv.fr"
    html = client.get("/accessibilite/").content.decode()
    assert "non conforme" in html and "partiellement conforme" not in html
    assert "Elle a été établie le 3 décembre 2026" in html
    assert 'href="mailto:accessibilite@forum-ouvert.gouv.fr"' in html
    assert "formulaire.defenseurdesdroits.fr" in html and "carte-des-delegues" in html
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in html
    assert ".example" not in html
