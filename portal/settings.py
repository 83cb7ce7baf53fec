"""Settings of the trade-missions portal, read from the environment.

Embedded defaults (no variable set): SQLite in the project folder, Celery tasks
run eagerly, emails printed on the console. The real stack is selected by
DATABASE_URL, CELERY_BROKER_URL and the EMAIL_* variables; production hardening
by DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and HTTPS=true (see README).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal.env import (
    ConfigError,
    broker_from_env,
    cache_from_env,
    database_from_env,
    env_bool,
    env_int,
    env_list,
    outbox_lease_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = os.environ

# A development key; check --deploy refuses it, so production must set its own.
DEVELOPMENT_SECRET_KEY = "django-insecure-trade-missions-portal-development-key-only"  # noqa: S105

try:
    DEBUG = env_bool(ENV, "DEBUG", default=False)
    SECRET_KEY = ENV.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
    CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS", default=[])
    # The portal's address in emails written outside a request (e.g. the follow-up
    # queued when a mission is completed); requests use the address they came on.
    PORTAL_BASE_URL = ENV.get("PORTAL_BASE_URL", "").rstrip("/")
    HTTPS = env_bool(ENV, "HTTPS", default=False)
    DATABASES = {"default": database_from_env(ENV, base_dir=BASE_DIR)}
    CELERY_BROKER_URL = broker_from_env(ENV)
    # What is costly to make and right for a version of the data (the PDFs, core/pdf.py).
    CACHES = {"default": cache_from_env(ENV)}
    # With a cache every process shares, a page reads its session there (written through
    # to the database); a cache of each process's own would keep a session another
    # process ended.
    SESSION_ENGINE = (
        "django.contrib.sessions.backends.cached_db"
        if ENV.get("CACHE_URL", "").strip()
        else "django.contrib.sessions.backends.db"
    )
    EMAIL_PORT = env_int(ENV, "EMAIL_PORT", default=25)
    EMAIL_USE_TLS = env_bool(ENV, "EMAIL_USE_TLS", default=False)
    # The longest wait for an SMTP server: a silent one costs each email this much.
    EMAIL_TIMEOUT = env_int(ENV, "EMAIL_TIMEOUT", default=20, minimum=1)
    # The outbox's delays (see notifications/services.py and the README).
    OUTBOX_LEASE_SECONDS = outbox_lease_from_env(ENV, email_timeout=EMAIL_TIMEOUT)
    OUTBOX_REQUEUE_SECONDS = env_int(ENV, "OUTBOX_REQUEUE_SECONDS", default=120, minimum=1)
    OUTBOX_DB_RETRY_MAX_SECONDS = env_int(
        ENV, "OUTBOX_DB_RETRY_MAX_SECONDS", default=16, minimum=1
    )
    AXES_FAILURE_LIMIT = env_int(ENV, "AXES_FAILURE_LIMIT", default=5)
except ConfigError as error:
    # One clear line instead of a traceback: the process cannot start anyway.
    sys.exit(f"Configuration error: {error}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "simple_history",
    "core",
    "accounts",
    "missions",
    "companies",
    "delegations",
    "meetings",
    "notifications",
    "campaigns",
    "reports",
    "demo",
    "portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: the static files it answers need no policy.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A logged-in user's saved language over the browser's (after the user).
    "accounts.middleware.SavedLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character in any parameter is a 400, before a view can send it to PostgreSQL
    # (after the user and the messages: the 400 page is drawn like any other).
    "core.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that meets the database away answers 503, not 500.
    "portal.middleware.DatabaseUnavailableMiddleware",
    # Pages kept while nothing they show has changed: after the user, the language, the
    # messages, and inside the 503 of a database away.
    "core.page_cache.PageCacheMiddleware",
    # Last, as django-axes asks: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend, with the user's role read in the same query.
    "portal.backends.PortalBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# AXES_FAILURE_LIMIT (5) wrong passwords for one account from one address lock it
# for 15 minutes.
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# One account, one count of failures, whatever the case the address is typed in.
AXES_USERNAME_CALLABLE = "accounts.throttling.login_identity"
AXES_VERBOSE = False

# Languages and time ----------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# Dates and times written one way per language everywhere (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

# Static files ----------------------------------------------------------------
STATIC_URL = "static/"
# Where collectstatic writes the files and their manifest (see portal/storage.py for a
# start without them).
STATIC_ROOT = Path(ENV.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's renderer, with selects written in Python (a country or time-zone list costs tens
# of milliseconds through templates): core/renderers.py.
FORM_RENDERER = "core.renderers.PortalFormRenderer"

# The audit trail (core/history.py): the admin shows it and never reverts a row to
# an old state, which would skip the services' checks.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Email -----------------------------------------------------------------------
EMAIL_HOST = ENV.get("EMAIL_HOST", "")
EMAIL_HOST_USER = ENV.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("EMAIL_HOST_PASSWORD", "")
EMAIL_BACKEND = ENV.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = ENV.get(
    "DEFAULT_FROM_EMAIL", "Ville de Marseille — Missions <missions@marseille.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery ----------------------------------------------------------------------
# Without a broker, tasks run in the web process: the embedded `make run` mode.
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_BROKER_URL is None:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# A broker that does not answer must not hold a web request: fail fast, beat resends.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# max_retries 0: without it kombu, on a refused connection, sleeps 2 s and tries
# again before giving up (until CELERY_BROKER_CONNECTION_TIMEOUT). The worker's own
# reconnection loop (broker_connection_max_retries) is not affected.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
# Periodic tasks are defined here, in code: `make beat` reads them.
CELERY_BEAT_SCHEDULE = {
    "outbox-dispatch-due": {"task": "notifications.dispatch_due", "schedule": 30.0},
    "campaigns-dispatch-pending": {"task": "campaigns.dispatch_pending", "schedule": 30.0},
}

# The outbox (see notifications/services.py).
OUTBOX_BATCH_SIZE = 100  # emails per delivery task and SMTP connection
OUTBOX_WRITE_BATCH_SIZE = 1000  # campaign rows written per transaction
# OUTBOX_LEASE_SECONDS (60): a batch's hold on the rows it took, renewed as it goes;
# the rows of a worker that died are back in the queue by then.
OUTBOX_LEASE_RENEW_SECONDS = 5  # how often a batch renews its lease (portal/env.py counts on 5)
# OUTBOX_REQUEUE_SECONDS (120): a row handed over and not taken is handed over again.
OUTBOX_RETRY_SECONDS = 60  # first wait after a transient SMTP error, doubled each time
OUTBOX_MAX_ATTEMPTS = 6
OUTBOX_DISPATCH_LIMIT = 20000  # rows handed over per beat tick
# OUTBOX_DB_RETRY_MAX_SECONDS (16): the longest wait before a task that met the
# database away tries again (up to 1, 2, 4... s before).

# Security --------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only the portal's own files: no inline script or handler, no inline style (the one
# exception, an email's own styles in its preview, is allowed by hash on that page:
# notifications/preview.py), no plugin, no framing by any page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its small icons (the menu button, checks) as data: SVG.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates each step of every PDF at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
