"""Paging of API lists: page numbers for people, a keyset cursor for programs that sync.

Page numbers (``?page=3&page_size=100``): a count and an OFFSET, links to the neighbouring
pages. ``page`` is a whole number from 1 (or ``last``), ``page_size`` 1–500; anything else is
a 400 naming what is allowed (a page past the last is a 404).

The cursor (``?pagination=cursor``, then follow ``next``): the rows after the last one sent, in
the order of a key that a row cannot move backwards in — ``updated_at`` then the id (the
default where the list has ``updated_at``), or the id alone (``ordering=id`` or ``-id``). No
count and no OFFSET: every page costs what the first does, and a client following ``next``
while rows are written gets every row that existed when it started at least once (a row
changed meanwhile moves to the end and comes again; a new row comes at the end).
"""

import base64
import binascii
import json

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 500
CURSOR = "cursor"


class CountingPaginator(Paginator):
    """Counts `object_list.count_source` when the list has one: the fast list's rows carry
    their columns (joins, subqueries) that the count does not need."""

    @cached_property
    def count(self):
        return getattr(self.object_list, "count_source", self.object_list).count()


def _invalid(parameter, message):
    return serializers.ValidationError({parameter: [message]})


def cursor_orderings(model):
    """The orderings a cursor pages by, the default first."""
    names = {field.name for field in model._meta.concrete_fields}
    return (["updated_at"] if "updated_at" in names else []) + ["id", "-id"]


def encode_cursor(values):
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token):
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, list) else None


class Pagination(PageNumberPagination):
    django_paginator_class = CountingPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    mode_query_param = "pagination"
    cursor_query_param = CURSOR
    cursor = None  # the cursor's state while a cursor page is answered

    # --- the parameters -----------------------------------------------------------------------

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise _invalid(
                self.page_size_query_param,
                _("The page size must be a whole number from 1 to %(max)s.")
                % {"max": self.max_page_size},
            )
        return int(raw)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise _invalid(
                self.page_query_param,
                _("The page must be a whole number from 1, or “last”."),
            )
        return int(raw)

    def is_cursor_mode(self, request):
        mode = request.query_params.get(self.mode_query_param)
        if mode not in (None, "pages", CURSOR):
            raise _invalid(self.mode_query_param, _("Allowed: pages, cursor."))
        if self.cursor_query_param in request.query_params:
            if mode == "pages" or self.page_query_param in request.query_params:
                raise _invalid(
                    self.cursor_query_param,
                    _("A cursor pages by itself: send it without “page” and “pagination=pages”."),
                )
            return True
        return mode == CURSOR

    # --- paging -------------------------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if self.is_cursor_mode(request):
            if getattr(view, "action", "list") != "list":
                raise _invalid(self.mode_query_param, _("Only the list pages by a cursor."))
            return self.cursor_page(queryset, request)
        self.cursor = None
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.cursor is None:
            return super().get_paginated_response(data)
        return Response({"next": self.cursor_next_link(data), "previous": None, "results": data})

    # --- the cursor ---------------------------------------------------------------------------

    def cursor_page(self, queryset, request):
        size = self.get_page_size(request)
        ordering = self.cursor_ordering(queryset.model, request)
        keys = ["updated_at", "id"] if ordering == "updated_at" else [ordering]
        after = self.cursor_position(request, ordering)
        if after is not None:
            queryset = queryset.filter(self.after(ordering, after))
        rows = list(queryset.order_by(*keys)[: size + 1])
        self.cursor = {"ordering": ordering, "more": len(rows) > size}
        return rows[:size]

    def cursor_ordering(self, model, request):
        allowed = cursor_orderings(model)
        ordering = request.query_params.get("ordering") or allowed[0]
        if ordering not in allowed:
            raise _invalid(
                "ordering",
                _("With a cursor the list is ordered by: %(allowed)s.")
                % {"allowed": ", ".join(allowed)},
            )
        return ordering

    def cursor_position(self, request, ordering):
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None
        values = decode_cursor(token)
        position = self.parse_position(values, ordering) if values is not None else None
        if position is None:
            raise _invalid(
                self.cursor_query_param,
                _("The cursor is not valid: start again with pagination=cursor, or follow next."),
            )
        return position

    @staticmethod
    def parse_position(values, ordering):
        if ordering == "updated_at":
            if len(values) != 2 or not isinstance(values[1], int):
                return None
            moment = parse_datetime(values[0]) if isinstance(values[0], str) else None
            return (moment, values[1]) if moment is not None and moment.tzinfo else None
        if len(values) != 1 or not isinstance(values[0], int):
            return None
        return (values[0],)

    @staticmethod
    def after(ordering, position):
        """The rows after `position`: written as a range on the index's first column plus a
        tie-break, so PostgreSQL scans the (updated_at, id) index from the position on."""
        if ordering == "updated_at":
            moment, pk = position
            return Q(updated_at__gte=moment) & (Q(updated_at__gt=moment) | Q(id__gt=pk))
        if ordering == "-id":
            return Q(id__lt=position[0])
        return Q(id__gt=position[0])

    def cursor_next_link(self, data):
        if not self.cursor["more"] or not data:
            return None
        last = data[-1]
        if self.cursor["ordering"] == "updated_at":
            values = [last["updated_at"], last["id"]]
        else:
            values = [last["id"]]
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        url = replace_query_param(url, self.mode_query_param, CURSOR)
        return replace_query_param(url, self.cursor_query_param, encode_cursor(values))

    # --- the schema ---------------------------------------------------------------------------

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["results"]
        described["properties"]["count"]["description"] = "Rows in the list (page numbers only)."
        return described

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.mode_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "`cursor` pages by a keyset cursor for sync (no count; follow `next`): "
                    "ordered by `updated_at` then `id` by default, or `ordering=id`/`-id`."
                ),
                "schema": {"type": "string", "enum": ["pages", CURSOR]},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The cursor of the next page, as given in `next`.",
                "schema": {"type": "string"},
            },
        ]
