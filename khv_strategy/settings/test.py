from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
