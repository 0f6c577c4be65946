"""The bulk export formatted by PostgreSQL and streamed with ``COPY`` (core.api.export).

Each row of the export is one line of text built in SQL from the list's own queryset — the
same filters, ordering and visibility, compiled by Django — and read with
``COPY (SELECT line …) TO STDOUT (FORMAT binary)``: the server formats every cell, Python only
cuts the copy stream into lines and hands them on. The lines are byte for byte what the
list's JSON rows written by Python would be (``represent`` in core.api.fast_list, then
csv.writer or json.dumps):

- integers and ids as digits; booleans ``true``/``false``; a list of ids space-separated
  (CSV) or a JSON array;
- decimals with the serializer field's decimal places (``round``), the decimal comma for
  ``excel-ru``; dates ``YYYY-MM-DD``; date-times as DRF writes them (ISO 8601 in the
  request's time zone, microseconds only when there are some, ``Z`` for UTC);
- a file as its absolute URL (the storage's base URL and the name percent-encoded like
  Django's ``filepath_to_uri``);
- text as it is, except that in CSV text a spreadsheet would run as a formula gets a
  leading apostrophe (core.spreadsheets.neutralise) and text with the delimiter, a quote or a
  line break is quoted as csv.writer quotes it; in JSON text is escaped as json.dumps does.

Why binary COPY: the CSV and text formats of COPY end lines with LF and quote by their own
rules; a line built in SQL and copied as one binary ``text`` field arrives exactly as built.

The line reads the row from the list's own SELECT, kept as a subquery (copy_statement): a
column computed in SQL (a person's name through a join) is computed once, however often the
line uses it. A date-time at a whole-hour offset with no fraction of a second or with six
digits of one is its ISO text (DateStyle ISO for the copy) with a "T" and ":00" — cheaper than
to_char, which writes the others.

Most rows need neither quoting, escaping nor neutralising: the line is then a plain
concatenation. One test per row (a regular expression over the row's text cells) sends the
rare row that does to the exact, cell-by-cell form. A serializer field with no SQL form here
makes `copy_plan` answer None, and the export keeps the Python path.
"""

import datetime
import functools
import json
import re
import struct
import zoneinfo

from django.core.files.storage import FileSystemStorage
from django.db import connections, transaction
from django.db.models import Func, TextField, Value
from django_countries.serializer_fields import CountryField
from rest_framework import fields as drf_fields
from rest_framework import relations
from rest_framework.settings import api_settings

from core.spreadsheets import FORMULA_TRIGGERS

# core.spreadsheets.FORMULA_TRIGGERS and NUMBER_RE, as PostgreSQL regular expressions (a "-"
# goes first in a bracket expression).
FORMULA_TRIGGER = "[-" + "".join(c for c in FORMULA_TRIGGERS if c != "-") + "]"
FORMULA_START = "^" + FORMULA_TRIGGER
NUMBER = r"^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?$"
# Characters that make JSON text need escaping: a quote, a backslash, control characters.
JSON_SPECIAL = '["\\\\\x01-\x1f]'
# Characters Django's filepath_to_uri leaves as they are (urllib's quote with safe="/~!*()'").
URI_SAFE = "^[A-Za-z0-9_.~!*()'/-]*$"
URI_SAFE_CHAR = "^[A-Za-z0-9_.~!*()'/-]$"
# A cell separator for the row test: a text cell starting with a formula trigger is one
# preceded by it. Text holding it only sends a row to the exact form, never a wrong line.
CELL_START = "\x01"

SETTINGS = (
    "set_config('TimeZone', %s, true), set_config('jit', %s, true),"
    " set_config('DateStyle', %s, true)"
)
# A date-time's text in the ISO DateStyle at a whole-hour offset, with no fraction of a second
# ("2020-01-01 10:00:00+10", 22 characters) or with six digits of one ("2020-01-01
# 10:00:00.123456+10", 29, the sign 27th — as every auto_now stamp but one in ten has): such a
# text needs only the "T" and ":00" of Python's isoformat. Any other (fewer digits, which
# PostgreSQL trims and Python does not, or a "+05:30" offset) goes through to_char.
PLAIN_DATETIME_LENGTH = 22
MICROSECOND_DATETIME_LENGTH = 29
MICROSECOND_DATETIME_SIGN = 27
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
TUPLE_HEAD = struct.Struct(">hi")  # field count, first field's length
BLOCK_BYTES = 1 << 16


class Sql(Func):
    """SQL text with ``{0}``, ``{1}``… standing for its arguments (expressions; a str is a
    literal, passed as a parameter). Templates hold no ``%``: parameters carry it."""

    output_field = TextField()

    def __init__(self, template, *arguments):
        assert "%" not in template, template
        self.sql_template = template
        super().__init__(
            *[Value(item) if isinstance(item, str) else item for item in arguments],
            output_field=TextField(),
        )

    def as_sql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(item) for item in self.get_source_expressions()]
        params = []

        def argument(match):
            sql, item_params = compiled[int(match.group(1))]
            params.extend(item_params)
            return f"({sql})"

        return re.sub(r"\{(\d+)\}", argument, self.sql_template), params


def _concat(parts):
    """concat() of the parts (NULL as empty), nested below PostgreSQL's 100 arguments."""
    parts = list(parts)
    while len(parts) > 90:
        parts = [_concat(parts[:90]), *parts[90:]]
    template = "concat(" + ", ".join(f"{{{i}}}" for i in range(len(parts))) + ")"
    return Sql(template, *parts)


# --- cells -------------------------------------------------------------------------------------
#
# A column's kind decides its SQL. `cell(kind, x)` is the text of its CSV cell (NULL: empty),
# `json(kind, x)` the JSON of its value; for text, `fast` is the form when the row test passed.


class Row(Func):
    """The `position`-th column (from 1) of the list's row, as the line's SELECT reads it from
    the list's own SELECT (copy_statement): each column, however costly, is computed once."""

    output_field = TextField()

    def __init__(self, position):
        self.position = position
        super().__init__(output_field=TextField())

    def as_sql(self, compiler, connection, **extra_context):
        return f"{ROW}.c{self.position}", []


ROW = "list_row"


class Column:
    def __init__(self, kind, source, position, **options):
        self.kind = kind
        self.source = source  # the list's column (core.api.fast_list)
        self.expression = Row(position)
        self.options = options

    @property
    def is_text(self):
        return self.kind == "text"

    def text(self):
        x = self.expression
        if self.kind == "text" and self.options.get("empty_is_null"):
            return Sql("nullif(({0})::text, '')", x)
        return Sql("({0})::text", x)

    def value(self, dialect):
        """The cell's text for every kind but text (which `csv_exact`/`csv_fast` give)."""
        x = self.expression
        if self.kind == "integer":
            return Sql("({0})::text", x)
        if self.kind == "boolean":
            return Sql("CASE WHEN {0} THEN 'true' WHEN NOT {0} THEN 'false' END", x)
        if self.kind == "ids":
            return Sql("array_to_string({0}, ' ')", x)
        if self.kind == "decimal":
            places = self.options["places"]
            number = (
                Sql(f"round(({{0}})::numeric, {int(places)})::text", x)
                if places is not None
                else Sql("({0})::numeric::text", x)
            )
            if dialect == "excel-ru":
                return Sql("replace({0}, '.', ',')", number)
            return number
        if self.kind == "date":
            return Sql("to_char({0}, 'YYYY-MM-DD')", x)
        if self.kind == "datetime":
            # In the session's time zone, set to the request's for the copy (copy_lines).
            # Microseconds only when there are some, as Python's isoformat writes them.
            # The ISO text with "T" and ":00" when it is that simple (most are): cheaper
            # than to_char.
            whole, fraction = _datetime_formats(self.options["zone"])
            text = Sql(
                f"CASE WHEN length(({{0}})::text) = {PLAIN_DATETIME_LENGTH}"
                f" OR length(({{0}})::text) = {MICROSECOND_DATETIME_LENGTH}"
                f" AND substr(({{0}})::text, {MICROSECOND_DATETIME_SIGN}, 1) IN ('+', '-')"
                " THEN replace(({0})::text, ' ', 'T') || ':00'"
                " WHEN ({0})::timestamptz(0) = {0} THEN to_char({0}, {1})"
                " ELSE to_char({0}, {2}) END",
                x,
                whole,
                fraction,
            )
            if True in _utc_offsets(self.options["zone"]):
                return Sql("replace({0}, '+00:00', 'Z')", text)
            return text
        if self.kind == "file":
            name = Sql("ltrim(replace({0}, {1}, '/'), '/')", x, "\\")
            encoded = Sql(
                "CASE WHEN {0} ~ {1} THEN {0} ELSE (SELECT string_agg(CASE WHEN c ~ {2} THEN c"
                " ELSE upper(regexp_replace(encode(convert_to(c, 'UTF8'), 'hex'), '(..)', {3},"
                " 'g')) END, '' ORDER BY n) FROM regexp_split_to_table({0}, '')"
                " WITH ORDINALITY AS characters(c, n)) END",
                name,
                URI_SAFE,
                URI_SAFE_CHAR,
                "%\\1",
            )
            return Sql("CASE WHEN {0} <> '' THEN {1} || {2} END", x, self.options["base"], encoded)
        raise AssertionError(self.kind)

    def csv_exact(self, delimiter):
        """A text cell neutralised and quoted as core.spreadsheets and csv.writer do."""
        special = f'[{delimiter}"\r\n]'
        return Sql(
            "CASE WHEN ascii({0}) IN (9, 13, 43, 45, 61, 64) AND {0} !~ {1} THEN"
            " CASE WHEN {0} ~ {2} THEN {3} || replace({0}, '\"', '\"\"') || '\"'"
            " ELSE {4} || {0} END"
            " WHEN {0} ~ {2} THEN '\"' || replace({0}, '\"', '\"\"') || '\"'"
            " ELSE {0} END",
            self.text(),
            NUMBER,
            special,
            "\"'",
            "'",
        )

    def json_value(self):
        x = self.expression
        if self.kind == "integer":
            return Sql("coalesce(({0})::text, 'null')", x)
        if self.kind == "boolean":
            return Sql("CASE WHEN {0} THEN 'true' WHEN NOT {0} THEN 'false' ELSE 'null' END", x)
        if self.kind == "ids":
            return Sql("coalesce(to_json({0})::text, 'null')", x)
        if self.kind == "text":
            return Sql("coalesce(to_json({0})::text, 'null')", self.text())
        # Decimals, dates, date-times and URLs: strings with nothing to escape.
        return Sql("coalesce('\"' || {0} || '\"', 'null')", self.value("plain"))

    def json_fast(self):
        """A text value known to need no escaping."""
        return Sql("coalesce('\"' || {0} || '\"', 'null')", self.text())


# --- the plan of a spec ----------------------------------------------------------------------


def copy_plan(spec, serializer, request):
    """The columns of `spec` (core.api.fast_list) with their kinds, or None when a field has
    no SQL form here; and the time zone the date-times are written in (None: none)."""
    fields = {field.field_name: field for field in serializer._readable_fields}
    columns, zones = [], set()
    for position, (name, expression, converter) in enumerate(
        zip(spec.names, spec.columns, spec.converters, strict=True), start=1
    ):
        column = _column(fields[name], expression, position, converter, request)
        if column is None:
            return None
        if column.kind == "datetime":
            zones.add(column.options["zone"])
        columns.append(column)
    if len(zones) > 1:
        return None
    return columns, (zones.pop() if zones else None)


def _column(field, source, position, converter, request):
    if isinstance(field, relations.ManyRelatedField):
        return Column("ids", source, position)
    if isinstance(field, relations.PrimaryKeyRelatedField):
        return Column("integer", source, position)
    if isinstance(field, drf_fields.FileField):
        return _file_column(field, source, position, converter, request)
    if isinstance(field, drf_fields.BooleanField):
        return Column("boolean", source, position)
    if isinstance(field, drf_fields.IntegerField):
        return Column("integer", source, position)
    if isinstance(field, drf_fields.DecimalField):
        coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        if not coerce or field.localize or field.normalize_output:
            return None
        return Column("decimal", source, position, places=field.decimal_places)
    if isinstance(field, drf_fields.DateTimeField):
        zone = _zone_name(field)
        return Column("datetime", source, position, zone=zone) if zone else None
    if isinstance(field, drf_fields.DateField):
        output_format = getattr(field, "format", api_settings.DATE_FORMAT)
        if not isinstance(output_format, str) or output_format.lower() != drf_fields.ISO_8601:
            return None
        return Column("date", source, position)
    if isinstance(field, CountryField):
        if field.country_dict or field.name_only or getattr(field, "multiple", False):
            return None
        # The stored alpha-2 code; a blank one is null when the field allows null.
        return Column("text", source, position, empty_is_null=field.allow_null)
    if isinstance(field, drf_fields.CharField | drf_fields.ChoiceField):
        return Column("text", source, position)
    return None


def _zone_name(field):
    """The name of the time zone DRF writes `field`'s values in (as fast_list._iso_datetime),
    or None when it is not a named zone PostgreSQL knows too."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if not isinstance(output_format, str) or output_format.lower() != drf_fields.ISO_8601:
        return None
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is datetime.UTC:
        return "UTC"
    return getattr(zone, "key", None)


def _datetime_formats(zone):
    """to_char formats of a date-time without and with microseconds, in `zone`."""
    offset = '"Z"' if _utc_offsets(zone) == {True} else "TZH:TZM"
    return f'YYYY-MM-DD"T"HH24:MI:SS{offset}', f'YYYY-MM-DD"T"HH24:MI:SS.US{offset}'


@functools.cache
def _utc_offsets(zone):
    """Whether `zone`'s offset is zero ({True}), never zero ({False}) or either, from 1900 to
    2100 — DRF writes a zero offset as ``Z``. Sampled at each month's start: no zone has had
    an offset for less than a month."""
    info = zoneinfo.ZoneInfo(zone)
    return {
        datetime.datetime(year, month, 1, tzinfo=datetime.UTC).astimezone(info).utcoffset()
        == datetime.timedelta(0)
        for year in range(1900, 2101)
        for month in range(1, 13)
    }


def _file_column(field, source, position, converter, request):
    if not getattr(field, "use_url", api_settings.UPLOADED_FILES_USE_URL):
        return Column("text", source, position, empty_is_null=True)
    _marker, _field, storage = converter  # fast_list's (FILE, field, storage)
    url = storage.url  # through default_storage's lazy wrapper too
    if getattr(url, "__func__", None) is not FileSystemStorage.url:
        return None
    base = storage.url("")
    if request is not None:
        base = request.build_absolute_uri(base)
    return Column("file", source, position, base=Value(base))


# --- the lines -------------------------------------------------------------------------------


def csv_line(columns, dialect):
    """The CSV line of a row (CRLF-terminated), as csv.writer writes the list's JSON row."""
    delimiter = ";" if dialect == "excel-ru" else ","
    texts = [column for column in columns if column.is_text]
    exact, fast = [], []
    for position, column in enumerate(columns):
        if position:
            exact.append(Value(delimiter))
            fast.append(Value(delimiter))
        if column.is_text:
            exact.append(column.csv_exact(delimiter))
            fast.append(column.text())
        else:
            value = column.value(dialect)
            exact.append(value)
            fast.append(value)
    exact.append(Value("\r\n"))
    fast.append(Value("\r\n"))
    if not texts:
        return _concat(fast)
    cells = _concat(part for column in texts for part in (Value(CELL_START), column.text()))
    risky = f'[{delimiter}"\r\n]|{CELL_START}{FORMULA_TRIGGER}'
    return Sql("CASE WHEN {0} ~ {1} THEN {2} ELSE {3} END", cells, risky, _concat(exact),
               _concat(fast))  # fmt: skip


def json_line(columns, names):
    """The NDJSON line of a row, as json.dumps(row, ensure_ascii=False, separators=(",", ":"))
    writes the list's JSON row."""
    exact, fast = [], []
    for position, (column, name) in enumerate(zip(columns, names, strict=True)):
        key = ("{" if position == 0 else ",") + json.dumps(name, ensure_ascii=False) + ":"
        exact += [Value(key), column.json_value()]
        fast += [Value(key), column.json_fast() if column.is_text else column.json_value()]
    exact.append(Value("}\n"))
    fast.append(Value("}\n"))
    texts = [column.text() for column in columns if column.is_text]
    if not texts:
        return _concat(fast)
    return Sql("CASE WHEN {0} ~ {1} THEN {2} ELSE {3} END", _concat(texts), JSON_SPECIAL,
               _concat(exact), _concat(fast))  # fmt: skip


def copy_statement(queryset, line, columns=None):
    """The COPY of `line` for each row of `queryset` (its filters, ordering, visibility), and
    the database alias. Compiled now, so that a bad query fails before the answer starts.

    With `columns` (copy_plan's), `line` reads them from the list's own SELECT of their
    sources, a subquery the planner keeps as it is (it is ordered, or fenced with OFFSET 0):
    a costly column (a person's name) is computed once however often the line uses it."""
    if columns is None:
        lines = queryset.prefetch_related(None).values_list(line)
        connection = connections[lines.db]
        sql, params = lines.query.get_compiler(using=lines.db).as_sql()
    else:
        rows = queryset.prefetch_related(None).values_list(*[c.source for c in columns])
        connection = connections[rows.db]
        compiler = rows.query.get_compiler(using=rows.db)
        row_sql, row_params = compiler.as_sql()
        if not rows.query.is_sliced:
            row_sql += " OFFSET 0"
        line_sql, line_params = compiler.compile(line)
        names = ", ".join(f"c{position}" for position in range(1, len(columns) + 1))
        sql = f"SELECT {line_sql} FROM ({row_sql}) AS {ROW}({names})"
        params = (*line_params, *row_params)
    statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT (FORMAT binary)", params)
    return statement, connection.alias


def copy_lines(statement, using, zone):
    """The copy's lines, in blocks of about BLOCK_BYTES bytes.

    Runs in a transaction of its own (a savepoint inside a caller's): the session's time zone
    is set for it only, and a copy given up half way (the client went away, the generator is
    closed) is cancelled by psycopg and rolled back, leaving the connection usable."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # JIT compiling the long expressions of a line costs more than it saves.
        cursor.execute(
            f"SELECT current_setting('jit'), current_setting('DateStyle'), {SETTINGS}",
            [zone or connection.timezone_name, "off", "ISO"],
        )
        jit, date_style = cursor.fetchone()[:2]
        with cursor.copy(statement) as copy:
            yield from _binary_text_rows(copy)
        # A savepoint's release keeps local settings: give the connection its own back.
        cursor.execute(f"SELECT {SETTINGS}", [connection.timezone_name, jit, date_style])


def _binary_text_rows(copy):
    """The text of each row of a binary COPY of one non-null text column, joined in blocks.

    The stream: a signature, flags and a header extension; per row a 16-bit field count and,
    for the field, a 32-bit length and the bytes; -1 as the count at the end. PostgreSQL
    sends a row per message; the parser does not count on it."""
    buffer = bytearray()
    header_read = False
    lines, size = [], 0
    for data in copy:
        buffer += data
        position = 0
        if not header_read:
            if len(buffer) < 19:
                continue
            if buffer[:11] != COPY_SIGNATURE:
                raise ValueError("not a binary COPY stream")
            position = 19 + struct.unpack_from(">I", buffer, 15)[0]
            header_read = True
        end_of_buffer = len(buffer)
        while end_of_buffer - position >= 6:
            count, length = TUPLE_HEAD.unpack_from(buffer, position)
            if count != 1:
                break  # the end (-1)
            end = position + 6 + length
            if end > end_of_buffer:
                break
            lines.append(bytes(buffer[position + 6 : end]))
            size += length
            position = end
        del buffer[:position]
        if size >= BLOCK_BYTES:
            yield b"".join(lines)
            lines, size = [], 0
    if lines:
        yield b"".join(lines)
