"""The dashboards' aggregates, cached under a data version.

The home and section dashboards are computed from every plan's indicators, targets, values,
measures, progress reports and agreements; the result (the selector's dataclasses, never the
rendered HTML, which carries the user's navigation, CSRF token and CSP nonce) is kept in
Django's configured cache (Redis shared by every app server in production) for
``DASHBOARD_CACHE_SECONDS``.

Invalidation is explicit: every key contains a *data version*, a counter kept in the same
cache. Any write to a model the dashboards read bumps it (``dashboards.signals``), so the next
request misses and recomputes; the old entries are never read again and expire. The timeout is
a bound on what the version does not cover (e.g. a reviewer renaming themselves).

Within one request the version is read once (``request_started`` opens a memo that
``request_finished`` closes; a bump in the request clears it): a page that reads a dozen
cached pieces asks the cache for the version once, not a dozen times.

When the version entry is missing (never set, evicted, cache flushed) it starts again from the
current time in microseconds: greater than any version written before, so an entry cached
under an older counter can never be mistaken for a current one.
"""

import time

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.utils.translation import get_language

from core.cache import cache_failed

VERSION_KEY = "dashboards:data-version"
DEFAULT_SECONDS = 600


def timeout():
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", DEFAULT_SECONDS)


def _fresh_version():
    return time.time_ns() // 1000


_request = Local()  # .version: the version read in this request; absent outside requests


def _open_memo(**kwargs):
    _request.version = None


def _close_memo(**kwargs):
    if hasattr(_request, "version"):
        del _request.version


request_started.connect(_open_memo, dispatch_uid="dashboards-data-version-open")
request_finished.connect(_close_memo, dispatch_uid="dashboards-data-version-close")


# A write made while the cache was unreachable could not bump the version; this process bumps
# it once the cache answers again (Redis restarted from its saved data, or back from a network
# outage, still holds the answers cached before that write).
_bump_pending = False


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing: start a new, larger counter
        if not cache.add(VERSION_KEY, _fresh_version(), timeout=None):
            cache.incr(VERSION_KEY)


def data_version():
    global _bump_pending
    version = getattr(_request, "version", None)
    if version is not None:
        return version
    if _bump_pending:
        _bump()
        _bump_pending = False
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    if hasattr(_request, "version"):
        _request.version = version
    return version


def bump_data_version():
    """Make every cached dashboard stale. Never raises: a failed bump is logged and made again
    when the cache next answers (``data_version``); a write of data must not fail with it."""
    global _bump_pending
    if getattr(_request, "version", None) is not None:
        _request.version = None  # the rest of this request reads the new version
    try:
        _bump()
    except Exception as error:
        _bump_pending = True
        cache_failed(error, "bumping the data version")


def key(kind, *parts):
    """The cache key of one dashboard: its kind, the data version, the language (lazy labels
    stay lazy, but a few texts are formatted when computed) and its parameters."""
    values = ":".join("" if part is None else str(part) for part in parts)
    return f"dashboards:{kind}:v{data_version()}:{get_language()}:{values}"


def cached(kind, parts, compute):
    """compute() through the cache; computed directly when caching is off or the cache
    fails (the page is slower, not broken)."""
    seconds = timeout()
    if not seconds:
        return compute()
    try:
        cache_key = key(kind, *parts)
        value = cache.get(cache_key)
    except Exception as error:
        cache_failed(error, "reading a dashboard")
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(cache_key, value, seconds)
        except Exception as error:
            cache_failed(error, "keeping a dashboard")
    return value
