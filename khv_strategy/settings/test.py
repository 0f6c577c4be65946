import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The API's query counts are tested on the work each request does; tests/api/test_cache.py
# turns the answers' cache on.
API_CACHE_SECONDS = 0
# One folder per pytest-xdist worker: the upload tests compare what the folder holds before and
# after a refused upload, which another worker's stored files would otherwise change.
MEDIA_ROOT = BASE_DIR / ".test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # tests serve static files from the finders; nothing is collected
# Generous rates so the schemathesis run is not throttled; one test checks throttling itself.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"client": "100000/minute", "anonymous": "100000/minute"},
}
# The public portal and open data are on in the tests; a test turns them off to see the 404.
PUBLIC_PORTAL = True
