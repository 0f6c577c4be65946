import logging
import time

from django.utils.cache import patch_vary_headers

logger = logging.getLogger("khv_strategy.requests")


class RequestLogMiddleware:
    """One structured log record per request: method, path, status, duration and user.

    The fields travel as `extra`, so the JSON formatter of production settings writes them as
    keys that a log collector can filter on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
                "username": user.get_username() if user_id else None,
            },
        )
        return response


# Browser features the portal never uses, denied to it and to anything it could embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "bluetooth", "camera", "display-capture",
        "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi",
        "payment", "publickey-credentials-get", "screen-wake-lock", "serial", "usb",
        "xr-spatial-tracking",
    )
)  # fmt: skip
# What an API answer depends on besides its URL: who asks (token or session), the format
# and the language negotiated.
API_VARY = ("Authorization", "Cookie", "Accept", "Accept-Language")
# Pages of one person's data (what waits for them, who changed what, uploaded evidence): not
# kept even in the browser's own cache. The admin's views say so themselves (never_cache).
NO_STORE_VIEWS = {"my_work", "media"}


def _keeps_nothing(request):
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name is None:
        return False
    return match.url_name in NO_STORE_VIEWS or match.url_name.endswith("_history")


class CacheHeadersMiddleware:
    """What HTTP caches may keep, for every response, in one place.

    - Every response carries a Permissions-Policy that denies the browser features above.
    - A response that says nothing of caching (every page, export, media file and API
      answer; static files and the admin set their own) is ``private, no-cache``: no shared
      cache keeps it, and a browser revalidates it before each use (ETag / Last-Modified
      still answer 304). Pages of one person's data are ``private, no-store``.
    - API answers vary by the caller's credentials, format and language, so a private cache
      used by two clients never serves one client's answer (an editor's drafts) to another.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, API_VARY)
        if not response.has_header("Cache-Control"):
            keep = "no-store" if _keeps_nothing(request) else "no-cache"
            response["Cache-Control"] = f"private, {keep}"
        return response
