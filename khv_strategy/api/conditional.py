"""ETag and Last-Modified on API reads, so a client can ask "what changed since".

The ETag is a hash of the representation actually sent (so it changes with any visible
change, including related objects); Last-Modified is the newest `updated_at` among the rows,
when the model has one. `If-None-Match` and `If-Modified-Since` give 304 Not Modified.
"""

import hashlib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Max
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework import status
from rest_framework.response import Response


class ConditionalReadMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in {"GET", "HEAD"} or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        response["ETag"] = etag
        last_modified = getattr(self, "_last_modified", None)
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        if self._not_modified(request, etag, last_modified):
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
            not_modified["ETag"] = etag
            if last_modified is not None:
                not_modified["Last-Modified"] = response["Last-Modified"]
            return super().finalize_response(request, not_modified, *args, **kwargs)
        return response

    @staticmethod
    def _not_modified(request, etag, last_modified):
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return etag in candidates or "*" in candidates
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return bool(since and last_modified and int(last_modified.timestamp()) <= since)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        model = queryset.model
        if self.request.method in {"GET", "HEAD"} and any(
            field.name == "updated_at" for field in model._meta.get_fields()
        ):
            rows = queryset.order_by()
            if getattr(self, "action", None) == "retrieve":
                try:
                    rows = rows.filter(pk=self.kwargs.get(self.lookup_url_kwarg or "pk"))
                except (TypeError, ValueError, DjangoValidationError):
                    return queryset  # get_object answers 404 for a malformed id
            self._last_modified = rows.aggregate(newest=Max("updated_at"))["newest"]
        return queryset
