"""Bulk export of an API list: every row at once, streamed as CSV or NDJSON.

``GET /api/v1/<resource>/export.csv/`` and ``…/export.ndjson/`` take the list's filters and
ordering (core.api.query checks them) and its visibility (the viewset's queryset), and stream
the rows read through a server-side cursor in chunks (``.iterator(chunk_size=…)``): memory
stays constant whatever the table holds, and the database is asked once.

The rows are the list's JSON rows (the fast list's columns, core.api.fast_list), so an export
and the pages agree on every value. PostgreSQL formats them and ``COPY`` streams them
(core.api.copy_export) when every column has an SQL form there; otherwise Python reads them
through a server-side cursor and writes them (the same bytes, slower). CSV:
- ``dialect=plain`` (the default): comma-separated, UTF-8 without a BOM, decimal point, ISO
  dates — for pandas and other programs; the columns are the same whether rows exist or not;
- ``dialect=excel-ru``: what Excel with Russian regional settings opens by a double click:
  semicolon-separated, UTF-8 with a BOM, decimal comma.
A list of ids (e.g. ``measures``) is one cell, the ids separated by spaces. Text a spreadsheet
would run as a formula is neutralised (core.spreadsheets). NDJSON: one JSON object per line,
as in the list's ``results``.
"""

import csv
import json

from django.core.exceptions import EmptyResultSet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.fields import DecimalField

from core.spreadsheets import neutralise, neutralise_row

from . import copy_export

CHUNK_SIZE = 2000
DIALECTS = ("plain", "excel-ru")


class _Line:
    """A file-like object for csv.writer that hands back what was written."""

    def write(self, text):
        return text


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _after(first, rest):
    """`first`, then the blocks of `rest`; a generator, not a chain: closing the answer (the
    client went away) closes `rest`, the copy."""
    yield first
    yield from rest


def _dialect(request):
    dialect = request.query_params.get("dialect", "plain")
    if dialect not in DIALECTS:
        raise serializers.ValidationError(
            {"dialect": [_("Allowed: %(allowed)s.") % {"allowed": ", ".join(DIALECTS)}]}
        )
    return dialect


DIALECT_PARAMETER = OpenApiParameter(
    "dialect",
    OpenApiTypes.STR,
    enum=list(DIALECTS),
    description=(
        "`plain` (default): comma, UTF-8, decimal point. `excel-ru`: semicolon, UTF-8 with a "
        "BOM, decimal comma (Excel with Russian settings)."
    ),
)


class ExportMixin:
    """The `export.csv` and `export.ndjson` actions of a list viewset with a fast list spec.
    `export_by_copy = False` keeps the Python path (the tests compare both)."""

    export_by_copy = True

    def export_queryset(self):
        """The list's queryset, filtered and ordered: built (and its filters checked, a 400)
        before the answer starts streaming."""
        return self.filter_queryset(self.get_queryset())

    def export_rows(self, request, queryset):
        """The rows as the list's JSON objects, read in chunks from a server-side cursor."""
        spec = self.fast_list_spec()
        rows = spec.rows(queryset).iterator(chunk_size=CHUNK_SIZE)
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK_SIZE:
                yield spec.names, spec.represent(chunk, request)
                chunk = []
        yield spec.names, spec.represent(chunk, request)

    def decimal_columns(self):
        serializer = self.get_serializer_class()(context={})
        return {
            field.field_name
            for field in serializer._readable_fields
            if isinstance(field, DecimalField)
        }

    def export_name(self, extension):
        return f"{self.basename}.{extension}"

    @extend_schema(
        parameters=[DIALECT_PARAMETER],
        filters=True,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)},
        summary="Every row of the list as CSV (streamed; the list's filters and ordering)",
    )
    @action(detail=False, methods=["get"], url_path="export.csv", url_name="export-csv")
    def export_csv(self, request):
        dialect = _dialect(request)
        queryset = self.export_queryset()
        plan = self.copy_plan(request)
        if plan is None:
            lines = self._csv_lines(request, queryset, dialect, self.decimal_columns())
        else:
            columns, zone = plan
            copied = self._copy(queryset, columns, copy_export.csv_line(columns, dialect), zone)
            lines = _after(self._csv_header(dialect).encode("utf-8"), copied)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.export_name("csv")}"'
        return response

    def copy_plan(self, request):
        """The columns' SQL forms and time zone (core.api.copy_export), or None: Python path."""
        spec = self.fast_list_spec()
        if not self.export_by_copy or spec is None:
            return None
        return copy_export.copy_plan(spec, self.get_serializer_class()(context={}), request)

    def _copy(self, queryset, columns, line, zone):
        """The lines of the list's rows, formatted by PostgreSQL: the statement is compiled
        here (a bad query fails now), the copy runs while the answer streams. A query Django
        knows to select nothing (a filter on an empty list of ids) has no SQL: no lines."""
        try:
            statement, using = copy_export.copy_statement(queryset, line, columns)
        except EmptyResultSet:
            return iter(())
        return copy_export.copy_lines(statement, using, zone)

    def _csv_header(self, dialect):
        russian = dialect == "excel-ru"
        writer = csv.writer(_Line(), delimiter=";" if russian else ",", lineterminator="\r\n")
        names = self.fast_list_spec().names
        return ("\ufeff" if russian else "") + writer.writerow(neutralise_row(names))

    def _csv_lines(self, request, queryset, dialect, decimals):
        russian = dialect == "excel-ru"
        writer = csv.writer(_Line(), delimiter=";" if russian else ",", lineterminator="\r\n")
        header_written = False
        for names, rows in self.export_rows(request, queryset):
            if not header_written:
                yield self._csv_header(dialect)
                header_written = True
                decimal_positions = [
                    position for position, name in enumerate(names) if russian and name in decimals
                ]
            lines = []
            for row in rows:
                cells = [
                    neutralise(value) if type(value) is str else _cell(value)
                    for value in row.values()
                ]
                for position in decimal_positions:
                    if type(cells[position]) is str:
                        cells[position] = cells[position].replace(".", ",")
                lines.append(writer.writerow(cells))
            if lines:
                yield "".join(lines)

    @extend_schema(
        filters=True,
        responses={(200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR)},
        summary="Every row of the list as NDJSON (streamed; the list's filters and ordering)",
    )
    @action(detail=False, methods=["get"], url_path="export.ndjson", url_name="export-ndjson")
    def export_ndjson(self, request):
        queryset = self.export_queryset()
        plan = self.copy_plan(request)
        if plan is None:
            lines = self._ndjson_lines(request, queryset)
        else:
            columns, zone = plan
            line = copy_export.json_line(columns, self.fast_list_spec().names)
            lines = self._copy(queryset, columns, line, zone)
        response = StreamingHttpResponse(
            lines,
            content_type="application/x-ndjson; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.export_name("ndjson")}"'
        return response

    def _ndjson_lines(self, request, queryset):
        for _names, rows in self.export_rows(request, queryset):
            if rows:
                yield "".join(
                    json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                    for row in rows
                )
