"""Bulk export of every list (core.api.export): the list's rows, filters and visibility, as
CSV (plain and for Russian Excel) and NDJSON, read back; constant queries whatever its size."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tokens import api_token_issue
from tests.api.test_endpoints import BASENAMES, list_url, populate
from tests.api.test_paging import pull

pytestmark = pytest.mark.django_db


def export_url(basename, kind, query=""):
    return reverse(f"{basename}-export-{kind}") + query


def body(response):
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response, delimiter=","):
    text = body(response)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return reader.fieldnames, list(reader)


def read_ndjson(response):
    assert response["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in body(response).splitlines()]


@pytest.fixture
def data(department, other_department):
    populate(department, 3)
    populate(other_department, 2)


@pytest.mark.parametrize("basename", BASENAMES)
def test_the_export_is_the_lists_rows(client_for, administrator, data, basename):
    client = client_for(administrator)
    listed = pull(client, list_url(basename) + "?page_size=500")

    ndjson = read_ndjson(client.get(export_url(basename, "ndjson")))
    columns, rows = read_csv(client.get(export_url(basename, "csv")))

    assert ndjson == listed
    assert columns == list(listed[0])
    assert [int(row["id"]) for row in rows] == [row["id"] for row in listed]
    for exported, row in zip(rows, listed, strict=True):
        for name, value in row.items():
            if isinstance(value, list):
                assert exported[name] == " ".join(map(str, value))
            elif isinstance(value, bool):
                assert exported[name] == str(value).lower()
            elif value is not None and isinstance(value, int | str) and name != "comment":
                assert exported[name].lstrip("'") == str(value), name


@pytest.mark.parametrize("basename", ["indicatorvalue", "delegation", "measure"])
def test_an_empty_export_keeps_its_columns(client_for, viewer, data, basename):
    client = client_for(viewer)
    full_columns, rows = read_csv(client.get(export_url(basename, "csv")))
    assert rows

    columns, none = read_csv(
        client.get(export_url(basename, "csv", "?updated_since=2100-01-01T00:00:00Z"))
    )

    assert none == [] and columns == full_columns
    assert body(client.get(export_url(basename, "ndjson", "?updated_since=2100-01-01"))) == ""


def test_the_export_takes_the_lists_filters_and_ordering(client_for, viewer, data):
    client = client_for(viewer)
    query = "?year=2015&ordering=-updated_at"
    listed = pull(client, list_url("indicatorvalue") + query + "&page_size=2")

    exported = read_ndjson(client.get(export_url("indicatorvalue", "ndjson", query)))

    assert exported == listed and {row["year"] for row in exported} == {2015}


def test_the_russian_excel_dialect(client_for, viewer, data):
    response = client_for(viewer).get(export_url("indicatorvalue", "csv", "?dialect=excel-ru"))
    text = body(response)

    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows and all("," in row["value"] and "." not in row["value"] for row in rows)
    assert "attachment" in response["Content-Disposition"]


def test_the_plain_dialect_has_no_bom_and_a_decimal_point(client_for, viewer, data):
    text = body(client_for(viewer).get(export_url("indicatorvalue", "csv")))

    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(float(row["value"]) >= 0 for row in rows)


@pytest.mark.parametrize("basename", ["progressreport", "indicatorvalue"])
def test_an_api_client_exports_approved_items_only(client, api_client_user, data, basename):
    _token, key = api_token_issue(user=api_client_user, name="export")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}

    ndjson = read_ndjson(client.get(export_url(basename, "ndjson"), **auth))
    _columns, rows = read_csv(client.get(export_url(basename, "csv"), **auth))

    assert ndjson and {row["state"] for row in ndjson} == {"approved"}
    assert rows and {row["state"] for row in rows} == {"approved"}


@pytest.mark.parametrize("basename", ["progressreport", "indicatorvalue"])
def test_staff_export_what_the_list_shows_them(client_for, editor, viewer, data, basename):
    for user in (editor, viewer):
        client = client_for(user)
        listed = pull(client, list_url(basename) + "?page_size=500")
        assert read_ndjson(client.get(export_url(basename, "ndjson"))) == listed


@pytest.mark.parametrize(
    "query",
    ["?page=2", "?page_size=10", "?updated_after=2020-01-01", "?dialect=excel", "?year=1800"],
)
def test_a_bad_export_query_is_refused(client_for, viewer, data, query):
    response = client_for(viewer).get(export_url("indicatorvalue", "csv", query))

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("basename", BASENAMES)
def test_export_queries_do_not_grow_with_the_data(client_for, viewer, department, basename):
    client = client_for(viewer)
    counts = []
    for size in (1, 6):
        populate(department, size)
        for kind in ("csv", "ndjson"):
            with CaptureQueriesContext(connection) as queries:
                body(client.get(export_url(basename, kind)))
            counts.append((kind, len(queries)))
    assert counts[:2] == counts[2:], counts


def test_anonymous_callers_cannot_export(client, data):
    assert client.get(export_url("indicatorvalue", "csv")).status_code == 401
