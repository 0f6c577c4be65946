"""The bulk export formatted by PostgreSQL and streamed with COPY (core.api.copy_export).

Its contract is the Python path's (core.api.export): the list's JSON rows, written by
csv.writer (neutralised text, decimal comma for excel-ru, ids space-separated, booleans
true/false) or json.dumps — byte for byte, for every resource, with awkward text, files,
decimals and date-times; the list's filters, ordering and visibility; one COPY, streamed."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.fields import DecimalField

from accounts.tokens import api_token_issue
from core.api import copy_export
from core.api import export as export_module
from core.api.export import ExportMixin
from core.spreadsheets import neutralise
from core.workflow import WorkflowState
from indicators.models import IndicatorValue
from khv_strategy.api.router import router
from partners.models import PartnerCity
from tests.api.test_endpoints import BASENAMES, list_url, populate
from tests.api.test_export import body, export_url
from tests.api.test_paging import pull
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory
from tests.partners.factories import PartnerCityFactory

pytestmark = pytest.mark.django_db

VIEWSETS = {basename: viewset for _prefix, viewset, basename in router.registry}
UTC = datetime.UTC
# Text a spreadsheet would run, text csv.writer must quote, and text that is only a number.
AWKWARD_TEXT = [
    ("=1+2", 'a;b "c"\nd'),
    ("-12.5", "\tTab"),
    ("@SUM(A1)", "+7 (4212) 00-00-00"),
    ("Строка\r\nперенос", '"кавычки", запятая'),
    ("\\ обратная косая \\n", "\x07 звонок"),
]


@pytest.fixture
def awkward(department, other_department, editor, administrator):
    """The list's data, and rows whose every column needs care in a CSV or a JSON line."""
    populate(department, 2)
    populate(other_department, 1)
    editor.last_name, editor.first_name = "=Иванов", 'Пётр "Петя"'
    editor.save()
    indicator = IndicatorFactory(department=department, code="=HYPERLINK(1)", unit='ед.; "шт"')
    moments = [
        datetime.datetime(2020, 1, 1, 0, 0, 0, tzinfo=UTC),
        datetime.datetime(2021, 5, 6, 7, 8, 9, 123400, tzinfo=UTC),
        datetime.datetime(2022, 12, 31, 14, 0, 0, 1, tzinfo=UTC),
        # Six digits of microseconds, as every auto_now stamp has; and three, whose ISO text
        # at +05:30 is as long as six at a whole hour.
        datetime.datetime(2022, 3, 4, 5, 6, 7, 654321, tzinfo=UTC),
        datetime.datetime(2021, 7, 8, 9, 10, 11, 123000, tzinfo=UTC),
    ]
    for number, (comment, review) in enumerate(AWKWARD_TEXT):
        item = IndicatorValueFactory(
            indicator=indicator,
            year=2017 + number // 4,
            quarter=number % 4 + 1,
            value=Decimal("-12.5") if number % 2 else Decimal("1234567.0001"),
            comment=comment,
            review_comment=review,
            evidence_url="https://example.org/a;b?c=1",
            author=editor,
            reviewer=administrator if number % 2 else None,
            state=WorkflowState.SUBMITTED if number == 2 else WorkflowState.APPROVED,
        )
        IndicatorValue.objects.filter(pk=item.pk).update(
            evidence_file="evidence/отчёт №1 (итог) 100%.pdf" if number % 2 else "",
            submitted_at=moments[number],
            reviewed_at=moments[(number + 1) % len(moments)] if number % 2 else None,
        )
    PartnerCityFactory(
        department=department,
        name_ru="=cmd|' /C calc'!A0",
        name_en='Город; "кавычки"\nи перенос',
        latitude=Decimal("-48.4800"),
        longitude=Decimal("135.0700"),
        since_year_only=True,
    )
    assert PartnerCity.objects.filter(since_year_only=True).exists()
    return indicator


def copy_statements(queries):
    return [query["sql"] for query in queries if query["sql"].startswith("COPY ")]


def export_bytes(client, basename, kind, query="", **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(export_url(basename, kind, query), **headers)
        assert response.status_code == 200, response.content
        content = b"".join(response.streaming_content)
    return content, copy_statements(queries)


KINDS = [("csv", ""), ("csv", "?dialect=excel-ru"), ("ndjson", "")]


@pytest.mark.parametrize("kind,query", KINDS)
@pytest.mark.parametrize("basename", BASENAMES)
def test_the_copy_export_is_the_python_exports_bytes(
    monkeypatch, client_for, administrator, awkward, basename, kind, query
):
    client = client_for(administrator)
    copied, statements = export_bytes(client, basename, kind, query)
    monkeypatch.setattr(ExportMixin, "export_by_copy", False)
    written, python_statements = export_bytes(client, basename, kind, query)

    assert len(statements) == 1 and python_statements == []
    assert copied.count(b"\n") > 1
    assert copied == written


@pytest.mark.parametrize("kind,query", KINDS)
@pytest.mark.parametrize("basename", ["indicatorvalue", "progressreport", "partnercity"])
def test_an_api_clients_copy_export_is_the_python_exports_bytes(
    monkeypatch, client, api_client_user, awkward, basename, kind, query
):
    _token, key = api_token_issue(user=api_client_user, name="export")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    copied, statements = export_bytes(client, basename, kind, query, **auth)
    monkeypatch.setattr(ExportMixin, "export_by_copy", False)
    written, _statements = export_bytes(client, basename, kind, query, **auth)

    assert statements and copied == written


def decimal_names(basename):
    serializer = VIEWSETS[basename].serializer_class(context={})
    return {
        field.field_name for field in serializer._readable_fields if isinstance(field, DecimalField)
    }


def expected_csv(rows, names, dialect, decimals):
    """The list's rows as the export documents them (docs/api.md)."""
    russian = dialect == "excel-ru"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if russian else ",", lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        cells = []
        for name, value in row.items():
            if value is None:
                cell = ""
            elif isinstance(value, bool):
                cell = "true" if value else "false"
            elif isinstance(value, list):
                cell = " ".join(str(item) for item in value)
            elif isinstance(value, str):
                cell = neutralise(value)
                if russian and name in decimals:
                    cell = cell.replace(".", ",")
            else:
                cell = value
            cells.append(cell)
        writer.writerow(cells)
    return ("\ufeff" if russian else "") + out.getvalue()


@pytest.mark.parametrize("dialect", ["plain", "excel-ru"])
@pytest.mark.parametrize("basename", BASENAMES)
def test_the_csv_export_is_the_lists_rows(client_for, editor, awkward, basename, dialect):
    client = client_for(editor)
    query = "?ordering=-id"
    listed = pull(client, list_url(basename) + query + "&page_size=500")
    assert listed

    text = body(client.get(export_url(basename, "csv", f"{query}&dialect={dialect}")))

    assert text == expected_csv(listed, list(listed[0]), dialect, decimal_names(basename))


@pytest.mark.parametrize("dialect", ["plain", "excel-ru"])
def test_the_csv_export_takes_the_lists_filters_and_ordering(client_for, viewer, awkward, dialect):
    client = client_for(viewer)
    query = f"?indicator={awkward.pk}&year_to=2017&ordering=-quarter,updated_at"
    listed = pull(client, list_url("indicatorvalue") + query + "&page_size=2")
    assert len(listed) >= 3 and {row["year"] for row in listed} == {2017}

    text = body(client.get(export_url("indicatorvalue", "csv", f"{query}&dialect={dialect}")))
    ndjson = body(client.get(export_url("indicatorvalue", "ndjson", query)))

    assert text == expected_csv(listed, list(listed[0]), dialect, {"value"})
    assert [json.loads(line) for line in ndjson.splitlines()] == listed


def test_awkward_text_round_trips_through_a_csv_reader(client_for, administrator, awkward):
    query = f"?indicator={awkward.pk}"
    text = body(client_for(administrator).get(export_url("indicatorvalue", "csv", query)))

    rows = list(csv.DictReader(io.StringIO(text)))

    assert {(row["comment"], row["review_comment"]) for row in rows} == {
        ("'=1+2", 'a;b "c"\nd'),
        ("-12.5", "'\tTab"),
        ("'@SUM(A1)", "'+7 (4212) 00-00-00"),
        ("Строка\r\nперенос", '"кавычки", запятая'),
        ("\\ обратная косая \\n", "\x07 звонок"),
    }
    assert {row["indicator_code"] for row in rows} == {"'=HYPERLINK(1)"}
    assert {row["author_name"] for row in rows} == {'\'=Иванов Пётр "Петя"'}
    assert {row["value"] for row in rows} == {"-12.5000", "1234567.0001"}
    files = {row["evidence_file"] for row in rows}
    assert files == {"", "http://testserver/media/evidence/%D0%BE%D1%82%D1%87%D1%91%D1%82%20"
                     "%E2%84%961%20(%D0%B8%D1%82%D0%BE%D0%B3)%20100%25.pdf"}  # fmt: skip
    moments = {row["submitted_at"] for row in rows}
    assert moments == {
        "2020-01-01T10:00:00+10:00",
        "2021-05-06T17:08:09.123400+10:00",
        "2023-01-01T00:00:00.000001+10:00",
        "2022-03-04T15:06:07.654321+10:00",
        "2021-07-08T19:10:11.123000+10:00",
    }


def test_the_russian_excel_csv_has_a_decimal_comma_and_semicolons(client_for, viewer, awkward):
    response = client_for(viewer).get(
        export_url("indicatorvalue", "csv", f"?indicator={awkward.pk}&dialect=excel-ru")
    )
    text = body(response)

    assert text.startswith("\ufeffid;indicator;")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert {row["value"] for row in rows} == {"-12,5000", "1234567,0001"}
    assert {row["evidence_url"] for row in rows} == {"https://example.org/a;b?c=1"}


@pytest.mark.parametrize("basename", ["indicatorvalue", "progressreport"])
def test_another_department_never_exports_what_it_may_not_see(
    client_for, other_editor, department, awkward, basename
):
    model = VIEWSETS[basename]().get_serializer_class().Meta.model
    department_lookup = "indicator__department" if basename == "indicatorvalue" else (
        "measure__department"
    )  # fmt: skip
    hidden = set(
        model.objects.filter(**{department_lookup: department})
        .exclude(state=WorkflowState.APPROVED)
        .values_list("id", flat=True)
    )
    assert hidden
    client = client_for(other_editor)
    listed = {row["id"] for row in pull(client, list_url(basename) + "?page_size=500")}

    ndjson = {json.loads(line)["id"] for line in body(client.get(export_url(basename, "ndjson")))
              .splitlines()}  # fmt: skip
    rows = csv.DictReader(io.StringIO(body(client.get(export_url(basename, "csv")))))
    exported = {int(row["id"]) for row in rows}

    assert ndjson == exported == listed
    assert not hidden & exported


def test_the_export_is_streamed_from_one_copy(client_for, viewer, awkward):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(viewer).get(export_url("indicatorvalue", "csv"))
        assert response.streaming
        assert copy_statements(queries) == []  # the copy runs as the answer streams
        body(response)

    reading_values = [
        query["sql"] for query in queries if "indicators_indicatorvalue" in query["sql"]
    ]
    assert len(reading_values) == 1 and reading_values[0].startswith("COPY (SELECT")
    assert reading_values[0].endswith("TO STDOUT (FORMAT binary)")


def session_settings():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('TimeZone'), current_setting('jit'),"
            " current_setting('DateStyle')"
        )
        return cursor.fetchone()


# Date-times in a zone at a whole-hour offset, at half an hour, at zero (``Z``) and at either.
ZONES = {
    "Asia/Vladivostok": [
        "2021-05-06T17:08:09.123400+10:00",
        "2022-03-04T15:06:07.654321+10:00",
        "2021-07-08T19:10:11.123000+10:00",
    ],
    "Asia/Kolkata": [
        "2021-05-06T12:38:09.123400+05:30",
        "2022-03-04T10:36:07.654321+05:30",
        "2021-07-08T14:40:11.123000+05:30",
    ],
    "UTC": ["2020-01-01T00:00:00Z", "2022-03-04T05:06:07.654321Z", "2021-07-08T09:10:11.123000Z"],
    "Europe/London": [
        "2020-01-01T00:00:00Z",
        "2022-03-04T05:06:07.654321Z",
        "2021-07-08T10:10:11.123000+01:00",
    ],
}


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("kind", ["csv", "ndjson"])
def test_date_times_in_any_zone_are_the_python_exports_bytes(
    monkeypatch, settings, client_for, administrator, awkward, zone, kind
):
    settings.TIME_ZONE = zone
    client = client_for(administrator)
    query = f"?indicator={awkward.pk}"
    copied, statements = export_bytes(client, "indicatorvalue", kind, query)
    monkeypatch.setattr(ExportMixin, "export_by_copy", False)
    written, _statements = export_bytes(client, "indicatorvalue", kind, query)

    assert statements
    for moment in ZONES[zone]:
        assert moment.encode() in copied
    assert copied == written


def test_the_copy_writes_iso_date_times_whatever_the_sessions_date_style(awkward):
    column = copy_export.Column("datetime", F("submitted_at"), 1, zone="Asia/Vladivostok")
    line = copy_export.Sql("concat({0}, {1})", column.value("plain"), "\n")
    values = IndicatorValue.objects.filter(indicator=awkward).order_by("id")
    statement, using = copy_export.copy_statement(values, line, [column])
    with connection.cursor() as cursor:
        cursor.execute("SET DateStyle = 'SQL, DMY'")
    try:
        before = session_settings()
        copied = b"".join(copy_export.copy_lines(statement, using, "Asia/Vladivostok"))
        after = session_settings()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle = 'ISO'")

    assert after == before and before[2] == "SQL, DMY"
    assert set(copied.decode().splitlines()) == {
        "2020-01-01T10:00:00+10:00",
        "2021-05-06T17:08:09.123400+10:00",
        "2023-01-01T00:00:00.000001+10:00",
        "2022-03-04T15:06:07.654321+10:00",
        "2021-07-08T19:10:11.123000+10:00",
    }


def test_the_copy_leaves_the_connections_settings_as_they_were(client_for, viewer, awkward):
    before = session_settings()

    body(client_for(viewer).get(export_url("indicatorvalue", "ndjson")))

    assert session_settings() == before == ("UTC", before[1], before[2])


def test_a_copy_given_up_half_way_leaves_the_connection_usable(monkeypatch, awkward):
    monkeypatch.setattr(copy_export, "BLOCK_BYTES", 1)  # a block per row
    before = session_settings()
    line = copy_export.Sql("concat({0}, {1})", F("id"), "\n")
    statement, using = copy_export.copy_statement(IndicatorValue.objects.order_by("id"), line)
    blocks = copy_export.copy_lines(statement, using, "Asia/Vladivostok")
    assert next(blocks).endswith(b"\n")

    # The client went away: the answer closes its content, the copy is cancelled and
    # rolled back to its savepoint.
    blocks.close()

    assert session_settings() == before
    assert IndicatorValue.objects.filter(indicator=awkward).count() == len(AWKWARD_TEXT)


def test_closing_the_csv_closes_its_copy():
    closed = []

    def copy():
        try:
            yield b"row\r\n"
        finally:
            closed.append(True)

    content = export_module._after(b"header\r\n", copy())
    assert [next(content), next(content)] == [b"header\r\n", b"row\r\n"]

    content.close()

    assert closed == [True]


# Filters that leave nothing to select: Django gives up compiling such a query
# (EmptyResultSet) — the answer is the list's empty export, as the Python path writes it.
NOTHING = [
    ("indicator", "?status=achieved"),
    ("indicator", "?status=at_risk"),
    ("measure", "?plan=4000&group=-1865"),
]


@pytest.mark.parametrize("kind,query", KINDS)
@pytest.mark.parametrize("basename,filters", NOTHING)
def test_a_filter_that_selects_nothing_exports_nothing(
    monkeypatch, client_for, administrator, basename, filters, kind, query
):
    client = client_for(administrator)
    joined = filters + (query.replace("?", "&") if query else "")
    copied, _statements = export_bytes(client, basename, kind, joined)
    monkeypatch.setattr(ExportMixin, "export_by_copy", False)
    written, _statements = export_bytes(client, basename, kind, joined)

    assert copied == written
    assert len(copied.splitlines()) <= 1  # the CSV header alone, or nothing in NDJSON
