import logging
import time

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
