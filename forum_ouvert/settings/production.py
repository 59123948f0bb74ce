"""Production settings: HTTPS only, secrets from the environment, nothing insecure by default.

Required: ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL``, ``ALLOWED_HOSTS``, ``EMAIL_HOST``.
Optional: ``SENTRY_DSN`` (errors to Sentry), ``LOG_FORMAT`` (``json`` by default),
``TRUSTED_CLIENT_IP_HEADER`` (the header the reverse proxy puts the client's address in).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import RELEASE, env, env_bool, env_int, env_list

DEBUG = False
PRODUCTION = True  # seed_demo refuses to run here unless --force


def _required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} est obligatoire en production."
        )
    return value


SECRET_KEY = _required("SECRET_KEY")
_required("DATABASE_URL")
_required("REDIS_URL")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [_required("ALLOWED_HOSTS")]

DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405

# Behind the reverse proxy every request comes from its address: allauth's per-address
# limits (failed logins, sign-ups, password resets) would then be shared by every visitor.
# The proxy passes the client's address in this header (X-Real-IP, forum_ouvert/deploy);
# set it only when the application cannot be reached except through that proxy.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", "") or None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63_072_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

STORAGES = {
    "default": {
        "BACKEND": env("DEFAULT_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _required("EMAIL_HOST"),
            "port": env_int("EMAIL_PORT", 587),
            "username": env("EMAIL_HOST_USER", ""),
            "password": env("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": env_int("EMAIL_TIMEOUT", 10),
        },
    }
}

CELERY_TASK_ALWAYS_EAGER = False

# Logs: JSON lines on stdout (time, level, logger, message, request_id, exc_info).
# A copy, not an update: base's dict may be shared with another settings module.
LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        "console": {
            **LOGGING["handlers"]["console"],  # noqa: F405
            "formatter": env("LOG_FORMAT", "json"),
            "stream": "ext://sys.stdout",
        }
    },
}

# Celery workers keep these handlers (JSON, with the task id) instead of their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = env_bool("CELERY_WORKER_HIJACK_ROOT_LOGGER", False)

# Errors to Sentry when SENTRY_DSN is set; no personal data, tagged with the request id
# that the error page shows.
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from forum_ouvert.core.logging import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        environment=env("SENTRY_ENVIRONMENT", "production"),
        release=env("SENTRY_RELEASE") or RELEASE or None,
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        before_send=sentry_before_send,
    )
