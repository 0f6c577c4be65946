"""API reads answered from the cache under the portal's data version.

Why: a list page of a large table costs more in the database than a client can wait for at
load — the page's `COUNT(*)` alone over 35,000 delegations or indicator values takes longer
on this hardware than a whole bare `.values()` request (bench/README.md has the numbers) —
and REST clients ask the same pages again and again (the indicator data of the city's plan
changes a few times a day, on approvals).

What is kept: the rendered body of a 200 answer to GET/HEAD with its content type, ETag and
Last-Modified, in JSON or CSV (the browsable API's HTML carries the user's forms and CSRF
token and is never cached). Under what key: the data version of ``core.cache`` (bumped by
every write to a model the API serves, each marked ``@watched``), the language, the caller's
visibility scope (user, department, roles: drafts are visible by department) and the
negotiated media type with the full path and query string. So a write makes every cached
answer stale at once, and no caller ever reads an answer computed for somebody else's scope.

Authentication, permissions and throttling still run on every request (they come before
the handler); only the handler's work — querying, counting, serializing, rendering — is
skipped on a hit.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from core import cache as data_cache
from core.access import access_scope
from core.cache import cache_failed

CACHEABLE_FORMATS = {"json", "csv"}
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "ETag", "Last-Modified")


def timeout():
    return getattr(settings, "API_CACHE_SECONDS", 0)


def read_key(request):
    """The cache key of a read, or None when it is not cached."""
    if request.method not in {"GET", "HEAD"} or not timeout():
        return None
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or renderer.format not in CACHEABLE_FORMATS:
        return None
    user = request.user
    if not (user and user.is_authenticated):
        return None
    query = f"{request.accepted_media_type}\n{request.get_full_path()}"
    digest = hashlib.sha256(query.encode()).hexdigest()[:40]
    return data_cache.key("api", access_scope(user), digest)


def cached_read(handler):
    """Decorates a viewset's read action: a hit answers at once, a miss remembers its key so
    that ``ReadCacheMixin.finalize_response`` keeps the rendered answer."""

    @functools.wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        try:
            key = read_key(request)
            hit = cache.get(key) if key else None
        except Exception as error:
            cache_failed(error, "reading an API answer")
            key = hit = None
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        self.read_cache_key = key
        return handler(self, request, *args, **kwargs)

    return wrapper


class ReadCacheMixin:
    read_cache_key = None

    def keep_read(self, response):
        """Keep a rendered 200 answer of a cached read (called once its ETag is set)."""
        if self.read_cache_key is None:
            return
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        try:
            cache.set(self.read_cache_key, (response.content, headers), timeout())
        except Exception as error:
            cache_failed(error, "keeping an API answer")
