"""Settings shared by every environment.

Every value that differs between machines comes from an environment variable; the
defaults here are safe for development. ``production.py`` tightens them and refuses to
start without the secrets it needs.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("FORUM_OUVERT_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    """An environment variable, or ``default`` when it is unset or empty."""
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value is not None else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address the site is served on: every link that leaves it (core.links) starts here.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
#: ``manage.py seed_demo`` creates accounts whose password is public: production says no.
PRODUCTION = False
SITE_ID = 1

INSTALLED_APPS = [
    # Ground floor first so that its templates (allauth overrides) win.
    "forum_ouvert.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Its one record names the site in allauth's e-mails (core.links sets it from SITE_URL).
    "django.contrib.sites",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rules.apps.AutodiscoverRulesConfig",
    # dsfr before django.forms: its widget templates (radios, checkboxes) must win.
    "dsfr",
    "widget_tweaks",
    "django.forms",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    # The State's logins (forum_ouvert/core/oidc): shown only when configured below.
    "forum_ouvert.core.oidc.proconnect",
    "forum_ouvert.core.oidc.franceconnect",
    # The apps, bottom to top.
    "engagements",
    "participation.forum",
    "participation.workshops",
    "participation.contributions",
    "participation.cocreation",
    "forum_ouvert.reports",
    "forum_ouvert.portal",
]

MIDDLEWARE = [
    "forum_ouvert.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "forum_ouvert.core.middleware.ExtraSecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache: who chose English is sent to the English twin of a French URL.
    "forum_ouvert.core.i18n.PreferredLanguageMiddleware",
    # Before sessions and CSRF: a cached anonymous page skips the rest of the stack.
    "forum_ouvert.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the URL's (/en/… or French), never a header or the cookie.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "forum_ouvert.core.middleware.StaffSecurityMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: decides on the page the view rendered (HTML pages only, never a POST).
    "forum_ouvert.core.middleware.TermsMiddleware",
]

ROOT_URLCONF = "forum_ouvert.urls"
# The French page of a failed CSRF check (Django's is in English).
CSRF_FAILURE_VIEW = "forum_ouvert.core.views.csrf_failure"
WSGI_APPLICATION = "forum_ouvert.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "forum_ouvert.core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "forum_ouvert.core.forms.DsfrFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        # PostgreSQL everywhere; the default is the demo's own database (make run).
        env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/forum_ouvert_demo"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# The project's PostgreSQL backend everywhere, as in production: connecting waits up to 5 s
# for a restarting server instead of a 500 at once, and `manage.py check` needs no database
# (forum_ouvert/core/postgresql/base.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "forum_ouvert.core.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "forum_ouvert.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "fo"),
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Whole anonymous pages in the cache, invalidated by every committed write
# (forum_ouvert/core/pagecache.py); a clock-driven change shows within the timeout.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = env_int("PAGE_CACHE_TIMEOUT", 60)
# One render per page at a time: the renderer's lock expires after this many seconds (a
# process that died), and a visitor waits at most PAGE_CACHE_WAIT for that render.
PAGE_CACHE_LOCK_TIMEOUT = env_int("PAGE_CACHE_LOCK_TIMEOUT", 10)
PAGE_CACHE_WAIT = env_int("PAGE_CACHE_WAIT", 2)
#: The version of the code being served (the image's git commit, set at build time).
#: Cached pages and values are kept per release: during a rolling deploy, old and new
#: processes never serve each other's HTML nor read each other's cached objects.
RELEASE = env("RELEASE", "")

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:my_space"
#: A role's start page after login, when it is not « Mon espace »: a lead comes to update
#: their commitments (issue 22, item 16: four clicks from « Mon espace »).
LOGIN_REDIRECT_BY_ROLE = {"pilote": "engagements:bo_commitment_list"}
LOGOUT_REDIRECT_URL = "portal:home"

# django-allauth: e-mail is the login; sign-up needs a verified address.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "forum_ouvert.core.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_DISPLAY = "forum_ouvert.core.models.user_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
# The old address is told of a change of e-mail (and of password): a stolen session cannot
# take the account over in silence.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Confirming the sign-up e-mail logs the person in (same browser), instead of asking for
# the password they have just chosen.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Forum ouvert] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_ADAPTER = "forum_ouvert.core.adapters.AccountAdapter"
# ProConnect (agents) and FranceConnect (citizens), OpenID Connect (forum_ouvert/core/oidc):
# each is offered only when its client id, secret and issuer are all set (README, « Connexion
# ProConnect et FranceConnect », gives the redirect URIs to register).
SOCIALACCOUNT_ADAPTER = "forum_ouvert.core.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {}
for _provider, _prefix in (("proconnect", "PROCONNECT"), ("franceconnect", "FRANCECONNECT")):
    _app = {
        "client_id": env(f"{_prefix}_CLIENT_ID"),
        "secret": env(f"{_prefix}_CLIENT_SECRET"),
        "settings": {"issuer": (env(f"{_prefix}_ISSUER") or "").rstrip("/")},
    }
    SOCIALACCOUNT_PROVIDERS[_provider] = {
        "APPS": [_app]
        if _app["client_id"] and _app["secret"] and _app["settings"]["issuer"]
        else [],
        # A matching e-mail links to an existing account only when the provider vouches
        # for the address (extract_email_addresses says which do), never on a bare claim.
        "EMAIL_AUTHENTICATION": True,
    }
#: The configured providers' origins (scheme://host[:port]), for the CSP's form-action.
SOCIALACCOUNT_FORM_ACTIONS = sorted(
    {
        "/".join(app["settings"]["issuer"].split("/")[:3])
        for provider in SOCIALACCOUNT_PROVIDERS.values()
        for app in provider["APPS"]
    }
)
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
# The identity is kept (provider and pseudonymous sub), not the tokens.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Forum ouvert"
# Staff and admins: 2FA before /pilotage/ and /admin/, 30 minutes of idleness end a session.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)
STAFF_SESSION_IDLE_TIMEOUT = env_int("STAFF_SESSION_IDLE_TIMEOUT", 30 * 60)
# allauth's limits, tightened: 5 failed logins per account per 15 minutes (answered with
# HTTP 429), password reset e-mails throttled per address and per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/15m/key",
    "reset_password": "20/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
# The visitor's choice in the header's language selector (forum_ouvert.core.i18n).
LANGUAGE_COOKIE_NAME = "fo_langue"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "forum_ouvert" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded documents are read through permission-checked views, never served as /media/.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
MAX_DOCUMENT_SIZE = 10 * 1024 * 1024

# django-dsfr: whitenoise rewrites its CSS, so its hard-coded SRI hashes cannot match.
DSFR_USE_INTEGRITY_CHECKSUMS = False
# Never render messages or tag contents as HTML: a message may carry user text.
DSFR_CONTENT_IS_SAFE = False
DSFR_MARK_OPTIONAL_FIELDS = True

# Security headers that hold in every environment; production adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Nothing is allowed unless listed: same-origin scripts and styles only, no inline code.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    # The State's login buttons post here and are redirected to their provider's page:
    # Chromium applies form-action to that redirect too.
    "form-action": [CSP.SELF, *SOCIALACCOUNT_FORM_ACTIONS],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Django 6.1 mailers: e-mails are printed on the console unless a backend is configured.
MAILERS = {
    "default": {"BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}
}
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Forum ouvert <ne-pas-repondre@forum-ouvert.example>"
)
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Celery: JSON only, time limits on every task, acknowledged after the work is done.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 540)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
# A task whose worker died is redelivered after the visibility timeout: just above the
# longest task's hard time limit, so that nothing waits an hour (Redis's default).
# Unacknowledged messages are scanned for every interval x throttle seconds (~1 min).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 60),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 6),
    # A broker host that does not answer: give up connecting after 2 s, not the OS's minutes.
    "socket_connect_timeout": env_int("CELERY_BROKER_CONNECT_TIMEOUT", 2),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECT_TIMEOUT", 2)
# Publishing from a web request never waits long for a broker that is down: tasks go
# through the outbox (forum_ouvert/core/outbox.py), which publishes them again later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Periodic tasks (celery beat). One entry per task; keep them sorted by name.
CELERY_BEAT_SCHEDULE: dict = {
    # Tasks committed while the broker was down (transactional outbox).
    "core-flush-outbox": {"task": "core.flush_outbox", "schedule": 60.0},
    # Notifications: yesterday's daily digest, one e-mail per person (each sent once).
    "core-send-digests": {"task": "core.send_digests", "schedule": crontab(minute=0, hour=7)},
    # Files kept for refused forms (core.uploads.KeptFileInput), after a day.
    "core-sweep-pending-uploads": {"task": "core.sweep_pending_uploads", "schedule": 3600.0},
    # Forum ouvert: open and close calls for applications at their opening/closing times.
    "forum-sync-call-phases": {"task": "forum.sync_call_phases", "schedule": 60.0},
    "reports-monthly": {
        "task": "reports.monthly",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
    "reports-snapshot": {"task": "reports.snapshot", "schedule": crontab(minute=30, hour=2)},
    "reports-sweep": {"task": "reports.sweep", "schedule": crontab(minute="*/5")},
    # Workshops: reminders two days before (hourly, each sent once), ended workshops closed.
    "workshops-finish-past": {"task": "workshops.finish_past", "schedule": 3600.0},
    "workshops-send-reminders": {"task": "workshops.send_reminders", "schedule": 3600.0},
}

# Reports: a RENDERING report whose heartbeat is older than this (seconds) has lost its
# worker (a live one is killed at the hard time limit anyway): the sweeper re-queues it.
REPORTS_STALE_AFTER = env_int("REPORTS_STALE_AFTER", CELERY_TASK_TIME_LIMIT + 60)
# Pause between rendering steps (seconds): 0 in real life; tests use it to kill a worker
# in the middle of a render.
REPORTS_STEP_DELAY = float(env("REPORTS_STEP_DELAY", "0") or 0)

# Logs on the console, each record with its request id (or Celery task id). LOG_FORMAT:
# "plain" (development default) or "json" (one JSON object per line; production default).
LOG_FORMAT = env("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "forum_ouvert.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "forum_ouvert.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# Security contact of /.well-known/security.txt (RFC 9116): an e-mail address or a URL.
SECURITY_CONTACT = env("SECURITY_CONTACT", "securite@forum-ouvert.example")
#: Where people who cannot use a page ask for an accessible alternative (the accessibility
#: statement); ``check --deploy`` warns while it is the placeholder.
ACCESSIBILITY_CONTACT = env("ACCESSIBILITY_CONTACT", "accessibilite@forum-ouvert.example")

# Moderation (issue 19, item 7): content reported by this many distinct people is hidden
# pending review, as Decidim does (default 3).
MODERATION_REPORT_THRESHOLD = env_int("MODERATION_REPORT_THRESHOLD", 3)
