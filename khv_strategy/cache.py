"""Django's Redis cache with one client per connection pool.

Django's RedisCacheClient builds a new ``redis.Redis`` for every command; its constructor fills
a table of ~170 response callbacks, which costs more than the read itself (bench/README.md), and
a cached dashboard does a dozen reads. A Redis client over a connection pool is safe to share
between threads, so one per pool is kept."""

from django.core.cache.backends import redis


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
