"""Request rates per API client, counted in the shared cache.

DRF's SimpleRateThrottle keeps a list of every request's time per client and reads and writes
that whole list on each request: at the default 1,200 requests a minute, up to 1,200 floats
(de)serialised twice per request, and more at higher rates (bench/README.md). Here each client
has a counter for a window that opens with its first request and lasts the rate's period: one
increment per request. A client can thus send up to twice the rate across the edge of two
windows, which is what a rate limit of this kind is for (keeping a runaway script from swamping
the portal), not an exact quota. For the same reason it lets requests through while the cache
is unreachable.
"""

from rest_framework.throttling import SimpleRateThrottle

from core.cache import UNAVAILABLE, cache_failed


class WindowRateThrottle(SimpleRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            count = self._count()
        except UNAVAILABLE as error:  # no counters: the request goes through (fails open)
            cache_failed(error, "counting API requests")
            return True
        return count <= self.num_requests or self.throttle_failure()

    def _count(self):
        try:
            return self.cache.incr(self.key)
        except ValueError:  # no window open: this request opens one
            if self.cache.add(self.key, 1, self.duration):
                self.cache.set(f"{self.key}:opened", self.timer(), self.duration)
                return 1
            return self.cache.incr(self.key)  # another worker opened it meanwhile

    def wait(self):
        try:
            opened = self.cache.get(f"{self.key}:opened")
        except UNAVAILABLE as error:
            cache_failed(error, "reading when an API client's window opened")
            opened = None
        if opened is None:
            return self.duration
        return max(1.0, opened + self.duration - self.timer())


class ClientRateThrottle(WindowRateThrottle):
    """Per API token when the client sends one, otherwise per signed-in user."""

    scope = "client"

    def get_cache_key(self, request, view):
        # request.auth is the API token a client authenticated with (accounts.tokens), None
        # for a session.
        if request.auth is not None:
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous callers: AnonymousRateThrottle, per IP
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(WindowRateThrottle):
    """Per client address, for callers without a token or session."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
