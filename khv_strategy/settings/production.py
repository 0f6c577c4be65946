"""Production: DEBUG off, HTTPS everywhere, secrets only from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of 50+ characters."
    )

# Several workers (and app servers) must share one cache: the data version that makes the
# dashboards' and the API's cached answers stale on a write, and the API's throttle counters.
# A per-process cache would let the other workers serve stale figures for minutes.
if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL must name the Redis server the app servers share, e.g. redis://cache:6379/0."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

LOGGING["handlers"]["console"]["formatter"] = os.environ.get("DJANGO_LOG_FORMAT", "json")  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
