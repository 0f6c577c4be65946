"""The portal's cache: what it keeps is computed from the plan's data and is kept under a *data
version* that every write of that data bumps. docs/caching.md says what is cached, under which
key and what makes it stale.

- ``cached(kind, parts, compute)``: compute() through the cache, under ``key(kind, *parts)``:
  the kind, the data version, the language and the parameters.
- ``@watched`` on a model class: any save, delete or many-to-many change of its rows bumps
  the version (``bump_data_version``); ``watched_models()`` lists them.
- ``RedisCache``: the production backend (settings.CACHES); ``cache_failed``: what a caller
  does when the cache cannot be reached (carry on without it).
"""

import hashlib
import logging
import time
from collections import OrderedDict

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


# --- the backend: Django's Redis cache with one client per connection pool ---------------------
#
# Django's RedisCacheClient builds a new ``redis.Redis`` for every command; its constructor
# fills a table of ~170 response callbacks, which costs more than the cache read itself, and a
# cached dashboard does a dozen. A Redis client over a connection pool is safe to share between
# threads, so one per pool is kept.


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


# --- the cache unreachable ---------------------------------------------------------------------
#
# Nothing the portal keeps in the cache is needed to answer: the dashboards and the API compute
# their answers when the cache cannot give them, and the throttle lets requests through (it is
# there to keep a runaway script from swamping the portal, not to refuse service when its
# counters are gone). /healthz reports the cache's state to the load balancer (docs/deployment.md).

# What the cache raises when its server cannot be reached (connection refused, timeout, reset).
UNAVAILABLE = (RedisError, OSError)
# A process logs the outage at most this often: every request would otherwise log it.
WARNING_INTERVAL_SECONDS = 60

_warning_times = {}  # per process: when the outage was last logged


def cache_failed(error, doing):
    """Log a failed cache operation the caller carries on without. The cache being unreachable
    is a warning at most once a minute per process, without a traceback; any other error (a bug)
    is logged with its traceback every time."""
    if not isinstance(error, UNAVAILABLE):
        logger.error("The cache failed while %s.", doing, exc_info=error)
        return
    now = time.monotonic()
    last = _warning_times.get("unavailable")
    if last is not None and now - last < WARNING_INTERVAL_SECONDS:
        return
    _warning_times["unavailable"] = now
    logger.warning(
        "The cache is unreachable (%s: %s) while %s; answering without it.",
        type(error).__name__,
        error,
        doing,
    )


# --- the data version ------------------------------------------------------------------------
#
# Every key contains the data version, a counter kept in the same cache. Any write to a watched
# model bumps it, so the next request misses and recomputes; the old entries are never read again
# and expire. The timeout bounds what the version does not cover (e.g. a reviewer renaming
# themselves).
#
# Within one request the version is read once (``request_started`` opens a memo that
# ``request_finished`` closes; a bump in the request clears it): a page that reads a dozen cached
# pieces asks the cache for the version once, not a dozen times.
#
# When the version entry is missing (never set, evicted, cache flushed) it starts again from the
# current time in microseconds: greater than any version written before, so an entry cached
# under an older counter can never be mistaken for a current one.

VERSION_KEY = "data:version"
# When the version last changed (a Unix time): what API lists give as Last-Modified.
CHANGED_KEY = "data:version:changed"
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


request_started.connect(_open_memo, dispatch_uid="data-version-open")
request_finished.connect(_close_memo, dispatch_uid="data-version-close")


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
    cache.set(CHANGED_KEY, time.time(), timeout=None)


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


def data_changed_at():
    """When the data version last changed, as a Unix time; now when that is not known (the
    entry evicted or never written): a reader then assumes the data has just changed."""
    changed = cache.get(CHANGED_KEY)
    return changed if isinstance(changed, float) else time.time()


def bump_data_version():
    """Make everything cached stale. Never raises: a failed bump is logged and made again when
    the cache next answers (``data_version``); a write of data must not fail with it."""
    global _bump_pending
    if getattr(_request, "version", None) is not None:
        _request.version = None  # the rest of this request reads the new version
    try:
        _bump()
    except Exception as error:
        _bump_pending = True
        cache_failed(error, "bumping the data version")


def key(kind, *parts):
    """The cache key of one computed piece: its kind, the data version, the language (lazy
    labels stay lazy, but a few texts are formatted when computed) and its parameters."""
    values = ":".join("" if part is None else str(part) for part in parts)
    return f"data:{kind}:v{data_version()}:{get_language()}:{values}"


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
        cache_failed(error, f"reading a cached {kind}")
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(cache_key, value, seconds)
        except Exception as error:
            cache_failed(error, f"keeping a cached {kind}")
    return value


# Copies kept in this process by cached_in_process, newest last: a key names the data version,
# the language and the parameters, so the copy under a key is what the shared cache holds
# under it (or held, before it expired) — never stale, only bounded in number.
_in_process = OrderedDict()
IN_PROCESS_ENTRIES = 256


def cached_in_process(kind, parts, compute):
    """cached(), with a copy of the value kept in this process as well: the next request asks
    the shared cache for the data version only, not for the value (a whole public page,
    read, sent and unpickled on every request otherwise)."""
    if not timeout():
        return compute()
    try:
        cache_key = key(kind, *parts)
    except Exception as error:
        cache_failed(error, f"reading a cached {kind}")
        return compute()
    value = _in_process.get(cache_key)
    if value is not None:
        _in_process.move_to_end(cache_key)
        return value
    value = cached(kind, parts, compute)
    _in_process[cache_key] = value
    while len(_in_process) > IN_PROCESS_ENTRIES:
        _in_process.popitem(last=False)
    return value


# --- watched models: their writes bump the version ----------------------------------------------
#
# Why signals and not the services: the data changes through many paths — workflow transitions,
# the services, the plan import, the reporting-year lock, the admin, the API, ``loaddata`` — and
# each would have to remember to bump the version; one forgotten call is a dashboard that
# silently lies for ten minutes. A receiver on the model cannot be forgotten by a new write path,
# and ``@watched`` sits on the model's class, where a reader of the model sees it.
#
# Bulk writes (``QuerySet.update``, ``bulk_create``) send no signals: code that writes watched
# models in bulk calls ``bump_data_version`` itself.
#
# Each write bumps the version twice: at once, so later reads in the same transaction (and the
# tests, which run in one) see the change; and after the commit, so a request that cached the
# not-yet-committed state in between is superseded too.

_watched = []


def watched(model):
    """Class decorator: the model's rows appear in, or are counted by, something cached (a
    dashboard, the annual report, filter choices, an API answer), so its writes bump the data
    version."""
    uid = f"data-version-{model._meta.label_lower}"
    post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}-delete")
    if model not in _watched:
        _watched.append(model)
    return model


def watched_models():
    """The models registered with ``@watched``."""
    return tuple(_watched)


def data_changed(**kwargs):
    bump_data_version()
    transaction.on_commit(bump_data_version, using=kwargs.get("using"))


def relation_changed(sender, instance, action, model, **kwargs):
    """A many-to-many link added, removed or cleared where either end is watched."""
    if action.startswith("post_"):
        ends = watched_models()
        if isinstance(instance, ends) or issubclass(model, ends):
            data_changed(**kwargs)


m2m_changed.connect(relation_changed, dispatch_uid="data-version-m2m")


def query_key(request):
    """The query string as one short cache-key part: the same filters, page and sort in any
    order give the same key."""
    items = sorted((name, tuple(values)) for name, values in request.GET.lists())
    return hashlib.sha256(repr(items).encode()).hexdigest()[:32]
