from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .cache import UNAVAILABLE

PROBE_KEY = "healthz:probe"


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def _cache_state():
    try:
        cache.get(PROBE_KEY)
    except UNAVAILABLE:
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Load balancer probe: 200 when the database and the shared cache answer, 503 naming the
    one that does not. Without the cache the portal still answers (uncached, unthrottled) but
    this server cannot make the other servers' cached answers stale on a write, so it is taken
    out of rotation (docs/deployment.md says what the load balancer does when all are)."""
    states = {"database": _database_state(), "cache": _cache_state()}
    healthy = all(state == "ok" for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **states}, status=200 if healthy else 503
    )
