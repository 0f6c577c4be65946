"""ETag and Last-Modified on API reads, so a client can ask "what changed since".

The ETag is a hash of the representation actually sent (so it changes with any visible
change, including related objects); Last-Modified is the newest `updated_at` among the rows
sent, read from the representation itself (no query). `If-None-Match` and
`If-Modified-Since` give 304 Not Modified.
"""

import hashlib

from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework import status
from rest_framework.response import Response

from .cache import ReadCacheMixin


def newest_update(data):
    """The latest `updated_at` of a detail or of a page of rows, or None."""
    rows = data.get("results", [data]) if isinstance(data, dict) else data
    stamps = [
        parse_datetime(row["updated_at"])
        for row in rows or ()
        if isinstance(row, dict) and isinstance(row.get("updated_at"), str)
    ]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps) if stamps else None


class ConditionalReadMixin(ReadCacheMixin):
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in {"GET", "HEAD"} or response.status_code != 200:
            return response
        if isinstance(response, Response):  # computed now; a cached answer has its headers
            last_modified = newest_update(response.data)
            response.render()
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified.timestamp())
            self.keep_read(response)
        etag, last_modified = response["ETag"], response.get("Last-Modified")
        if self._not_modified(request, etag, last_modified):
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
            not_modified["ETag"] = etag
            if last_modified is not None:
                not_modified["Last-Modified"] = last_modified
            return super().finalize_response(request, not_modified, *args, **kwargs)
        return response

    @staticmethod
    def _not_modified(request, etag, last_modified):
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return etag in candidates or "*" in candidates
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        modified = parse_http_date_safe(last_modified or "")
        return bool(since and modified and modified <= since)
