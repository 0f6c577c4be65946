"""ETag and Last-Modified on API reads, so a client can ask "what changed since".

A detail: the ETag is a hash of the representation actually sent (so it changes with any
visible change, including related objects); Last-Modified is the row's `updated_at`, read from
the representation itself (no query).

A collection (a list page, the bulk series, an export): what a page holds depends on rows it
does not show (a row written on page 1 shifts every later page), so its validators come from
the data it reads, not from its rows: the ETag is a hash of the portal's data version
(core.cache: any write of the data the API serves changes it), the caller's scope, the
language, the media type and the full query; Last-Modified is when the data version last
changed. HTTP dates are whole seconds, so it is the second after that change, and it is sent
only once that second is over: a later write then always gives a later date. After any write no
page answers 304 to the validators it gave before.

`If-None-Match` and `If-Modified-Since` give 304 Not Modified.
"""

import math
import time

from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe
from rest_framework import status
from rest_framework.response import Response

from core import cache as data_cache
from core.access import access_scope
from core.cache import cache_failed
from core.etags import etag_of

from .cache import ReadCacheMixin
from .query import COLLECTION_ACTIONS


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


def collection_validators(request):
    """The ETag and Last-Modified (or None) of a collection answer, or (None, None) when the
    data version cannot be read (no validators: never a wrong 304)."""
    try:
        version = data_cache.data_version()
        changed = data_cache.data_changed_at()
    except Exception as error:
        cache_failed(error, "reading the data version for a list's validators")
        return None, None
    user = request.user
    scope = access_scope(user) if user and user.is_authenticated else "anonymous"
    media_type = getattr(request, "accepted_media_type", "")
    parts = [str(version), scope, translation.get_language() or "", media_type]
    parts.append(request.get_full_path())
    etag = etag_of("\n".join(parts).encode())
    second_after = math.floor(changed) + 1
    last_modified = http_date(second_after) if time.time() >= second_after else None
    return etag, last_modified


class ConditionalReadMixin(ReadCacheMixin):
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in {"GET", "HEAD"} or response.status_code != 200:
            return response
        if getattr(self, "action", None) in COLLECTION_ACTIONS:
            return self._finalize_collection(request, response, *args, **kwargs)
        if isinstance(response, Response):  # computed now; a cached answer has its headers
            last_modified = newest_update(response.data)
            response.render()
            response["ETag"] = etag_of(response.content)
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

    def _finalize_collection(self, request, response, *args, **kwargs):
        etag, last_modified = collection_validators(request)
        if isinstance(response, Response):
            response.render()
        for header, value in (("ETag", etag), ("Last-Modified", last_modified)):
            if value is None:
                if response.has_header(header):
                    del response[header]
            else:
                response[header] = value
        if isinstance(response, Response):
            self.keep_read(response)
        if etag is not None and self._not_modified(request, etag, last_modified):
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
