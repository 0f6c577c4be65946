"""Settings shared by every environment, read from the process environment.

Variables are prefixed with ``DJANGO_`` except the conventional ``DATABASE_URL`` and
``REDIS_URL``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# Local development key; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "django-insecure-local-development-key-not-for-production-use"
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First: the shared base's Russian catalogue (core/locale) takes precedence over the other
    # apps' wording of the same strings (REST framework's "Not found.").
    "core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "import_export",
    "django_htmx",
    "django_countries",
    "axes",
    "accounts",
    "activities",
    "partners",
    "indicators",
    "dashboards",
    "notifications",
    "django_tasks_db",
    "search",
    "demo",
]

MIDDLEWARE = [
    # First, so that every response (static files and redirects included) passes through it.
    "core.middleware.CacheHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF reads the form): refuses what is too large unread.
    "core.uploads.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.RequestLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it answers a locked-out sign-in (accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khv_strategy.urls"
WSGI_APPLICATION = "khv_strategy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dashboards.context_processors.my_work",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default="postgres://postgres@127.0.0.1:5432/khv_strategy",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=env_bool("DJANGO_CONN_HEALTH_CHECKS", True),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "khv",
            # An unreachable Redis must cost a request little: the portal then answers without
            # the cache (core.cache.cache_failed), which is only worth it if it is quick.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The home and section dashboards' aggregates are cached this long (0: not cached); every write
# to their data makes them stale at once (core.cache, docs/caching.md).
DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "600"))
# API answers (JSON, CSV) are cached this long under the same data version (0: not cached);
# core.api.cache.
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "600"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in lock (django-axes, accounts.lockout): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that pair is locked for AXES_COOLOFF_TIME. Counted in the database
# (axes' default handler), so all app servers share the count.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_LOCK_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Vladivostok"  # Khabarovsk time, UTC+10
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from npm and are served from this machine, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    # The partner map: d3-geo (with d3-array, which it needs) draws the world-atlas outline.
    ("vendor/d3-array", NODE_MODULES / "d3-array" / "dist"),
    ("vendor/d3-geo", NODE_MODULES / "d3-geo" / "dist"),
    ("vendor/topojson-client", NODE_MODULES / "topojson-client" / "dist"),
    ("vendor/world-atlas", NODE_MODULES / "world-atlas"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file a user may upload (agreement documents, evidence), one limit for every file
# field; a request that cannot hold a file within it is refused unread (core.uploads).
UPLOAD_MAX_BYTES = int(os.environ.get("DJANGO_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# Spreadsheet imports (core.spreadsheets): what a file may hold, checked before and
# while it is read; an import over a limit is refused with the limit named.
IMPORT_MAX_ROWS = int(os.environ.get("DJANGO_IMPORT_MAX_ROWS", 5000))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("DJANGO_IMPORT_MAX_CELL_CHARS", 10_000))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("DJANGO_IMPORT_MAX_UNCOMPRESSED_BYTES", 30 * 1024 * 1024)
)
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("DJANGO_IMPORT_MAX_COMPRESSION_RATIO", 100))
# Previews of an import never confirmed are removed after this long (clear_stale_imports).
IMPORT_STALE_AFTER_SECONDS = 24 * 60 * 60
# The admin's import previews wait in the default storage, shared by every app server.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ApiAccess"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.query.UniqueOrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "core.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.ClientRateThrottle",
        "core.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "client": os.environ.get("DJANGO_API_RATE_CLIENT", "1200/minute"),
        "anonymous": os.environ.get("DJANGO_API_RATE_ANONYMOUS", "60/minute"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KHV Strategy API",
    "DESCRIPTION": "Strategic plan of the City of Khabarovsk: plan, partners, indicators.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs describe the API, not its data: readable without signing in.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # The docs pages are templates/drf_spectacular/ (the CSP's nonce, no other host); Swagger
    # UI would otherwise send the schema's URL to its public validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One schema whatever the request's language (core.api.schema).
    "DEFAULT_GENERATOR_CLASS": "core.api.schema.SchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
        "core.api.schema.drop_titles",
        "core.api.schema.blank_as_any_of",
        "core.api.schema.require_answer_fields",
        "core.api.schema.describe_csv",
        "core.api.schema.describe_paging",
    ],
    # "kind" names several choice sets (agreements, events, indicators): name the indicator's.
    "ENUM_NAME_OVERRIDES": {"IndicatorKindEnum": "indicators.models.Indicator.Kind"},
    "COMPONENT_SPLIT_REQUEST": True,
}

# Background work (notifications, e-mail): Django's tasks framework, kept in the database by
# django-tasks-db and run by its worker (manage.py db_worker; manage.py run_scheduler enqueues
# the periodic work). docs/deployment.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail (Django's MAILERS): EMAIL_URL (smtp://user:password@host:587, smtp+tls://… for
# STARTTLS, smtps://… for TLS from the start), or else, in development, one file per message in
# sent-mail/ that a newcomer can open.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "khv-strategy@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as its users reach it: the links in e-mails start with it.
PORTAL_URL = os.environ.get("DJANGO_PORTAL_URL", "http://127.0.0.1:8000")
if EMAIL_URL:
    from core.mail import smtp_mailer

    MAILERS = {
        "default": smtp_mailer(EMAIL_URL, timeout=int(os.environ.get("EMAIL_TIMEOUT", "30")))
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "core.mail.ReadableFileBackend",
            "OPTIONS": {"file_path": str(BASE_DIR / "sent-mail")},
        }
    }

COUNTRIES_FIRST = ["CN", "JP", "KR", "US", "CA"]

# The public portal (/public/) and open data (/opendata/): off unless turned on; `make run`
# (the demo) turns them on. Only published years' approved data is shown (design.md).
PUBLIC_PORTAL = env_bool("DJANGO_PUBLIC_PORTAL", False)
# The open data passport's publisher (methodological recommendations, version 3.0); the data
# sets' identifiers begin with the INN when it is set.
OPENDATA_PUBLISHER_NAME = os.environ.get(
    "DJANGO_OPENDATA_PUBLISHER_NAME", "Администрация города Хабаровска"
)
OPENDATA_PUBLISHER_INN = os.environ.get("DJANGO_OPENDATA_PUBLISHER_INN", "")
OPENDATA_PUBLISHER_PHONE = os.environ.get("DJANGO_OPENDATA_PUBLISHER_PHONE", "")
OPENDATA_PUBLISHER_EMAIL = os.environ.get("DJANGO_OPENDATA_PUBLISHER_EMAIL", "")

LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain")  # "json" in production
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver logs every request itself; ours carries the duration and the user.
        "django.server": {"level": "WARNING"},
    },
}
