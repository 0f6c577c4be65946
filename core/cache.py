"""Django's Redis cache with one client per connection pool, and what to do without it.

Django's RedisCacheClient builds a new ``redis.Redis`` for every command; its constructor
fills a table of ~170 response callbacks, which cost 0.3–0.5 ms per cache read on this
hardware — more than the read itself, and a cached dashboard does a dozen. A Redis client
over a connection pool is safe to share between threads, so one per pool is kept.
"""

import logging
import time

from django.core.cache.backends import redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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
