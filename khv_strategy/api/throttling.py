from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from accounts.models import ApiToken


class ClientRateThrottle(SimpleRateThrottle):
    """Per API token when the client sends one, otherwise per signed-in user."""

    scope = "client"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous callers: AnonymousRateThrottle, per IP
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(AnonRateThrottle):
    scope = "anonymous"
